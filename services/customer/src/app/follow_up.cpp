#include "app/follow_up.hpp"

#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

nlohmann::json masked_list(Tx& tx, const Caller& caller, const std::string& where,
                           const sales::db::Params& params, const std::string& order) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row :
         tx.exec("SELECT " + customer_columns() +
                     " FROM customers c JOIN project_refs p ON p.project_id = c.project_id WHERE " +
                     where + order,
                 params)) {
        if (!caller.in_project(row.text("project_id")))
            continue;
        items.push_back(customer_json(
            row, domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, false)));
    }
    return items;
}

}  // namespace

nlohmann::json list_stale(const Context& ctx, const Caller& caller, const std::string& project_id,
                          std::optional<std::string> rep_id, std::int64_t limit,
                          std::int64_t offset) {
    const auto now = sales::to_rfc3339(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        const auto settings = project_settings(tx, caller, project_id);
        // CUS-4 (domain::is_stale): last event at least stale_days ago.
        const std::string where =
            "c.project_id = $1::uuid AND c.archived_at IS NULL AND c.stage <> 'closed' AND "
            "c.last_event_at <= $2::timestamptz - make_interval(days => p.stale_days) AND "
            "($3::text IS NULL OR c.owner_id = $3)";
        sales::db::Params params{project_id, now, sales::db::param(rep_id)};
        const auto total =
            tx.exec_one(
                  "SELECT count(*) FROM customers c JOIN project_refs p ON p.project_id = "
                  "c.project_id WHERE " +
                      where,
                  params)
                .int64(0);
        params.push_back(limit);
        params.push_back(offset);
        const auto items = masked_list(tx, caller, where, params,
                                       " ORDER BY c.last_event_at, c.id LIMIT $4 OFFSET $5");
        return nlohmann::json{{"items", items},
                              {"total", total},
                              {"stale_days", settings.stale_days},
                              {"limit", limit},
                              {"offset", offset}};
    });
}

nlohmann::json rep_tasks(const Context& ctx, const Caller& caller, const std::string& rep_id) {
    if (rep_id != caller.id() && !caller.manager) {
        throw Failure(Failure::Kind::forbidden, "forbidden",
                      "only the rep themself or a sales manager (customer.reassign) may see "
                      "this task list",
                      {{"rep_id", rep_id}});
    }
    const auto now_tp = ctx.clock.now();
    const auto now = sales::to_rfc3339(now_tp);
    const auto today = sales::to_string(sales::shanghai_date(now_tp));
    return ctx.db.transaction([&](Tx& tx) {
        const std::string live =
            "c.owner_id = $1 AND c.archived_at IS NULL AND c.stage <> 'closed' AND ";
        const sales::db::Params params{rep_id, now};
        const auto due = masked_list(
            tx, caller,
            live +
                "c.last_event_at <= $2::timestamptz - make_interval(days => p.follow_up_days) "
                "AND c.last_event_at > $2::timestamptz - make_interval(days => p.stale_days)",
            params, " ORDER BY c.last_event_at LIMIT 200");
        const auto stale = masked_list(
            tx, caller,
            live + "c.last_event_at <= $2::timestamptz - make_interval(days => p.stale_days)",
            params, " ORDER BY c.last_event_at LIMIT 200");
        nlohmann::json late = nlohmann::json::array();
        for (const auto& r :
             tx.exec("SELECT e.id::text AS id, e.customer_id::text AS customer_id, "
                     "e.project_id::text AS project_id, e.kind, " +
                         iso("e.occurred_at", "occurred_at") + ", " +
                         iso("e.recorded_at", "recorded_at") +
                         " FROM customer_events e WHERE e.rep_id = $1 AND e.late AND "
                         "e.recorded_at > $2::timestamptz - interval '30 days' ORDER BY "
                         "e.recorded_at DESC LIMIT 200",
                     params)) {
            if (!caller.in_project(r.text("project_id")))
                continue;
            late.push_back({{"event_id", r.text("id")},
                            {"customer_id", r.text("customer_id")},
                            {"kind", r.text("kind")},
                            {"occurred_at", r.text("occurred_at")},
                            {"recorded_at", r.text("recorded_at")}});
        }
        nlohmann::json complaints = nlohmann::json::array();
        for (const auto& r :
             tx.exec("SELECT k.id::text AS id, k.customer_id::text AS customer_id, "
                     "k.project_id::text AS project_id, k.status, k.category, "
                     "k.first_response_due::text AS first_response_due, k.final_due::text AS "
                     "final_due, (k.status = 'open' AND k.first_response_due < $2::date) OR "
                     "k.final_due < $2::date AS overdue FROM complaints k JOIN customers c ON "
                     "c.id = k.customer_id WHERE c.owner_id = $1 AND k.status <> 'resolved' "
                     "ORDER BY k.final_due LIMIT 200",
                     {rep_id, today})) {
            if (!caller.in_project(r.text("project_id")))
                continue;
            complaints.push_back({{"complaint_id", r.text("id")},
                                  {"customer_id", r.text("customer_id")},
                                  {"status", r.text("status")},
                                  {"category", r.text("category")},
                                  {"first_response_due", r.text("first_response_due")},
                                  {"final_due", r.text("final_due")},
                                  {"overdue", r.boolean("overdue")}});
        }
        return nlohmann::json{{"rep_id", rep_id},
                              {"follow_ups_due", due},
                              {"stale", stale},
                              {"late_entries", late},
                              {"open_complaints", complaints}};
    });
}

