#include "app/deals.hpp"

#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

std::string uuid_field(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || !sales::is_uuid(it->get<std::string>())) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a UUID");
    }
    return it->get<std::string>();
}

std::string text_field(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a non-empty string");
    }
    return it->get<std::string>();
}

bool known_customer(Tx& tx, const std::string& customer_id) {
    return tx.exec_maybe_one("SELECT 1 FROM customers WHERE id = $1::uuid", {customer_id})
        .has_value();
}

bool other_live_deals(Tx& tx, const std::string& customer_id, const std::string& subscription_id) {
    return tx.exec_one(
                 "SELECT count(*) FROM deals WHERE customer_id = $1::uuid AND subscription_id "
                 "<> $2::uuid AND status IN ('subscribed', 'signed')",
                 {customer_id, subscription_id})
               .int64(0) > 0;
}

void move_stage(Tx& tx, const sales::bus::Event& event, const std::string& customer_id,
                domain::StageInput input, const std::string& subscription_id) {
    if (!known_customer(tx, customer_id)) {
        sales::log::warn(
            "contract event names a customer this service does not know; deal kept, "
            "no stage change",
            {{"event_id", event.id},
             {"type", event.type},
             {"customer_id", customer_id},
             {"subscription_id", subscription_id}});
        return;
    }
    if (input.cause == domain::StageCause::subscription_cancelled)
        input.other_live_deals = other_live_deals(tx, customer_id, subscription_id);
    apply_stage(tx, customer_id, input, event.type, event.id, "contract", std::nullopt);
}

}  // namespace

void apply_contract_event(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto customer_id = uuid_field(event, "customer_id");
    const auto project_id = uuid_field(event, "project_id");
    const auto rep_id = text_field(event, "rep_id");

    if (event.type == kContractSigned) {
        const auto contract_id = uuid_field(event, "contract_id");
        const auto signed_at = text_field(event, "signed_at");
        if (!sales::is_rfc3339(signed_at)) {
            throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                            ": data.signed_at must be an RFC 3339 timestamp");
        }
        tx.exec(
            "INSERT INTO deals (subscription_id, contract_id, customer_id, project_id, rep_id, "
            "status, signed_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, 'signed', "
            "$6::timestamptz) ON CONFLICT (subscription_id) DO UPDATE SET contract_id = "
            "excluded.contract_id, customer_id = excluded.customer_id, rep_id = excluded.rep_id, "
            "status = 'signed', signed_at = excluded.signed_at, updated_at = now()",
            {subscription_id, contract_id, customer_id, project_id, rep_id, signed_at});
        // Stage → closed; a second contract.signed (another event id) changes nothing more.
        move_stage(tx, event, customer_id, {domain::StageCause::contract_signed, {}, false},
                   subscription_id);
        return;
    }

    const bool cancelled = event.type == "contract.subscription.cancelled";
    if (event.type != "contract.subscription.created" &&
        event.type != "contract.subscription.confirmed" &&
        event.type != "contract.subscription.renamed" && !cancelled) {
        return;  // deposits recorded/orphaned, cancellation requests, swaps: no stage change
    }
    const auto held = tx.exec_maybe_one(
        "SELECT customer_id::text AS customer_id, status FROM deals WHERE subscription_id = "
        "$1::uuid FOR UPDATE",
        {subscription_id});
    if (held && held->text("status") == "signed") {
        return;  // a late subscription event never reopens a signed deal
    }
    tx.exec(
        "INSERT INTO deals (subscription_id, customer_id, project_id, rep_id, status) VALUES "
        "($1::uuid, $2::uuid, $3::uuid, $4, $5) ON CONFLICT (subscription_id) DO UPDATE SET "
        "customer_id = excluded.customer_id, rep_id = excluded.rep_id, status = excluded.status, "
        "updated_at = now()",
        {subscription_id, customer_id, project_id, rep_id,
         std::string(cancelled ? "cancelled" : "subscribed")});
    if (cancelled) {
        move_stage(tx, event, customer_id, {domain::StageCause::subscription_cancelled, {}, false},
                   subscription_id);
        return;
    }
    // CON-2 rename: the previous customer loses this deal.
    if (event.type == "contract.subscription.renamed" &&
        event.data.contains("previous_customer_id")) {
        const auto previous = uuid_field(event, "previous_customer_id");
        if (previous != customer_id)
            move_stage(tx, event, previous, {domain::StageCause::subscription_cancelled, {}, false},
                       subscription_id);
    }
    move_stage(tx, event, customer_id, {domain::StageCause::subscription_created, {}, false},
               subscription_id);
}

