// What changes a contract's receivable after signing, from contract's decisions (docs/events.md
// "Consumed by finance"): approved amendments rebuild the schedule (CON-5), agreed area
// settlements add or reduce what the buyer owes (CON-10), approved cancellations become refund
// approvals (CON-6) and cancelled contracts leave the arrears. After every posting, follow_ups
// tells contract when a settlement is settled or an approved refund is paid.
#include <algorithm>
#include <limits>

#include "adapters/ledger_store.hpp"
#include "adapters/receivable_store.hpp"
#include "app/event_fields.hpp"
#include "app/events.hpp"
#include "app/referrals.hpp"
#include "app/support.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/input.hpp"
#include "sales/log.hpp"
#include "sales/money.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;

std::int64_t total_of(const std::vector<domain::ScheduleItem>& items) {
    std::int64_t total = 0;
    for (const auto& i : items)
        total = sales::checked_add(total, i.amount_fen);
    return total;
}

std::int64_t paid_of(const ContractBook& book) {
    std::int64_t paid = 0;
    for (const auto& m : book.movements)
        paid = sales::checked_add(paid, m.amount_fen);
    return paid;
}

// The contract's book, locked; RetryLater until contract.signed was applied (separate consumer).
ContractBook book_or_retry(Tx& tx, const std::string& contract_id, const sales::bus::Event& e) {
    auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update);
    if (!book)
        throw sales::bus::RetryLater(e.type + " for contract " + contract_id +
                                     " before its contract.signed was applied");
    return *book;
}

void settled(Tx& tx, const adapters::Settlement& s, const std::string& how) {
    adapters::mark_settled(tx, s.settlement_id, how);
    emit(tx, kAreaSettlementSettled, s.settlement_id, 1,
         {{"settlement_id", s.settlement_id},
          {"contract_id", s.contract_id},
          {"project_id", s.project_id},
          {"how", how},
          {"buyer_pays_fen", s.buyer_pays_fen},
          {"developer_refunds_fen", s.developer_refunds_fen},
          {"refund_due_fen", s.refund_due_fen}});
    sales::log::info("area settlement settled", {{"settlement_id", s.settlement_id}, {"how", how}});
}

}  // namespace

void rebuild_schedule(Tx& tx, const sales::Clock& clock, const std::string& contract_id,
                      const std::string& cause) {
    auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update).value();
    auto base = adapters::base_schedule(tx, contract_id);
    if (!base) {
        // Scheduled before base schedules were kept: the stored items are the plan's.
        base = book.schedule;
        adapters::set_base_schedule(tx, contract_id, *base);
    }
    const auto adjustments = adapters::adjustments(tx, contract_id);
    const auto items = domain::adjusted_schedule(*base, adjustments);
    adapters::replace_schedule(tx, contract_id, items);
    const auto terms = adapters::terms(tx, contract_id);
    auto json_items = nlohmann::json::array();
    for (const auto& item : items)
        json_items.push_back(schedule_item_json(item));
    emit(tx, kScheduleChanged, contract_id,
         terms.terms_version + static_cast<std::int64_t>(adjustments.size()),
         {{"contract_id", contract_id},
          {"project_id", book.project_id},
          {"cause", cause},
          {"items", json_items},
          {"total_fen", total_of(items)},
          {"changed_at", sales::to_rfc3339(clock.now())}});
    book.schedule = items;
    recompute_clearance(tx, clock, book, cause);
    follow_ups(tx, book);
    dunning(tx, clock, book, /*open_new=*/false);
}

void follow_ups(Tx& tx, const ContractBook& book) {
    for (const auto& s : adapters::open_settlements(tx, book.contract_id)) {
        if (s.buyer_pays_fen > 0) {
            if (adapters::area_settlement_received(tx, book.contract_id) >= s.buyer_pays_fen)
                settled(tx, s, "received");
        } else if (s.refund_due_fen > 0 &&
                   adapters::refunded_for(tx, "area_settlement", s.settlement_id) >=
                       s.refund_due_fen) {
            settled(tx, s, "refunded");
        }
    }
    for (const auto& a : adapters::unpaid_approvals(tx, book.contract_id)) {
        if (adapters::refunded_on_approval(tx, a.id) < a.amount_fen)
            continue;
        adapters::mark_approval_paid(tx, a.id);
        emit(tx, kRefundPaid, a.id, 1,
             {{"approval_id", a.id},
              {"contract_id", a.contract_id},
              {"project_id", a.project_id},
              {"purpose", a.purpose},
              {"source_id", a.source_id},
              {"amount_fen", a.amount_fen}});
    }
}

