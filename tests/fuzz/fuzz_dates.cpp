// Date and time parsing: any text as a calendar date (YYYY-MM-DD) or RFC 3339 instant, and as
// query parameters. A date that parses formats back to the same text; nothing escapes but a
// sales::Failure of kind invalid from the query reader.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/http.hpp"
#include "sales/input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (const auto date = sales::parse_date(text)) {
        if (sales::to_string(*date) != text)
            std::abort();
    }
    (void)sales::parse_rfc3339(text);
    sales::http::Request request;
    request.method = "GET";
    request.query = {{"from", text}, {"to", text}, {"at", text}};
    try {
        const sales::service::Query query(request, {"from", "to", "at"});
        (void)query.date("from");
        (void)query.date("to");
        (void)query.time("at");
        query.check();
    } catch (const sales::Failure& failure) {
        if (failure.kind() != sales::Failure::Kind::invalid)
            std::abort();
    }
    return 0;
}
