#include "adapters/board_queries.hpp"

namespace inventory::adapters {
namespace {
constexpr const char* kBuildingBoard = R"sql(
    SELECT b.project_id::text AS project_id, b.id::text AS building_id, b.name AS building_name,
           b.floors AS building_floors, u.id::text AS unit_id, u.unit_number, u.floor,
           u.position, u.status, u.gross_area_centi_m2, u.list_total_fen, u.deal_price_fen,
           u.layout
    FROM buildings b LEFT JOIN units u ON u.building_id = b.id
    WHERE b.id = $1::uuid
    ORDER BY b.name, b.id, u.floor DESC, u.position)sql";
constexpr const char* kProjectBoard = R"sql(
    SELECT b.id::text AS building_id, b.name AS building_name, b.floors AS building_floors,
           u.id::text AS unit_id, u.unit_number, u.floor, u.position, u.status,
           u.gross_area_centi_m2, u.list_total_fen, u.deal_price_fen, u.layout
    FROM projects p LEFT JOIN buildings b ON b.project_id = p.id
         LEFT JOIN units u ON u.building_id = b.id
    WHERE p.id = $1::uuid
    ORDER BY b.name, b.id, u.floor DESC, u.position)sql";
constexpr const char* kProjectFingerprint = R"sql(
    SELECT (SELECT count(*) FROM buildings WHERE project_id = $1::uuid) || ':' || count(*) || ':'
           || coalesce(sum(version), 0)
    FROM units WHERE project_id = $1::uuid)sql";
}  // namespace

std::string project_board_fingerprint(sales::db::Tx& tx, const std::string& project_id) {
    return tx.exec_one(kProjectFingerprint, {project_id}).text(0);
}

sales::db::Result building_board_rows(sales::db::Tx& tx, const std::string& building_id) {
    return tx.exec(kBuildingBoard, {building_id});
}

sales::db::Result project_board_rows(sales::db::Tx& tx, const std::string& project_id) {
    return tx.exec(kProjectBoard, {project_id});
}

}  // namespace inventory::adapters
