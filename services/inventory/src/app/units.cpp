#include "app/units.hpp"

#include <set>

#include "app/projects.hpp"
#include "app/status_changes.hpp"
#include "domain/pricing.hpp"
#include "domain/settings.hpp"
#include "domain/time.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using sales::db::Row;
using sales::db::Tx;

const std::string kUnitSelect =
    "SELECT u.id::text AS id, u.project_id::text AS project_id, "
    "u.building_id::text AS building_id, b.name AS building_name, b.floors AS building_floors, "
    "u.unit_number, u.floor, u.position, u.layout, u.orientation, u.decoration, "
    "u.internal_area_centi_m2, u.shared_area_centi_m2, u.gross_area_centi_m2, "
    "u.list_unit_price_fen_per_m2, u.list_total_fen, u.price_list_id::text AS price_list_id, "
    "u.status, u.version, u.hold_subscription_id::text AS hold_subscription_id, " +
    iso("u.hold_until", "hold_until") +
    ", u.deal_price_fen, u.reservation_id::text AS reservation_id, u.reserved_by, "
    "u.reserved_for, " +
    iso("u.reservation_expires_at", "reservation_expires_at") + ", " +
    iso("u.updated_at", "updated_at") +
    ", p.master_data_locked_at IS NOT NULL AS locked "
    "FROM units u JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = u.project_id ";

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

// The unit's current status explains why a transition matched nothing (409, INV-4).
[[noreturn]] void refuse(Tx& tx, const std::string& unit_id, domain::UnitAction action) {
    const auto status_text =
        tx.exec_one("SELECT status FROM units WHERE id = $1::uuid", {unit_id}).text(0);
    const auto decision = domain::decide(
        domain::parse_status(status_text).value_or(domain::UnitStatus::not_for_sale), action);
    if (decision.legal()) {
        // Only possible if the unit matched on status but not on the rest of the condition.
        throw AppError(ErrorKind::conflict, "invalid_transition",
                       "the unit changed while the request ran; read it again",
                       {{"status", status_text}});
    }
    throw_rule(ErrorKind::conflict, *decision.error, {{"status", status_text}});
}

// The building (for update of its units) in the caller's projects, or 404.
Row load_building(Tx& tx, const std::string& building_id, const Caller& caller) {
    auto row = sales::is_uuid(building_id)
                   ? tx.exec_maybe_one(
                         "SELECT b.project_id::text AS project_id, b.floors, "
                         "p.master_data_locked_at IS NOT NULL AS locked FROM buildings b "
                         "JOIN projects p ON p.id = b.project_id WHERE b.id = $1::uuid "
                         "FOR SHARE OF p",
                         {building_id})
                   : std::nullopt;
    if (!row || !caller.in_project(row->text("project_id")))
        throw_not_found("building", building_id);
    return *row;
}

// INV-5 board rows, ordered by building, floor descending, position → nested JSON.
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
             {"deal_price_fen", sold ? nullable(r.opt_int64("deal_price_fen")) : nullptr},
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

const std::string kBoardColumns =
    "b.id::text AS building_id, b.name AS building_name, b.floors AS building_floors, "
    "u.id::text AS unit_id, u.unit_number, u.floor, u.position, u.status, "
    "u.gross_area_centi_m2, u.list_total_fen, u.deal_price_fen, u.layout ";
const std::string kBoardOrder = " ORDER BY b.name, b.id, u.floor DESC, u.position";

}  // namespace

std::string uuid_array(const std::vector<std::string>& ids) {
    std::string out = "{";
    for (const auto& id : ids) {
        if (!sales::is_uuid(id))
            throw std::invalid_argument("not a UUID: " + id);
        out += (out.size() > 1 ? "," : "") + id;
    }
    return out + "}";
}

UnitRecord load_unit(Tx& tx, const std::string& unit_id, const Caller& caller, bool for_update) {
    if (!sales::is_uuid(unit_id))
        throw_not_found("unit", unit_id);
    auto row = tx.exec_maybe_one(kUnitSelect + "WHERE u.id = $1::uuid" +
                                     (for_update ? " FOR UPDATE OF u FOR SHARE OF p" : ""),
                                 {unit_id});
    if (!row || !caller.in_project(row->text("project_id")))
        throw_not_found("unit", unit_id);
    return record_of(*row);
}

