#include "adapters/price_list_store.hpp"

#include "sales/money.hpp"

namespace inventory::adapters {
namespace {
using namespace sales::db;

const std::string kPriceList =
    "SELECT id::text AS id, project_id::text AS project_id, name, status, created_by, " +
    rfc3339("created_at", "created_at") + ", approved_by, " +
    rfc3339("approved_at", "approved_at") + " FROM price_lists WHERE id = $1::uuid";
constexpr const char* kPriceListItems = R"sql(
    SELECT i.unit_id::text AS unit_id, u.unit_number, i.unit_price_fen_per_m2,
           u.gross_area_centi_m2
    FROM price_list_items i JOIN units u ON u.id = i.unit_id
    WHERE i.price_list_id = $1::uuid ORDER BY u.building_id, u.floor DESC, u.position)sql";
constexpr const char* kFindPriceList =
    "SELECT project_id::text AS project_id, status FROM price_lists WHERE id = $1::uuid";
constexpr const char* kFindPriceListForUpdate =
    "SELECT project_id::text AS project_id, status FROM price_lists WHERE id = $1::uuid "
    "FOR UPDATE";
constexpr const char* kInsertPriceList = R"sql(
    INSERT INTO price_lists (id, project_id, name, created_by)
    VALUES ($1::uuid, $2::uuid, $3, $4))sql";
constexpr const char* kInsertPriceListItems = R"sql(
    INSERT INTO price_list_items (price_list_id, unit_id, unit_price_fen_per_m2)
    SELECT $1::uuid, x.unit_id, x.price
    FROM jsonb_to_recordset($2::jsonb) AS x(unit_id uuid, price bigint))sql";
constexpr const char* kLockPriceListItems = R"sql(
    SELECT i.unit_id::text AS unit_id, i.unit_price_fen_per_m2, u.gross_area_centi_m2
    FROM price_list_items i JOIN units u ON u.id = i.unit_id
    WHERE i.price_list_id = $1::uuid ORDER BY u.id FOR UPDATE OF u)sql";
constexpr const char* kApprovePriceList = R"sql(
    UPDATE price_lists SET status = 'approved', approved_by = $2, approved_at = now()
    WHERE id = $1::uuid)sql";

const std::string kChangeRequest =
    "SELECT id::text AS id, project_id::text AS project_id, unit_id::text AS unit_id, status, "
    "list_unit_price_fen_per_m2, internal_area_centi_m2, shared_area_centi_m2, reason, "
    "requested_by, " +
    rfc3339("requested_at", "requested_at") + ", decided_by, " +
    rfc3339("decided_at", "decided_at") +
    ", decision_note FROM change_requests WHERE id = $1::uuid";
const std::string kChangeRequestForUpdate = kChangeRequest + " FOR UPDATE";
constexpr const char* kInsertChangeRequest = R"sql(
    INSERT INTO change_requests (id, project_id, unit_id, list_unit_price_fen_per_m2,
                                 internal_area_centi_m2, shared_area_centi_m2, reason, requested_by)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::bigint, $6::bigint, $7, $8))sql";
constexpr const char* kDecideChangeRequest = R"sql(
    UPDATE change_requests SET status = $2, decided_by = $3, decided_at = now(),
           decision_note = $4
    WHERE id = $1::uuid)sql";
}  // namespace

void insert_price_list(Tx& tx, const std::string& id, const std::string& project_id,
                       const std::string& name, const std::string& actor,
                       const std::vector<domain::PriceListItem>& items) {
    auto rows = nlohmann::json::array();
    for (const auto& item : items)
        rows.push_back({{"unit_id", item.unit_id}, {"price", item.unit_price_fen_per_m2}});
    tx.exec(kInsertPriceList, {id, project_id, name, actor});
    tx.exec(kInsertPriceListItems, {id, rows.dump()});
}

