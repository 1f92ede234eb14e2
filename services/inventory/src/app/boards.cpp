#include "app/boards.hpp"

#include "adapters/board_queries.hpp"
#include "domain/unit_status.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using sales::db::Row;

// Board rows, ordered by building, floor descending, position → nested JSON.
class BoardBuilder {
  public:
    void add(const Row& r) {
        const auto building_id = r.text("building_id");
        if (r.is_null("building_id"))
            return;  // a project without buildings
        if (buildings_.empty() || buildings_.back()["building_id"] != building_id) {
            buildings_.push_back({{"building_id", building_id},
                                  {"name", r.text("building_name")},
                                  {"floor_count", r.int64("building_floors")},
                                  {"floors", nlohmann::json::array()},
                                  {"counts", nlohmann::json::object()}});
        }
        if (r.is_null("unit_id"))
            return;  // a building without units
        auto& building = buildings_.back();
        auto& floors = building["floors"];
        const auto floor = r.int64("floor");
        if (floors.empty() || floors.back()["floor"] != floor)
            floors.push_back({{"floor", floor}, {"units", nlohmann::json::array()}});
        const auto status_text = r.text("status");
        const auto status = domain::parse_status(status_text);
        const bool sold = status && domain::is_sold(*status);
        floors.back()["units"].push_back(
            {{"unit_id", r.text("unit_id")},
             {"unit_number", r.text("unit_number")},
             {"position", r.int64("position")},
             {"status", status_text},
             {"gross_area_centi_m2", r.int64("gross_area_centi_m2")},
             {"list_total_fen", r.int64("list_total_fen")},
             {"deal_price_fen",
              sold ? sales::db::nullable(r.opt_int64("deal_price_fen")) : nullptr},
             {"layout", r.text("layout")}});
        count(building["counts"], status_text);
        count(counts_, status_text);
    }
    nlohmann::json& buildings() { return buildings_; }
    nlohmann::json& counts() { return counts_; }

  private:
    static void count(nlohmann::json& counts, const std::string& status) {
        counts[status] = counts.value(status, 0) + 1;
    }
    nlohmann::json buildings_ = nlohmann::json::array();
    nlohmann::json counts_ = nlohmann::json::object();
};

BoardBuilder board_of(const sales::db::Result& rows) {
    BoardBuilder board;
    for (const auto& r : rows)
        board.add(r);
    return board;
}

nlohmann::json project_board_of(const std::string& project_id, const sales::db::Result& rows) {
    if (rows.empty())
        sales::fail_not_found("project", project_id);
    auto board = board_of(rows);
    return {{"project_id", project_id},
            {"buildings", std::move(board.buildings())},
            {"counts", std::move(board.counts())}};
}
}  // namespace

nlohmann::json building_board(sales::db::Pool& db, const std::string& building_id,
                              const sales::Principal& caller) {
    if (!sales::is_uuid(building_id))
        sales::fail_not_found("building", building_id);
    const auto rows = db.transaction(
        [&](sales::db::Tx& tx) { return adapters::building_board_rows(tx, building_id); });
    if (rows.empty() || !caller.in_project(rows[0].text("project_id")))
        sales::fail_not_found("building", building_id);
    auto building = std::move(board_of(rows).buildings()[0]);
    building["project_id"] = rows[0].text("project_id");
    return building;
}

std::shared_ptr<const BoardCache::Board> BoardCache::project_board(sales::db::Pool& db,
                                                                   const std::string& project_id,
                                                                   const sales::Principal& caller) {
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
    std::shared_ptr<const Board> cached;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = boards_.find(project_id); it != boards_.end())
            cached = it->second;
    }
    // The fingerprint is read before the rows: a change in between leaves an older fingerprint
    // with the newer board, which the next request rebuilds, never the other way round.
    auto built = db.transaction([&](sales::db::Tx& tx) -> std::shared_ptr<const Board> {
        auto fingerprint = adapters::project_board_fingerprint(tx, project_id);
        if (cached && cached->fingerprint == fingerprint)
            return cached;
        const auto rows = adapters::project_board_rows(tx, project_id);
        auto body = project_board_of(project_id, rows).dump();
        auto gzipped = sales::http::gzip(body);
        return std::make_shared<const Board>(
            Board{std::move(fingerprint), std::move(body), std::move(gzipped)});
    });
    if (built != cached) {
        std::lock_guard lock(mutex_);
        boards_[project_id] = built;
    }
    return built;
}

}  // namespace inventory::app
