#include "adapters/contract_queries.hpp"

#include "adapters/contract_store.hpp"

namespace contract::contract_queries {
namespace {
using nlohmann::json;
using namespace sales::db;

const std::string kAwaitingAudit =
    "SELECT c.id::text AS contract_id, c.contract_no, c.project_id::text AS project_id, "
    "a.amendment_id::text AS amendment_id, a.round, a.step, a.role, " +
    sales::db::iso_date("a.opened_on", "opened_on") + ", " +
    sales::db::iso_date("a.due_on", "due_on") +
    ", a.due_on < $1::date AS overdue FROM contract_audits a JOIN contracts c ON c.id = "
    "a.contract_id WHERE a.decision IS NULL AND c.status <> 'cancelled' "
    "AND ($2::uuid IS NULL OR c.project_id = $2::uuid) "
    "AND ($3::text[] IS NULL OR c.project_id::text = ANY ($3::text[])) "
    "AND (NOT $4 OR a.due_on < $1::date) ORDER BY a.due_on, c.contract_no LIMIT $5 OFFSET $6";

const std::string& by_handover_state_sql() {
    static const std::string sql =
        contract_store::select_documents() +
        "WHERE c.handover_state = $1 AND c.status <> 'cancelled' "
        "AND ($2::uuid IS NULL OR c.project_id = $2::uuid) "
        "AND ($3::text[] IS NULL OR c.project_id::text = ANY ($3::text[])) "
        "ORDER BY c.contract_no LIMIT $4 OFFSET $5";
    return sql;
}

}  // namespace

json awaiting_audit(Tx& tx, domain::Date today, const ListFilter& filter,
                    const Projects& projects) {
    json items = json::array();
    for (const auto& r : tx.exec(
             kAwaitingAudit, {sales::to_string(today), param(filter.project_id), param(projects),
                              filter.overdue_only, filter.limit, filter.offset})) {
        items.push_back({{"contract_id", r.text("contract_id")},
                         {"contract_no", r.text("contract_no")},
                         {"project_id", r.text("project_id")},
                         {"amendment_id", sales::db::nullable(r.opt_text("amendment_id"))},
                         {"round", r.int64("round")},
                         {"step", r.int64("step")},
                         {"role", r.text("role")},
                         {"opened_on", r.text("opened_on")},
                         {"due_on", r.text("due_on")},
                         {"overdue", r.boolean("overdue")}});
    }
    return items;
}

json by_handover_state(Tx& tx, domain::HandoverState state, const ListFilter& filter,
                       const Projects& projects) {
    json items = json::array();
    for (const auto& r : tx.exec(by_handover_state_sql(),
                                 {std::string(domain::to_string(state)), param(filter.project_id),
                                  param(projects), filter.limit, filter.offset}))
        items.push_back(json::parse(r.text("doc")));
    return items;
}

}  // namespace contract::contract_queries
