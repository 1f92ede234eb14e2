#pragma once
// Reading the data of another service's event in an inbox handler: a field that is missing or of
// the wrong kind makes the event a PoisonMessage (dead letter), its reason naming the field.
#include <cstdint>
#include <optional>
#include <string>

#include "sales/bus.hpp"

namespace contract::app {

// PoisonMessage "<type> <id>: <problem>".
sales::bus::PoisonMessage poison(const sales::bus::Event& event, const std::string& problem);

// data.<field> as a non-empty string.
std::string text_field(const sales::bus::Event& event, const char* field);
// data.<field> as a UUID.
std::string uuid_field(const sales::bus::Event& event, const char* field);
// data.<field> as a UUID, or nullopt when absent or null.
std::optional<std::string> opt_uuid_field(const sales::bus::Event& event, const char* field);
// data.<field> as an integer > 0.
std::int64_t positive_field(const sales::bus::Event& event, const char* field);

}  // namespace contract::app