void record_prices(Tx& tx, const std::vector<std::string>& unit_ids, const std::string& source,
                   const std::optional<std::string>& source_id, const std::string& actor) {
    const auto rows = tx.exec(
        "WITH ins AS (INSERT INTO unit_prices (unit_id, list_unit_price_fen_per_m2, "
        "gross_area_centi_m2, list_total_fen, source, source_id, recorded_by) "
        "SELECT id, list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, $2, "
        "$3::uuid, $4 FROM units WHERE id = ANY($1::uuid[]) RETURNING unit_id, effective_from) "
        "SELECT u.id::text AS unit_id, u.project_id::text AS project_id, u.unit_number, u.version, "
        "u.internal_area_centi_m2, u.shared_area_centi_m2, u.gross_area_centi_m2, "
        "u.list_unit_price_fen_per_m2, u.list_total_fen, " +
            iso("ins.effective_from", "effective_from") +
            " FROM ins JOIN units u ON u.id = ins.unit_id ORDER BY u.id",
        {uuid_array(unit_ids), source, sales::db::param(source_id), actor});
    for (const auto& r : rows) {
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
                     {"source_id", nullable(source_id)},
                     {"version", r.int64("version")}}));
    }
}

void save_master(Tx& tx, const std::string& unit_id, const domain::UnitMaster& m) {
    tx.exec(
        "UPDATE units SET layout = $2, orientation = $3, decoration = $4, "
        "internal_area_centi_m2 = $5, shared_area_centi_m2 = $6, gross_area_centi_m2 = $7, "
        "list_unit_price_fen_per_m2 = $8, list_total_fen = $9, version = version + 1, "
        "updated_at = now() WHERE id = $1::uuid",
        {unit_id, m.layout, m.orientation, m.decoration, m.internal_area_centi_m2,
         m.shared_area_centi_m2, m.gross_area_centi_m2, m.list_unit_price_fen_per_m2,
         domain::list_total_fen(m)});
}

nlohmann::json create_units(sales::db::Pool& db, const std::string& building_id,
                            const Caller& caller,
                            const std::vector<domain::UnitTemplate>& templates) {
    return db.transaction([&](Tx& tx) {
        const Row building = load_building(tx, building_id, caller);
        if (auto locked = domain::check_master_data_editable(building.boolean("locked")))
            throw_rule(ErrorKind::conflict, *locked);  // INV-2
        const auto plan = domain::expand(templates, building.int64("floors"));
        if (!plan.problems.empty())
            throw_invalid(plan.problems);
        nlohmann::json rows = nlohmann::json::array();
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
            // One statement: the units, their creation history and their initial prices.
            tx.exec(
                "WITH ins AS (INSERT INTO units (id, project_id, building_id, unit_number, floor, "
                "position, layout, orientation, decoration, internal_area_centi_m2, "
                "shared_area_centi_m2, gross_area_centi_m2, list_unit_price_fen_per_m2, "
                "list_total_fen, created_by) SELECT x.id, $2::uuid, $3::uuid, x.unit_number, "
                "x.floor, x.position, x.layout, x.orientation, x.decoration, "
                "x.internal_area_centi_m2, x.shared_area_centi_m2, x.gross_area_centi_m2, "
                "x.list_unit_price_fen_per_m2, x.list_total_fen, $4 "
                "FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, unit_number text, floor int, "
                "position int, layout text, orientation text, decoration text, "
                "internal_area_centi_m2 bigint, shared_area_centi_m2 bigint, "
                "gross_area_centi_m2 bigint, list_unit_price_fen_per_m2 bigint, "
                "list_total_fen bigint) RETURNING id, project_id, gross_area_centi_m2, "
                "list_unit_price_fen_per_m2, list_total_fen), "
                "history AS (INSERT INTO unit_history (unit_id, project_id, action, from_status, "
                "to_status, actor, reason, version) SELECT id, project_id, 'create', NULL, "
                "'not_for_sale', $4, 'bulk creation', 1 FROM ins) "
                "INSERT INTO unit_prices (unit_id, list_unit_price_fen_per_m2, "
                "gross_area_centi_m2, list_total_fen, source, recorded_by) SELECT id, "
                "list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, 'initial', $4 "
                "FROM ins",
                {rows.dump(), building.text("project_id"), building_id, caller.user_id});
        } catch (const sales::db::UniqueViolation& e) {
            throw AppError(ErrorKind::conflict, "unit_exists",
                           "the building already has a unit with one of these numbers or "
                           "floor/position slots",
                           {{"constraint", e.constraint()}});
        }
        nlohmann::json units = nlohmann::json::array();
        for (const auto& r : rows) {
            units.push_back({{"id", r["id"]},
                             {"unit_number", r["unit_number"]},
                             {"floor", r["floor"]},
                             {"position", r["position"]},
                             {"gross_area_centi_m2", r["gross_area_centi_m2"]},
                             {"list_total_fen", r["list_total_fen"]}});
        }
        return nlohmann::json{{"building_id", building_id},
                              {"project_id", building.text("project_id")},
                              {"created", units.size()},
                              {"units", units}};
    });
}

nlohmann::json get_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller) {
    return db.transaction([&](Tx& tx) { return load_unit(tx, unit_id, caller, false).view; });
}

