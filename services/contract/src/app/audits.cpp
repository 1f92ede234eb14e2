// CON-4 audit and review, stamping; CON-7 registration.
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "sales/failure.hpp"

namespace contract::app {
using domain::ContractAction;
using sales::db::Tx;

nlohmann::json decide_contract_audit(const Context& ctx, const sales::Principal& caller,
                                     const std::string& id, bool approve, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        // Only a contract in audit has an open step.
        domain::next_status(c.status,
                            approve ? ContractAction::approve_audit : ContractAction::reject_audit);
        const auto outcome =
            decide_step(tx, ctx, caller, c, std::nullopt, c.audit_round, approve, note);
        const auto change = domain::audit_decided(c, outcome, ctx.by(caller.user_id, note));
        return saved(tx, c, change);
    });
}

nlohmann::json resubmit_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        const auto change = domain::resubmitted(c, ctx.by(caller.user_id, note));
        const auto project = require_contract_settings(tx, c.project_id);
        open_step(tx, ctx, c, std::nullopt, c.audit_round, 1,
                  project.settings.audit_deadline_working_days);
        return saved(tx, c, change);
    });
}

nlohmann::json stamp_contract(const Context& ctx, const sales::Principal& caller,
                              const std::string& id, sales::Date stamped_on,
                              const std::string& stamp_no) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        // CON-4: only a fully reviewed contract is stamped.
        const auto change =
            domain::stamped(c, sales::to_string(stamped_on), stamp_no, ctx.by(caller.user_id));
        if (stamped_on > ctx.today())
            sales::fail_invalid("stamped_on", "must not be in the future");
        contract_store::set_stamp(tx, c.id, sales::to_string(stamped_on), stamp_no, caller.user_id);
        return saved(tx, c, change);
    });
}

nlohmann::json register_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, sales::TimePoint filed_at,
                                 sales::Date registration_date,
                                 const std::string& registration_no) {
    const auto by = ctx.by(caller.user_id);
    if (filed_at > by.at)
        sales::fail_invalid("filed_at", "must not be in the future");
    if (registration_date < sales::shanghai_date(filed_at))
        sales::fail_invalid("registration_date", "must not be before the filing day");
    const auto filed = sales::to_rfc3339(filed_at);
    const auto date = sales::to_string(registration_date);
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        // CON-7: registration follows stamping.
        const auto change = domain::registered(c, filed, date, registration_no, by);
        contract_store::set_registration(tx, c.id, filed, date, registration_no);
        return saved(tx, c, change);
    });
}

}  // namespace contract::app
