#include "app/follow_up.hpp"

#include <map>

#include "adapters/complaint_store.hpp"
#include "adapters/customer_event_store.hpp"
#include "adapters/customer_queries.hpp"
#include "adapters/customer_store.hpp"
#include "adapters/departure_store.hpp"
#include "app/customers.hpp"
#include "app/dunning.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

// CUS-8: lists show full PII only to the owner.
nlohmann::json masked_list(const Caller& caller, const sales::db::Result& rows) {
    return in_projects(caller, rows, [&](const sales::db::Row& row) {
        return customer_json(
            row, domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, false));
    });
}

nlohmann::json departure_json(const sales::db::Row& r, sales::TimePoint now) {
    const auto deadline = r.text("deadline");
    auto out = row_json(r, {"id", "rep_id", "reason", "deadline", "created_by", "created_at"},
                        {"completed_at"});
    out["remaining_customers"] = r.int64("remaining");
    out["overdue"] = !r.opt_text("completed_at") && time_of(deadline) < now;
    return out;
}
}  // namespace

nlohmann::json list_stale(const Context& ctx, const Caller& caller, const std::string& project_id,
                          std::optional<std::string> rep_id, std::int64_t limit,
                          std::int64_t offset) {
    const auto now = sales::to_rfc3339(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        const auto settings = project_settings(tx, caller, project_id);
        const auto total = adapters::count_stale(tx, project_id, now, rep_id);
        const auto items = masked_list(
            caller, adapters::stale_customers(tx, project_id, now, rep_id, limit, offset));
        return nlohmann::json{{"items", items},
                              {"total", total},
                              {"stale_days", settings.stale_days},
                              {"limit", limit},
                              {"offset", offset}};
    });
}

nlohmann::json rep_tasks(const Context& ctx, const Caller& caller, const std::string& rep_id) {
    if (rep_id != caller.id() && !caller.manager) {
        sales::fail_forbidden("forbidden",
                              "only the rep themself or a sales manager (customer.reassign) may "
                              "see this task list",
                              {{"rep_id", rep_id}});
    }
    const auto now_tp = ctx.clock.now();
    const auto now = sales::to_rfc3339(now_tp);
    const auto today = sales::to_string(sales::shanghai_date(now_tp));
    return ctx.db.transaction([&](Tx& tx) {
        const auto due = masked_list(caller, adapters::follow_ups_due(tx, rep_id, now));
        const auto stale = masked_list(caller, adapters::stale_of_rep(tx, rep_id, now));
        const auto late = in_projects(
            caller, adapters::late_entries(tx, rep_id, now),
            [](const sales::db::Row& r) -> nlohmann::json {
                auto out = row_json(r, {"customer_id", "kind", "occurred_at", "recorded_at"});
                out["event_id"] = r.text("id");
                return out;
            });
        const auto complaints = in_projects(
            caller, adapters::open_complaints_of(tx, rep_id, today),
            [](const sales::db::Row& r) -> nlohmann::json {
                auto out = row_json(
                    r, {"customer_id", "status", "category", "first_response_due", "final_due"});
                out["complaint_id"] = r.text("id");
                out["overdue"] = r.boolean("overdue");
                return out;
            });
        return nlohmann::json{{"rep_id", rep_id},
                              {"follow_ups_due", due},
                              {"stale", stale},
                              {"late_entries", late},
                              {"open_complaints", complaints},
                              {"overdue_instalments", open_dunning_tasks(tx, caller, rep_id)}};
    });
}

nlohmann::json record_departure(const Context& ctx, const Caller& caller, const std::string& rep_id,
                                const std::string& reason) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        const auto id = sales::new_uuid();
        if (!adapters::insert_departure(tx, id, rep_id, reason,
                                        sales::to_rfc3339(now + ctx.departure_deadline),
                                        caller.id())) {
            sales::fail_conflict("departure_open",
                                 "a departure of rep " + rep_id +
                                     " is already open; reassign their customers with POST "
                                     "/api/v1/departures/{id}/reassign",
                                 {{"rep_id", rep_id}});
        }
        sales::log::info("rep departure recorded (CUS-5)",
                         {{"rep_id", rep_id}, {"by", caller.id()}});
        return departure_json(adapters::find_departure(tx, id), now);
    });
}