nlohmann::json unit_history(sales::db::Pool& db, const std::string& unit_id, const Caller& caller) {
    return db.transaction([&](Tx& tx) {
        load_unit(tx, unit_id, caller, false);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec("SELECT action, from_status, to_status, actor, reason, "
                                     "subscription_id::text AS subscription_id, version, " +
                                         iso("at", "at") +
                                         " FROM unit_history WHERE unit_id = $1::uuid ORDER BY id",
                                     {unit_id})) {
            items.push_back({{"action", r.text("action")},
                             {"from", nullable(r.opt_text("from_status"))},
                             {"to", r.text("to_status")},
                             {"actor", r.text("actor")},
                             {"reason", r.text("reason")},
                             {"subscription_id", nullable(r.opt_text("subscription_id"))},
                             {"version", r.int64("version")},
                             {"at", r.text("at")}});
        }
        return nlohmann::json{{"unit_id", unit_id}, {"items", items}};
    });
}

nlohmann::json unit_prices(sales::db::Pool& db, const std::string& unit_id, const Caller& caller) {
    return db.transaction([&](Tx& tx) {
        load_unit(tx, unit_id, caller, false);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r :
             tx.exec("SELECT list_unit_price_fen_per_m2, gross_area_centi_m2, list_total_fen, " +
                         iso("effective_from", "effective_from") +
                         ", source, source_id::text AS source_id, recorded_by FROM unit_prices "
                         "WHERE unit_id = $1::uuid ORDER BY effective_from, id",
                     {unit_id})) {
            items.push_back({{"list_unit_price_fen_per_m2", r.int64("list_unit_price_fen_per_m2")},
                             {"gross_area_centi_m2", r.int64("gross_area_centi_m2")},
                             {"list_total_fen", r.int64("list_total_fen")},
                             {"effective_from", r.text("effective_from")},
                             {"source", r.text("source")},
                             {"source_id", nullable(r.opt_text("source_id"))},
                             {"recorded_by", r.text("recorded_by")}});
        }
        return nlohmann::json{{"unit_id", unit_id}, {"items", items}};
    });
}

nlohmann::json edit_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller,
                         const domain::UnitEdit& edit) {
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, true);
        if (auto locked = domain::check_master_data_editable(unit.master_data_locked))
            throw_rule(ErrorKind::conflict, *locked);  // INV-2
        const auto next = domain::apply(unit.master, edit);
        if (auto problems = domain::validate(next, unit.building_floors); !problems.empty())
            throw_invalid(problems);
        save_master(tx, unit_id, next);
        if (edit.changes_price_or_area())
            record_prices(tx, {unit_id}, "edit", std::nullopt, caller.user_id);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

nlohmann::json release_or_withdraw(sales::db::Pool& db, const Caller& caller,
                                   const UnitSelection& selection, domain::UnitAction action,
                                   const std::string& reason) {
    return db.transaction([&](Tx& tx) {
        std::string match;
        sales::db::Params params;
        if (selection.building_id) {
            load_building(tx, *selection.building_id, caller);
            match = "building_id = $1::uuid";
            params = {*selection.building_id};
        } else {
            const auto ids = uuid_array(selection.unit_ids);
            std::set<std::string> found;
            for (const auto& r :
                 tx.exec("SELECT id::text AS id, project_id::text AS project_id FROM units "
                         "WHERE id = ANY($1::uuid[])",
                         {ids})) {
                if (caller.in_project(r.text("project_id")))
                    found.insert(r.text("id"));
            }
            nlohmann::json missing = nlohmann::json::array();
            for (const auto& id : selection.unit_ids) {
                if (!found.count(id))
                    missing.push_back(id);
            }
            if (!missing.empty()) {
                throw AppError(ErrorKind::not_found, "unit_not_found",
                               "no unit with id " + missing[0].get<std::string>(),
                               {{"unit_ids", missing}});
            }
            match = "id = ANY($1::uuid[])";
            params = {ids};
        }
        const auto changed = change_status(tx, {.actions = {action},
                                                .actor = caller.user_id,
                                                .reason = reason,
                                                .match = match,
                                                .params = params});
        std::set<std::string> changed_ids, projects;
        for (const auto& u : changed) {
            changed_ids.insert(u.unit_id);
            projects.insert(u.project_id);
        }
        nlohmann::json skipped = nlohmann::json::array();
        for (const auto& r :
             tx.exec("SELECT id::text AS id, unit_number, status FROM units WHERE " + match +
                         " ORDER BY floor DESC, position",
                     params)) {
            if (!changed_ids.count(r.text("id"))) {
                skipped.push_back({{"unit_id", r.text("id")},
                                   {"unit_number", r.text("unit_number")},
                                   {"status", r.text("status")}});
            }
        }
        if (action == domain::UnitAction::release && !projects.empty()) {
            // INV-4: the first release opens the project (start of the manager-only week).
            for (const auto& r :
                 tx.exec("UPDATE projects SET opened_at = now(), version = version + 1 "
                         "WHERE id = ANY($1::uuid[]) AND opened_at IS NULL RETURNING id::text",
                         {uuid_array({projects.begin(), projects.end()})})) {
                emit_project_changed(tx, r.text(0));
            }
        }
        return nlohmann::json{{"changed", changed.size()},
                              {"status", std::string(domain::name(domain::target(action)))},
                              {"skipped", skipped}};
    });
}

