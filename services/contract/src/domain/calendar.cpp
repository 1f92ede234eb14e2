#include "domain/calendar.hpp"

#include <cstdio>

namespace contract::domain {
namespace {
bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}
}  // namespace

std::optional<Date> parse_date(std::string_view text) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) ||
        !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    const Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                    std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::string to_string(Date date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

bool is_rfc3339(std::string_view text) {
    int hh = 0, mm = 0, ss = 0;
    if (text.size() < 20 || !parse_date(text.substr(0, 10)) || text[10] != 'T' ||
        !digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mm) ||
        text[16] != ':' || !digits(text, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
        return false;
    }
    std::size_t i = 19;
    if (text[i] == '.') {
        const std::size_t start = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9')
            ++i;
        if (i == start)
            return false;
    }
    const auto zone = text.substr(i);
    int zh = 0, zm = 0;
    return zone == "Z" ||
           (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2, zh) &&
            zone[3] == ':' && digits(zone, 4, 2, zm) && zh <= 23 && zm <= 59);
}

Date shanghai_date(sales::TimePoint t) {
    return Date{std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8))};
}

}  // namespace contract::domain
