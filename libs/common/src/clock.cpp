#include "sales/clock.hpp"

#include <cstdio>
#include <ctime>

namespace sales {

std::string to_rfc3339(TimePoint t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
    long millis = static_cast<long>(ms.count() % 1000);
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return buffer;
}

}  // namespace sales
