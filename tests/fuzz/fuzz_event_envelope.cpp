// The event envelope: any bytes as a CloudEvents JSON message from NATS. parse_event either
// returns an Event whose re-serialisation parses back to the same attributes, or throws
// EnvelopeError; nothing else may escape.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sales/bus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto event = sales::bus::parse_event(text);
        const auto again = sales::bus::parse_event(sales::bus::to_json(event));
        if (again.id != event.id || again.type != event.type || again.sequence != event.sequence ||
            again.data != event.data)
            std::abort();
    } catch (const sales::bus::EnvelopeError&) {
    }
    return 0;
}
