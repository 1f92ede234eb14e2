#include "domain/unit.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "sales/money.hpp"
#include "sales/text.hpp"

namespace inventory::domain {
namespace {

bool one_of(const std::string& value, const std::vector<std::string>& allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values)
        out += (out.empty() ? "" : ", ") + v;
    return out;
}

bool valid_unit_number(const std::string& number) {
    if (number.empty() || number.size() > 16)
        return false;
    return std::all_of(number.begin(), number.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '-';
    });
}

bool blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The checks shared by a unit and a template (INV-1): descriptive fields, areas and price.
void check_common(std::vector<FieldProblem>& problems, const std::string& prefix,
                  const std::string& layout, const std::string& orientation,
                  const std::string& decoration, std::int64_t internal, std::int64_t shared,
                  std::optional<std::int64_t> gross, std::int64_t unit_price) {
    auto add = [&](const char* field, std::string problem) {
        problems.push_back({prefix + field, std::move(problem)});
    };
    if (blank(layout) || sales::utf8_length(layout) > 20)
        add("layout", "must be 1–20 characters, e.g. 3室2厅2卫");
    if (!one_of(orientation, orientations()))
        add("orientation", "must be one of " + joined(orientations()));
    if (!one_of(decoration, decorations()))
        add("decoration", "must be one of " + joined(decorations()));
    const auto max_area = std::to_string(kMaxAreaCentiM2);
    if (internal <= 0 || internal > kMaxAreaCentiM2)
        add("internal_area_centi_m2", "must be between 1 and " + max_area + " (0.01 m²)");
    if (shared < 0 || shared > kMaxAreaCentiM2)
        add("shared_area_centi_m2", "must be between 0 and " + max_area + " (0.01 m²)");
    if (gross && (*gross <= 0 || *gross != internal + shared)) {
        add("gross_area_centi_m2", "must equal internal_area_centi_m2 + shared_area_centi_m2 (" +
                                       std::to_string(internal + shared) + ")");
    }
    if (unit_price <= 0 || unit_price > kMaxUnitPriceFenPerM2) {
        add("list_unit_price_fen_per_m2",
            "must be between 1 and " + std::to_string(kMaxUnitPriceFenPerM2) + " fen per m²");
    }
}

}  // namespace

const std::vector<std::string>& orientations() {
    static const std::vector<std::string> values = {
        "south",      "north",      "east",       "west",        "south_east",
        "south_west", "north_east", "north_west", "north_south", "east_west"};
    return values;
}

const std::vector<std::string>& decorations() {
    static const std::vector<std::string> values = {"bare", "simple", "fine", "luxury"};
    return values;
}

std::vector<FieldProblem> validate(const UnitMaster& unit, std::int64_t building_floors) {
    std::vector<FieldProblem> problems;
    if (!valid_unit_number(unit.unit_number))
        problems.push_back({"unit_number", "must be 1–16 letters, digits or '-'"});
    if (unit.floor < 1 || unit.floor > building_floors) {
        problems.push_back(
            {"floor", "must be between 1 and the building's " + std::to_string(building_floors)});
    }
    if (unit.position < 1 || unit.position > kMaxPosition)
        problems.push_back({"position", "must be between 1 and " + std::to_string(kMaxPosition)});
    check_common(problems, "", unit.layout, unit.orientation, unit.decoration,
                 unit.internal_area_centi_m2, unit.shared_area_centi_m2, unit.gross_area_centi_m2,
                 unit.list_unit_price_fen_per_m2);
    return problems;
}

std::int64_t list_total_fen(const UnitMaster& unit) {
    return sales::total_price_fen(unit.gross_area_centi_m2, unit.list_unit_price_fen_per_m2);
}

bool UnitEdit::empty() const {
    return !layout && !orientation && !decoration && !changes_price_or_area();
}

bool UnitEdit::changes_price_or_area() const {
    return internal_area_centi_m2 || shared_area_centi_m2 || list_unit_price_fen_per_m2;
}

