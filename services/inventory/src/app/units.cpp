#include "app/units.hpp"

#include "adapters/project_store.hpp"
#include "domain/pricing.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using sales::db::Tx;

// A read of one unit's own records, after the scope check.
template <class F>
nlohmann::json read_unit(sales::db::Pool& db, const std::string& unit_id,
                         const sales::Principal& caller, F&& items) {
    return db.transaction([&](Tx& tx) {
        load_unit(tx, unit_id, caller, false);
        return nlohmann::json{{"unit_id", unit_id}, {"items", items(tx, unit_id)}};
    });
}
}  // namespace

adapters::BuildingRef load_building(Tx& tx, const std::string& building_id,
                                    const sales::Principal& caller) {
    auto building =
        sales::is_uuid(building_id) ? adapters::find_building(tx, building_id) : std::nullopt;
    if (!building || !caller.in_project(building->project_id))
        sales::fail_not_found("building", building_id);
    return *building;
}

UnitRecord load_unit(Tx& tx, const std::string& unit_id, const sales::Principal& caller,
                     bool for_update) {
    auto unit =
        sales::is_uuid(unit_id) ? adapters::find_unit(tx, unit_id, for_update) : std::nullopt;
    if (!unit || !caller.in_project(unit->project_id))
        sales::fail_not_found("unit", unit_id);
    return std::move(*unit);
}

void record_prices(Tx& tx, const std::vector<std::string>& unit_ids, const std::string& source,
                   const std::optional<std::string>& source_id, const std::string& actor) {
    for (const auto& r : adapters::insert_current_prices(tx, unit_ids, source, source_id, actor)) {
        sales::bus::outbox_append(
            tx, sales::bus::make_event(
                    "inventory", kUnitPriceChanged, r.text("unit_id"), r.int64("version"),
                    {{"unit_id", r.text("unit_id")},
                     {"project_id", r.text("project_id")},
                     {"unit_number", r.text("unit_number")},
                     {"internal_area_centi_m2", r.int64("internal_area_centi_m2")},
                     {"shared_area_centi_m2", r.int64("shared_area_centi_m2")},
                     {"gross_area_centi_m2", r.int64("gross_area_centi_m2")},
                     {"list_unit_price_fen_per_m2", r.int64("list_unit_price_fen_per_m2")},
                     {"list_total_fen", r.int64("list_total_fen")},
                     {"effective_from", r.text("effective_from")},
                     {"source", source},
                     {"source_id", sales::db::nullable(source_id)},
                     {"version", r.int64("version")}}));
    }
}

nlohmann::json create_units(sales::db::Pool& db, const std::string& building_id,
                            const sales::Principal& caller,
                            const std::vector<domain::UnitTemplate>& templates) {
    return db.transaction([&](Tx& tx) {
        const auto building = load_building(tx, building_id, caller);
        if (auto locked = domain::check_master_data_editable(building.master_data_locked))
            throw *locked;  // INV-2
        const auto plan = domain::expand(templates, building.floors);
        if (!plan.problems.empty())
            domain::fail_invalid(plan.problems);
        auto rows = nlohmann::json::array();
        for (const auto& u : plan.units) {
            rows.push_back({{"id", sales::new_uuid()},
                            {"unit_number", u.unit_number},
                            {"floor", u.floor},
                            {"position", u.position},
                            {"layout", u.layout},
                            {"orientation", u.orientation},
                            {"decoration", u.decoration},
                            {"internal_area_centi_m2", u.internal_area_centi_m2},
                            {"shared_area_centi_m2", u.shared_area_centi_m2},
                            {"gross_area_centi_m2", u.gross_area_centi_m2},
                            {"list_unit_price_fen_per_m2", u.list_unit_price_fen_per_m2},
                            {"list_total_fen", domain::list_total_fen(u)}});  // INV-1
        }
        try {
            adapters::insert_units(tx, rows, building.project_id, building_id, caller.user_id);
        } catch (const sales::db::UniqueViolation& e) {
            sales::fail_conflict("unit_exists",
                                 "the building already has a unit with one of these numbers or "
                                 "floor/position slots",
                                 {{"constraint", e.constraint()}});
        }
        auto units = nlohmann::json::array();
        for (const auto& r : rows) {
            units.push_back({{"id", r["id"]},
                             {"unit_number", r["unit_number"]},
                             {"floor", r["floor"]},
                             {"position", r["position"]},
                             {"gross_area_centi_m2", r["gross_area_centi_m2"]},
                             {"list_total_fen", r["list_total_fen"]}});
        }
        return nlohmann::json{{"building_id", building_id},
                              {"project_id", building.project_id},
                              {"created", units.size()},
                              {"units", units}};
    });
}

nlohmann::json get_unit(sales::db::Pool& db, const std::string& unit_id,
                        const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) { return load_unit(tx, unit_id, caller, false).view; });
}

nlohmann::json unit_history(sales::db::Pool& db, const std::string& unit_id,
                            const sales::Principal& caller) {
    return read_unit(db, unit_id, caller, adapters::history_items);
}

nlohmann::json unit_prices(sales::db::Pool& db, const std::string& unit_id,
                           const sales::Principal& caller) {
    return read_unit(db, unit_id, caller, adapters::price_items);
}

nlohmann::json edit_unit(sales::db::Pool& db, const std::string& unit_id,
                         const sales::Principal& caller, const domain::UnitEdit& edit) {
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, true);
        if (auto locked = domain::check_master_data_editable(unit.master_data_locked))
            throw *locked;  // INV-2
        const auto next = domain::apply(unit.master, edit);
        if (auto problems = domain::validate(next, unit.building_floors); !problems.empty())
            domain::fail_invalid(problems);
        adapters::save_master(tx, unit_id, next);
        if (edit.changes_price_or_area())
            record_prices(tx, {unit_id}, "edit", std::nullopt, caller.user_id);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

}  // namespace inventory::app
