#pragma once
// The reports' reads of the read model: set-based queries whose rows become domain Records (the
// stored columns; domain::derive adds the computed ones).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/report.hpp"
#include "sales/db.hpp"

namespace reporting::adapters {

struct ReportFilter {
    std::optional<std::vector<std::string>> project_ids;  // nullopt: every project
    std::optional<std::string> from, to;                  // YYYY-MM-DD, inclusive
    std::optional<std::string> building_id, rep_id, status;
    std::optional<domain::Grouping> grouping;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};

struct QueryResult {
    std::vector<domain::Record> rows;
    domain::Record sums;  // summed columns and "count" over every row, not only the page
    std::int64_t total_rows = 0;
};

QueryResult query_report(sales::db::Pool& db, domain::ReportName name, const ReportFilter& filter);

}  // namespace reporting::adapters
