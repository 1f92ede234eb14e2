#include "app/pricing.hpp"

#include <set>

#include "app/projects.hpp"
#include "app/units.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"
#include "sales/money.hpp"

namespace inventory::app {
namespace {
using sales::db::Tx;

nlohmann::json price_list_view(Tx& tx, const std::string& id) {
    const auto pl = tx.exec_one(
        "SELECT id::text AS id, project_id::text AS project_id, name, status, created_by, " +
            iso("created_at", "created_at") + ", approved_by, " +
            iso("approved_at", "approved_at") + " FROM price_lists WHERE id = $1::uuid",
        {id});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : tx.exec(
             "SELECT i.unit_id::text AS unit_id, u.unit_number, i.unit_price_fen_per_m2, "
             "u.gross_area_centi_m2 FROM price_list_items i JOIN units u ON u.id = i.unit_id "
             "WHERE i.price_list_id = $1::uuid ORDER BY u.building_id, u.floor DESC, u.position",
             {id})) {
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

// The price list's project, if the caller may see it; 404 otherwise.
sales::db::Row load_price_list(Tx& tx, const std::string& id, const Caller& caller,
                               bool for_update) {
    auto row = sales::is_uuid(id) ? tx.exec_maybe_one(
                                        "SELECT project_id::text AS project_id, status FROM "
                                        "price_lists WHERE id = $1::uuid" +
                                            std::string(for_update ? " FOR UPDATE" : ""),
                                        {id})
                                  : std::nullopt;
    if (!row || !caller.in_project(row->text("project_id")))
        throw_not_found("price_list", id);
    return *row;
}

const std::string kChangeRequestSelect =
    "SELECT id::text AS id, project_id::text AS project_id, unit_id::text AS unit_id, status, "
    "list_unit_price_fen_per_m2, internal_area_centi_m2, shared_area_centi_m2, reason, "
    "requested_by, " +
    iso("requested_at", "requested_at") + ", decided_by, " + iso("decided_at", "decided_at") +
    ", decision_note FROM change_requests WHERE id = $1::uuid";

domain::UnitEdit edit_of(const sales::db::Row& r) {
    domain::UnitEdit edit;
    edit.list_unit_price_fen_per_m2 = r.opt_int64("list_unit_price_fen_per_m2");
    edit.internal_area_centi_m2 = r.opt_int64("internal_area_centi_m2");
    edit.shared_area_centi_m2 = r.opt_int64("shared_area_centi_m2");
    return edit;
}

nlohmann::json change_request_view(const sales::db::Row& r) {
    return {{"id", r.text("id")},
            {"project_id", r.text("project_id")},
            {"unit_id", r.text("unit_id")},
            {"status", r.text("status")},
            {"list_unit_price_fen_per_m2", nullable(r.opt_int64("list_unit_price_fen_per_m2"))},
            {"internal_area_centi_m2", nullable(r.opt_int64("internal_area_centi_m2"))},
            {"shared_area_centi_m2", nullable(r.opt_int64("shared_area_centi_m2"))},
            {"reason", r.text("reason")},
            {"requested_by", r.text("requested_by")},
            {"requested_at", r.text("requested_at")},
            {"decided_by", nullable(r.opt_text("decided_by"))},
            {"decided_at", nullable(r.opt_text("decided_at"))},
            {"decision_note", nullable(r.opt_text("decision_note"))}};
}

}  // namespace

nlohmann::json create_price_list(sales::db::Pool& db, const std::string& project_id,
                                 const Caller& caller, const std::string& name,
                                 const std::vector<domain::PriceListItem>& items) {
    if (auto problems = domain::validate(items); !problems.empty())
        throw_invalid(problems);
    return db.transaction([&](Tx& tx) {
        const Project project = load_project(tx, project_id, caller, false);
        if (auto locked =
                domain::check_master_data_editable(project.master_data_locked_at.has_value()))
            throw_rule(ErrorKind::conflict, *locked);  // INV-2
        std::vector<std::string> ids;
        nlohmann::json missing = nlohmann::json::array();
        for (const auto& item : items) {
            if (sales::is_uuid(item.unit_id))
                ids.push_back(item.unit_id);
            else
                missing.push_back(item.unit_id);
        }
        std::set<std::string> found;
        for (const auto& r : tx.exec("SELECT id::text FROM units WHERE project_id = $1::uuid AND "
                                     "id = ANY($2::uuid[])",
                                     {project_id, uuid_array(ids)})) {
            found.insert(r.text(0));
        }
        for (const auto& id : ids) {
            if (!found.count(id))
                missing.push_back(id);
        }
        if (!missing.empty()) {
            throw AppError(ErrorKind::not_found, "unit_not_found",
                           "no unit of this project with id " + missing[0].get<std::string>(),
                           {{"unit_ids", missing}});
        }
        const std::string id = sales::new_uuid();
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& item : items)
            rows.push_back({{"unit_id", item.unit_id}, {"price", item.unit_price_fen_per_m2}});
        tx.exec(
            "INSERT INTO price_lists (id, project_id, name, created_by) "
            "VALUES ($1::uuid, $2::uuid, $3, $4)",
            {id, project_id, name, caller.user_id});
        tx.exec(
            "INSERT INTO price_list_items (price_list_id, unit_id, unit_price_fen_per_m2) "
            "SELECT $1::uuid, x.unit_id, x.price FROM jsonb_to_recordset($2::jsonb) "
            "AS x(unit_id uuid, price bigint)",
            {id, rows.dump()});
        return price_list_view(tx, id);
    });
}

nlohmann::json get_price_list(sales::db::Pool& db, const std::string& price_list_id,
                              const Caller& caller) {
    return db.transaction([&](Tx& tx) {
        load_price_list(tx, price_list_id, caller, false);
        return price_list_view(tx, price_list_id);
    });
}

nlohmann::json approve_price_list(sales::db::Pool& db, const std::string& price_list_id,
                                  const Caller& caller) {
    return db.transaction([&](Tx& tx) {
        const auto pl = load_price_list(tx, price_list_id, caller, true);
        const auto project_id = pl.text("project_id");
        const Project project = load_project(tx, project_id, caller, true);
        const auto status = domain::parse_price_list_status(pl.text("status"))
                                .value_or(domain::PriceListStatus::draft);
        if (auto refusal = domain::check_price_list_approval(
                status, project.master_data_locked_at.has_value())) {
            throw_rule(ErrorKind::conflict, *refusal);  // INV-2
        }
        // The list totals are computed here from the current gross areas (INV-1).
        nlohmann::json updates = nlohmann::json::array();
        std::vector<std::string> unit_ids;
        for (const auto& r : tx.exec(
                 "SELECT i.unit_id::text AS unit_id, i.unit_price_fen_per_m2, "
                 "u.gross_area_centi_m2 FROM price_list_items i JOIN units u ON u.id = i.unit_id "
                 "WHERE i.price_list_id = $1::uuid ORDER BY u.id FOR UPDATE OF u",
                 {price_list_id})) {
            const auto price = r.int64("unit_price_fen_per_m2");
            updates.push_back(
                {{"id", r.text("unit_id")},
                 {"price", price},
                 {"total", sales::total_price_fen(r.int64("gross_area_centi_m2"), price)}});
            unit_ids.push_back(r.text("unit_id"));
        }
        tx.exec(
            "UPDATE units u SET list_unit_price_fen_per_m2 = x.price, list_total_fen = x.total, "
            "price_list_id = $2::uuid, version = u.version + 1, updated_at = now() "
            "FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, price bigint, total bigint) "
            "WHERE u.id = x.id",
            {updates.dump(), price_list_id});
        record_prices(tx, unit_ids, "price_list", price_list_id, caller.user_id);
        tx.exec(
            "UPDATE price_lists SET status = 'approved', approved_by = $2, approved_at = now() "
            "WHERE id = $1::uuid",
            {price_list_id, caller.user_id});
        // INV-2: from now on unit master data and prices change only by change request.
        tx.exec(
            "UPDATE projects SET master_data_locked_at = now(), locked_price_list_id = $2::uuid, "
            "version = version + 1 WHERE id = $1::uuid",
            {project_id, price_list_id});
        emit_project_changed(tx, project_id);
        auto view = price_list_view(tx, price_list_id);
        sales::bus::outbox_append(
            tx, sales::bus::make_event("inventory", kPriceListApproved, price_list_id, 1,
                                       {{"price_list_id", price_list_id},
                                        {"project_id", project_id},
                                        {"approved_by", caller.user_id},
                                        {"approved_at", view["approved_at"]},
                                        {"item_count", unit_ids.size()}}));
        return view;
    });
}

nlohmann::json create_change_request(sales::db::Pool& db, const std::string& unit_id,
                                     const Caller& caller, const domain::UnitEdit& edit,
                                     const std::string& reason) {
    if (!edit.changes_price_or_area()) {
        throw_invalid({{"body",
                        "name a new list_unit_price_fen_per_m2, internal_area_centi_m2 or "
                        "shared_area_centi_m2"}});
    }
    return db.transaction([&](Tx& tx) {
        const UnitRecord unit = load_unit(tx, unit_id, caller, false);
        if (auto problems =
                domain::validate(domain::apply(unit.master, edit), unit.building_floors);
            !problems.empty()) {
            throw_invalid(problems);
        }
        const std::string id = sales::new_uuid();
        tx.exec(
            "INSERT INTO change_requests (id, project_id, unit_id, list_unit_price_fen_per_m2, "
            "internal_area_centi_m2, shared_area_centi_m2, reason, requested_by) "
            "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::bigint, $6::bigint, $7, $8)",
            {id, unit.project_id, unit_id, sales::db::param(edit.list_unit_price_fen_per_m2),
             sales::db::param(edit.internal_area_centi_m2),
             sales::db::param(edit.shared_area_centi_m2), reason, caller.user_id});
        return change_request_view(tx.exec_one(kChangeRequestSelect, {id}));
    });
}

nlohmann::json decide_change_request(sales::db::Pool& db, const std::string& change_request_id,
                                     const Caller& caller, domain::ChangeDecision decision,
                                     const std::optional<std::string>& note) {
    return db.transaction([&](Tx& tx) {
        auto row =
            sales::is_uuid(change_request_id)
                ? tx.exec_maybe_one(kChangeRequestSelect + " FOR UPDATE", {change_request_id})
                : std::nullopt;
        if (!row || !caller.in_project(row->text("project_id")))
            throw_not_found("change_request", change_request_id);
        const auto from = domain::parse_change_request_status(row->text("status"))
                              .value_or(domain::ChangeRequestStatus::pending);
        const auto transition = domain::decide(from, decision);
        if (!transition.to)
            throw_rule(ErrorKind::conflict, *transition.error);
        const auto unit_id = row->text("unit_id");
        if (decision == domain::ChangeDecision::approve) {
            // INV-2: applied now; the new price is effective from this approval time, deals
            // already made keep theirs (their price is on the subscription and the unit's deal).
            const UnitRecord unit = load_unit(tx, unit_id, caller, true);
            const auto next = domain::apply(unit.master, edit_of(*row));
            if (auto problems = domain::validate(next, unit.building_floors); !problems.empty()) {
                throw AppError(ErrorKind::unprocessable, "change_no_longer_valid",
                               "the unit changed since the request: " + problems[0].field + " " +
                                   problems[0].problem,
                               {{"field", problems[0].field}});
            }
            save_master(tx, unit_id, next);
            record_prices(tx, {unit_id}, "change_request", change_request_id, caller.user_id);
        }
        tx.exec(
            "UPDATE change_requests SET status = $2, decided_by = $3, decided_at = now(), "
            "decision_note = $4 WHERE id = $1::uuid",
            {change_request_id, std::string(domain::name(*transition.to)), caller.user_id,
             sales::db::param(note)});
        auto view = change_request_view(tx.exec_one(kChangeRequestSelect, {change_request_id}));
        view["unit"] = load_unit(tx, unit_id, caller, false).view;
        return view;
    });
}

}  // namespace inventory::app
