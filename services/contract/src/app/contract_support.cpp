#include "app/contract_support.hpp"

#include "adapters/audit_store.hpp"
#include "adapters/contract_store.hpp"
#include "sales/failure.hpp"

namespace contract::app {
using sales::Failure;
using sales::db::Tx;

void contract_not_found(const std::string& id) {
    throw Failure(Failure::Kind::not_found, "contract_not_found", "no contract with id " + id,
                  {{"contract_id", id}});
}

domain::Contract load_for(Tx& tx, const sales::Principal& caller, const std::string& id) {
    auto c = contract_store::find(tx, id, /*for_update=*/true);
    if (!c || !caller.in_project(c->project_id))
        contract_not_found(id);
    return std::move(*c);
}

project_store::ContractSettings require_contract_settings(Tx& tx, const std::string& project_id) {
    auto settings = project_store::contract_settings(tx, project_id);
    if (!settings) {
        throw Failure(Failure::Kind::unavailable, "project_not_synchronised",
                      "project " + project_id + " is not known to the contract service yet",
                      {{"project_id", project_id}});
    }
    return std::move(*settings);
}

void open_step(Tx& tx, const Context& ctx, const domain::Contract& c,
               const std::optional<std::string>& amendment_id, std::int64_t round, int step,
               std::int64_t audit_deadline_working_days) {
    const auto opened = ctx.today();
    audit_store::open_step(
        tx, c.id, amendment_id, round, step, opened,
        domain::step_due(opened, step, audit_deadline_working_days, c.discount_contract));
}

domain::AuditOutcome decide_step(Tx& tx, const Context& ctx, const sales::Principal& caller,
                                 const domain::Contract& c,
                                 const std::optional<std::string>& amendment_id, std::int64_t round,
                                 bool approve, const std::string& note) {
    const auto outcome = domain::decide_audit(audit_store::round(tx, c.id, amendment_id, round),
                                              caller.user_id, caller.roles, approve);
    audit_store::decide_step(tx, c.id, amendment_id, round, outcome.step, approve, note,
                             caller.user_id);
    if (outcome.next_step) {
        const auto project = require_contract_settings(tx, c.project_id);
        open_step(tx, ctx, c, amendment_id, round, *outcome.next_step,
                  project.settings.audit_deadline_working_days);
    }
    return outcome;
}

nlohmann::json saved(Tx& tx, const domain::Contract& after, const domain::ContractChange& change) {
    contract_store::save(tx, after, change);
    return contract_store::document(tx, after.id);
}

}  // namespace contract::app
