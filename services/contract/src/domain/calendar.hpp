#pragma once
// Calendar dates as the sales office sees them (DOMAIN.md: Asia/Shanghai). Pure: no I/O.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sales/clock.hpp"

namespace contract::domain {

using Date = std::chrono::year_month_day;

// Strict "YYYY-MM-DD" naming a real calendar day (2026-02-29 is not one); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
std::string to_string(Date date);

// "2026-11-22T07:33:27Z", "2026-11-22T15:33:27.5+08:00": date, 'T', time, optional fraction,
// then Z or ±HH:MM.
bool is_rfc3339(std::string_view text);

// The calendar day in Asia/Shanghai (UTC+8 all year: China has no daylight saving time).
Date shanghai_date(sales::TimePoint t);

}  // namespace contract::domain
