#include "app/complaints.hpp"

#include "adapters/complaint_store.hpp"
#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

// CUS-8: the texts show phones and ID numbers like the customer's fields: in full to the
// customer's owner and, on a single complaint, to customer.pii.read (logged); masked otherwise.
nlohmann::json complaint_json(const sales::db::Row& r, sales::Date today, const Caller& caller,
                              bool detail, bool& revealed) {
    const domain::ComplaintDeadlines due{*sales::parse_date(r.text("first_response_due")),
                                         *sales::parse_date(r.text("final_due"))};
    const auto status = *domain::parse_complaint_status(r.text("status"));
    auto out = row_json(r,
                        {"id", "customer_id", "project_id", "category", "received_on",
                         "first_response_due", "final_due", "status", "created_by", "created_at"},
                        {"first_responded_by", "first_responded_at", "resolved_by", "resolved_at"});
    const auto view =
        domain::pii_view(caller.id(), r.opt_text("owner_id").value_or(""), caller.pii, detail);
    for (const char* text : {"description", "first_response", "result"})
        out[text] = free_text(r.opt_text(text), view, revealed);
    out["overdue"] = domain::complaint_overdue(status, due, today);
    out["version"] = r.int64("version");
    return out;
}

// One complaint as the caller may read it; a privileged full read is logged.
nlohmann::json complaint_detail(Tx& tx, const sales::db::Row& r, sales::Date today,
                                const Caller& caller) {
    bool revealed = false;
    auto out = complaint_json(r, today, caller, true, revealed);
    if (revealed)
        log_full_read(tx, caller, r.text("customer_id"));
    return out;
}

sales::db::Row load(Tx& tx, const Caller& caller, const std::string& id, bool for_update) {
    return load_scoped(caller, "complaint", id,
                       [&] { return adapters::find_complaint(tx, id, for_update); });
}

}  // namespace

nlohmann::json record_complaint(const Context& ctx, const Caller& caller,
                                const std::string& customer_id, const NewComplaint& input) {
    const auto now = ctx.clock.now();
    const auto today = sales::shanghai_date(now);
    const auto received = input.received_on.value_or(today);
    if (received > today)
        sales::fail_invalid("received_on", "must not be in the future");
    return ctx.db.transaction([&](Tx& tx) {
        const auto customer = load_customer(tx, caller, customer_id, true);
        const auto project_id = customer.text("project_id");
        const auto settings = project_settings(tx, caller, project_id);
        const auto due = domain::complaint_deadlines(received, settings);  // CUS-10
        const auto id = sales::new_uuid();
        adapters::insert_complaint(
            tx, {id, customer_id, project_id, std::string(domain::to_string(input.category)),
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
        return complaint_detail(tx, load(tx, caller, id, false), today, caller);
    });
}

nlohmann::json complaint_action(const Context& ctx, const Caller& caller, const std::string& id,
                                domain::ComplaintAction action, const std::string& text) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load(tx, caller, id, true);
        const auto current = *domain::parse_complaint_status(row.text("status"));
        const auto next = domain::complaint_next(current, action);
        const std::string status(domain::to_string(next));
        adapters::record_answer(tx, action, id, status, text, caller.id());
        const auto after = load(tx, caller, id, false);
        emit(tx,
             action == domain::ComplaintAction::respond ? "customer.complaint_responded"
                                                        : "customer.complaint_resolved",
             id, after.int64("version"),
             {{"complaint_id", id},
              {"customer_id", row.text("customer_id")},
              {"project_id", row.text("project_id")},
              {"status", domain::to_string(next)}});
        return complaint_detail(tx, after, today, caller);
    });
}

nlohmann::json get_complaint(const Context& ctx, const Caller& caller, const std::string& id) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction(
        [&](Tx& tx) { return complaint_detail(tx, load(tx, caller, id, false), today, caller); });
}

nlohmann::json list_complaints(const Context& ctx, const Caller& caller,
                               const std::string& project_id,
                               std::optional<domain::ComplaintStatus> status, bool overdue_only,
                               std::int64_t limit, std::int64_t offset) {
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        // Overdue (domain::complaint_overdue) in SQL for paging.
        std::optional<std::string> status_name;
        if (status)
            status_name = std::string(domain::to_string(*status));
        const auto rows = adapters::list_complaints(tx, project_id, status_name, overdue_only,
                                                    sales::to_string(today), limit, offset);
        nlohmann::json items = nlohmann::json::array();
        bool revealed = false;  // lists mask for everyone but the owner
        for (const auto& r : rows)
            items.push_back(complaint_json(r, today, caller, false, revealed));
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

}  // namespace customer::app
