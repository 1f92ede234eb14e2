#include "adapters/unit_store.hpp"

namespace inventory::adapters {
namespace {
using namespace sales::db;

const std::string kSelectUnit =
    "SELECT u.id::text AS id, u.project_id::text AS project_id, "
    "u.building_id::text AS building_id, b.name AS building_name, b.floors AS building_floors, "
    "u.unit_number, u.floor, u.position, u.layout, u.orientation, u.decoration, "
    "u.internal_area_centi_m2, u.shared_area_centi_m2, u.gross_area_centi_m2, "
    "u.list_unit_price_fen_per_m2, u.list_total_fen, u.price_list_id::text AS price_list_id, "
    "u.status, u.version, u.hold_subscription_id::text AS hold_subscription_id, " +
    rfc3339("u.hold_until", "hold_until") +
    ", u.deal_price_fen, u.title_gross_area_centi_m2, u.title_internal_area_centi_m2, "
    "u.title_survey_id::text AS title_survey_id, "
    "u.reservation_id::text AS reservation_id, u.reserved_by, "
    "u.reserved_for, " +
    rfc3339("u.reservation_expires_at", "reservation_expires_at") + ", " +
    rfc3339("u.updated_at", "updated_at") +
    ", p.master_data_locked_at IS NOT NULL AS locked "
    "FROM units u JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = u.project_id "
    "WHERE u.id = $1::uuid";
const std::string kSelectUnitForUpdate = kSelectUnit + " FOR UPDATE OF u FOR SHARE OF p";

constexpr const char* kUnitStatus = "SELECT status FROM units WHERE id = $1::uuid";
constexpr const char* kUnitProjects = R"sql(
    SELECT id::text AS id, project_id::text AS project_id FROM units
    WHERE id = ANY($1::uuid[]))sql";
constexpr const char* kUnitsOfProject = R"sql(
    SELECT id::text FROM units WHERE project_id = $1::uuid AND id = ANY($2::uuid[]))sql";

constexpr const char* kInsertUnits = R"sql(
    WITH ins AS (
        INSERT INTO units (id, project_id, building_id, unit_number, floor, position, layout,
                           orientation, decoration, internal_area_centi_m2, shared_area_centi_m2,
                           gross_area_centi_m2, list_unit_price_fen_per_m2, list_total_fen,
                           created_by)
        SELECT x.id, $2::uuid, $3::uuid, x.unit_number, x.floor, x.position, x.layout,
               x.orientation, x.decoration, x.internal_area_centi_m2, x.shared_area_centi_m2,
               x.gross_area_centi_m2, x.list_unit_price_fen_per_m2, x.list_total_fen, $4
        FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, unit_number text, floor int,
             position int, layout text, orientation text, decoration text,
             internal_area_centi_m2 bigint, shared_area_centi_m2 bigint,
             gross_area_centi_m2 bigint, list_unit_price_fen_per_m2 bigint, list_total_fen bigint)
        RETURNING id, project_id, gross_area_centi_m2, list_unit_price_fen_per_m2, list_total_fen),
    history AS (
        INSERT INTO unit_history (unit_id, project_id, action, from_status, to_status, actor,
                                  reason, version)
        SELECT id, project_id, 'create', NULL, 'not_for_sale', $4, 'bulk creation', 1 FROM ins)
    INSERT INTO unit_prices (unit_id, list_unit_price_fen_per_m2, gross_area_centi_m2,
                             list_total_fen, source, recorded_by)
    SELECT id, list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, 'initial', $4
    FROM ins)sql";
constexpr const char* kSaveMaster = R"sql(
    UPDATE units SET layout = $2, orientation = $3, decoration = $4, internal_area_centi_m2 = $5,
           shared_area_centi_m2 = $6, gross_area_centi_m2 = $7, list_unit_price_fen_per_m2 = $8,
           list_total_fen = $9, version = version + 1, updated_at = now()
    WHERE id = $1::uuid)sql";
constexpr const char* kApplyListPrices = R"sql(
    UPDATE units u SET list_unit_price_fen_per_m2 = x.price, list_total_fen = x.total,
           price_list_id = $2::uuid, version = u.version + 1, updated_at = now()
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, price bigint, total bigint)
    WHERE u.id = x.id)sql";
