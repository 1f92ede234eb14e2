#include "sales/calendar.hpp"

#include <cstdio>

namespace sales {
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

std::chrono::weekday weekday_of(Date date) {
    return std::chrono::weekday{std::chrono::sys_days{date}};
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
    if (!date.ok() || y < kFirstYear || y > kLastYear)
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
    return parse_rfc3339(text).has_value();
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    int hh = 0, mm = 0, ss = 0;
    if (text.size() < 20)
        return std::nullopt;
    const auto date = parse_date(text.substr(0, 10));
    if (!date || text[10] != 'T' || !digits(text, 11, 2, hh) || text[13] != ':' ||
        !digits(text, 14, 2, mm) || text[16] != ':' || !digits(text, 17, 2, ss) || hh > 23 ||
        mm > 59 || ss > 60) {
        return std::nullopt;
    }
    std::size_t i = 19;
    int millis = 0;
    if (text[i] == '.') {
        const std::size_t start = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (i - start < 3)
                millis = millis * 10 + (text[i] - '0');
            ++i;
        }
        if (i == start)
            return std::nullopt;
        for (std::size_t k = i - start; k < 3; ++k)
            millis *= 10;
    }
    const auto zone = text.substr(i);
    int zh = 0, zm = 0;
    int offset_minutes = 0;
    if (zone == "Z") {
        offset_minutes = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2, zh) &&
               zone[3] == ':' && digits(zone, 4, 2, zm) && zh <= 23 && zm <= 59) {
        offset_minutes = (zone[0] == '-' ? -1 : 1) * (zh * 60 + zm);
    } else {
        return std::nullopt;
    }
    return TimePoint{std::chrono::sys_days{*date} + std::chrono::hours(hh) +
                     std::chrono::minutes(mm - offset_minutes) + std::chrono::seconds(ss) +
                     std::chrono::milliseconds(millis)};
}

Date shanghai_date(TimePoint t) {
    return Date{std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8))};
}

TimePoint shanghai_midnight(Date date) {
    return TimePoint{std::chrono::sys_days{date} - std::chrono::hours(8)};
}

bool is_working_day(Date date) {
    const auto w = weekday_of(date);
    return w != std::chrono::Saturday && w != std::chrono::Sunday;
}

Date add_working_days(Date date, std::int64_t count) {
    std::chrono::sys_days day{date};
    for (std::int64_t n = 0; n < count;) {
        day += std::chrono::days(1);
        if (is_working_day(Date{day}))
            ++n;
    }
    return Date{day};
}

std::int64_t working_days_between(Date from, Date to) {
    std::int64_t n = 0;
    for (std::chrono::sys_days day = std::chrono::sys_days{from} + std::chrono::days(1);
         day <= std::chrono::sys_days{to}; day += std::chrono::days(1)) {
        if (is_working_day(Date{day}))
            ++n;
    }
    return n;
}

}  // namespace sales
