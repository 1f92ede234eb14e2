#include "app/reports.hpp"

#include <algorithm>

#include "sales/failure.hpp"

namespace reporting::app {

domain::Report run_report(sales::db::Pool& db, const sales::Principal& caller,
                          domain::ReportName name, adapters::ReportFilter filter,
                          const std::optional<std::string>& project_id) {
    const bool every_project = caller.in_every_project();
    if (project_id) {
        if (!caller.in_project(*project_id))
            sales::fail_not_found("project", *project_id);
        filter.project_ids = std::vector<std::string>{*project_id};
    } else if (!every_project) {
        filter.project_ids = caller.project_ids;
    }
    auto result = adapters::query_report(db, name, filter);
    domain::Report report;
    report.spec = &domain::spec_of(name);
    report.limit = filter.limit;
    report.offset = filter.offset;
    report.total_rows = result.total_rows;
    const auto grouping = filter.grouping.value_or(domain::Grouping{});
    for (auto& row : result.rows)
        domain::derive(name, row, grouping);
    report.totals = result.sums.empty() ? domain::totals_of(name, result.rows)
                                        : domain::totals_from_sums(name, std::move(result.sums));
    report.rows = std::move(result.rows);
    return report;
}

}  // namespace reporting::app
