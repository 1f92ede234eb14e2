#pragma once
// INV-5 sales-control board: one query per board, rows ordered by building, floor descending,
// position (building_id, building_name, building_floors, unit_id, unit_number, floor, position,
// status, gross_area_centi_m2, list_total_fen, deal_price_fen, layout; NULL unit columns for a
// building without units, NULL building columns for a project without buildings).
#include <string>

#include "sales/db.hpp"

namespace inventory::adapters {

// Plus project_id; empty when there is no such building. `building_id` must be a UUID.
sales::db::Result building_board_rows(sales::db::Tx& tx, const std::string& building_id);
// Empty when there is no such project. `project_id` must be a UUID.
sales::db::Result project_board_rows(sales::db::Tx& tx, const std::string& project_id);
// Changes whenever the project's board may change: its buildings, its units and the sum of
// their versions (every change of a unit increments its version).
std::string project_board_fingerprint(sales::db::Tx& tx, const std::string& project_id);

}  // namespace inventory::adapters
