// CON-1 deposits judged by the money: a received deposit counts when finance took it by the
// deadline (paid_at), whenever its event arrives; the sweeper cancels subscriptions whose deposit
// is not known by the deadline, and a late-delivered on-time deposit re-takes the unit. FIN-3:
// a reversed deposit puts the subscription back to awaiting its deposit.
#include "app/deposits.hpp"

#include "adapters/subscription_store.hpp"
#include "app/event_fields.hpp"
#include "app/mortgages.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using domain::Subscription;
using sales::db::Tx;

constexpr const char* kSystemActor = "system";

domain::DepositReceipt read_receipt(const sales::bus::Event& event, std::string& subscription_id) {
    const auto& d = event.data;
    subscription_id = text_field(event, "subscription_id");
    domain::DepositReceipt receipt;
    receipt.receipt_no = text_field(event, "receipt_no");
    receipt.paid_at = text_field(event, "paid_at");
    receipt.entry_id = opt_uuid_field(event, "entry_id");
    if (!d.contains("amount_fen") || !d["amount_fen"].is_number_integer() ||
        d["amount_fen"].get<std::int64_t>() <= 0) {
        throw poison(event, "data.amount_fen must be a positive integer (fen)");
    }
    if (!domain::is_rfc3339(receipt.paid_at))
        throw poison(event, "data.paid_at must be an RFC 3339 timestamp");
    receipt.amount_fen = d["amount_fen"].get<std::int64_t>();
    return receipt;
}

Subscription lock_subscription(Tx& tx, const sales::bus::Event& event, const std::string& id) {
    auto s = subscription_store::find(tx, id, /*for_update=*/true);
    if (!s)
        throw poison(event, "no subscription with id " + id);
    return *s;
}

// Applies the receipt the domain's way (confirm, partial, late, orphaned, duplicate).
void apply_receipt(const Context& ctx, Tx& tx, Subscription& s,
                   const domain::DepositReceipt& receipt, const sales::bus::Event& event) {
    const auto applied =
        domain::receive_deposit(s, receipt, ctx.by(kFinanceActor, "receipt " + receipt.receipt_no));
    const nlohmann::json fields = {{"subscription_id", s.id},
                                   {"receipt_no", receipt.receipt_no},
                                   {"amount_fen", receipt.amount_fen},
                                   {"paid_at", receipt.paid_at},
                                   {"deposit_deadline", sales::to_rfc3339(s.deposit_deadline)},
                                   {"event_id", event.id},
                                   {"outcome", domain::to_string(applied.outcome)}};
    // A receipt applies once, even if finance re-sends it under another event id.
    if (!subscription_store::record_deposit(tx, s, receipt, applied.outcome, event.id)) {
        sales::log::warn("deposit receipt already applied; ignored", fields);
        return;
    }
    if (applied.outcome == domain::DepositOutcome::duplicate) {
        sales::log::warn("deposit received for a subscription already paid: flagged for refund",
                         fields);
    } else if (applied.outcome == domain::DepositOutcome::orphaned) {
        sales::log::warn("deposit received after cancellation: flagged for refund", fields);
    } else if (applied.outcome == domain::DepositOutcome::late) {
        sales::log::warn(
            "deposit paid after the deadline (CON-1): subscription cancelled, "
            "flagged for refund",
            fields);
    }
    subscription_store::save(tx, s, applied.change);
}

