#pragma once
// Calendar dates as the sales office sees them (DOMAIN.md: Asia/Shanghai) and working days
// (工作日: Monday–Friday in Asia/Shanghai unless a project calendar says otherwise). Pure: no I/O.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sales/clock.hpp"

namespace sales {

using Date = std::chrono::year_month_day;

// Years a date or timestamp of this product may name: birth dates to contracts' last
// instalments, and every instant of them fits TimePoint (nanoseconds end in 2262).
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2199;

// Strict "YYYY-MM-DD" naming a real calendar day (2026-02-29 is not one) in
// kFirstYear..kLastYear; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
std::string to_string(Date date);

// "2026-11-22T07:33:27Z", "2026-11-22T15:33:27.5+08:00": date, 'T', time, optional fraction,
// then Z or ±HH:MM.
bool is_rfc3339(std::string_view text);
// The instant an RFC 3339 timestamp names (offset applied, fraction kept to milliseconds);
// nullopt when !is_rfc3339(text).
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// The calendar day in Asia/Shanghai (UTC+8 all year: China has no daylight saving time).
Date shanghai_date(TimePoint t);
// The first instant of `date` in Asia/Shanghai (00:00 +08:00).
TimePoint shanghai_midnight(Date date);

// Monday–Friday.
bool is_working_day(Date date);
// The `count`-th working day after `date` (count ≥ 0; 0 returns `date` itself). Friday + 1 and
// Saturday + 1 are both Monday.
Date add_working_days(Date date, std::int64_t count);
// Working days strictly after `from` up to and including `to` (0 when to ≤ from).
std::int64_t working_days_between(Date from, Date to);

}  // namespace sales