namespace {

std::string deal_select() {
    // CUS-7: events recorded up to the signing (all events while unsigned).
    return "SELECT d.subscription_id::text AS subscription_id, d.contract_id::text AS "
           "contract_id, d.customer_id::text AS customer_id, d.project_id::text AS project_id, "
           "d.rep_id, d.status, " +
           iso("d.signed_at", "signed_at") + ", d.exception_note, d.exception_by, " +
           iso("d.exception_at", "exception_at") +
           ", c.owner_id, coalesce(p.commission_min_events, 3) AS commission_min_events, (SELECT "
           "count(*) FROM customer_events e "
           "WHERE e.customer_id = d.customer_id AND (d.signed_at IS NULL OR e.occurred_at <= "
           "d.signed_at)) AS event_count FROM deals d LEFT JOIN project_refs p ON p.project_id "
           "= d.project_id LEFT JOIN customers c ON c.id = d.customer_id ";
}

nlohmann::json deal_json(const sales::db::Row& r) {
    const auto validity =
        domain::commission_validity(r.int64("event_count"), r.int64("commission_min_events"),
                                    r.opt_text("exception_note").has_value());
    return {{"subscription_id", r.text("subscription_id")},
            {"contract_id", nullable(r.opt_text("contract_id"))},
            {"customer_id", r.text("customer_id")},
            {"project_id", r.text("project_id")},
            {"rep_id", r.text("rep_id")},
            {"customer_owner_id", nullable(r.opt_text("owner_id"))},
            {"status", r.text("status")},
            {"signed_at", nullable(r.opt_text("signed_at"))},
            {"event_count", r.int64("event_count")},
            {"min_events", r.int64("commission_min_events")},
            {"valid", validity.valid},
            {"flagged", validity.flagged},
            {"reason", validity.reason},
            {"exception_note", nullable(r.opt_text("exception_note"))},
            {"exception_by", nullable(r.opt_text("exception_by"))},
            {"exception_at", nullable(r.opt_text("exception_at"))}};
}

sales::db::Row load_deal(Tx& tx, const Caller& caller, const std::string& deal_id,
                         bool for_update) {
    if (!sales::is_uuid(deal_id))
        not_found("deal", deal_id);
    const auto row = tx.exec_maybe_one(
        deal_select() + "WHERE d.subscription_id = $1::uuid OR d.contract_id = $1::uuid" +
            (for_update ? " FOR UPDATE OF d" : ""),
        {deal_id});
    if (!row || !caller.in_project(row->text("project_id")))
        not_found("deal", deal_id);
    return *row;
}

}  // namespace

nlohmann::json commission_validity(const Context& ctx, const Caller& caller,
                                   const std::string& deal_id) {
    return ctx.db.transaction(
        [&](Tx& tx) { return deal_json(load_deal(tx, caller, deal_id, false)); });
}

nlohmann::json record_commission_exception(const Context& ctx, const Caller& caller,
                                           const std::string& deal_id, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto deal = load_deal(tx, caller, deal_id, true);
        tx.exec(
            "UPDATE deals SET exception_note = $2, exception_by = $3, exception_at = now(), "
            "updated_at = now() WHERE subscription_id = $1::uuid",
            {deal.text("subscription_id"), note, caller.id()});
        emit(tx, "customer.commission_exception_recorded", deal.text("subscription_id"), 1,
             {{"subscription_id", deal.text("subscription_id")},
              {"contract_id", nullable(deal.opt_text("contract_id"))},
              {"customer_id", deal.text("customer_id")},
              {"project_id", deal.text("project_id")},
              {"rep_id", deal.text("rep_id")},
              {"by", caller.id()}});
        return deal_json(load_deal(tx, caller, deal_id, false));
    });
}

nlohmann::json list_deals(const Context& ctx, const Caller& caller, const std::string& project_id,
                          bool flagged_only, std::int64_t limit, std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        nlohmann::json items = nlohmann::json::array();
        std::int64_t skipped = 0;
        for (const auto& r :
             tx.exec(deal_select() + "WHERE d.project_id = $1::uuid AND d.status = 'signed' "
                                     "ORDER BY d.signed_at DESC, d.subscription_id",
                     {project_id})) {
            auto deal = deal_json(r);
            if (flagged_only && !deal["flagged"].get<bool>())
                continue;
            if (skipped++ < offset)
                continue;
            if (static_cast<std::int64_t>(items.size()) >= limit)
                break;
            items.push_back(std::move(deal));
        }
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

}  // namespace customer::app