void apply_contract_event(Tx& tx, const sales::Clock& clock, const sales::bus::Event& event) {
    if (event.type.starts_with("contract.subscription."))
        apply_subscription_event(tx, event);
    else if (event.type == kContractSigned)
        apply_contract_signed(tx, clock, event);
    else
        apply_contract_change_event(tx, clock, event);
}

void apply_contract_change_event(Tx& tx, const sales::Clock& clock,
                                 const sales::bus::Event& event) {
    if (event.type == kAmendmentApproved)
        apply_amendment_approved(tx, clock, event);
    else if (event.type == kAreaSettlementAgreed)
        apply_area_settlement_agreed(tx, clock, event);
    else if (event.type == kCancellationApproved)
        apply_cancellation_approved(tx, event);
    else if (event.type == kContractCancelled)
        apply_contract_cancelled(tx, clock, event);
    // Other contract.* types change nothing in finance.
}

void apply_amendment_approved(Tx& tx, const sales::Clock& clock, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = event_uuid(event, d, "contract_id");
    const auto version =
        event_integer(event, d, "version", 1, std::numeric_limits<std::int64_t>::max());
    const auto& terms_json = event_object(event, d, "terms");
    const auto price =
        event_integer(event, terms_json, "price_fen", 1, sales::service::kMaxFen, "data.terms.");
    const auto kind =
        domain::parse_plan_kind(event_text(event, terms_json, "payment_plan", "data.terms."));
    if (!kind)
        poison_event(event, "data.terms.payment_plan must be one_off, instalments or mortgage");
    const auto plan = event_plan(event, terms_json, *kind, price, "data.terms.");
    auto book = book_or_retry(tx, contract_id, event);
    const auto current = adapters::terms(tx, contract_id);
    if (current.cancelled || version <= current.terms_version) {
        sales::log::info("amendment older than the terms applied, or contract cancelled; ignored",
                         {{"contract_id", contract_id}, {"version", version}});
        return;
    }
    std::vector<domain::ScheduleItem> base;
    try {
        base = domain::build_schedule(plan, price, current.ledger_deposit_fen);
    } catch (const sales::Failure& e) {
        poison_event(event, e.what());
    }
    adapters::set_terms(tx, contract_id, price, std::string(domain::to_string(*kind)), base,
                        version);
    try {
        rebuild_schedule(tx, clock, contract_id,
                         "amendment " + event_text(event, d, "amendment_id", "data."));
    } catch (const sales::Failure& e) {
        poison_event(event, e.what());  // e.g. a settlement reduction larger than the new price
    }
}

void apply_area_settlement_agreed(Tx& tx, const sales::Clock& clock,
                                  const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = event_uuid(event, d, "contract_id");
    const auto settlement_id = event_uuid(event, d, "settlement_id");
    const auto pays = event_integer(event, d, "buyer_pays_fen", 0, sales::service::kMaxFen);
    const auto refunds =
        event_integer(event, d, "developer_refunds_fen", 0, sales::service::kMaxFen);
    if (pays > 0 && refunds > 0)
        poison_event(event, "a settlement either charges or refunds the buyer, not both");
    const auto actor = event_text(event, d, "agreed_by", "data.");
    auto book = book_or_retry(tx, contract_id, event);
    if (adapters::settlement(tx, settlement_id)) {
        sales::log::info("area settlement booked already; ignored",
                         {{"settlement_id", settlement_id}});
        return;
    }
    const auto today = sales::shanghai_date(clock.now());
    if (pays > 0) {
        const auto due = event_date(event, d, "payment_due_date", "data.");
        adapters::insert_adjustment(
            tx, {sales::new_uuid(), contract_id, domain::ItemKind::area_settlement, settlement_id,
                 "面积补差款", pays, due, actor, event.id, std::nullopt, std::nullopt});
    } else if (refunds > 0) {
        adapters::insert_adjustment(
            tx, {sales::new_uuid(), contract_id, domain::ItemKind::area_settlement, settlement_id,
                 "面积补差退款", -refunds, today, actor, event.id, std::nullopt, std::nullopt});
    }
    if (pays > 0 || refunds > 0) {
        try {
            rebuild_schedule(tx, clock, contract_id, "area settlement " + settlement_id);
        } catch (const sales::Failure& e) {
            poison_event(event, e.what());
        }
        book = adapters::load_book(tx, contract_id, adapters::Lock::for_update).value();
    }
    // What the buyer paid beyond the reduced price is paid back; the rest of the developer's
    // refund only reduced what the buyer still owed.
    const auto over = paid_of(book) - total_of(book.schedule);
    const adapters::Settlement s{
        settlement_id, contract_id, book.project_id,
        pays,          refunds,     refunds > 0 ? std::clamp<std::int64_t>(over, 0, refunds) : 0,
        false};
    adapters::insert_settlement(tx, s);
    if (pays == 0 && s.refund_due_fen == 0)
        settled(tx, s, refunds > 0 ? "reduced" : "nothing_due");
    else
        follow_ups(tx, book);
}