UnitMaster apply(UnitMaster unit, const UnitEdit& edit) {
    unit.layout = edit.layout.value_or(unit.layout);
    unit.orientation = edit.orientation.value_or(unit.orientation);
    unit.decoration = edit.decoration.value_or(unit.decoration);
    unit.internal_area_centi_m2 = edit.internal_area_centi_m2.value_or(unit.internal_area_centi_m2);
    unit.shared_area_centi_m2 = edit.shared_area_centi_m2.value_or(unit.shared_area_centi_m2);
    unit.gross_area_centi_m2 = unit.internal_area_centi_m2 + unit.shared_area_centi_m2;
    unit.list_unit_price_fen_per_m2 =
        edit.list_unit_price_fen_per_m2.value_or(unit.list_unit_price_fen_per_m2);
    return unit;
}

std::string unit_number_for(std::int64_t floor, std::int64_t position) {
    std::string p = std::to_string(position);
    if (p.size() < 2)
        p.insert(0, "0");
    return std::to_string(floor) + p;
}

BulkPlan expand(const std::vector<UnitTemplate>& templates, std::int64_t building_floors) {
    BulkPlan plan;
    if (templates.empty())
        plan.problems.push_back({"templates", "must list at least one position"});
    std::set<std::pair<std::int64_t, std::int64_t>> taken;  // (floor, position)
    std::size_t count = 0;
    for (std::size_t i = 0; i < templates.size(); ++i) {
        const auto& t = templates[i];
        const std::string prefix = "templates[" + std::to_string(i) + "].";
        const auto before = plan.problems.size();
        if (t.position < 1 || t.position > kMaxPosition) {
            plan.problems.push_back(
                {prefix + "position", "must be between 1 and " + std::to_string(kMaxPosition)});
        }
        if (t.floor_from < 1 || t.floor_to < t.floor_from || t.floor_to > building_floors) {
            plan.problems.push_back({prefix + "floors", "must satisfy 1 ≤ from ≤ to ≤ " +
                                                            std::to_string(building_floors) +
                                                            " (the building's floors)"});
        }
        check_common(plan.problems, prefix, t.layout, t.orientation, t.decoration,
                     t.internal_area_centi_m2, t.shared_area_centi_m2, t.gross_area_centi_m2,
                     t.list_unit_price_fen_per_m2);
        if (plan.problems.size() != before)
            continue;
        // Bounded step first, so that the top-floor price below cannot overflow.
        const auto step = t.floor_price_step_fen_per_m2;
        const bool step_ok = step >= -kMaxUnitPriceFenPerM2 && step <= kMaxUnitPriceFenPerM2;
        const std::int64_t top_price =
            step_ok ? t.list_unit_price_fen_per_m2 + (t.floor_to - t.floor_from) * step : 0;
        if (top_price <= 0 || top_price > kMaxUnitPriceFenPerM2) {
            plan.problems.push_back({prefix + "floor_price_step_fen_per_m2",
                                     "makes the unit price leave 1.." +
                                         std::to_string(kMaxUnitPriceFenPerM2) + " on some floor"});
            continue;
        }
        count += static_cast<std::size_t>(t.floor_to - t.floor_from + 1);
        if (count > kMaxUnitsPerRequest) {
            plan.problems.push_back(
                {"templates",
                 "create at most " + std::to_string(kMaxUnitsPerRequest) + " units per request"});
            break;
        }
        for (auto floor = t.floor_from; floor <= t.floor_to; ++floor) {
            if (!taken.insert({floor, t.position}).second) {
                plan.problems.push_back(
                    {prefix + "position", "floor " + std::to_string(floor) + " position " +
                                              std::to_string(t.position) +
                                              " is already covered by another template"});
                break;
            }
            plan.units.push_back({unit_number_for(floor, t.position), floor, t.position, t.layout,
                                  t.orientation, t.decoration, t.internal_area_centi_m2,
                                  t.shared_area_centi_m2,
                                  t.internal_area_centi_m2 + t.shared_area_centi_m2,
                                  t.list_unit_price_fen_per_m2 +
                                      (floor - t.floor_from) * t.floor_price_step_fen_per_m2});
        }
    }
    if (!plan.problems.empty()) {
        plan.units.clear();
        return plan;
    }
    std::sort(plan.units.begin(), plan.units.end(), [](const UnitMaster& a, const UnitMaster& b) {
        return a.floor != b.floor ? a.floor > b.floor : a.position < b.position;
    });
    return plan;
}

}  // namespace inventory::domain