const std::string kInsertCurrentPrices =
    "WITH ins AS (INSERT INTO unit_prices (unit_id, list_unit_price_fen_per_m2, "
    "gross_area_centi_m2, list_total_fen, source, source_id, recorded_by) "
    "SELECT id, list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, $2, "
    "$3::uuid, $4 FROM units WHERE id = ANY($1::uuid[]) RETURNING unit_id, effective_from) "
    "SELECT u.id::text AS unit_id, u.project_id::text AS project_id, u.unit_number, u.version, "
    "u.internal_area_centi_m2, u.shared_area_centi_m2, u.gross_area_centi_m2, "
    "u.list_unit_price_fen_per_m2, u.list_total_fen, " +
    rfc3339("ins.effective_from", "effective_from") +
    " FROM ins JOIN units u ON u.id = ins.unit_id ORDER BY u.id";
const std::string kHistory =
    "SELECT action, from_status, to_status, actor, reason, "
    "subscription_id::text AS subscription_id, version, " +
    rfc3339("at", "at") + " FROM unit_history WHERE unit_id = $1::uuid ORDER BY id";
const std::string kPrices =
    "SELECT list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, " +
    rfc3339("effective_from", "effective_from") +
    ", source, source_id::text AS source_id, recorded_by FROM unit_prices "
    "WHERE unit_id = $1::uuid ORDER BY effective_from, id";

// Status changes: unit_updates fragments and the statement around them.
constexpr const char* kById = "id = $1::uuid";
constexpr const char* kByIds = "id = ANY($1::uuid[])";
constexpr const char* kInBuilding = "building_id = $1::uuid";
constexpr const char* kBySubscription = "hold_subscription_id = $1::uuid";
constexpr const char* kByIdAndSubscription = "id = $1::uuid AND hold_subscription_id = $2::uuid";
constexpr const char* kHoldable =
    "id = $1::uuid AND (status <> 'reserved' OR reservation_id = $5::uuid) "
    "AND ($6::uuid[] IS NULL OR project_id = ANY ($6::uuid[]))";
constexpr const char* kReservationExpired = "reservation_expires_at < now()";
constexpr const char* kHoldExpired = "hold_until < now()";
constexpr const char* kSetDeal =
    ", hold_subscription_id = $2::uuid, hold_until = $3::timestamptz, deal_price_fen = $4::bigint";
constexpr const char* kSetReservation =
    ", reservation_id = $2::uuid, reserved_by = $3, reserved_for = $4, "
    "reservation_expires_at = $5::timestamptz";
constexpr const char* kClearDeal =
    ", hold_subscription_id = NULL, hold_until = NULL, deal_price_fen = NULL";
constexpr const char* kClearReservation =
    ", reservation_id = NULL, reserved_by = NULL, reserved_for = NULL, "
    "reservation_expires_at = NULL";
constexpr const char* kConfirmDeal =
    ", hold_until = NULL, deal_price_fen = coalesce($2::bigint, deal_price_fen)";
constexpr const char* kSignDeal = ", hold_until = NULL, deal_price_fen = $2::bigint";

// $1..$n: the update's own parameters; then from, actions, to, actor, reason, limit.
constexpr const char* kUpdateStatusOld =
    "WITH old AS (SELECT id, status, hold_subscription_id FROM units WHERE (";
constexpr const char* kUpdateStatusChanged =
    "changed AS (UPDATE units u SET status = $T, version = u.version + 1, updated_at = now()";
constexpr const char* kUpdateStatusRest =
    " FROM old WHERE u.id = old.id RETURNING u.id, u.project_id, u.building_id, u.unit_number, "
    "old.status AS from_status, u.status AS to_status, u.version, "
    "coalesce(u.hold_subscription_id, old.hold_subscription_id) AS subscription_id, "
    "u.gross_area_centi_m2, u.internal_area_centi_m2, u.list_unit_price_fen_per_m2, "
    "u.list_total_fen, u.price_list_id, ($A::text[])[array_position($F::text[], old.status)] AS "
    "action, u.layout, (SELECT b.name FROM buildings b WHERE b.id = u.building_id) AS "
    "building_name), "
    "history AS (INSERT INTO unit_history (unit_id, project_id, action, from_status, to_status, "
    "actor, reason, subscription_id, version) SELECT id, project_id, action, from_status, "
    "to_status, $U, $R, subscription_id, version FROM changed) "
    "SELECT id::text AS unit_id, project_id::text AS project_id, "
    "building_id::text AS building_id, unit_number, from_status, to_status, version, "
    "subscription_id::text AS subscription_id, gross_area_centi_m2, internal_area_centi_m2, "
    "list_unit_price_fen_per_m2, list_total_fen, price_list_id::text AS price_list_id, action, "
    "layout, building_name FROM changed ORDER BY id";
