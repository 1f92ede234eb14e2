#include "app/customers.hpp"

#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Param;
using sales::db::Row;
using sales::db::Tx;

template <class E>
Param enum_param(const std::optional<E>& value) {
    return value ? Param(std::string(domain::to_string(*value))) : Param(nullptr);
}

[[noreturn]] void throw_problems(const std::vector<domain::FieldProblem>& problems,
                                 const std::string& prefix) {
    invalid(prefix + problems.front().field, problems.front().problem);
}

std::string roles_text(const Caller& caller) {
    std::string out;
    for (const auto& r : caller.principal.roles)
        out += (out.empty() ? "" : ",") + r;
    return out;
}

// CUS-8: every read of full PII by a non-owner.
void log_pii_read(Tx& tx, const Caller& caller, const std::string& customer_id) {
    tx.exec(
        "INSERT INTO pii_access_log (customer_id, reader_id, reader_roles, route, request_id) "
        "VALUES ($1::uuid, $2, $3, $4, $5)",
        {customer_id, caller.id(), roles_text(caller), caller.route, caller.request_id});
}

nlohmann::json event_json(const Row& r) {
    return {{"id", r.text("id")},
            {"customer_id", r.text("customer_id")},
            {"kind", r.text("kind")},
            {"occurred_at", r.text("occurred_at")},
            {"rep_id", r.text("rep_id")},
            {"channel", r.text("channel")},
            {"note", nullable(r.opt_text("note"))},
            {"satisfaction", nullable(r.opt_int64("satisfaction"))},
            {"late", r.boolean("late")},
            {"recorded_by", r.text("recorded_by")},
            {"recorded_at", r.text("recorded_at")}};
}

std::string event_columns() {
    return "id::text AS id, customer_id::text AS customer_id, kind, " +
           iso("occurred_at", "occurred_at") +
           ", rep_id, channel, note, satisfaction, late, "
           "recorded_by, " +
           iso("recorded_at", "recorded_at");
}

void check_event(const NewEvent& event, sales::TimePoint now, const std::string& prefix) {
    if (event.kind == domain::EventKind::complaint) {
        invalid(prefix + "kind",
                "complaints are recorded with POST /api/v1/customers/{id}/complaints (CUS-10)");
    }
    const auto problems =
        domain::validate_event(event.kind, event.satisfaction, event.occurred_at, now);
    if (!problems.empty())
        throw_problems(problems, prefix);
}

std::string array_literal(const std::vector<std::string>& ids) {
    std::string out = "{";
    for (const auto& id : ids) {
        if (!sales::is_uuid(id))
            continue;  // only UUIDs can name a project
        out += (out.size() > 1 ? "," : "") + id;
    }
    return out + "}";
}

}  // namespace

const std::string& customer_columns() {
    static const std::string columns =
        "c.id::text AS id, c.project_id::text AS project_id, c.name, c.gender, c.birth_year, "
        "c.phone, c.phone_kind, c.id_number, c.occupation, c.address, c.channel, "
        "c.budget_min_fen, c.budget_max_fen, c.need_layout, c.need_area_min_centi_m2, "
        "c.need_area_max_centi_m2, c.need_location, c.purchase_horizon, c.type, c.stage, "
        "c.owner_id, " +
        iso("c.owner_since", "owner_since") + ", c.received_on::text AS received_on, " +
        "c.entered_late, " + iso("c.last_event_at", "last_event_at") +
        ", c.event_count, c.version, c.created_by, " + iso("c.created_at", "created_at") + ", " +
        iso("c.updated_at", "updated_at") + ", " + iso("c.archived_at", "archived_at");
    return columns;
}

