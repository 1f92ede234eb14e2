#include "app/status_changes.hpp"

#include <stdexcept>

#include "sales/bus.hpp"

namespace inventory::app {
namespace {

std::string quoted(domain::UnitStatus s) {
    return "'" + std::string(domain::name(s)) + "'";
}

// status IN (...) over every action's sources, and the per-row action name.
struct Sources {
    std::string in_list;
    std::string action_case;
};

Sources sources_of(const std::vector<domain::UnitAction>& actions) {
    if (actions.empty())
        throw std::logic_error("change_status needs at least one action");
    Sources out;
    out.action_case = "CASE old.status";
    const auto to = domain::target(actions.front());
    for (auto action : actions) {
        if (domain::target(action) != to)
            throw std::logic_error("change_status actions must share one target status");
        for (auto s : domain::sources(action)) {
            out.in_list += (out.in_list.empty() ? "" : ", ") + quoted(s);
            out.action_case +=
                " WHEN " + quoted(s) + " THEN '" + std::string(domain::name(action)) + "'";
        }
    }
    out.action_case += " END";
    return out;
}

}  // namespace

std::vector<ChangedUnit> change_status(sales::db::Tx& tx, const StatusChange& change) {
    const Sources sources = sources_of(change.actions);
    const auto to = quoted(domain::target(change.actions.front()));
    sales::db::Params params = change.params;
    const auto next = [&params](sales::db::Param value) {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    };
    const std::string actor = next(change.actor);
    const std::string reason = next(change.reason);
    // Rows are locked in id order so that batches never deadlock each other.
    const std::string sql =
        "WITH old AS (SELECT id, status, hold_subscription_id FROM units WHERE (" + change.match +
        ") AND status IN (" + sources.in_list + ") ORDER BY id" +
        (change.limit > 0 ? " LIMIT " + std::to_string(change.limit) : "") + " FOR UPDATE" +
        (change.skip_locked ? " SKIP LOCKED" : "") +
        "), changed AS (UPDATE units u SET status = " + to +
        ", version = u.version + 1, updated_at = now()" + change.set +
        " FROM old WHERE u.id = old.id RETURNING u.id, u.project_id, u.building_id, "
        "u.unit_number, old.status AS from_status, u.status AS to_status, u.version, "
        "coalesce(u.hold_subscription_id, old.hold_subscription_id) AS subscription_id, "
        "u.gross_area_centi_m2, u.list_unit_price_fen_per_m2, u.list_total_fen, u.price_list_id, " +
        sources.action_case +
        " AS action), history AS (INSERT INTO unit_history (unit_id, project_id, action, "
        "from_status, to_status, actor, reason, subscription_id, version) SELECT id, project_id, "
        "action, from_status, to_status, " +
        actor + ", " + reason +
        ", subscription_id, version FROM changed) SELECT id::text AS unit_id, "
        "project_id::text AS project_id, building_id::text AS building_id, unit_number, "
        "from_status, to_status, version, subscription_id::text AS subscription_id, "
        "gross_area_centi_m2, list_unit_price_fen_per_m2, list_total_fen, "
        "price_list_id::text AS price_list_id, action FROM changed ORDER BY id";

    std::vector<ChangedUnit> out;
    for (const auto& r : tx.exec(sql, params)) {
        ChangedUnit u{r.text("unit_id"),
                      r.text("project_id"),
                      r.text("building_id"),
                      r.text("unit_number"),
                      r.text("from_status"),
                      r.text("to_status"),
                      r.int64("version"),
                      r.opt_text("subscription_id"),
                      r.int64("gross_area_centi_m2"),
                      r.int64("list_unit_price_fen_per_m2"),
                      r.int64("list_total_fen"),
                      r.opt_text("price_list_id")};
        sales::bus::outbox_append(
            tx, sales::bus::make_event(
                    "inventory", kUnitStatusChanged, u.unit_id, u.version,
                    {{"unit_id", u.unit_id},
                     {"project_id", u.project_id},
                     {"building_id", u.building_id},
                     {"unit_number", u.unit_number},
                     {"from", u.from},
                     {"to", u.to},
                     {"action", r.text("action")},
                     {"subscription_id", u.subscription_id ? nlohmann::json(*u.subscription_id)
                                                           : nlohmann::json(nullptr)},
                     {"version", u.version}}));
        out.push_back(std::move(u));
    }
    return out;
}

}  // namespace inventory::app