constexpr const char* kUnitsMatching =
    "SELECT id::text AS id, unit_number, status FROM units WHERE ";
constexpr const char* kUnitsMatchingOrder = " ORDER BY floor DESC, position";

const std::string kSelectDealState =
    "SELECT id::text AS unit_id, project_id::text AS project_id, "
    "building_id::text AS building_id, unit_number, status, version, "
    "hold_subscription_id::text AS subscription_id, gross_area_centi_m2, "
    "internal_area_centi_m2, list_unit_price_fen_per_m2, list_total_fen, "
    "price_list_id::text AS price_list_id, deal_price_fen FROM units ";
const std::string kDealState = kSelectDealState + "WHERE id = $1::uuid";
const std::string kLockDealStates =
    kSelectDealState + "WHERE id IN ($1::uuid, $2::uuid) ORDER BY id FOR UPDATE";
constexpr const char* kUnitsHeldBy =
    "SELECT count(*) FROM units WHERE hold_subscription_id = $1::uuid";
constexpr const char* kRepriceDeal = R"sql(
    UPDATE units SET deal_price_fen = $3, version = version + 1, updated_at = now()
    WHERE id = $1::uuid AND hold_subscription_id = $2::uuid AND status = 'subscribed'
      AND deal_price_fen IS DISTINCT FROM $3)sql";

UnitRecord record_of(const Row& r) {
    UnitRecord u;
    u.id = r.text("id");
    u.project_id = r.text("project_id");
    u.building_id = r.text("building_id");
    u.building_floors = r.int64("building_floors");
    u.master = {r.text("unit_number"),
                r.int64("floor"),
                r.int64("position"),
                r.text("layout"),
                r.text("orientation"),
                r.text("decoration"),
                r.int64("internal_area_centi_m2"),
                r.int64("shared_area_centi_m2"),
                r.int64("gross_area_centi_m2"),
                r.int64("list_unit_price_fen_per_m2")};
    u.status = domain::parse_status(r.text("status")).value_or(domain::UnitStatus::not_for_sale);
    u.master_data_locked = r.boolean("locked");
    u.view = {
        {"id", u.id},
        {"project_id", u.project_id},
        {"building_id", u.building_id},
        {"building_name", r.text("building_name")},
        {"unit_number", u.master.unit_number},
        {"floor", u.master.floor},
        {"position", u.master.position},
        {"layout", u.master.layout},
        {"orientation", u.master.orientation},
        {"decoration", u.master.decoration},
        {"internal_area_centi_m2", u.master.internal_area_centi_m2},
        {"shared_area_centi_m2", u.master.shared_area_centi_m2},
        {"gross_area_centi_m2", u.master.gross_area_centi_m2},
        {"list_unit_price_fen_per_m2", u.master.list_unit_price_fen_per_m2},
        {"list_total_fen", r.int64("list_total_fen")},
        {"price_list_id", nullable(r.opt_text("price_list_id"))},
        {"status", r.text("status")},
        {"version", r.int64("version")},
        {"hold_subscription_id", nullable(r.opt_text("hold_subscription_id"))},
        {"hold_until", nullable(r.opt_text("hold_until"))},
        {"deal_price_fen", nullable(r.opt_int64("deal_price_fen"))},
        // CON-10: the surveyed areas of the last approved survey batch (null before).
        {"title_area",
         r.is_null("title_survey_id")
             ? nlohmann::json(nullptr)
             : nlohmann::json{{"gross_area_centi_m2", r.int64("title_gross_area_centi_m2")},
                              {"internal_area_centi_m2", r.int64("title_internal_area_centi_m2")},
                              {"survey_id", r.text("title_survey_id")}}},
        {"reservation", r.is_null("reservation_id")
                            ? nlohmann::json(nullptr)
                            : nlohmann::json{{"reservation_id", r.text("reservation_id")},
                                             {"reserved_by", r.text("reserved_by")},
                                             {"reserved_for", r.text("reserved_for")},
                                             {"expires_at", r.text("reservation_expires_at")}}},
        {"master_data_locked", u.master_data_locked},
        {"updated_at", r.text("updated_at")}};
    return u;
}

