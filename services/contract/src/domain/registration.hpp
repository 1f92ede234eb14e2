#pragma once
// CON-7 registration 网签备案 after stamping, and the rules of the contract search 合同查询.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/contract.hpp"

namespace contract::domain {

// CON-7: the filing is due `working_days` working days after the stamping day (the working-day
// calendar of CON-4's audit deadlines: Monday–Friday, Asia/Shanghai). Stamped on a Saturday, the
// count starts from that day like any other: Saturday + 2 = Tuesday.
Date registration_due(Date stamped_on, std::int64_t working_days);
// Overdue: still not registered after its due day (the due day itself is in time).
bool registration_overdue(Date due_on, Date today);
// CON-7: a registration number as it is stored and compared (unique per project): without
// surrounding spaces, tabs or line breaks, so "WQ-88 " and "WQ-88" are one number.
std::string normalise_registration_no(std::string_view text);

// ---- Contract search (GET /api/v1/contracts) ----
// "in_audit,stamped" → the statuses, in the order given, without repeats; a problem text when
// a name is unknown or the list is empty.
std::optional<std::vector<ContractStatus>> parse_status_list(std::string_view text,
                                                             std::string& problem);
// The LIKE pattern finding contract numbers that start with `prefix` ('%', '_' and '\' escaped
// with '\'), e.g. "2026-HX01-00" → "2026-HX01-00%".
std::string prefix_pattern(std::string_view prefix);

}  // namespace contract::domain