void apply_cancellation_approved(Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = event_uuid(event, d, "contract_id");
    const auto request_id = event_uuid(event, d, "refund_request_id");
    const auto refund = event_integer(event, d, "refund_fen", 1, sales::service::kMaxFen);
    const auto reason = event_text(event, d, "reason", "data.");
    const auto approved_by = event_text(event, d, "approved_by", "data.");
    const auto book = book_or_retry(tx, contract_id, event);
    if (refund > paid_of(book)) {
        sales::log::warn(
            "approved cancellation refunds more than the ledger holds for the "
            "contract; the cashier cannot pay it until the difference is resolved",
            {{"contract_id", contract_id}, {"refund_fen", refund}, {"paid_fen", paid_of(book)}});
    }
    adapters::insert_purposed_approval(
        tx, {sales::new_uuid(), book.project_id, contract_id, "contract_cancellation", request_id,
             refund, "退房退款（CON-6）：" + reason, approved_by});
}

void apply_contract_cancelled(Tx& tx, const sales::Clock& clock, const sales::bus::Event& event) {
    const auto contract_id = event_uuid(event, event.data, "contract_id");
    if (const auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update)) {
        adapters::set_cancelled(tx, contract_id);
        dunning(tx, clock, *book, /*open_new=*/false);  // open notices close with the contract
        void_referral(tx, contract_id);                 // CON-11
    }
}

}  // namespace finance::app

namespace finance::app {

nlohmann::json add_fee(const Context& ctx, const sales::Principal& caller,
                       const std::string& contract_id, const FeeInput& input) {
    if (!sales::is_uuid(contract_id))
        sales::fail_not_found("contract", contract_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update);
        if (!book || !caller.in_project(book->project_id))
            sales::fail_not_found("contract", contract_id);
        if (adapters::terms(tx, contract_id).cancelled) {
            sales::fail_conflict("contract_cancelled", "the contract is cancelled: nothing is owed",
                                 {{"contract_id", contract_id}});
        }
        const auto id = sales::new_uuid();
        adapters::insert_adjustment(
            tx, {id, contract_id, domain::ItemKind::fee, id, domain::fee_label(input.kind),
                 input.amount_fen, input.due_date, caller.user_id, std::nullopt,
                 std::string(domain::to_string(input.kind)), input.note});
        rebuild_schedule(tx, ctx.clock, contract_id, "fee " + id);
        for (const auto& fee : adapters::adjustment_rows(tx, contract_id, domain::ItemKind::fee)) {
            if (fee["id"] == id)
                return fee;
        }
        throw std::logic_error("fee " + id + " vanished in its own transaction");
    });
}

nlohmann::json list_fees(const Context& ctx, const sales::Principal& caller,
                         const std::string& contract_id) {
    if (!sales::is_uuid(contract_id))
        sales::fail_not_found("contract", contract_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto project = adapters::contract_project(tx, contract_id);
        if (!project || !caller.in_project(*project))
            sales::fail_not_found("contract", contract_id);
        return nlohmann::json{
            {"items", adapters::adjustment_rows(tx, contract_id, domain::ItemKind::fee)}};
    });
}

}  // namespace finance::app