// CON-1 late delivery of an on-time deposit after the sweeper cancelled: re-take the unit if it
// is still free, else flag the money for refund and open a deposit case (never silently).
void reinstate_or_open_case(const Context& ctx, InventoryClient& inventory, Tx& tx, Subscription& s,
                            const domain::DepositReceipt& receipt, const sales::bus::Event& event) {
    // A receipt applies once: a re-sent one must not hold the unit again.
    if (subscription_store::deposit_recorded(tx, s.project_id, receipt.receipt_no)) {
        sales::log::warn("deposit receipt already applied; ignored",
                         {{"subscription_id", s.id}, {"receipt_no", receipt.receipt_no}});
        return;
    }
    // Held until the hold grace past now: the confirmation follows at once (this commit).
    const auto hold_until = sales::to_rfc3339(ctx.clock.now() + ctx.hold_grace);
    std::optional<HoldReply> reply;
    std::string failure;
    try {
        reply = inventory.hold(s.unit_id, s.id, hold_until, kFinanceActor, std::nullopt);
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (reply && reply->result == HoldReply::Result::held) {
        const auto change = domain::reinstate(
            s, receipt,
            ctx.by(kFinanceActor, "deposit receipt " + receipt.receipt_no + " paid at " +
                                      receipt.paid_at + ", by the deadline " +
                                      sales::to_rfc3339(s.deposit_deadline) +
                                      ", arrived after the sweeper cancelled: unit re-taken "
                                      "(CON-1)"));
        subscription_store::record_deposit(tx, s, receipt, domain::DepositOutcome::reinstated,
                                           event.id);
        subscription_store::save(tx, s, change);
        sales::log::info(
            "late-delivered deposit paid on time: unit re-taken, subscription "
            "reinstated (CON-1)",
            {{"subscription_id", s.id},
             {"unit_id", s.unit_id},
             {"receipt_no", receipt.receipt_no},
             {"paid_at", receipt.paid_at}});
        return;
    }
    std::string why;
    if (!reply) {
        // The hold may still happen: release it; inventory's hold expiry is the safety net.
        inventory.release_quietly(s.unit_id, s.id, kFinanceActor,
                                  "late deposit: re-take not confirmed");
        why = "inventory did not answer the re-take of the unit" +
              (failure.empty() ? std::string() : " (" + failure + ")");
    } else if (reply->result == HoldReply::Result::conflict) {
        why = "the unit was taken meanwhile (it is " + reply->status + ")";
    } else {
        why = "inventory refused the re-take of the unit (" + reply->message + ")";
    }
    why = "deposit paid on time (" + receipt.paid_at +
          ") but delivered after the sweeper cancelled; " + why +
          ": refund it or swap to a free unit (CON-1)";
    const auto deadline = sales::to_rfc3339(s.deposit_deadline);
    apply_receipt(ctx, tx, s, receipt, event);  // cancelled: orphaned, flagged for refund
    deposit_case_store::open(tx, {.id = sales::new_uuid(),
                                  .project_id = s.project_id,
                                  .subscription_id = s.id,
                                  .unit_id = s.unit_id,
                                  .kind = "late_deposit",
                                  .receipt_no = receipt.receipt_no,
                                  .entry_id = receipt.entry_id,
                                  .amount_fen = receipt.amount_fen,
                                  .paid_at = receipt.paid_at,
                                  .deposit_deadline = deadline,
                                  .why = why,
                                  .event_id = event.id});
    sales::log::error("late deposit could not re-take its unit: deposit case opened",
                      {{"subscription_id", s.id},
                       {"unit_id", s.unit_id},
                       {"receipt_no", receipt.receipt_no},
                       {"why", why}});
}

}  // namespace

void apply_deposit_received(const Context& ctx, InventoryClient& inventory, Tx& tx,
                            const sales::bus::Event& event) {
    std::string id;
    const auto receipt = read_receipt(event, id);
    auto s = lock_subscription(tx, event, id);
    if (domain::awaits_reinstatement(s, receipt))
        reinstate_or_open_case(ctx, inventory, tx, s, receipt, event);
    else
        apply_receipt(ctx, tx, s, receipt, event);
}