namespace {
nlohmann::json departure_json(const sales::db::Row& r, sales::TimePoint now) {
    const auto remaining = r.int64("remaining");
    const auto deadline = r.text("deadline");
    return {{"id", r.text("id")},
            {"rep_id", r.text("rep_id")},
            {"reason", r.text("reason")},
            {"deadline", deadline},
            {"created_by", r.text("created_by")},
            {"created_at", r.text("created_at")},
            {"completed_at", nullable(r.opt_text("completed_at"))},
            {"remaining_customers", remaining},
            {"overdue", !r.opt_text("completed_at") && time_of(deadline) < now}};
}

std::string departure_select() {
    return "SELECT d.id::text AS id, d.rep_id, d.reason, " + iso("d.deadline", "deadline") +
           ", d.created_by, " + iso("d.created_at", "created_at") + ", " +
           iso("d.completed_at", "completed_at") +
           ", (SELECT count(*) FROM customers c WHERE c.owner_id = d.rep_id AND c.archived_at "
           "IS NULL) AS remaining FROM departures d ";
}
}  // namespace

nlohmann::json record_departure(const Context& ctx, const Caller& caller, const std::string& rep_id,
                                const std::string& reason) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        const auto id = sales::new_uuid();
        const auto inserted = tx.exec(
            "INSERT INTO departures (id, rep_id, reason, deadline, created_by) VALUES ($1::uuid, "
            "$2, $3, $4::timestamptz, $5) ON CONFLICT (rep_id) WHERE completed_at IS NULL DO "
            "NOTHING",
            {id, rep_id, reason, sales::to_rfc3339(now + ctx.departure_deadline), caller.id()});
        if (inserted.affected_rows() == 0) {
            throw Failure(Failure::Kind::conflict, "departure_open",
                          "a departure of rep " + rep_id +
                              " is already open; reassign their customers with POST "
                              "/api/v1/departures/{id}/reassign",
                          {{"rep_id", rep_id}});
        }
        sales::log::info("rep departure recorded (CUS-5)",
                         {{"rep_id", rep_id}, {"by", caller.id()}});
        return departure_json(tx.exec_one(departure_select() + "WHERE d.id = $1::uuid", {id}), now);
    });
}

nlohmann::json list_departures(const Context& ctx, const Caller&, bool open_only) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r :
             tx.exec(departure_select() + (open_only ? "WHERE d.completed_at IS NULL " : "") +
                     "ORDER BY d.deadline LIMIT 500")) {
            items.push_back(departure_json(r, now));
        }
        return nlohmann::json{{"items", items}};
    });
}