nlohmann::json customer_json(const Row& r, domain::PiiView view) {
    const bool full = view != domain::PiiView::masked;
    const auto phone = r.text("phone");
    const auto id_number = r.opt_text("id_number");
    const auto address = r.opt_text("address");
    return {
        {"id", r.text("id")},
        {"project_id", r.text("project_id")},
        {"name", r.text("name")},
        {"gender", nullable(r.opt_text("gender"))},
        {"birth_year", nullable(r.opt_int64("birth_year"))},
        {"phone", full ? phone : domain::mask_phone(phone)},
        {"phone_kind", r.text("phone_kind")},
        {"id_number", !id_number ? nlohmann::json(nullptr)
                      : full     ? nlohmann::json(*id_number)
                                 : nlohmann::json(domain::mask_id_number(*id_number))},
        {"occupation", nullable(r.opt_text("occupation"))},
        {"address", !address ? nlohmann::json(nullptr)
                    : full   ? nlohmann::json(*address)
                             : nlohmann::json(domain::mask_address(*address))},
        {"pii_masked", !full},
        {"channel", r.text("channel")},
        {"needs",
         {{"budget_min_fen", nullable(r.opt_int64("budget_min_fen"))},
          {"budget_max_fen", nullable(r.opt_int64("budget_max_fen"))},
          {"layout", nullable(r.opt_text("need_layout"))},
          {"area_min_centi_m2", nullable(r.opt_int64("need_area_min_centi_m2"))},
          {"area_max_centi_m2", nullable(r.opt_int64("need_area_max_centi_m2"))},
          {"location", nullable(r.opt_text("need_location"))},
          {"purchase_horizon", nullable(r.opt_text("purchase_horizon"))}}},
        {"type", nullable(r.opt_text("type"))},
        {"stage", r.text("stage")},
        {"owner_id", r.text("owner_id")},
        {"owner_since", r.text("owner_since")},
        {"received_on", r.text("received_on")},
        {"entered_late", r.boolean("entered_late")},
        {"last_event_at", r.text("last_event_at")},
        {"event_count", r.int64("event_count")},
        {"version", r.int64("version")},
        {"created_by", r.text("created_by")},
        {"created_at", r.text("created_at")},
        {"updated_at", r.text("updated_at")},
        {"archived_at", nullable(r.opt_text("archived_at"))},
    };
}

Row load_customer(Tx& tx, const Caller& caller, const std::string& id, bool for_update) {
    if (!sales::is_uuid(id))
        not_found("customer", id);
    const auto row = tx.exec_maybe_one("SELECT " + customer_columns() +
                                           " FROM customers c WHERE c.id = $1::uuid" +
                                           (for_update ? " FOR UPDATE" : ""),
                                       {id});
    if (!row || !caller.in_project(row->text("project_id")))
        not_found("customer", id);
    return *row;
}

void require_owner_or_manager(const Caller& caller, const Row& customer) {
    if (caller.manager || customer.text("owner_id") == caller.id())
        return;
    throw Failure(Failure::Kind::forbidden, "not_owner",
                  "customer " + customer.text("id") + " belongs to rep " +
                      customer.text("owner_id") +
                      "; only the owner or a sales manager (customer.reassign) may change it",
                  {{"customer_id", customer.text("id")}, {"owner_id", customer.text("owner_id")}});
}

nlohmann::json insert_event(Tx& tx, const std::string& customer_id, const std::string& project_id,
                            const NewEvent& event, const std::string& rep_id,
                            const std::string& recorded_by, sales::TimePoint now) {
    // CUS-6: contact on day D must be entered by the end of the next working day.
    const bool late = domain::is_late_entry(sales::shanghai_date(event.occurred_at), now);
    const auto row = tx.exec_one(
        "INSERT INTO customer_events (id, customer_id, project_id, kind, occurred_at, rep_id, "
        "channel, note, satisfaction, late, recorded_by) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, "
        "$5::timestamptz, $6, $7, $8, $9, $10, $11) RETURNING " +
            event_columns(),
        {sales::new_uuid(), customer_id, project_id, std::string(domain::to_string(event.kind)),
         sales::to_rfc3339(event.occurred_at), rep_id,
         std::string(domain::to_string(event.channel)), sales::db::param(event.note),
         sales::db::param(event.satisfaction), late, recorded_by});
    tx.exec(
        "UPDATE customers SET last_event_at = greatest(last_event_at, $2::timestamptz), "
        "event_count = event_count + 1, updated_at = clock_timestamp() WHERE id = $1::uuid",
        {customer_id, sales::to_rfc3339(event.occurred_at)});
    return event_json(row);
}

