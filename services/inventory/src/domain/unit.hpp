#pragma once
// INV-1 unit master data: what makes a valid unit, its computed list total, and the expansion
// of a building's per-position templates into units (bulk creation). Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/project.hpp"

namespace inventory::domain {

inline constexpr std::int64_t kMaxAreaCentiM2 = 1'000'000;          // 10,000 m²
inline constexpr std::int64_t kMaxUnitPriceFenPerM2 = 100'000'000;  // ¥1,000,000 per m²
inline constexpr std::int64_t kMaxPosition = 99;
inline constexpr std::int64_t kMaxFloors = 200;
inline constexpr std::size_t kMaxUnitsPerRequest = 2'000;

// 朝向 and 装修 are closed lists (unknown values are rejected, never stored).
const std::vector<std::string>& orientations();  // south, north, ..., north_south, east_west
const std::vector<std::string>& decorations();  // bare 毛坯, simple 简装, fine 精装, luxury 豪装

struct UnitMaster {
    std::string unit_number;
    std::int64_t floor = 0;
    std::int64_t position = 0;
    std::string layout;  // 户型, free text such as 3室2厅2卫
    std::string orientation;
    std::string decoration;
    std::int64_t internal_area_centi_m2 = 0;  // 套内
    std::int64_t shared_area_centi_m2 = 0;    // 公摊
    std::int64_t gross_area_centi_m2 = 0;     // 建筑面积 = 套内 + 公摊
    std::int64_t list_unit_price_fen_per_m2 = 0;
};

// Every INV-1 problem of `unit` inside a building of `building_floors` floors (field order).
std::vector<FieldProblem> validate(const UnitMaster& unit, std::int64_t building_floors);

// INV-1: the list total is computed from gross area and unit price, never taken from input.
// Precondition: validate() found no problem.
std::int64_t list_total_fen(const UnitMaster& unit);

// A change to an existing unit's master data (direct edit before INV-2 lock, or a change
// request after it); absent fields stay as they are.
struct UnitEdit {
    std::optional<std::string> layout;
    std::optional<std::string> orientation;
    std::optional<std::string> decoration;
    std::optional<std::int64_t> internal_area_centi_m2;
    std::optional<std::int64_t> shared_area_centi_m2;
    std::optional<std::int64_t> list_unit_price_fen_per_m2;
    bool empty() const;
    bool changes_price_or_area() const;
};
// The edited unit with gross area recomputed (INV-1); validate() the result.
UnitMaster apply(UnitMaster unit, const UnitEdit& edit);

// "1203" for floor 12, position 3.
std::string unit_number_for(std::int64_t floor, std::int64_t position);

// One template per position of a building (bulk creation): the same unit on floors
// floor_from..floor_to, its unit price rising by floor_price_step per floor above floor_from.
struct UnitTemplate {
    std::int64_t position = 0;
    std::int64_t floor_from = 0;
    std::int64_t floor_to = 0;
    std::string layout;
    std::string orientation;
    std::string decoration;
    std::int64_t internal_area_centi_m2 = 0;
    std::int64_t shared_area_centi_m2 = 0;
    std::optional<std::int64_t> gross_area_centi_m2;  // checked when given, computed otherwise
    std::int64_t list_unit_price_fen_per_m2 = 0;
    std::int64_t floor_price_step_fen_per_m2 = 0;
};

struct BulkPlan {
    std::vector<UnitMaster> units;       // floor descending, then position, when valid
    std::vector<FieldProblem> problems;  // "templates[2].floor_to" style fields
};
BulkPlan expand(const std::vector<UnitTemplate>& templates, std::int64_t building_floors);

}  // namespace inventory::domain
