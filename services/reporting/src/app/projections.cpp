#include "app/projections.hpp"

#include <limits>

#include "adapters/read_model_store.hpp"
#include "sales/calendar.hpp"
#include "sales/event_fields.hpp"

namespace reporting::app {
namespace {
using namespace sales::bus;
using nlohmann::json;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

std::string rfc3339_field(const Event& event, const json& data, const std::string& name,
                          const std::string& path = "data.") {
    const auto text = event_text(event, data, name, path);
    if (!sales::parse_rfc3339(text))
        poison_event(event, path + name + " must be an RFC 3339 time");
    return text;
}

// The Asia/Shanghai day of an RFC 3339 time, YYYY-MM-DD.
std::string shanghai_day(const std::string& rfc3339) {
    return sales::to_string(sales::shanghai_date(*sales::parse_rfc3339(rfc3339)));
}

// The event's own time when the data has none (older producers).
std::string time_or_event(const Event& event, const json& data, const char* name) {
    if (const auto t = event_opt_text(data, name); t && sales::parse_rfc3339(*t))
        return *t;
    if (!sales::parse_rfc3339(event.time))
        poison_event(event, "time must be an RFC 3339 time");
    return event.time;
}

std::int64_t amount(const Event& event, const json& data, const char* name) {
    return event_integer(event, data, name, kMin, kMax);
}

void apply_unit_status(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    adapters::UnitRow unit{
        .unit_id = event_uuid(event, d, "unit_id"),
        .project_id = event_uuid(event, d, "project_id"),
        .building_id = event_uuid(event, d, "building_id"),
        .unit_number = event_text(event, d, "unit_number"),
        .building_name = event_opt_text(d, "building_name"),
        .layout = event_opt_text(d, "layout"),
        .status = event_text(event, d, "to"),
        .gross_area_centi_m2 = event_opt_integer(d, "gross_area_centi_m2"),
        .list_total_fen = event_opt_integer(d, "list_total_fen"),
        .version = event_integer(event, d, "version", 1, kMax),
        .changed_at = time_or_event(event, d, "changed_at"),
    };
    adapters::upsert_unit(tx, unit);
}

void apply_subscription(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    const auto subscription_id = event_uuid(event, d, "subscription_id");
    adapters::SubscriptionRow row{
        .subscription_id = subscription_id,
        .project_id = event_uuid(event, d, "project_id"),
        .unit_id = event_uuid(event, d, "unit_id"),
        .customer_id = event_uuid(event, d, "customer_id"),
        .rep_id = event_text(event, d, "rep_id"),
        .status = event_text(event, d, "status"),
        .price_fen = event_integer(event, d, "price_fen", 0, kMax),
        .created_on = shanghai_day(rfc3339_field(event, d, "created_at")),
        .version = event_integer(event, d, "version", 1, kMax),
    };
    if (event.type == "contract.subscription.swapped") {
        // 换房 before signing (CON-2).
        const auto old_price = adapters::subscription_price(tx, subscription_id);
        const auto at = time_or_event(event, d, "updated_at");
        adapters::insert_unit_change(tx, {.change_id = event.id,
                                          .stage = "subscription",
                                          .project_id = row.project_id,
                                          .subscription_id = subscription_id,
                                          .contract_id = std::nullopt,
                                          .old_unit_id = event_uuid(event, d, "old_unit_id"),
                                          .new_unit_id = row.unit_id,
                                          .old_price_fen = old_price,
                                          .new_price_fen = row.price_fen,
                                          .reason = event_opt_text(d, "note"),
                                          .approved_by = event_opt_text(d, "actor"),
                                          .changed_at = at,
                                          .changed_on = shanghai_day(at)});
    }
    adapters::upsert_subscription(tx, row);
}

void apply_signed(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    const auto signed_at = rfc3339_field(event, d, "signed_at");
    adapters::insert_contract(
        tx, {.contract_id = event_uuid(event, d, "contract_id"),
             .contract_no = event_text(event, d, "contract_no"),
             .subscription_id = event_uuid(event, d, "subscription_id"),
             .project_id = event_uuid(event, d, "project_id"),
             .unit_id = event_uuid(event, d, "unit_id"),
             .customer_id = event_uuid(event, d, "customer_id"),
             .rep_id = event_text(event, d, "rep_id"),
             .signed_at = signed_at,
             .signed_on = shanghai_day(signed_at),
             .payment_plan = event_text(event, d, "payment_plan"),
             .list_total_fen = event_integer(event, d, "list_total_fen", 0, kMax),
             .discount_fen = event_integer(event, d, "discount_fen", 0, kMax),
             .price_fen = event_integer(event, d, "price_fen", 0, kMax),
             .gross_area_centi_m2 = event_opt_integer(d, "contract_gross_area_centi_m2"),
             .version = event.sequence > 0 ? event.sequence : 1});
}

void apply_amendment_requested(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    std::optional<std::string> old_unit, new_unit;
    if (d.contains("unit_change") && d["unit_change"].is_object()) {
        const auto& change = d["unit_change"];
        old_unit = event_uuid(event, change, "old_unit_id", "data.unit_change.");
        new_unit = event_uuid(event, change, "new_unit_id", "data.unit_change.");
    }
    adapters::insert_amendment(tx, event_uuid(event, d, "amendment_id"),
                               event_uuid(event, d, "contract_id"),
                               event_opt_text(d, "reason").value_or(""), old_unit, new_unit,
                               time_or_event(event, d, "requested_at"));
}

void apply_amendment_approved(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    const auto contract_id = event_uuid(event, d, "contract_id");
    const auto amendment_id = event_uuid(event, d, "amendment_id");
    const auto& terms = event_object(event, d, "terms");
    const auto before = adapters::contract_state(tx, contract_id);
    if (!before)
        poison_event(event, "contract " + contract_id + " was never signed");
    adapters::AmendedTerms applied{
        .list_total_fen = event_integer(event, terms, "list_total_fen", 0, kMax, "data.terms."),
        .discount_fen = event_integer(event, terms, "discount_fen", 0, kMax, "data.terms."),
        .price_fen = event_integer(event, terms, "price_fen", 0, kMax, "data.terms."),
        .payment_plan = event_text(event, terms, "payment_plan", "data.terms."),
        .unit_id = std::nullopt,
        .gross_area_centi_m2 = std::nullopt,
        .version = event_integer(event, d, "version", 1, kMax),
    };
    if (d.contains("unit_change") && d["unit_change"].is_object()) {
        const auto& unit = event_object(event, terms, "unit", "data.terms.");
        applied.unit_id = event_uuid(event, unit, "unit_id", "data.terms.unit.");
        applied.gross_area_centi_m2 = event_opt_integer(unit, "gross_area_centi_m2");
        const auto at = time_or_event(event, d, "approved_at");
        adapters::insert_unit_change(
            tx,
            {.change_id = amendment_id,
             .stage = "contract",
             .project_id = event_uuid(event, d, "project_id"),
             .subscription_id = event_uuid(event, d, "subscription_id"),
             .contract_id = contract_id,
             .old_unit_id = event_uuid(event, d["unit_change"], "old_unit_id", "data.unit_change."),
             .new_unit_id = *applied.unit_id,
             .old_price_fen = before->price_fen,
             .new_price_fen = applied.price_fen,
             .reason = adapters::amendment_reason(tx, amendment_id),
             .approved_by = event_opt_text(d, "actor"),
             .changed_at = at,
             .changed_on = shanghai_day(at)});
    }
    adapters::apply_terms(tx, contract_id, applied);
}

void apply_mortgage(adapters::Tx& tx, const Event& event) {
    const auto& d = event.data;
    std::optional<std::string> due_on;
    if (const auto due = event_opt_text(d, "due_on"); due && sales::parse_date(*due))
        due_on = due;
    adapters::upsert_mortgage(tx,
                              {.mortgage_id = event_uuid(event, d, "mortgage_id"),
                               .contract_id = event_uuid(event, d, "contract_id"),
                               .project_id = event_uuid(event, d, "project_id"),
                               .contract_no = event_text(event, d, "contract_no"),
                               .status = event_text(event, d, "status"),
                               .loan_kind = event_text(event, d, "loan_kind"),
                               .loan_fen = event_integer(event, d, "loan_fen", 0, kMax),
                               .approved_fen = event_opt_integer(d, "approved_fen"),
                               .disbursed_fen = event_opt_integer(d, "disbursed_fen").value_or(0),
                               .bank_name = event_opt_text(d, "bank_name"),
                               .due_on = due_on,
                               .overdue = d.value("overdue", false),
                               .version = event_integer(event, d, "version", 1, kMax),
                               .changed_at = time_or_event(event, d, "changed_at")});
}

}  // namespace

void apply_inventory_event(sales::db::Tx& tx, const Event& event) {
    const auto& d = event.data;
    if (event.type == "inventory.project.created" ||
        event.type == "inventory.project.settings_changed") {
        adapters::upsert_project(tx, event_uuid(event, d, "id"), event_text(event, d, "code"),
                                 event_text(event, d, "name"),
                                 event_integer(event, d, "version", 1, kMax));
    } else if (event.type == "inventory.unit.status_changed") {
        apply_unit_status(tx, event);
    } else if (event.type == "inventory.unit.price_changed") {
        adapters::update_unit_price(tx, event_uuid(event, d, "unit_id"),
                                    event_integer(event, d, "gross_area_centi_m2", 0, kMax),
                                    event_integer(event, d, "list_total_fen", 0, kMax),
                                    event_integer(event, d, "version", 1, kMax));
    }
}

void apply_contract_event(sales::db::Tx& tx, const Event& event) {
    const auto& type = event.type;
    const auto& d = event.data;
    if (type.rfind("contract.subscription.", 0) == 0) {
        if (type != "contract.subscription.signed")
            apply_subscription(tx, event);
    } else if (type == "contract.signed") {
        apply_signed(tx, event);
    } else if (type == "contract.amendment.requested") {
        apply_amendment_requested(tx, event);
    } else if (type == "contract.amendment.approved") {
        apply_amendment_approved(tx, event);
    } else if (type == "contract.cancellation.approved") {
        adapters::mark_cancelling(
            tx, event_uuid(event, d, "contract_id"), event_opt_text(d, "reason").value_or(""),
            event_opt_text(d, "approved_by"), event_integer(event, d, "refund_fen", 0, kMax));
    } else if (type == "contract.cancelled") {
        const auto at = event.time;
        if (!sales::parse_rfc3339(at))
            poison_event(event, "time must be an RFC 3339 time");
        adapters::mark_cancelled(tx, event_uuid(event, d, "contract_id"), at, shanghai_day(at),
                                 event_opt_text(d, "reason").value_or(""),
                                 event_opt_text(d, "approved_by"),
                                 event_integer(event, d, "refund_fen", 0, kMax));
    } else if (type == "contract.handed_over") {
        const auto on = event_date(event, d, "handed_over_on");
        adapters::mark_handed_over(tx, event_uuid(event, d, "contract_id"), sales::to_string(on));
    } else if (type.rfind("contract.mortgage.", 0) == 0) {
        apply_mortgage(tx, event);
    }
}

void apply_finance_event(sales::db::Tx& tx, const Event& event) {
    const auto& d = event.data;
    if (event.type == "finance.payment.recorded") {
        const auto paid_at = rfc3339_field(event, d, "paid_at");
        adapters::insert_ledger_entry(tx, {.entry_id = event_uuid(event, d, "entry_id"),
                                           .project_id = event_uuid(event, d, "project_id"),
                                           .contract_id = event_opt_uuid(d, "contract_id"),
                                           .subscription_id = event_opt_uuid(d, "subscription_id"),
                                           .category = event_text(event, d, "category"),
                                           .amount_fen = amount(event, d, "amount_fen"),
                                           .receipt_no = event_opt_text(d, "receipt_no"),
                                           .paid_at = paid_at,
                                           .paid_on = shanghai_day(paid_at),
                                           .reverses_entry_id = std::nullopt,
                                           .reversed_category = std::nullopt});
    } else if (event.type == "finance.entry.reversed") {
        const auto paid_at = time_or_event(event, d, "paid_at");
        adapters::insert_ledger_entry(
            tx, {.entry_id = event_uuid(event, d, "entry_id"),
                 .project_id = event_uuid(event, d, "project_id"),
                 .contract_id = event_opt_uuid(d, "contract_id"),
                 .subscription_id = event_opt_uuid(d, "subscription_id"),
                 .category = "reversal",
                 .amount_fen = amount(event, d, "amount_fen"),
                 .receipt_no = event_opt_text(d, "receipt_no"),
                 .paid_at = paid_at,
                 .paid_on = shanghai_day(paid_at),
                 .reverses_entry_id = event_uuid(event, d, "reverses_entry_id"),
                 .reversed_category = event_opt_text(d, "reversed_category")});
    }
}

void apply_customer_event(sales::db::Tx& tx, const Event& event) {
    const auto& d = event.data;
    if (event.type == "customer.created") {
        adapters::insert_customer(tx, event_uuid(event, d, "customer_id"),
                                  event_uuid(event, d, "project_id"),
                                  event_text(event, d, "owner_id"), event_text(event, d, "channel"),
                                  sales::to_string(event_date(event, d, "received_on")));
    }
}

}  // namespace reporting::app
