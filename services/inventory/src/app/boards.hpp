#pragma once
// INV-5 sales-control board (销控表): floors descending × units by position, with counts by
// status; the deal price only for sold units.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

// 404 building_not_found / project_not_found when absent or outside the caller's projects.
nlohmann::json building_board(sales::db::Pool& db, const std::string& building_id,
                              const sales::Principal& caller);

// Project boards as JSON text, each rebuilt only when the project's units changed (opening day:
// every rep's screen asks for the same 2,000-unit board). One query checks the fingerprint of
// the units; the board is built from the rows only when it differs. Thread-safe.
class BoardCache {
  public:
    struct Board {
        std::string fingerprint;
        std::string body;
        std::string gzipped;  // `body` compressed once: 2,000 units are ~400 KB of JSON, ~40 KB
    };
    // 404 project_not_found when absent or outside the caller's projects.
    std::shared_ptr<const Board> project_board(sales::db::Pool& db, const std::string& project_id,
                                               const sales::Principal& caller);

  private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const Board>> boards_;
};

}  // namespace inventory::app
