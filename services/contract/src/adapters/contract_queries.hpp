#pragma once
// The contract lists (CON-4 awaiting audit, CON-9 handover lists), set-based, project scope
// applied.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "sales/db.hpp"

namespace contract::contract_queries {

struct ListFilter {
    std::optional<std::string> project_id;
    bool overdue_only = false;
    std::int64_t limit = 100;
    std::int64_t offset = 0;
};
using Projects = std::optional<std::vector<std::string>>;  // nullopt: every project

// Open audit steps of contracts not cancelled, due first (overdue: due before `today`).
nlohmann::json awaiting_audit(sales::db::Tx& tx, domain::Date today, const ListFilter& filter,
                              const Projects& projects);
// Contracts not cancelled in handover state `state`, by contract number.
nlohmann::json by_handover_state(sales::db::Tx& tx, domain::HandoverState state,
                                 const ListFilter& filter, const Projects& projects);

}  // namespace contract::contract_queries