CreateOutcome create_customer(const Context& ctx, const Caller& caller, const NewCustomer& in) {
    const auto now = ctx.clock.now();
    check_event(in.first_event, now, "first_event.");
    return ctx.db.transaction([&](Tx& tx) -> CreateOutcome {
        project_settings(tx, caller, in.project_id);
        const auto received = sales::shanghai_date(in.first_event.occurred_at);
        const bool late = domain::is_late_entry(received, now);  // CUS-6
        for (int attempt = 0; attempt < 3; ++attempt) {
            const auto id = sales::new_uuid();
            // CUS-3: the unique index on (project_id, phone) decides who recorded first; a
            // concurrent INSERT of the same phone waits for ours and then does nothing.
            const auto inserted = tx.exec(
                "INSERT INTO customers (id, project_id, name, gender, birth_year, phone, "
                "phone_kind, id_number, occupation, address, channel, budget_min_fen, "
                "budget_max_fen, need_layout, need_area_min_centi_m2, need_area_max_centi_m2, "
                "need_location, purchase_horizon, type, owner_id, owner_since, received_on, "
                "entered_late, last_event_at, created_by) VALUES ($1::uuid, $2::uuid, $3, $4, "
                "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
                "clock_timestamp(), $21::date, $22, $23::timestamptz, $20) "
                "ON CONFLICT (project_id, phone) WHERE archived_at IS NULL DO NOTHING",
                {id,
                 in.project_id,
                 in.name,
                 enum_param(in.gender),
                 sales::db::param(in.birth_year),
                 in.phone.digits,
                 std::string(domain::to_string(in.phone.kind)),
                 sales::db::param(in.id_number),
                 sales::db::param(in.occupation),
                 sales::db::param(in.address),
                 std::string(domain::to_string(in.channel)),
                 sales::db::param(in.needs.budget_min_fen),
                 sales::db::param(in.needs.budget_max_fen),
                 sales::db::param(in.needs.layout),
                 sales::db::param(in.needs.area_min_centi_m2),
                 sales::db::param(in.needs.area_max_centi_m2),
                 sales::db::param(in.needs.location),
                 enum_param(in.needs.horizon),
                 enum_param(in.type),
                 caller.id(),
                 sales::to_string(received),
                 late,
                 sales::to_rfc3339(in.first_event.occurred_at)});
            if (inserted.affected_rows() == 1) {
                insert_event(tx, id, in.project_id, in.first_event, caller.id(), caller.id(),
                             now);  // CUS-2
                tx.exec(
                    "INSERT INTO ownership_history (customer_id, from_owner, to_owner, cause, "
                    "actor) VALUES ($1::uuid, NULL, $2, 'created', $2)",
                    {id, caller.id()});
                const auto row = load_customer(tx, caller, id, false);
                emit(tx, kCustomerCreated, id, 1,
                     {{"customer_id", id},
                      {"project_id", in.project_id},
                      {"owner_id", caller.id()},
                      {"stage", row.text("stage")},
                      {"type", nullable(row.opt_text("type"))},
                      {"channel", row.text("channel")},
                      {"received_on", row.text("received_on")},
                      {"entered_late", late},
                      {"created_at", row.text("created_at")}});
                return {true, customer_json(row, domain::PiiView::owner)};
            }
            const auto existing = tx.exec_maybe_one(
                "SELECT id::text AS id, owner_id FROM customers WHERE project_id = $1::uuid AND "
                "phone = $2 AND archived_at IS NULL",
                {in.project_id, in.phone.digits});
            if (!existing)
                continue;  // archived in between: try again
            const auto customer_id = existing->text("id");
            const auto owner = existing->text("owner_id");
            if (domain::decide_claim(owner, caller.id()) == domain::ClaimOutcome::duplicate) {
                throw Failure(Failure::Kind::conflict, "customer_exists",
                              "you already recorded this phone in this project as customer " +
                                  customer_id + "; add an event to it instead",
                              {{"customer_id", customer_id}});
            }
            const auto collision_id = sales::new_uuid();
            tx.exec(
                "INSERT INTO collisions (id, project_id, customer_id, owner_id, claimant_id, "
                "attempt) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb)",
                {collision_id, in.project_id, customer_id, owner, caller.id(), in.attempt.dump()});
            emit(tx, kCollisionRecorded, collision_id, 1,
                 {{"collision_id", collision_id},
                  {"customer_id", customer_id},
                  {"project_id", in.project_id},
                  {"owner_id", owner},
                  {"claimant_id", caller.id()}});
            sales::log::info("collision recorded", {{"collision_id", collision_id},
                                                    {"customer_id", customer_id},
                                                    {"owner_id", owner},
                                                    {"claimant_id", caller.id()}});
            return {
                false,
                {{"error",
                  {{"code", "ownership_collision"},
                   {"message", "this phone was recorded first by rep " + owner +
                                   " (CUS-3); your attempt is stored as collision " + collision_id +
                                   " for the sales manager to confirm or reassign"},
                   {"details",
                    {{"collision_id", collision_id},
                     {"customer_id", customer_id},
                     {"owner_id", owner}}}}}}};
        }
        throw Failure(Failure::Kind::conflict, "concurrent_change",
                      "the record for this phone changed while saving; retry");
    });
}