std::optional<PriceListRef> find_price_list(Tx& tx, const std::string& id, bool for_update) {
    const auto row = tx.exec_maybe_one(for_update ? kFindPriceListForUpdate : kFindPriceList, {id});
    if (!row)
        return std::nullopt;
    return PriceListRef{row->text("project_id"),
                        domain::parse_price_list_status(row->text("status"))
                            .value_or(domain::PriceListStatus::draft)};
}

nlohmann::json price_list_view(Tx& tx, const std::string& id) {
    const auto pl = tx.exec_one(kPriceList, {id});
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(kPriceListItems, {id})) {
        const auto price = r.int64("unit_price_fen_per_m2");
        const auto gross = r.int64("gross_area_centi_m2");
        items.push_back({{"unit_id", r.text("unit_id")},
                         {"unit_number", r.text("unit_number")},
                         {"unit_price_fen_per_m2", price},
                         {"gross_area_centi_m2", gross},
                         {"list_total_fen", sales::total_price_fen(gross, price)}});  // INV-1
    }
    return {{"id", pl.text("id")},
            {"project_id", pl.text("project_id")},
            {"name", pl.text("name")},
            {"status", pl.text("status")},
            {"created_by", pl.text("created_by")},
            {"created_at", pl.text("created_at")},
            {"approved_by", nullable(pl.opt_text("approved_by"))},
            {"approved_at", nullable(pl.opt_text("approved_at"))},
            {"items", items}};
}

sales::db::Result lock_price_list_items(Tx& tx, const std::string& id) {
    return tx.exec(kLockPriceListItems, {id});
}

void mark_price_list_approved(Tx& tx, const std::string& id, const std::string& actor) {
    tx.exec(kApprovePriceList, {id, actor});
}

void insert_change_request(Tx& tx, const std::string& id, const std::string& project_id,
                           const std::string& unit_id, const domain::UnitEdit& edit,
                           const std::string& reason, const std::string& actor) {
    tx.exec(kInsertChangeRequest,
            {id, project_id, unit_id, sales::db::param(edit.list_unit_price_fen_per_m2),
             sales::db::param(edit.internal_area_centi_m2),
             sales::db::param(edit.shared_area_centi_m2), reason, actor});
}

std::optional<ChangeRequest> find_change_request(Tx& tx, const std::string& id, bool for_update) {
    const auto r = tx.exec_maybe_one(for_update ? kChangeRequestForUpdate : kChangeRequest, {id});
    if (!r)
        return std::nullopt;
    ChangeRequest cr;
    cr.project_id = r->text("project_id");
    cr.unit_id = r->text("unit_id");
    cr.status = domain::parse_change_request_status(r->text("status"))
                    .value_or(domain::ChangeRequestStatus::pending);
    cr.edit.list_unit_price_fen_per_m2 = r->opt_int64("list_unit_price_fen_per_m2");
    cr.edit.internal_area_centi_m2 = r->opt_int64("internal_area_centi_m2");
    cr.edit.shared_area_centi_m2 = r->opt_int64("shared_area_centi_m2");
    cr.view = {{"id", r->text("id")},
               {"project_id", cr.project_id},
               {"unit_id", cr.unit_id},
               {"status", r->text("status")},
               {"list_unit_price_fen_per_m2", nullable(cr.edit.list_unit_price_fen_per_m2)},
               {"internal_area_centi_m2", nullable(cr.edit.internal_area_centi_m2)},
               {"shared_area_centi_m2", nullable(cr.edit.shared_area_centi_m2)},
               {"reason", r->text("reason")},
               {"requested_by", r->text("requested_by")},
               {"requested_at", r->text("requested_at")},
               {"decided_by", nullable(r->opt_text("decided_by"))},
               {"decided_at", nullable(r->opt_text("decided_at"))},
               {"decision_note", nullable(r->opt_text("decision_note"))}};
    return cr;
}

void decide_change_request(Tx& tx, const std::string& id, domain::ChangeRequestStatus status,
                           const std::string& actor, const std::optional<std::string>& note) {
    tx.exec(kDecideChangeRequest,
            {id, std::string(domain::to_string(status)), actor, sales::db::param(note)});
}

}  // namespace inventory::adapters