void apply_entry_reversed(const Context& ctx, Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    // CON-8: a reversed loan disbursement goes back on the contract's mortgage file.
    if (d.is_object() && d.contains("reversed_category") &&
        d["reversed_category"] == kLoanDisbursement) {
        apply_disbursement_reversed(ctx, tx, event);
        return;
    }
    if (!d.is_object() || !d.contains("reversed_category") || d["reversed_category"] != "deposit")
        return;
    const auto subscription_id = opt_uuid_field(event, "subscription_id");
    if (!subscription_id)
        return;
    const auto entry_id = text_field(event, "entry_id");
    const auto reversed_entry = text_field(event, "reverses_entry_id");
    if (!d.contains("amount_fen") || !d["amount_fen"].is_number_integer() ||
        d["amount_fen"].get<std::int64_t>() == 0) {
        throw poison(event, "data.amount_fen must be a non-zero integer (fen)");
    }
    // The reversal is booked with the opposite sign of the deposit.
    const auto amount = std::abs(d["amount_fen"].get<std::int64_t>());
    auto s = lock_subscription(tx, event, *subscription_id);
    const auto deposit = subscription_store::lock_deposit_of_entry(tx, reversed_entry);
    if (!deposit) {
        // finance.deposit.received has its own consumer: it may not have been applied yet.
        throw sales::bus::RetryLater("deposit entry " + reversed_entry +
                                     " not applied yet; the reversal waits for it");
    }
    nlohmann::json fields = {{"subscription_id", s.id},
                             {"entry_id", entry_id},
                             {"reverses_entry_id", reversed_entry},
                             {"receipt_no", deposit->receipt_no},
                             {"amount_fen", amount}};
    if (deposit->reversed_by_entry_id) {
        sales::log::warn("deposit reversal already applied; ignored", fields);
        return;
    }
    subscription_store::mark_deposit_reversed(tx, reversed_entry, entry_id);
    const bool counted = deposit->outcome == "confirmed" || deposit->outcome == "partial" ||
                         deposit->outcome == "reinstated";
    const auto problem =
        counted ? domain::reversal_problem(s, amount)
                : std::optional<std::string>("the reversed receipt was " + deposit->outcome +
                                             " (flagged for refund, never counted): adjust "
                                             "the refund due");
    if (problem) {
        const auto why = "deposit receipt " + deposit->receipt_no + " reversed (FIN-3) on a " +
                         std::string(domain::to_string(s.status)) + " subscription: " + *problem;
        deposit_case_store::open(tx, {.id = sales::new_uuid(),
                                      .project_id = s.project_id,
                                      .subscription_id = s.id,
                                      .unit_id = s.unit_id,
                                      .kind = "deposit_reversed",
                                      .receipt_no = deposit->receipt_no,
                                      .entry_id = entry_id,
                                      .amount_fen = amount,
                                      .paid_at = deposit->paid_at,
                                      .deposit_deadline = sales::to_rfc3339(s.deposit_deadline),
                                      .why = why,
                                      .event_id = event.id});
        fields["why"] = why;
        sales::log::warn("deposit reversal left to an operator: deposit case opened", fields);
        return;
    }
    // Inventory holds the unit again until the deadline plus its hold grace.
    const auto change = domain::reverse_deposit(
        s, amount, entry_id,
        ctx.by(kFinanceActor, "deposit receipt " + deposit->receipt_no + " reversed (FIN-3)"));
    subscription_store::save(tx, s, change);
    fields["status"] = domain::to_string(s.status);
    fields["deposit_deadline"] = sales::to_rfc3339(s.deposit_deadline);
    sales::log::info("deposit reversed (FIN-3): subscription awaits its deposit again", fields);
}

int expire_overdue(const Context& ctx, int batch) {
    int expired = 0;
    while (expired < batch) {
        const bool found = ctx.db.transaction([&](Tx& tx) {
            auto s = subscription_store::lock_next_overdue(tx, ctx.clock.now());
            if (!s)
                return false;
            // CON-1: no deposit known by the deadline. A deposit paid on time whose event is
            // still on its way re-takes the unit when it arrives (apply_deposit_received).
            const auto change = domain::expire(
                *s, ctx.by(kSystemActor, "deposit not received by the deadline (CON-1)"));
            subscription_store::save(tx, *s, change);
            sales::log::info("subscription cancelled: deposit deadline passed",
                             {{"subscription_id", s->id}, {"unit_id", s->unit_id}});
            return true;
        });
        if (!found)
            break;
        ++expired;
    }
    return expired;
}

std::vector<nlohmann::json> list_deposit_cases(const Context& ctx, const sales::Principal& caller,
                                               const DepositCaseFilter& filter) {
    return ctx.db.transaction(
        [&](Tx& tx) { return deposit_case_store::list(tx, filter, project_scope(caller)); });
}

nlohmann::json resolve_deposit_case(const Context& ctx, const sales::Principal& caller,
                                    const std::string& id, const std::string& resolution) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto found = deposit_case_store::lock(tx, id);
        if (!found || !caller.in_project((*found)["project_id"].get<std::string>())) {
            throw sales::Failure(sales::Failure::Kind::not_found, "deposit_case_not_found",
                                 "no deposit case with id " + id, {{"deposit_case_id", id}});
        }
        if (!deposit_case_store::resolve(tx, id, resolution, caller.user_id)) {
            sales::fail_conflict("deposit_case_resolved", "the deposit case is already resolved",
                                 {{"deposit_case_id", id}});
        }
        sales::log::info("deposit case resolved", {{"deposit_case_id", id},
                                                   {"subscription_id", (*found)["subscription_id"]},
                                                   {"by", caller.user_id}});
        return deposit_case_store::lock(tx, id).value();
    });
}

}  // namespace contract::app
