#pragma once
// Report packs (报表包): the daily, weekly and monthly workbooks made on schedule for each
// project, one sheet per report of the period. Periods follow the Asia/Shanghai calendar; a
// scheduled pack covers the latest period that has ended (yesterday, last Monday–Sunday, last
// month).
#include <string>
#include <vector>

#include "domain/report.hpp"
#include "sales/calendar.hpp"
#include "sales/enum_names.hpp"

namespace reporting::domain {

SALES_ENUM(PackKind, daily, weekly, monthly);

struct PackPeriod {
    sales::Date from;
    sales::Date to;  // inclusive
};
// The period of `kind` that holds `day`.
PackPeriod pack_period_of(PackKind kind, sales::Date day);
// The latest period of `kind` that has ended before `today`.
PackPeriod last_complete_period(PackKind kind, sales::Date today);
// 日报 / 周报 / 月报.
std::string pack_kind_label(PackKind kind);
// "经营报表包-日报-2026-12-02-HX01" (no extension).
std::string pack_file_stem(PackKind kind, const PackPeriod& period,
                           const std::string& project_code);

// The reports of a pack, in sheet order, with the grouping of the summaries (by day).
struct PackSheet {
    ReportName report;
    Grouping grouping;
    bool dated = true;  // false: a state report (销控汇总 as of the pack's making)
};
const std::vector<PackSheet>& pack_sheets();

}  // namespace reporting::domain
