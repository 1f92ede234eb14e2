#include "app/sales_control.hpp"

#include <set>

#include "app/projects.hpp"
#include "app/status_changes.hpp"
#include "app/units.hpp"
#include "domain/settings.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using sales::db::Tx;
namespace updates = adapters::unit_updates;

// The selected units, all in the caller's projects (404 unit_not_found naming the others).
adapters::UnitUpdate selected(Tx& tx, const sales::Principal& caller,
                              const UnitSelection& selection) {
    if (selection.building_id) {
        load_building(tx, *selection.building_id, caller);
        return updates::in_building(*selection.building_id);
    }
    std::set<std::string> found;
    for (const auto& r : adapters::unit_projects(tx, selection.unit_ids)) {
        if (caller.in_project(r.text("project_id")))
            found.insert(r.text("id"));
    }
    auto missing = nlohmann::json::array();
    for (const auto& id : selection.unit_ids) {
        if (!found.count(id))
            missing.push_back(id);
    }
    if (!missing.empty()) {
        throw sales::Failure(sales::Failure::Kind::not_found, "unit_not_found",
                             "no unit " + missing[0].get<std::string>(), {{"unit_ids", missing}});
    }
    return updates::by_ids(selection.unit_ids);
}
}  // namespace

nlohmann::json release_or_withdraw(sales::db::Pool& db, const sales::Principal& caller,
                                   const UnitSelection& selection, domain::UnitAction action,
                                   const std::string& reason) {
    return db.transaction([&](Tx& tx) {
        const auto which = selected(tx, caller, selection);
        const auto changed = change_status(
            tx, {.actions = {action}, .actor = caller.user_id, .reason = reason, .which = which});
        std::set<std::string> changed_ids, projects;
        for (const auto& u : changed) {
            changed_ids.insert(u.unit_id);
            projects.insert(u.project_id);
        }
        auto skipped = nlohmann::json::array();
        for (const auto& r : adapters::units_matching(tx, which)) {
            if (!changed_ids.count(r.text("id"))) {
                skipped.push_back({{"unit_id", r.text("id")},
                                   {"unit_number", r.text("unit_number")},
                                   {"status", r.text("status")}});
            }
        }
        if (action == domain::UnitAction::release && !projects.empty()) {
            // INV-4: the first release opens the project (start of the manager-only week).
            for (const auto& id : adapters::open_projects(tx, {projects.begin(), projects.end()}))
                emit_project_changed(tx, id);
        }
        return nlohmann::json{{"changed", changed.size()},
                              {"status", std::string(domain::to_string(domain::target(action)))},
                              {"skipped", skipped}};
    });
}

nlohmann::json reserve_unit(sales::db::Pool& db, const std::string& unit_id,
                            const sales::Principal& caller, const std::string& reason,
                            sales::TimePoint expires_at, sales::TimePoint now) {
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, false);
        const Project project = load_project(tx, unit.project_id, caller, false);
        domain::ReservationRequest request;
        request.caller_is_sales_manager =
            caller.has_role("sales_manager") || caller.has_role("admin");
        request.opened_at =
            project.opened_at ? sales::parse_rfc3339(*project.opened_at) : std::nullopt;
        request.manager_only_days = project.settings.reservation_manager_only_days;
        request.now = now;
        request.expires_at = expires_at;
        if (auto refusal = domain::check_reservation(request))  // INV-4
            throw *refusal;
        const auto changed =
            change_status(tx, {.actions = {domain::UnitAction::reserve},
                               .actor = caller.user_id,
                               .reason = reason,
                               .which = updates::reserve(unit_id, sales::new_uuid(), caller.user_id,
                                                         reason, sales::to_rfc3339(expires_at))});
        if (changed.empty())
            refuse(tx, unit_id, domain::UnitAction::reserve);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

nlohmann::json cancel_reservation(sales::db::Pool& db, const std::string& unit_id,
                                  const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) {
        load_unit(tx, unit_id, caller, false);
        const auto changed = change_status(tx, {.actions = {domain::UnitAction::end_reservation},
                                                .actor = caller.user_id,
                                                .reason = "reservation cancelled",
                                                .which = updates::end_reservation(unit_id)});
        if (changed.empty())
            refuse(tx, unit_id, domain::UnitAction::end_reservation);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

std::size_t expire_reservations(sales::db::Pool& db, int batch) {
    return sweep(db, domain::UnitAction::end_reservation, "system:reservation-expiry",
                 "reservation expired (INV-4)", updates::expired_reservations(), batch);
}

}  // namespace inventory::app
