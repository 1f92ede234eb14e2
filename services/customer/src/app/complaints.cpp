#include "app/complaints.hpp"

#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

std::string complaint_select() {
    return "SELECT id::text AS id, customer_id::text AS customer_id, project_id::text AS "
           "project_id, category, description, received_on::text AS received_on, "
           "first_response_due::text AS first_response_due, final_due::text AS final_due, "
           "status, first_response, first_responded_by, " +
           iso("first_responded_at", "first_responded_at") + ", result, resolved_by, " +
           iso("resolved_at", "resolved_at") + ", created_by, " + iso("created_at", "created_at") +
           ", version FROM complaints ";
}

nlohmann::json complaint_json(const sales::db::Row& r, sales::Date today) {
    const domain::ComplaintDeadlines due{*sales::parse_date(r.text("first_response_due")),
                                         *sales::parse_date(r.text("final_due"))};
    const auto status = *domain::parse_complaint_status(r.text("status"));
    return {{"id", r.text("id")},
            {"customer_id", r.text("customer_id")},
            {"project_id", r.text("project_id")},
            {"category", r.text("category")},
            {"description", r.text("description")},
            {"received_on", r.text("received_on")},
            {"first_response_due", r.text("first_response_due")},
            {"final_due", r.text("final_due")},
            {"status", r.text("status")},
            {"overdue", domain::complaint_overdue(status, due, today)},
            {"first_response", nullable(r.opt_text("first_response"))},
            {"first_responded_by", nullable(r.opt_text("first_responded_by"))},
            {"first_responded_at", nullable(r.opt_text("first_responded_at"))},
            {"result", nullable(r.opt_text("result"))},
            {"resolved_by", nullable(r.opt_text("resolved_by"))},
            {"resolved_at", nullable(r.opt_text("resolved_at"))},
            {"created_by", r.text("created_by")},
            {"created_at", r.text("created_at")},
            {"version", r.int64("version")}};
}

sales::db::Row load(Tx& tx, const Caller& caller, const std::string& id, bool for_update) {
    const auto row = sales::is_uuid(id)
                         ? tx.exec_maybe_one(complaint_select() + "WHERE id = $1::uuid" +
                                                 (for_update ? " FOR UPDATE" : ""),
                                             {id})
                         : std::nullopt;
    if (!row || !caller.in_project(row->text("project_id")))
        not_found("complaint", id);
    return *row;
}

}  // namespace

nlohmann::json record_complaint(const Context& ctx, const Caller& caller,
                                const std::string& customer_id, const NewComplaint& input) {
    const auto now = ctx.clock.now();
    const auto today = sales::shanghai_date(now);
    const auto received = input.received_on.value_or(today);
    if (received > today)
        invalid("received_on", "must not be in the future");
    return ctx.db.transaction([&](Tx& tx) {
        const auto customer = load_customer(tx, caller, customer_id, true);
        const auto project_id = customer.text("project_id");
        const auto settings = project_settings(tx, caller, project_id);
        const auto due = domain::complaint_deadlines(received, settings);  // CUS-10
        const auto id = sales::new_uuid();
        tx.exec(
            "INSERT INTO complaints (id, customer_id, project_id, category, description, "
            "received_on, first_response_due, final_due, created_by) VALUES ($1::uuid, $2::uuid, "
            "$3::uuid, $4, $5, $6::date, $7::date, $8::date, $9)",
            {id, customer_id, project_id, std::string(domain::to_string(input.category)),
             input.description, sales::to_string(received),
             sales::to_string(due.first_response_due), sales::to_string(due.final_due),
             caller.id()});
        // The complaint is a customer event too (CUS-10), at receipt.
        NewEvent event;
        event.kind = domain::EventKind::complaint;
        event.occurred_at = received == today ? now : sales::shanghai_midnight(received);
        event.channel = input.channel;
        event.note =
            "complaint " + id + " (" + std::string(domain::to_string(input.category)) + ")";
        insert_event(tx, customer_id, project_id, event, caller.id(), caller.id(), now);
        emit(tx, "customer.complaint_recorded", id, 1,
             {{"complaint_id", id},
              {"customer_id", customer_id},
              {"project_id", project_id},
              {"category", domain::to_string(input.category)},
              {"first_response_due", sales::to_string(due.first_response_due)},
              {"final_due", sales::to_string(due.final_due)}});
        return complaint_json(load(tx, caller, id, false), today);
    });
}

nlohmann::json complaint_action(const Context& ctx, const Caller& caller, const std::string& id,
                                domain::ComplaintAction action, const std::string& text) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load(tx, caller, id, true);
        const auto current = *domain::parse_complaint_status(row.text("status"));
        const auto next = domain::complaint_next(current, action);
        if (action == domain::ComplaintAction::respond) {
            tx.exec(
                "UPDATE complaints SET status = $2, first_response = $3, first_responded_by = $4, "
                "first_responded_at = clock_timestamp(), version = version + 1 WHERE id = $1::uuid",
                {id, std::string(domain::to_string(next)), text, caller.id()});
        } else {
            // Resolving an unanswered complaint answers it too.
            tx.exec(
                "UPDATE complaints SET status = $2, result = $3, resolved_by = $4, resolved_at = "
                "clock_timestamp(), first_responded_at = coalesce(first_responded_at, "
                "clock_timestamp()), first_responded_by = coalesce(first_responded_by, $4), "
                "version = version + 1 WHERE id = $1::uuid",
                {id, std::string(domain::to_string(next)), text, caller.id()});
        }
        const auto after = load(tx, caller, id, false);
        emit(tx,
             action == domain::ComplaintAction::respond ? "customer.complaint_responded"
                                                        : "customer.complaint_resolved",
             id, after.int64("version"),
             {{"complaint_id", id},
              {"customer_id", row.text("customer_id")},
              {"project_id", row.text("project_id")},
              {"status", domain::to_string(next)}});
        return complaint_json(after, today);
    });
}

nlohmann::json get_complaint(const Context& ctx, const Caller& caller, const std::string& id) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction(
        [&](Tx& tx) { return complaint_json(load(tx, caller, id, false), today); });
}

nlohmann::json list_complaints(const Context& ctx, const Caller& caller,
                               const std::string& project_id,
                               std::optional<domain::ComplaintStatus> status, bool overdue_only,
                               std::int64_t limit, std::int64_t offset) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        // Overdue (domain::complaint_overdue) in SQL for paging: open past the first-response
        // day, or unresolved past the final day.
        const auto rows = tx.exec(
            complaint_select() +
                "WHERE project_id = $1::uuid AND ($2::text IS NULL OR status = $2) AND (NOT $3 "
                "OR (status = 'open' AND first_response_due < $4::date) OR (status <> "
                "'resolved' AND final_due < $4::date)) ORDER BY final_due, id LIMIT $5 OFFSET $6",
            {project_id,
             status ? sales::db::Param(std::string(domain::to_string(*status)))
                    : sales::db::Param(nullptr),
             overdue_only, sales::to_string(today), limit, offset});
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : rows)
            items.push_back(complaint_json(r, today));
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

}  // namespace customer::app