nlohmann::json list_departures(const Context& ctx, const Caller&, bool open_only) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : adapters::list_departures(tx, open_only))
            items.push_back(departure_json(r, now));
        return nlohmann::json{{"items", items}};
    });
}

nlohmann::json reassign_departure(const Context& ctx, const Caller& caller,
                                  const std::string& departure_id, const std::string& to_rep_id,
                                  const std::optional<std::vector<std::string>>& customer_ids) {
    const auto now = ctx.clock.now();
    return ctx.db.transaction([&](Tx& tx) {
        const auto d = sales::is_uuid(departure_id) ? adapters::lock_departure(tx, departure_id)
                                                    : std::nullopt;
        if (!d)
            sales::fail_not_found("departure", departure_id);
        if (d->done) {
            sales::fail_conflict("departure_completed",
                                 "every customer of this rep was reassigned already");
        }
        const auto& leaver = d->rep_id;
        if (leaver == to_rep_id) {
            sales::fail_rule("same_rep",
                             "the customers must go to another rep than the one leaving (CUS-5)");
        }
        std::int64_t moved = 0;
        for (const auto& row : adapters::lock_live_customers_of(tx, leaver, customer_ids)) {
            if (!caller.in_project(row.text("project_id")))
                continue;
            move_owner(tx, row.text("id"), to_rep_id, "departure", "rep " + leaver + " left",
                       caller.id());  // CUS-5
            ++moved;
        }
        const auto remaining = adapters::count_live_customers_of(tx, leaver);
        if (remaining == 0)
            adapters::complete_departure(tx, departure_id);
        sales::log::info("departure reassignment", {{"rep_id", leaver},
                                                    {"to_rep_id", to_rep_id},
                                                    {"moved", moved},
                                                    {"remaining", remaining}});
        auto body = departure_json(adapters::find_departure(tx, departure_id), now);
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
        for (const auto& r : adapters::contact_counts(
                 tx, project_id, sales::to_rfc3339(sales::shanghai_midnight(from)),
                 sales::to_rfc3339(sales::shanghai_midnight(after_to)))) {
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

sales::sheet::Sheet contact_sheet(const nlohmann::json& counts,
                                  const std::function<std::string(const std::string&)>& rep_label) {
    using sales::sheet::Kind;
    static const std::map<std::string, std::string> channels = {{"visit", "来访"},
                                                                {"call", "来电"},
                                                                {"online", "网络"},
                                                                {"referral", "转介"},
                                                                {"event", "活动"}};
    const auto period =
        counts["from"].get<std::string>() + " 至 " + counts["to"].get<std::string>();
    sales::sheet::Sheet sheet;
    sheet.name = "来电来访明细表";
    sheet.title = "来电来访明细表（" + period + "）";
    sheet.columns = {{"日期", Kind::text},    {"置业顾问", Kind::text},
                     {"渠道", Kind::text},    {"来电", Kind::integer},
                     {"来访", Kind::integer}, {"全部接触", Kind::integer}};
    std::int64_t events = 0;
    for (const auto& row : counts["rows"]) {
        const auto channel = row["channel"].get<std::string>();
        const auto label = channels.find(channel);
        sheet.rows.push_back(
            {row["day"].get<std::string>(), rep_label(row["rep_id"].get<std::string>()),
             label == channels.end() ? channel : label->second, row["calls"].get<std::int64_t>(),
             row["visits"].get<std::int64_t>(), row["events"].get<std::int64_t>()});
        events += row["events"].get<std::int64_t>();
    }
    sheet.totals = std::vector<sales::sheet::Cell>{std::string("合计"),
                                                   std::monostate{},
                                                   std::monostate{},
                                                   counts["total_calls"].get<std::int64_t>(),
                                                   counts["total_visits"].get<std::int64_t>(),
                                                   events};
    return sheet;
}

}  // namespace customer::app
