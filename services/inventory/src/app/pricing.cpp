#include "app/pricing.hpp"

#include <set>

#include "adapters/price_list_store.hpp"
#include "app/projects.hpp"
#include "app/units.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"
#include "sales/money.hpp"

namespace inventory::app {
namespace {
using sales::db::Tx;

// The price list, if the caller may see it; 404 otherwise.
adapters::PriceListRef load_price_list(Tx& tx, const std::string& id,
                                       const sales::Principal& caller, bool for_update) {
    auto found = sales::is_uuid(id) ? adapters::find_price_list(tx, id, for_update) : std::nullopt;
    if (!found || !caller.in_project(found->project_id))
        sales::fail_not_found("price_list", id);
    return *found;
}

// 404 unit_not_found naming every item that is not a unit of the project.
void require_project_units(Tx& tx, const std::string& project_id,
                           const std::vector<domain::PriceListItem>& items) {
    std::vector<std::string> ids;
    auto missing = nlohmann::json::array();
    for (const auto& item : items) {
        if (sales::is_uuid(item.unit_id))
            ids.push_back(item.unit_id);
        else
            missing.push_back(item.unit_id);
    }
    const auto units = adapters::units_of_project(tx, project_id, ids);
    const std::set<std::string> found(units.begin(), units.end());
    for (const auto& id : ids) {
        if (!found.count(id))
            missing.push_back(id);
    }
    if (!missing.empty()) {
        throw sales::Failure(sales::Failure::Kind::not_found, "unit_not_found",
                             "no unit of this project with id " + missing[0].get<std::string>(),
                             {{"unit_ids", missing}});
    }
}

// The change request, if the caller may see it; 404 otherwise.
adapters::ChangeRequest load_change_request(Tx& tx, const std::string& id,
                                            const sales::Principal& caller) {
    auto found = sales::is_uuid(id) ? adapters::find_change_request(tx, id, true) : std::nullopt;
    if (!found || !caller.in_project(found->project_id))
        sales::fail_not_found("change_request", id);
    return std::move(*found);
}
}  // namespace

nlohmann::json create_price_list(sales::db::Pool& db, const std::string& project_id,
                                 const sales::Principal& caller, const std::string& name,
                                 const std::vector<domain::PriceListItem>& items) {
    if (auto problems = domain::validate(items); !problems.empty())
        domain::fail_invalid(problems);
    return db.transaction([&](Tx& tx) {
        const Project project = load_project(tx, project_id, caller, false);
        if (auto locked =
                domain::check_master_data_editable(project.master_data_locked_at.has_value()))
            throw *locked;  // INV-2
        require_project_units(tx, project_id, items);
        const std::string id = sales::new_uuid();
        adapters::insert_price_list(tx, id, project_id, name, caller.user_id, items);
        return adapters::price_list_view(tx, id);
    });
}

nlohmann::json get_price_list(sales::db::Pool& db, const std::string& price_list_id,
                              const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) {
        load_price_list(tx, price_list_id, caller, false);
        return adapters::price_list_view(tx, price_list_id);
    });
}

nlohmann::json approve_price_list(sales::db::Pool& db, const std::string& price_list_id,
                                  const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) {
        const auto price_list = load_price_list(tx, price_list_id, caller, true);
        const auto& project_id = price_list.project_id;
        const Project project = load_project(tx, project_id, caller, true);
        if (auto refusal = domain::check_price_list_approval(
                price_list.status, project.master_data_locked_at.has_value())) {
            throw *refusal;  // INV-2
        }
        // The list totals are computed here from the current gross areas (INV-1).
        auto updates = nlohmann::json::array();
        std::vector<std::string> unit_ids;
        for (const auto& r : adapters::lock_price_list_items(tx, price_list_id)) {
            const auto price = r.int64("unit_price_fen_per_m2");
            updates.push_back(
                {{"id", r.text("unit_id")},
                 {"price", price},
                 {"total", sales::total_price_fen(r.int64("gross_area_centi_m2"), price)}});
            unit_ids.push_back(r.text("unit_id"));
        }
        adapters::apply_list_prices(tx, updates, price_list_id);
        record_prices(tx, unit_ids, "price_list", price_list_id, caller.user_id);
        adapters::mark_price_list_approved(tx, price_list_id, caller.user_id);
        // INV-2: from now on unit master data and prices change only by change request.
        adapters::lock_master_data(tx, project_id, price_list_id);
        emit_project_changed(tx, project_id);
        auto view = adapters::price_list_view(tx, price_list_id);
        sales::bus::outbox_append(
            tx, sales::bus::make_event("inventory", kPriceListApproved, price_list_id, 1,
                                       {{"price_list_id", price_list_id},
                                        {"project_id", project_id},
                                        {"approved_by", caller.user_id},
                                        {"approved_at", view["approved_at"]},
                                        {"item_count", unit_ids.size()}}));
        return view;
    });
}

nlohmann::json create_change_request(sales::db::Pool& db, const std::string& unit_id,
                                     const sales::Principal& caller, const domain::UnitEdit& edit,
                                     const std::string& reason) {
    if (!edit.changes_price_or_area()) {
        domain::fail_invalid({{"body",
                               "name a new list_unit_price_fen_per_m2, internal_area_centi_m2 or "
                               "shared_area_centi_m2"}});
    }
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, false);
        if (auto problems =
                domain::validate(domain::apply(unit.master, edit), unit.building_floors);
            !problems.empty()) {
            domain::fail_invalid(problems);
        }
        const std::string id = sales::new_uuid();
        adapters::insert_change_request(tx, id, unit.project_id, unit_id, edit, reason,
                                        caller.user_id);
        return adapters::find_change_request(tx, id, false)->view;
    });
}

nlohmann::json decide_change_request(sales::db::Pool& db, const std::string& change_request_id,
                                     const sales::Principal& caller,
                                     domain::ChangeDecision decision,
                                     const std::optional<std::string>& note) {
    return db.transaction([&](Tx& tx) {
        const auto request = load_change_request(tx, change_request_id, caller);
        const auto transition = domain::decide(request.status, decision);
        if (!transition.to)
            throw *transition.error;
        if (decision == domain::ChangeDecision::approve) {
            // INV-2: applied now; the new price is effective from this approval time, deals
            // already made keep theirs (their price is on the subscription and the unit's deal).
            const UnitRecord unit = load_unit(tx, request.unit_id, caller, true);
            const auto next = domain::apply(unit.master, request.edit);
            if (auto problems = domain::validate(next, unit.building_floors); !problems.empty()) {
                sales::fail_rule("change_no_longer_valid",
                                 "the unit changed since the request: " + problems[0].field + " " +
                                     problems[0].problem,
                                 {{"field", problems[0].field}});
            }
            adapters::save_master(tx, request.unit_id, next);
            record_prices(tx, {request.unit_id}, "change_request", change_request_id,
                          caller.user_id);
        }
        adapters::decide_change_request(tx, change_request_id, *transition.to, caller.user_id,
                                        note);
        auto view = adapters::find_change_request(tx, change_request_id, false)->view;
        view["unit"] = load_unit(tx, request.unit_id, caller, false).view;
        return view;
    });
}

}  // namespace inventory::app
