#include "app/status_changes.hpp"

#include <stdexcept>

#include "sales/bus.hpp"

namespace inventory::app {
namespace {

// Every action's sources with the action recorded for each, and the common target.
adapters::StatusUpdate update_of(const StatusChange& change) {
    if (change.actions.empty())
        throw std::logic_error("change_status needs at least one action");
    const auto to = domain::target(change.actions.front());
    adapters::StatusUpdate update{.to = std::string(domain::to_string(to)),
                                  .actor = change.actor,
                                  .reason = change.reason,
                                  .limit = change.limit,
                                  .skip_locked = change.skip_locked};
    for (auto action : change.actions) {
        if (domain::target(action) != to)
            throw std::logic_error("change_status actions must share one target status");
        for (auto s : domain::sources(action)) {
            update.from.emplace_back(domain::to_string(s));
            update.actions.emplace_back(domain::to_string(action));
        }
    }
    return update;
}

}  // namespace

ChangedUnit changed_unit_of(const sales::db::Row& r, const char* from_column,
                            const char* to_column) {
    return {r.text("unit_id"),
            r.text("project_id"),
            r.text("building_id"),
            r.text("unit_number"),
            r.text(from_column),
            r.text(to_column),
            r.int64("version"),
            r.opt_text("subscription_id"),
            r.int64("gross_area_centi_m2"),
            r.int64("internal_area_centi_m2"),
            r.int64("list_unit_price_fen_per_m2"),
            r.int64("list_total_fen"),
            r.opt_text("price_list_id")};
}

nlohmann::json unit_ref(const ChangedUnit& u) {
    return {{"unit_id", u.unit_id},
            {"project_id", u.project_id},
            {"building_id", u.building_id},
            {"unit_number", u.unit_number}};
}

std::vector<ChangedUnit> change_status(sales::db::Tx& tx, const StatusChange& change) {
    std::vector<ChangedUnit> out;
    for (const auto& r : adapters::update_status(tx, change.which, update_of(change))) {
        auto u = changed_unit_of(r, "from_status", "to_status");
        auto data = unit_ref(u);
        data.update({{"from", u.from},
                     {"to", u.to},
                     {"action", r.text("action")},
                     {"subscription_id", sales::db::nullable(u.subscription_id)},
                     {"actor", change.actor},
                     {"version", u.version},
                     {"building_name", r.text("building_name")},
                     {"layout", r.text("layout")},
                     {"gross_area_centi_m2", u.gross_area_centi_m2},
                     {"list_total_fen", u.list_total_fen}});
        sales::bus::outbox_append(tx, sales::bus::make_event("inventory", kUnitStatusChanged,
                                                             u.unit_id, u.version, data));
        out.push_back(std::move(u));
    }
    return out;
}

std::size_t sweep(sales::db::Pool& db, domain::UnitAction action, const std::string& actor,
                  const std::string& reason, const adapters::UnitUpdate& which, int batch) {
    return db.transaction([&](sales::db::Tx& tx) {
        return change_status(tx, {.actions = {action},
                                  .actor = actor,
                                  .reason = reason,
                                  .which = which,
                                  .limit = batch,
                                  .skip_locked = true})
            .size();
    });
}

void refuse(sales::db::Tx& tx, const std::string& unit_id, domain::UnitAction action) {
    const auto status = adapters::unit_status(tx, unit_id).value_or("not_for_sale");
    const auto decision = domain::decide(
        domain::parse_status(status).value_or(domain::UnitStatus::not_for_sale), action);
    if (decision.legal()) {
        // Only possible if the unit matched on status but not on the rest of the condition.
        sales::fail_conflict("invalid_transition",
                             "the unit changed while the request ran; read it again",
                             {{"status", status}});
    }
    throw *decision.error;
}

}  // namespace inventory::app