nlohmann::json get_customer(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, false);
        const auto view = domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, true);
        if (view == domain::PiiView::privileged)
            log_pii_read(tx, caller, id);  // CUS-8
        auto body = customer_json(row, view);
        body["open_collisions"] =
            tx.exec_one(
                  "SELECT count(*) FROM collisions WHERE customer_id = $1::uuid AND status "
                  "= 'open'",
                  {id})
                .int64(0);
        return body;
    });
}

nlohmann::json list_customers(const Context& ctx, const Caller& caller, const ListFilter& f) {
    sales::db::Params params;
    const auto add = [&](Param p) {
        params.push_back(std::move(p));
        return "$" + std::to_string(params.size());
    };
    std::string where = f.archived ? "c.archived_at IS NOT NULL" : "c.archived_at IS NULL";
    if (f.project_id) {
        if (!caller.in_project(*f.project_id))
            return {{"items", nlohmann::json::array()},
                    {"total", 0},
                    {"limit", f.limit},
                    {"offset", f.offset}};
        where += " AND c.project_id = " + add(*f.project_id) + "::uuid";
    } else if (!caller.in_project("*")) {
        where += " AND c.project_id = ANY(" + add(array_literal(caller.principal.project_ids)) +
                 "::uuid[])";
    }
    if (f.q) {
        const auto fragment = domain::phone_fragment(*f.q);
        std::string match = "c.name ILIKE '%' || " + add(like_escape(*f.q)) + " || '%' ESCAPE '\\'";
        if (fragment.size() >= 4)
            match += " OR c.phone LIKE '%' || " + add(fragment) + " || '%'";
        where += " AND (" + match + ")";
    }
    if (f.stage)
        where += " AND c.stage = " + add(std::string(domain::to_string(*f.stage)));
    if (f.type)
        where += " AND c.type = " + add(std::string(domain::to_string(*f.type)));
    if (f.channel)
        where += " AND c.channel = " + add(std::string(domain::to_string(*f.channel)));
    if (f.rep_id)
        where += " AND c.owner_id = " + add(*f.rep_id);
    if (f.last_contact_from) {
        where += " AND c.last_event_at >= " +
                 add(sales::to_rfc3339(sales::shanghai_midnight(*f.last_contact_from))) +
                 "::timestamptz";
    }
    if (f.last_contact_to) {
        const sales::Date next{std::chrono::sys_days{*f.last_contact_to} + std::chrono::days(1)};
        where += " AND c.last_event_at < " +
                 add(sales::to_rfc3339(sales::shanghai_midnight(next))) + "::timestamptz";
    }
    return ctx.db.transaction([&](Tx& tx) {
        const auto total =
            tx.exec_one("SELECT count(*) FROM customers c WHERE " + where, params).int64(0);
        auto page = params;
        page.push_back(f.limit);
        page.push_back(f.offset);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& row : tx.exec("SELECT " + customer_columns() + " FROM customers c WHERE " +
                                           where + " ORDER BY c.last_event_at DESC, c.id LIMIT $" +
                                           std::to_string(params.size() + 1) + " OFFSET $" +
                                           std::to_string(params.size() + 2),
                                       page)) {
            // CUS-8: lists and searches show full PII only to the owner.
            items.push_back(customer_json(
                row, domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, false)));
        }
        return nlohmann::json{
            {"items", items}, {"total", total}, {"limit", f.limit}, {"offset", f.offset}};
    });
}

