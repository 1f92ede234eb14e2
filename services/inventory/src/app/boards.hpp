#pragma once
// INV-5 sales-control board (销控表): floors descending × units by position, with counts by
// status; the deal price only for sold units.
#include <string>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

// 404 building_not_found / project_not_found when absent or outside the caller's projects.
nlohmann::json building_board(sales::db::Pool& db, const std::string& building_id,
                              const sales::Principal& caller);
nlohmann::json project_board(sales::db::Pool& db, const std::string& project_id,
                             const sales::Principal& caller);

}  // namespace inventory::app
