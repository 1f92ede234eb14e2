// Body validation: any bytes as a JSON request body, read through sales/input.hpp the way write
// routes read theirs (typed fields, nested objects and lists, dates, uuids, enumerations).
// Every outcome must be a value or a sales::Failure of kind invalid; nothing else may escape.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sales/failure.hpp"
#include "sales/http.hpp"
#include "sales/input.hpp"

namespace {
std::optional<int> parse_side(std::string_view text) {
    if (text == "north")
        return 1;
    if (text == "south")
        return 2;
    return std::nullopt;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    sales::http::Request request;
    request.method = "POST";
    request.headers["Content-Type"] = "application/json";
    request.body.assign(reinterpret_cast<const char*>(data), size);
    try {
        const auto total = sales::service::read_body(
            request, {"name", "amount_fen", "unit_id", "unit_ids", "when", "at", "side", "plan"},
            [](const sales::service::Body& b) {
                std::int64_t sum = b.text("name", 50).size();
                sum +=
                    b.opt_integer("amount_fen", -sales::service::kMaxFen, sales::service::kMaxFen)
                        .value_or(0);
                if (b.has("unit_id"))
                    sum += b.uuid("unit_id").size();
                if (b.has("unit_ids"))
                    sum += static_cast<std::int64_t>(b.uuids("unit_ids", 20).size());
                if (b.has("when"))
                    (void)b.date("when");
                if (b.has("at"))
                    (void)b.time("at");
                if (b.has("side"))
                    sum += b.opt_enumeration("side", &parse_side, "north, south").value_or(0);
                if (const auto plan = b.opt_object("plan", {"kind", "instalments"})) {
                    for (const auto& item :
                         plan->objects("instalments", 60, {"due_on", "amount_fen"})) {
                        (void)item.date("due_on");
                        sum += item.integer("amount_fen", 1, sales::service::kMaxFen);
                    }
                }
                return sum;
            });
        (void)total;
    } catch (const sales::Failure& failure) {
        if (failure.kind() != sales::Failure::Kind::invalid &&
            failure.kind() != sales::Failure::Kind::unsupported_media)
            std::abort();
    }
    return 0;
}