nlohmann::json update_customer(const Context& ctx, const Caller& caller, const std::string& id,
                               const CustomerPatch& patch) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        sales::db::Params params{id};
        std::vector<std::string> sets;
        nlohmann::json changed = nlohmann::json::array();
        const auto set = [&](const std::string& column, Param value) {
            params.push_back(std::move(value));
            sets.push_back(column + " = $" + std::to_string(params.size()));
            changed.push_back(column);
        };
        if (patch.gender)
            set("gender", enum_param(*patch.gender));
        if (patch.birth_year)
            set("birth_year", sales::db::param(*patch.birth_year));
        if (patch.occupation)
            set("occupation", sales::db::param(*patch.occupation));
        if (patch.type)
            set("type", enum_param(*patch.type));
        if (patch.needs) {
            const auto& n = *patch.needs;
            set("budget_min_fen", sales::db::param(n.budget_min_fen));
            set("budget_max_fen", sales::db::param(n.budget_max_fen));
            set("need_layout", sales::db::param(n.layout));
            set("need_area_min_centi_m2", sales::db::param(n.area_min_centi_m2));
            set("need_area_max_centi_m2", sales::db::param(n.area_max_centi_m2));
            set("need_location", sales::db::param(n.location));
            set("purchase_horizon", enum_param(n.horizon));
        }
        if (sets.empty())
            invalid("body", "names no field to change");
        std::string sql =
            "UPDATE customers SET version = version + 1, updated_at = clock_timestamp()";
        for (const auto& s : sets)
            sql += ", " + s;
        const auto version =
            tx.exec_one(sql + " WHERE id = $1::uuid RETURNING version", params).int64(0);
        emit(tx, kCustomerUpdated, id, version,
             {{"customer_id", id},
              {"project_id", row.text("project_id")},
              {"owner_id", row.text("owner_id")},
              {"fields", changed}});
        return customer_json(load_customer(tx, caller, id, false),
                             domain::pii_view(caller.id(), row.text("owner_id"), false, false));
    });
}

void apply_stage(Tx& tx, const std::string& customer_id, const domain::StageInput& input,
                 const std::string& cause, const std::optional<std::string>& source_event_id,
                 const std::string& actor, const std::optional<std::string>& reason) {
    const auto row = tx.exec_one(
        "SELECT stage, project_id::text AS project_id, owner_id FROM customers WHERE id = "
        "$1::uuid FOR UPDATE",
        {customer_id});
    const auto current = domain::parse_stage(row.text("stage"));
    const auto next = domain::next_stage(*current, input);
    if (!next)
        return;
    const auto version = tx.exec_one(
                               "UPDATE customers SET stage = $2, version = version + 1, "
                               "updated_at = clock_timestamp() WHERE id = $1::uuid RETURNING "
                               "version",
                               {customer_id, std::string(domain::to_string(*next))})
                             .int64(0);
    tx.exec(
        "INSERT INTO stage_history (customer_id, from_stage, to_stage, cause, source_event_id, "
        "actor, reason) VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7)",
        {customer_id, row.text("stage"), std::string(domain::to_string(*next)), cause,
         sales::db::param(source_event_id), actor, sales::db::param(reason)});
    emit(tx, kCustomerStageChanged, customer_id, version,
         {{"customer_id", customer_id},
          {"project_id", row.text("project_id")},
          {"owner_id", row.text("owner_id")},
          {"from_stage", row.text("stage")},
          {"to_stage", domain::to_string(*next)},
          {"cause", cause},
          {"source_event_id", nullable(source_event_id)}});
}