nlohmann::json reserve_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller,
                            const std::string& reason, sales::TimePoint expires_at,
                            sales::TimePoint now) {
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, false);
        const Project project = load_project(tx, unit.project_id, caller, false);
        domain::ReservationRequest request;
        request.caller_is_sales_manager = caller.sales_manager;
        request.opened_at =
            project.opened_at ? domain::parse_rfc3339(*project.opened_at) : std::nullopt;
        request.manager_only_days = project.settings.reservation_manager_only_days;
        request.now = now;
        request.expires_at = expires_at;
        if (auto refusal = domain::check_reservation(request)) {  // INV-4
            throw_rule(
                refusal->code == "invalid_expiry" ? ErrorKind::invalid : ErrorKind::forbidden,
                *refusal);
        }
        const auto changed = change_status(
            tx, {.actions = {domain::UnitAction::reserve},
                 .actor = caller.user_id,
                 .reason = reason,
                 .match = "id = $1::uuid",
                 .params = {unit_id, sales::new_uuid(), caller.user_id, reason,
                            sales::to_rfc3339(expires_at)},
                 .set = ", reservation_id = $2::uuid, reserved_by = $3, reserved_for = $4, "
                        "reservation_expires_at = $5::timestamptz"});
        if (changed.empty())
            refuse(tx, unit_id, domain::UnitAction::reserve);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

nlohmann::json cancel_reservation(sales::db::Pool& db, const std::string& unit_id,
                                  const Caller& caller) {
    return db.transaction([&](Tx& tx) {
        load_unit(tx, unit_id, caller, false);
        const auto changed = change_status(tx, {.actions = {domain::UnitAction::end_reservation},
                                                .actor = caller.user_id,
                                                .reason = "reservation cancelled",
                                                .match = "id = $1::uuid",
                                                .params = {unit_id},
                                                .set = kClearReservation});
        if (changed.empty())
            refuse(tx, unit_id, domain::UnitAction::end_reservation);
        return load_unit(tx, unit_id, caller, false).view;
    });
}

std::size_t expire_reservations(sales::db::Pool& db, int batch) {
    return db.transaction([&](Tx& tx) {
        return change_status(tx, {.actions = {domain::UnitAction::end_reservation},
                                  .actor = "system:reservation-expiry",
                                  .reason = "reservation expired (INV-4)",
                                  .match = "reservation_expires_at < now()",
                                  .set = kClearReservation,
                                  .limit = batch,
                                  .skip_locked = true})
            .size();
    });
}

nlohmann::json building_board(sales::db::Pool& db, const std::string& building_id,
                              const Caller& caller) {
    if (!sales::is_uuid(building_id))
        throw_not_found("building", building_id);
    const auto rows = db.transaction([&](Tx& tx) {
        return tx.exec("SELECT b.project_id::text AS project_id, " + kBoardColumns +
                           "FROM buildings b LEFT JOIN units u ON u.building_id = b.id "
                           "WHERE b.id = $1::uuid" +
                           kBoardOrder,
                       {building_id});
    });
    if (rows.empty() || !caller.in_project(rows[0].text("project_id")))
        throw_not_found("building", building_id);
    BoardBuilder board;
    for (const auto& r : rows)
        board.add(r);
    auto building = std::move(board.buildings()[0]);
    building["project_id"] = rows[0].text("project_id");
    return building;
}

nlohmann::json project_board(sales::db::Pool& db, const std::string& project_id,
                             const Caller& caller) {
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        throw_not_found("project", project_id);
    const auto rows = db.transaction([&](Tx& tx) {
        return tx.exec("SELECT " + kBoardColumns +
                           "FROM projects p LEFT JOIN buildings b ON b.project_id = p.id "
                           "LEFT JOIN units u ON u.building_id = b.id WHERE p.id = $1::uuid" +
                           kBoardOrder,
                       {project_id});
    });
    if (rows.empty())
        throw_not_found("project", project_id);
    BoardBuilder board;
    for (const auto& r : rows)
        board.add(r);
    return {{"project_id", project_id},
            {"buildings", std::move(board.buildings())},
            {"counts", std::move(board.counts())}};
}

}  // namespace inventory::app
