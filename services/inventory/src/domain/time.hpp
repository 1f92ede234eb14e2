#pragma once
// RFC 3339 timestamps from requests (hold_until, reservation expires_at). Pure: no I/O.
#include <optional>
#include <string_view>

#include "sales/clock.hpp"

namespace inventory::domain {

// "2026-05-01T12:00:00Z", "2026-05-01T20:00:00.250+08:00"; nullopt when malformed or out of
// range (years 1970–9999). Fractions beyond milliseconds are truncated.
std::optional<sales::TimePoint> parse_rfc3339(std::string_view text);

}  // namespace inventory::domain