nlohmann::json change_stage(const Context& ctx, const Caller& caller, const std::string& id,
                            domain::Stage stage, const std::optional<std::string>& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        apply_stage(tx, id, {domain::StageCause::manual, stage, false}, "manual", std::nullopt,
                    caller.id(), reason);
        return customer_json(load_customer(tx, caller, id, false),
                             domain::pii_view(caller.id(), row.text("owner_id"), false, false));
    });
}

nlohmann::json add_event(const Context& ctx, const Caller& caller, const std::string& customer_id,
                         const NewEvent& event) {
    const auto now = ctx.clock.now();
    check_event(event, now, "");
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, customer_id, true);
        if (row.opt_text("archived_at")) {
            throw Failure(Failure::Kind::conflict, "customer_archived",
                          "customer " + customer_id +
                              " is archived (CUS-9); record the contact "
                              "as a new customer");
        }
        const bool care = event.kind == domain::EventKind::survey ||
                          event.kind == domain::EventKind::post_purchase_visit;
        if (!(care && caller.complaints))
            require_owner_or_manager(caller, row);
        return insert_event(tx, customer_id, row.text("project_id"), event, caller.id(),
                            caller.id(), now);
    });
}

nlohmann::json list_events(const Context& ctx, const Caller& caller, const std::string& customer_id,
                           std::int64_t limit, std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, customer_id, false);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& e : tx.exec("SELECT " + event_columns() +
                                         " FROM customer_events WHERE customer_id = $1::uuid "
                                         "ORDER BY occurred_at DESC, recorded_at DESC LIMIT $2 "
                                         "OFFSET $3",
                                     {customer_id, limit, offset})) {
            items.push_back(event_json(e));
        }
        return nlohmann::json{{"items", items},
                              {"total", row.int64("event_count")},
                              {"limit", limit},
                              {"offset", offset}};
    });
}

nlohmann::json correct_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                const std::string& field, const std::optional<std::string>& value,
                                const std::string& reason) {
    std::optional<std::string> stored = value;
    std::optional<std::string> kind;
    if (field == "phone") {
        std::string problem;
        const auto phone = value ? domain::normalise_phone(*value, problem) : std::nullopt;
        if (!phone)
            invalid("value", value ? problem : "a phone number is required (CUS-1)");
        stored = phone->digits;
        kind = std::string(domain::to_string(phone->kind));
    } else if (field == "name") {
        if (!value)
            invalid("value", "a name is required (CUS-1)");
    } else if (field != "id_number" && field != "address") {
        invalid("field", std::string("must be one of ") + kCorrectableFields);
    }
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        const auto old = row.opt_text(field);
        try {
            // `field` is one of four fixed column names checked above.
            const std::string tail =
                ", version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid";
            if (kind) {
                tx.exec("UPDATE customers SET phone = $2, phone_kind = $3" + tail,
                        {id, sales::db::param(stored), *kind});
            } else {
                tx.exec("UPDATE customers SET " + field + " = $2" + tail,
                        {id, sales::db::param(stored)});
            }
        } catch (const sales::db::UniqueViolation&) {
            throw Failure(Failure::Kind::conflict, "phone_in_use",
                          "another customer of this project already has that phone (CUS-3); "
                          "ask the sales manager to merge or reassign",
                          {{"field", "value"}});
        }
        const auto correction_id = sales::new_uuid();
        tx.exec(
            "INSERT INTO corrections (id, customer_id, field, old_value, new_value, reason, "
            "requested_by) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7)",
            {correction_id, id, field, sales::db::param(old), sales::db::param(stored), reason,
             caller.id()});
        const auto version =
            tx.exec_one("SELECT version FROM customers WHERE id = $1::uuid", {id}).int64(0);
        emit(tx, kCustomerUpdated, id, version,
             {{"customer_id", id},
              {"project_id", row.text("project_id")},
              {"owner_id", row.text("owner_id")},
              {"fields", nlohmann::json::array({field})},
              {"correction_id", correction_id}});
        const auto view = domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, true);
        if (view == domain::PiiView::privileged)
            log_pii_read(tx, caller, id);
        return customer_json(load_customer(tx, caller, id, false), view);
    });
}

