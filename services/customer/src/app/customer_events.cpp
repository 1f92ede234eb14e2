// Customer events (CUS-2/4/6/10) and the stage they or a person move (CUS-1).
#include "adapters/customer_event_store.hpp"
#include "adapters/customer_store.hpp"
#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/input.hpp"

namespace customer::app {
namespace {
using namespace sales::db;

nlohmann::json event_json(const Row& r) {
    auto out = row_json(r,
                        {"id", "customer_id", "kind", "occurred_at", "rep_id", "channel",
                         "recorded_by", "recorded_at"},
                        {"note"});
    out["satisfaction"] = nullable(r.opt_int64("satisfaction"));
    out["late"] = r.boolean("late");
    return out;
}
}  // namespace

void check_event(const NewEvent& event, sales::TimePoint now, const std::string& prefix) {
    sales::service::Problems problems;
    if (event.kind == domain::EventKind::complaint) {
        problems.add(
            prefix + "kind",
            "complaints are recorded with POST /api/v1/customers/{id}/complaints (CUS-10)");
    }
    for (const auto& p :
         domain::validate_event(event.kind, event.satisfaction, event.occurred_at, now))
        problems.add(prefix + p.field, p.problem);
    problems.check();
}

nlohmann::json insert_event(Tx& tx, const std::string& customer_id, const std::string& project_id,
                            const NewEvent& event, const std::string& rep_id,
                            const std::string& recorded_by, sales::TimePoint now) {
    // CUS-6: contact on day D must be entered by the end of the next working day.
    const bool late = domain::is_late_entry(sales::shanghai_date(event.occurred_at), now);
    const auto row =
        adapters::insert_event(tx, customer_id, project_id, event, rep_id, recorded_by, late);
    adapters::record_contact(tx, customer_id, event.occurred_at);
    return event_json(row);
}

nlohmann::json add_event(const Context& ctx, const Caller& caller, const std::string& customer_id,
                         const NewEvent& event) {
    const auto now = ctx.clock.now();
    check_event(event, now, "");
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, customer_id, true);
        if (row.opt_text("archived_at")) {
            sales::fail_conflict("customer_archived", "customer " + customer_id +
                                                          " is archived (CUS-9); record the "
                                                          "contact as a new customer");
        }
        const bool care = event.kind == domain::EventKind::survey ||
                          event.kind == domain::EventKind::post_purchase_visit;
        if (!(care && caller.complaints))
            require_owner_or_manager(caller, row);
        return insert_event(tx, customer_id, row.text("project_id"), event, caller.id(),
                            caller.id(), now);
    });
}

nlohmann::json list_events(const Context& ctx, const Caller& caller, const std::string& customer_id,
                           std::int64_t limit, std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, customer_id, false);
        // CUS-8: phones typed into notes show like the phone field; a privileged full read of
        // one is logged.
        const auto view = domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, true);
        bool revealed = false;
        nlohmann::json items = nlohmann::json::array();
        for (const auto& e : adapters::list_events(tx, customer_id, limit, offset)) {
            auto item = event_json(e);
            item["note"] = free_text(e.opt_text("note"), view, revealed);
            items.push_back(std::move(item));
        }
        if (revealed)
            log_full_read(tx, caller, customer_id);
        return nlohmann::json{{"items", items},
                              {"total", row.int64("event_count")},
                              {"limit", limit},
                              {"offset", offset}};
    });
}

void apply_stage(Tx& tx, const std::string& customer_id, const domain::StageInput& input,
                 const std::string& cause, const std::optional<std::string>& source_event_id,
                 const std::string& actor, const std::optional<std::string>& reason) {
    const auto row = adapters::lock_stage(tx, customer_id);
    const auto next = domain::next_stage(*domain::parse_stage(row.stage), input);
    if (!next)
        return;
    const std::string to_stage(domain::to_string(*next));
    const auto version = adapters::set_stage(tx, customer_id, row.stage, to_stage, cause,
                                             source_event_id, actor, reason);
    emit(tx, kCustomerStageChanged, customer_id, version,
         {{"customer_id", customer_id},
          {"project_id", row.project_id},
          {"owner_id", row.owner_id},
          {"from_stage", row.stage},
          {"to_stage", to_stage},
          {"cause", cause},
          {"source_event_id", nullable(source_event_id)}});
}

nlohmann::json change_stage(const Context& ctx, const Caller& caller, const std::string& id,
                            domain::Stage stage, const std::optional<std::string>& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        apply_stage(tx, id, {domain::StageCause::manual, stage, false}, "manual", std::nullopt,
                    caller.id(), reason);
        return customer_json(load_customer(tx, caller, id, false),
                             domain::pii_view(caller.id(), row.text("owner_id"), false, false));
    });
}

}  // namespace customer::app
