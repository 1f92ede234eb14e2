#pragma once
// Running a report for a caller: project scope (a project outside it is not found), the
// computed columns and the totals row.
#include "adapters/report_queries.hpp"
#include "domain/report.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace reporting::app {

// At most this many rows go into one CSV or xlsx download.
inline constexpr std::int64_t kMaxExportRows = 100'000;

// `filter.project_ids` is set from the caller's scope (and `project_id`, when asked for one).
domain::Report run_report(sales::db::Pool& db, const sales::Principal& caller,
                          domain::ReportName name, adapters::ReportFilter filter,
                          const std::optional<std::string>& project_id);

}  // namespace reporting::app
