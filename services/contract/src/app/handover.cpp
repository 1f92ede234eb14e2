// CON-9 handover: eligibility follows finance's clearance; the handover itself.
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/event_fields.hpp"
#include "sales/failure.hpp"
#include "sales/log.hpp"

namespace contract::app {
using domain::HandoverState;
using sales::db::Tx;

nlohmann::json hand_over(const Context& ctx, const sales::Principal& caller, const std::string& id,
                         sales::Date notice_date, sales::Date handed_over_on) {
    if (handed_over_on < notice_date)
        sales::fail_invalid("handed_over_on", "must not be before notice_date");
    if (handed_over_on > ctx.today())
        sales::fail_invalid("handed_over_on", "must not be in the future");
    const auto notice = sales::to_string(notice_date);
    const auto actual = sales::to_string(handed_over_on);
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        const auto change = domain::handover_recorded(c, notice, actual, ctx.by(caller.user_id));
        contract_store::set_handover(tx, c.id, notice, actual, caller.user_id);
        return saved(tx, c, change);
    });
}

nlohmann::json decide_handover(const Context& ctx, const sales::Principal& caller,
                               const std::string& id, bool confirm, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        const auto by = ctx.by(caller.user_id, note);
        if (!confirm)
            return saved(tx, c, domain::handover_returned(c, by));
        const auto doc = contract_store::document(tx, c.id);
        const auto change =
            domain::handover_confirmed(c, doc.value("handover_notice_date", std::string()),
                                       doc.value("handed_over_on", std::string()), by);
        contract_store::set_handover_confirmed(tx, c.id, caller.user_id);
        return saved(tx, c, change);
    });
}

void apply_finance_contract_event(const Context& ctx, Tx& tx, const sales::bus::Event& event) {
    if (event.type != kFinanceCleared && event.type != kFinanceUncleared)
        return;
    const auto& d = event.data;
    const auto id = uuid_field(event, "contract_id");
    auto c = contract_store::find(tx, id, /*for_update=*/true);
    if (!c)
        throw poison(event, "no contract " + id);
    const bool cleared = event.type == kFinanceCleared;
    const auto to = cleared ? domain::on_cleared(c->handover)
                            : domain::on_uncleared(c->handover, c->early_approved);
    if (!to) {
        // Already in the state the event asks for (a repeat), or handed over: nothing changes.
        const nlohmann::json fields = {{"contract_id", id},
                                       {"event_id", event.id},
                                       {"type", event.type},
                                       {"handover_state", domain::to_string(c->handover)}};
        if (!cleared && c->handover == HandoverState::handed_over)
            sales::log::warn("uncleared after handover: eligibility not withdrawn", fields);
        else
            sales::log::info("finance clearance event changes nothing", fields);
        return;
    }
    std::string cause = event.type;
    if (!cleared && d.contains("reason") && d["reason"].is_string())
        cause += ": " + d["reason"].get<std::string>();
    const auto change = domain::handover_changed(*c, *to, event.id, ctx.by(kFinanceActor, cause));
    contract_store::save(tx, *c, change);
}

}  // namespace contract::app