nlohmann::json reassign_departure(const Context& ctx, const Caller& caller,
                                  const std::string& departure_id, const std::string& to_rep_id,
                                  const std::optional<std::vector<std::string>>& customer_ids) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        const auto d = sales::is_uuid(departure_id)
                           ? tx.exec_maybe_one(
                                 "SELECT rep_id, completed_at IS NOT NULL AS done "
                                 "FROM departures WHERE id = $1::uuid FOR UPDATE",
                                 {departure_id})
                           : std::nullopt;
        if (!d)
            not_found("departure", departure_id);
        if (d->boolean("done")) {
            throw Failure(Failure::Kind::conflict, "departure_completed",
                          "every customer of this rep was reassigned already");
        }
        const auto leaver = d->text("rep_id");
        if (leaver == to_rep_id) {
            throw Failure(Failure::Kind::rule, "same_rep",
                          "the customers must go to another rep than the one leaving");
        }
        std::string ids_literal = "{";
        if (customer_ids) {
            for (const auto& id : *customer_ids)
                ids_literal += (ids_literal.size() > 1 ? "," : "") + id;  // UUIDs, checked
        }
        ids_literal += "}";
        std::int64_t moved = 0;
        std::vector<std::string> skipped;
        for (const auto& row : tx.exec(
                 "SELECT id::text AS id, project_id::text AS project_id FROM customers WHERE "
                 "owner_id = $1 AND archived_at IS NULL AND ($2::boolean OR id = ANY($3::uuid[])) "
                 "ORDER BY id FOR UPDATE",
                 {leaver, !customer_ids.has_value(), ids_literal})) {
            if (!caller.in_project(row.text("project_id"))) {
                skipped.push_back(row.text("id"));
                continue;
            }
            move_owner(tx, row.text("id"), to_rep_id, "departure", "rep " + leaver + " left",
                       caller.id());  // CUS-5
            ++moved;
        }
        const auto remaining = tx.exec_one(
                                     "SELECT count(*) FROM customers WHERE owner_id = $1 AND "
                                     "archived_at IS NULL",
                                     {leaver})
                                   .int64(0);
        if (remaining == 0) {
            tx.exec("UPDATE departures SET completed_at = clock_timestamp() WHERE id = $1::uuid",
                    {departure_id});
        }
        sales::log::info("departure reassignment", {{"rep_id", leaver},
                                                    {"to_rep_id", to_rep_id},
                                                    {"moved", moved},
                                                    {"remaining", remaining}});
        auto body = departure_json(
            tx.exec_one(departure_select() + "WHERE d.id = $1::uuid", {departure_id}), now);
        body["moved"] = moved;
        return body;
    });
}

nlohmann::json contact_counts(const Context& ctx, const Caller& caller,
                              const std::string& project_id, sales::Date from, sales::Date to) {
    const sales::Date after_to{std::chrono::sys_days{to} + std::chrono::days(1)};
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        nlohmann::json rows = nlohmann::json::array();
        std::int64_t calls = 0, visits = 0;
        for (const auto& r : tx.exec(
                 "SELECT to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, "
                 "rep_id, channel, "
                 "count(*) FILTER (WHERE kind IN ('call_in', 'call_out')) AS calls, "
                 "count(*) FILTER (WHERE kind IN ('visit', 'post_purchase_visit')) AS visits, "
                 "count(*) AS events FROM customer_events WHERE project_id = $1::uuid AND "
                 "occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz "
                 "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                 {project_id, sales::to_rfc3339(sales::shanghai_midnight(from)),
                  sales::to_rfc3339(sales::shanghai_midnight(after_to))})) {
            calls += r.int64("calls");
            visits += r.int64("visits");
            rows.push_back({{"day", r.text("day")},
                            {"rep_id", r.text("rep_id")},
                            {"channel", r.text("channel")},
                            {"calls", r.int64("calls")},
                            {"visits", r.int64("visits")},
                            {"events", r.int64("events")}});
        }
        return nlohmann::json{{"project_id", project_id},   {"from", sales::to_string(from)},
                              {"to", sales::to_string(to)}, {"rows", rows},
                              {"total_calls", calls},       {"total_visits", visits}};
    });
}

}  // namespace customer::app