// "$T" style placeholders of kUpdateStatus* → the positions of the trailing parameters.
std::string numbered(std::string sql, char name, std::size_t position) {
    const std::string placeholder = std::string("$") + name;
    const std::string number = "$" + std::to_string(position);
    for (auto at = sql.find(placeholder); at != std::string::npos;
         at = sql.find(placeholder, at + number.size()))
        sql.replace(at, placeholder.size(), number);
    return sql;
}
}  // namespace

std::optional<UnitRecord> find_unit(Tx& tx, const std::string& id, bool for_update) {
    const auto row = tx.exec_maybe_one(for_update ? kSelectUnitForUpdate : kSelectUnit, {id});
    return row ? std::optional<UnitRecord>(record_of(*row)) : std::nullopt;
}

std::optional<std::string> unit_status(Tx& tx, const std::string& id) {
    const auto row = tx.exec_maybe_one(kUnitStatus, {id});
    return row ? std::optional<std::string>(row->text(0)) : std::nullopt;
}

sales::db::Result unit_projects(Tx& tx, const std::vector<std::string>& ids) {
    return tx.exec(kUnitProjects, {sales::db::param(ids)});
}

std::vector<std::string> units_of_project(Tx& tx, const std::string& project_id,
                                          const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& r : tx.exec(kUnitsOfProject, {project_id, sales::db::param(ids)}))
        out.push_back(r.text(0));
    return out;
}

void insert_units(Tx& tx, const nlohmann::json& rows, const std::string& project_id,
                  const std::string& building_id, const std::string& actor) {
    tx.exec(kInsertUnits, {rows.dump(), project_id, building_id, actor});
}

void save_master(Tx& tx, const std::string& id, const domain::UnitMaster& m) {
    tx.exec(kSaveMaster, {id, m.layout, m.orientation, m.decoration, m.internal_area_centi_m2,
                          m.shared_area_centi_m2, m.gross_area_centi_m2,
                          m.list_unit_price_fen_per_m2, domain::list_total_fen(m)});
}

void apply_list_prices(Tx& tx, const nlohmann::json& updates, const std::string& price_list_id) {
    tx.exec(kApplyListPrices, {updates.dump(), price_list_id});
}

sales::db::Result insert_current_prices(Tx& tx, const std::vector<std::string>& ids,
                                        const std::string& source,
                                        const std::optional<std::string>& source_id,
                                        const std::string& actor) {
    return tx.exec(kInsertCurrentPrices,
                   {sales::db::param(ids), source, sales::db::param(source_id), actor});
}

nlohmann::json history_items(Tx& tx, const std::string& id) {
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(kHistory, {id})) {
        items.push_back({{"action", r.text("action")},
                         {"from", nullable(r.opt_text("from_status"))},
                         {"to", r.text("to_status")},
                         {"actor", r.text("actor")},
                         {"reason", r.text("reason")},
                         {"subscription_id", nullable(r.opt_text("subscription_id"))},
                         {"version", r.int64("version")},
                         {"at", r.text("at")}});
    }
    return items;
}

nlohmann::json price_items(Tx& tx, const std::string& id) {
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(kPrices, {id})) {
        items.push_back({{"list_unit_price_fen_per_m2", r.int64("list_unit_price_fen_per_m2")},
                         {"gross_area_centi_m2", r.int64("gross_area_centi_m2")},
                         {"list_total_fen", r.int64("list_total_fen")},
                         {"effective_from", r.text("effective_from")},
                         {"source", r.text("source")},
                         {"source_id", nullable(r.opt_text("source_id"))},
                         {"recorded_by", r.text("recorded_by")}});
    }
    return items;
}