nlohmann::json list_corrections(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, false);
        const auto view = domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, true);
        if (view == domain::PiiView::privileged)
            log_pii_read(tx, caller, id);
        const auto shown = [&](const std::string& field,
                               const std::optional<std::string>& v) -> nlohmann::json {
            if (!v)
                return nullptr;
            if (view != domain::PiiView::masked || field == "name")
                return *v;
            return field == "phone"       ? domain::mask_phone(*v)
                   : field == "id_number" ? domain::mask_id_number(*v)
                                          : domain::mask_address(*v);
        };
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec("SELECT id::text AS id, field, old_value, new_value, reason, "
                                     "requested_by, " +
                                         iso("recorded_at", "recorded_at") +
                                         " FROM corrections WHERE customer_id = $1::uuid ORDER "
                                         "BY recorded_at",
                                     {id})) {
            const auto field = r.text("field");
            items.push_back({{"id", r.text("id")},
                             {"field", field},
                             {"old_value", shown(field, r.opt_text("old_value"))},
                             {"new_value", shown(field, r.opt_text("new_value"))},
                             {"reason", r.text("reason")},
                             {"requested_by", r.text("requested_by")},
                             {"recorded_at", r.text("recorded_at")}});
        }
        return nlohmann::json{{"items", items}};
    });
}

nlohmann::json list_pii_access(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        load_customer(tx, caller, id, false);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec("SELECT reader_id, reader_roles, route, request_id, " +
                                         iso("read_at", "read_at") +
                                         " FROM pii_access_log WHERE customer_id = $1::uuid "
                                         "ORDER BY id DESC LIMIT 500",
                                     {id})) {
            items.push_back({{"reader_id", r.text("reader_id")},
                             {"reader_roles", r.text("reader_roles")},
                             {"route", r.text("route")},
                             {"request_id", r.text("request_id")},
                             {"read_at", r.text("read_at")}});
        }
        return nlohmann::json{{"items", items}};
    });
}

std::int64_t move_owner(Tx& tx, const std::string& customer_id, const std::string& to_rep_id,
                        const std::string& cause, const std::string& reason,
                        const std::string& actor) {
    const auto before = tx.exec_one(
        "SELECT owner_id, project_id::text AS project_id FROM customers WHERE id = $1::uuid FOR "
        "UPDATE",
        {customer_id});
    const auto version = tx.exec_one(
                               "UPDATE customers SET owner_id = $2, owner_since = "
                               "clock_timestamp(), version = version + 1, updated_at = "
                               "clock_timestamp() WHERE id = $1::uuid RETURNING version",
                               {customer_id, to_rep_id})
                             .int64(0);
    tx.exec(
        "INSERT INTO ownership_history (customer_id, from_owner, to_owner, cause, reason, actor) "
        "VALUES ($1::uuid, $2, $3, $4, $5, $6)",
        {customer_id, before.text("owner_id"), to_rep_id, cause, reason, actor});
    emit(tx, kCustomerReassigned, customer_id, version,
         {{"customer_id", customer_id},
          {"project_id", before.text("project_id")},
          {"from_owner_id", before.text("owner_id")},
          {"to_owner_id", to_rep_id},
          {"cause", cause},
          {"reason", reason}});
    return version;
}

nlohmann::json reassign_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                 const std::string& to_rep_id, const std::string& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        if (row.opt_text("archived_at")) {
            throw Failure(Failure::Kind::conflict, "customer_archived",
                          "customer " + id + " is archived (CUS-9)");
        }
        if (row.text("owner_id") == to_rep_id) {
            throw Failure(Failure::Kind::rule, "already_owner",
                          "rep " + to_rep_id + " already owns customer " + id,
                          {{"owner_id", to_rep_id}});
        }
        move_owner(tx, id, to_rep_id, "reassigned", reason, caller.id());  // CUS-4
        return customer_json(load_customer(tx, caller, id, false), domain::PiiView::masked);
    });
}

