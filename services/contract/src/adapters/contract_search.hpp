#pragma once
// Contract search 合同查询 (GET /api/v1/contracts) and the CON-7 list of contracts awaiting
// registration: set-based, parameterised SQL with only the conditions asked for (each
// combination is its own prepared statement, planned on the indexes of migration 0009), the
// caller's project scope applied.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/calendar.hpp"
#include "sales/db.hpp"

namespace contract::contract_search {

using Projects = std::optional<std::vector<std::string>>;  // nullopt: every project

struct Filter {
    std::optional<std::string> project_id;
    std::optional<std::string> building_id;
    std::vector<std::string> statuses;         // any of; empty: every status
    std::optional<std::string> signed_from;    // RFC 3339, inclusive (a Shanghai midnight)
    std::optional<std::string> signed_before;  // RFC 3339, exclusive
    std::optional<std::string> rep_id;
    std::optional<std::string> payment_plan;
    std::optional<std::string> customer_id;
    std::optional<std::string> contract_no_pattern;  // LIKE pattern (domain::prefix_pattern)
    std::optional<std::string> handover_state;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};

// {"items": [summary…], "total", "limit", "offset"}: newest signing first (signed_at, then
// contract number, both descending: a stable order for paging).
nlohmann::json search(sales::db::Tx& tx, const Filter& filter, const Projects& projects);

struct AwaitingFilter {
    std::optional<std::string> project_id;
    bool overdue_only = false;
    std::int64_t limit = 100;
    std::int64_t offset = 0;
};
// CON-7: stamped contracts not yet registered, due first (then by contract number), with
// due_on and overdue (due before `today`). {"items", "total", "limit", "offset"}.
nlohmann::json awaiting_registration(sales::db::Tx& tx, domain::Date today,
                                     const AwaitingFilter& filter, const Projects& projects);

}  // namespace contract::contract_search