namespace unit_updates {
UnitUpdate by_ids(const std::vector<std::string>& ids) {
    return {kByIds, {sales::db::param(ids)}, ""};
}
UnitUpdate in_building(const std::string& building_id) {
    return {kInBuilding, {building_id}, ""};
}
UnitUpdate reserve(const std::string& unit_id, const std::string& reservation_id,
                   const std::string& reserved_by, const std::string& reserved_for,
                   const std::string& expires_at) {
    return {
        kById, {unit_id, reservation_id, reserved_by, reserved_for, expires_at}, kSetReservation};
}
UnitUpdate end_reservation(const std::string& unit_id) {
    return {kById, {unit_id}, kClearReservation};
}
UnitUpdate expired_reservations() {
    return {kReservationExpired, {}, kClearReservation};
}
UnitUpdate hold(const std::string& unit_id, const std::string& subscription_id,
                const std::string& hold_until, std::optional<std::int64_t> deal_price_fen,
                const std::optional<std::string>& reservation_id,
                const std::optional<std::vector<std::string>>& project_ids) {
    return {kHoldable,
            {unit_id, subscription_id, hold_until, sales::db::param(deal_price_fen),
             sales::db::param(reservation_id), sales::db::param(project_ids)},
            std::string(kSetDeal) + kClearReservation};
}
UnitUpdate take_deal(const std::string& unit_id, const std::string& subscription_id,
                     const std::optional<std::string>& hold_until,
                     std::optional<std::int64_t> deal_price_fen) {
    return {
        kById,
        {unit_id, subscription_id, sales::db::param(hold_until), sales::db::param(deal_price_fen)},
        kSetDeal};
}
UnitUpdate end_deal(const std::string& unit_id, const std::string& subscription_id) {
    return {kByIdAndSubscription, {unit_id, subscription_id}, kClearDeal};
}
UnitUpdate of_subscription(const std::string& subscription_id) {
    return {kBySubscription, {subscription_id}, ""};
}
UnitUpdate end_deal_of(const std::string& subscription_id) {
    return {kBySubscription, {subscription_id}, kClearDeal};
}
UnitUpdate confirm_deal(const std::string& subscription_id,
                        std::optional<std::int64_t> deal_price_fen) {
    return {kBySubscription, {subscription_id, sales::db::param(deal_price_fen)}, kConfirmDeal};
}
UnitUpdate sign_deal(const std::string& subscription_id, std::int64_t price_fen) {
    return {kBySubscription, {subscription_id, price_fen}, kSignDeal};
}
UnitUpdate change_deal(const std::string& unit_id, const std::string& hold_id,
                       const std::string& subscription_id, std::int64_t price_fen) {
    return {kByIdAndSubscription,
            {unit_id, hold_id, subscription_id, price_fen},
            ", hold_subscription_id = $3::uuid, hold_until = NULL, deal_price_fen = $4::bigint"};
}
UnitUpdate reopen_deal(const std::string& subscription_id, const std::string& hold_until) {
    return {kBySubscription, {subscription_id, hold_until}, ", hold_until = $2::timestamptz"};
}
UnitUpdate expired_holds() {
    return {kHoldExpired, {}, kClearDeal};
}
}  // namespace unit_updates

sales::db::Result update_status(Tx& tx, const UnitUpdate& which, const StatusUpdate& update) {
    auto params = which.params;
    const auto n = params.size();
    params.insert(params.end(), {sales::db::param(update.from), sales::db::param(update.actions),
                                 update.to, update.actor, update.reason,
                                 update.limit > 0 ? sales::db::Param{std::int64_t{update.limit}}
                                                  : sales::db::Param{nullptr}});
    std::string sql = std::string(kUpdateStatusOld) + which.match +
                      ") AND status = ANY($F::text[]) ORDER BY id LIMIT $L::bigint FOR UPDATE" +
                      (update.skip_locked ? " SKIP LOCKED" : "") + "), " + kUpdateStatusChanged +
                      which.set + kUpdateStatusRest;
    std::size_t position = n;
    for (char name : {'F', 'A', 'T', 'U', 'R', 'L'})
        sql = numbered(std::move(sql), name, ++position);
    return tx.exec(sql, params);
}

sales::db::Result units_matching(Tx& tx, const UnitUpdate& which) {
    return tx.exec(kUnitsMatching + which.match + kUnitsMatchingOrder, which.params);
}

std::optional<Row> deal_state(Tx& tx, const std::string& id) {
    return tx.exec_maybe_one(kDealState, {id});
}

sales::db::Result lock_deal_states(Tx& tx, const std::string& a, const std::string& b) {
    return tx.exec(kLockDealStates, {a, b});
}

std::int64_t units_held_by(Tx& tx, const std::string& subscription_id) {
    return tx.exec_one(kUnitsHeldBy, {subscription_id}).int64(0);
}

void reprice_deal(Tx& tx, const std::string& unit_id, const std::string& subscription_id,
                  std::int64_t price_fen) {
    tx.exec(kRepriceDeal, {unit_id, subscription_id, price_fen});
}

}  // namespace inventory::adapters
