// FIN-2 receipts and FIN-4 refunds posted by the cashier: one transaction writes the ledger row,
// the contract's recomputed clearance state and the outbox events.
#include "adapters/subscription_store.hpp"
#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/money.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;

struct Target {
    std::string project_id;
    std::optional<std::string> subscription_id;
    std::optional<ContractBook> book;  // the contract the entry counts for, locked
};

// The subscription or contract a posting is against, locked; not found when outside the
// caller's projects.
Target lock_target(Tx& tx, const sales::Principal& caller, const PaymentInput& in) {
    Target t;
    if (in.subscription_id) {
        const auto project =
            adapters::subscription_project(tx, *in.subscription_id, adapters::Lock::for_update);
        if (!project || !caller.in_project(*project)) {
            throw sales::Failure(sales::Failure::Kind::not_found, "subscription_not_found",
                                 "subscription " + *in.subscription_id +
                                     " is not known to finance (it learns subscriptions from "
                                     "contract.subscription.created) or is outside your projects",
                                 {{"subscription_id", *in.subscription_id}});
        }
        t.project_id = *project;
        t.subscription_id = in.subscription_id;
        t.book = lock_book(tx, std::nullopt, in.subscription_id);
        return t;
    }
    t.book = lock_book(tx, in.contract_id, std::nullopt);
    if (!t.book || !caller.in_project(t.book->project_id))
        sales::fail_not_found("contract", *in.contract_id);
    t.project_id = t.book->project_id;
    t.subscription_id = t.book->subscription_id;
    return t;
}

std::int64_t sum_of(const std::vector<domain::Movement>& movements) {
    std::int64_t s = 0;
    for (const auto& m : movements)
        s = sales::checked_add(s, m.amount_fen);
    return s;
}

// FIN-4: the approval must be for this target and cover the refund, which cannot exceed what
// was paid.
void check_refund(Tx& tx, const PaymentInput& in, const Target& target) {
    const auto approval = adapters::lock_approval(tx, *in.approval_ref);
    if (!approval || approval->project_id != target.project_id)
        sales::fail_not_found("approval", *in.approval_ref);
    if (approval->contract_id != in.contract_id ||
        approval->subscription_id != in.subscription_id) {
        sales::fail_rule("approval_mismatch",
                         "the refund approval is for another contract or subscription",
                         {{"approval_ref", *in.approval_ref}});
    }
    const auto used = adapters::refunded_on_approval(tx, *in.approval_ref);
    if (in.amount_fen > approval->amount_fen - used) {
        sales::fail_rule("refund_exceeds_approval",
                         "the refund is more than what remains of the approval",
                         {{"approved_fen", approval->amount_fen}, {"refunded_fen", used}});
    }
    const auto paid = in.contract_id ? sum_of(target.book->movements)
                                     : adapters::subscription_sum(tx, *in.subscription_id);
    if (in.amount_fen > paid) {
        sales::fail_rule("refund_exceeds_paid", "the refund is more than what was paid",
                         {{"paid_fen", paid}});
    }
}

}  // namespace

nlohmann::json post_payment(const Context& ctx, const sales::Principal& caller,
                            const PaymentInput& in) {
    const auto amount = domain::booked_amount(
        {in.category, in.subscription_id ? domain::Target::subscription : domain::Target::contract,
         in.amount_fen, in.approval_ref.has_value()});
    // CON-1 judges a deposit's deadline by its paid_at: that is the moment finance records the
    // money, by the database's clock, never a time the client could backdate.
    if (in.category == domain::Category::deposit && in.paid_at) {
        sales::fail_rule("paid_at_not_accepted",
                         "a deposit's paid_at is the time finance records it (CON-1 judges the "
                         "deposit deadline by it); omit paid_at",
                         {{"field", "paid_at"}});
    }
    const auto category = std::string(domain::to_string(in.category));
    adapters::NewEntry entry;
    entry.id = sales::new_uuid();
    entry.contract_id = in.contract_id;
    entry.category = category;
    entry.method = std::string(domain::to_string(in.method));
    entry.payer = in.payer;
    entry.amount_fen = amount;
    entry.receipt_no = in.receipt_no;
    entry.recorded_by = caller.user_id;
    entry.approval_ref = in.approval_ref;
    entry.note = in.note;
    return ctx.db.transaction([&](Tx& tx) {
        // One clock: the database's (paid_at defaults to it; FIN-2 "today" is its day).
        const auto now = adapters::database_now(tx);
        const auto paid_at = in.paid_at.value_or(now);
        if (paid_at > now + std::chrono::minutes(5))
            sales::fail_invalid("paid_at", "must not be in the future");
        // FIN-2: entered the same day (Asia/Shanghai).
        if (sales::shanghai_date(paid_at) != sales::shanghai_date(now)) {
            sales::fail_rule("late_entry",
                             "payments are entered the same day they are received (FIN-2); "
                             "paid_at is not today in Asia/Shanghai",
                             {{"paid_at", sales::to_rfc3339(paid_at)}});
        }
        const auto day = sales::shanghai_date(paid_at);
        entry.paid_at = sales::to_rfc3339(paid_at);
        entry.booked_on = entry.effective_on = sales::to_string(day);
        auto target = lock_target(tx, caller, in);
        if (in.category == domain::Category::refund)
            check_refund(tx, in, target);
        adapters::check_receipt_free(tx, target.project_id, in.receipt_no);
        auto row = entry;
        row.project_id = target.project_id;
        row.subscription_id = target.subscription_id;
        adapters::insert_entry(tx, row);
        emit(tx, kPaymentRecorded, row.id, 1,
             {{"entry_id", row.id},
              {"project_id", row.project_id},
              {"contract_id", sales::db::nullable(in.contract_id)},
              {"subscription_id", sales::db::nullable(row.subscription_id)},
              {"category", category},
              {"amount_fen", amount},
              {"receipt_no", in.receipt_no},
              {"paid_at", row.paid_at}});
        if (in.category == domain::Category::deposit) {
            emit(tx, kDepositReceived, *in.subscription_id, 1,
                 {{"subscription_id", *in.subscription_id},
                  {"project_id", row.project_id},
                  {"amount_fen", amount},
                  {"receipt_no", in.receipt_no},
                  {"paid_at", row.paid_at},
                  {"entry_id", row.id}});
        }
        if (target.book) {
            target.book->movements.push_back({day, amount});
            recompute_clearance(tx, ctx.clock, *target.book, category + " " + row.id);
            follow_ups(tx, *target.book);
            dunning(tx, ctx.clock, *target.book, /*open_new=*/false);
        }
        return adapters::find_entry(tx, row.id).value();
    });
}

}  // namespace finance::app