nlohmann::json list_collisions(const Context& ctx, const Caller& caller,
                               const std::optional<std::string>& project_id,
                               std::optional<domain::CollisionStatus> status, std::int64_t limit,
                               std::int64_t offset) {
    sales::db::Params params;
    std::string where = "true";
    if (project_id) {
        params.push_back(*project_id);
        where += " AND k.project_id = $1::uuid";
    }
    if (status) {
        params.push_back(std::string(domain::to_string(*status)));
        where += " AND k.status = $" + std::to_string(params.size());
    }
    params.push_back(limit);
    params.push_back(offset);
    const auto n = params.size();
    return ctx.db.transaction([&](Tx& tx) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec(
                 "SELECT k.id::text AS id, k.project_id::text AS project_id, k.customer_id::text "
                 "AS customer_id, k.owner_id, k.claimant_id, k.status, k.resolved_by, "
                 "k.resolution_note, k.attempt->>'name' AS attempt_name, c.phone, " +
                     iso("k.recorded_at", "recorded_at") + ", " +
                     iso("k.resolved_at", "resolved_at") +
                     " FROM collisions k JOIN customers c ON c.id = k.customer_id WHERE " + where +
                     " ORDER BY k.recorded_at, k.id LIMIT $" + std::to_string(n - 1) + " OFFSET $" +
                     std::to_string(n),
                 params)) {
            if (!caller.in_project(r.text("project_id")))
                continue;
            items.push_back({{"id", r.text("id")},
                             {"project_id", r.text("project_id")},
                             {"customer_id", r.text("customer_id")},
                             {"owner_id", r.text("owner_id")},
                             {"claimant_id", r.text("claimant_id")},
                             {"status", r.text("status")},
                             {"attempted_name", nullable(r.opt_text("attempt_name"))},
                             // CUS-8: the collision list never shows the full phone.
                             {"phone", domain::mask_phone(r.text("phone"))},
                             {"recorded_at", r.text("recorded_at")},
                             {"resolved_by", nullable(r.opt_text("resolved_by"))},
                             {"resolution_note", nullable(r.opt_text("resolution_note"))},
                             {"resolved_at", nullable(r.opt_text("resolved_at"))}});
        }
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

nlohmann::json resolve_collision(const Context& ctx, const Caller& caller, const std::string& id,
                                 domain::CollisionDecision decision, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = sales::is_uuid(id)
                             ? tx.exec_maybe_one(
                                   "SELECT project_id::text AS project_id, customer_id::text AS "
                                   "customer_id, owner_id, claimant_id, status FROM collisions "
                                   "WHERE id = $1::uuid FOR UPDATE",
                                   {id})
                             : std::nullopt;
        if (!row || !caller.in_project(row->text("project_id")))
            not_found("collision", id);
        const auto current = row->text("status") == "open" ? domain::CollisionStatus::open
                             : row->text("status") == "confirmed"
                                 ? domain::CollisionStatus::confirmed
                                 : domain::CollisionStatus::reassigned;
        const auto next = domain::resolve(current, decision);  // CUS-3
        const auto customer_id = row->text("customer_id");
        if (next == domain::CollisionStatus::reassigned) {
            const auto owner =
                tx.exec_one("SELECT owner_id FROM customers WHERE id = $1::uuid", {customer_id})
                    .text(0);
            if (owner != row->text("claimant_id"))
                move_owner(tx, customer_id, row->text("claimant_id"), "collision", note,
                           caller.id());
        }
        tx.exec(
            "UPDATE collisions SET status = $2, resolved_by = $3, resolution_note = $4, "
            "resolved_at = clock_timestamp() WHERE id = $1::uuid",
            {id, std::string(domain::to_string(next)), caller.id(), note});
        emit(tx, kCollisionResolved, id, 2,
             {{"collision_id", id},
              {"customer_id", customer_id},
              {"project_id", row->text("project_id")},
              {"decision", domain::to_string(next)},
              {"owner_id", next == domain::CollisionStatus::reassigned ? row->text("claimant_id")
                                                                       : row->text("owner_id")}});
        return nlohmann::json{
            {"id", id},
            {"customer_id", customer_id},
            {"status", domain::to_string(next)},
            {"owner_id", next == domain::CollisionStatus::reassigned ? row->text("claimant_id")
                                                                     : row->text("owner_id")}};
    });
}

}  // namespace customer::app
