// CON-4 audit and review, stamping; CON-7 registration.
#include "adapters/contract_store.hpp"
#include "app/contract_search.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "domain/registration.hpp"
#include "sales/failure.hpp"
#include "sales/log.hpp"

namespace contract::app {
using domain::ContractAction;
using sales::db::Tx;

namespace {
[[noreturn]] void registration_no_taken(const std::string& registration_no,
                                        const std::string& holder_contract_no) {
    sales::fail_conflict("registration_no_taken",
                         "registration number " + registration_no +
                             " is already recorded for contract " + holder_contract_no +
                             " of this project (CON-7)",
                         {{"field", "registration_no"},
                          {"registration_no", registration_no},
                          {"contract_no", holder_contract_no}});
}
}  // namespace

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
        // CON-7: the filing is due the project's working days after the stamping day.
        const auto project = require_contract_settings(tx, c.project_id);
        const auto due = domain::registration_due(
            stamped_on, project.settings.registration_deadline_working_days);
        contract_store::set_stamp(tx, c.id, sales::to_string(stamped_on), stamp_no, caller.user_id,
                                  sales::to_string(due));
        return saved(tx, c, change);
    });
}

nlohmann::json register_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, sales::TimePoint filed_at,
                                 sales::Date registration_date,
                                 const std::string& registration_no_as_given) {
    const auto registration_no = domain::normalise_registration_no(registration_no_as_given);
    const auto by = ctx.by(caller.user_id);
    if (filed_at > by.at)
        sales::fail_invalid("filed_at", "must not be in the future");
    if (registration_date < sales::shanghai_date(filed_at))
        sales::fail_invalid("registration_date", "must not be before the filing day");
    const auto filed = sales::to_rfc3339(filed_at);
    const auto date = sales::to_string(registration_date);
    std::string project_id;
    try {
        return ctx.db.transaction([&](Tx& tx) {
            auto c = load_for(tx, caller, id);
            project_id = c.project_id;
            // CON-7: registration follows stamping.
            const auto change = domain::registered(c, filed, date, registration_no, by);
            // CON-7: one registration number per contract of the project.
            if (const auto holder =
                    contract_store::registration_holder(tx, c.project_id, registration_no, c.id))
                registration_no_taken(registration_no, *holder);
            contract_store::set_registration(tx, c.id, filed, date, registration_no);
            return saved(tx, c, change);
        });
    } catch (const sales::db::UniqueViolation& e) {
        // Two contracts registered under one number at the same moment: the later loses.
        if (e.constraint() != "contracts_registration_no_per_project")
            throw;
        const auto holder = ctx.db.transaction([&](Tx& tx) {
            return contract_store::registration_holder(tx, project_id, registration_no, id);
        });
        registration_no_taken(registration_no, holder.value_or(""));
    }
}

void fill_registration_due(const Context& ctx) {
    constexpr std::int64_t kBatch = 500;
    std::int64_t filled = 0;
    while (true) {
        const auto done = ctx.db.transaction([&](Tx& tx) {
            const auto missing = contract_store::missing_registration_due(tx, kBatch);
            for (const auto& m : missing) {
                const auto stamped_on = sales::parse_date(m.stamped_on);
                if (!stamped_on)
                    continue;
                contract_store::set_registration_due(
                    tx, m.id,
                    sales::to_string(domain::registration_due(*stamped_on, m.working_days)));
            }
            return static_cast<std::int64_t>(missing.size());
        });
        filled += done;
        if (done < kBatch)
            break;
    }
    if (filled > 0)
        sales::log::info("registration due days filled in (CON-7)", {{"contracts", filled}});
}

}  // namespace contract::app
