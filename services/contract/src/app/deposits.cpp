// CON-1 deposits: a received deposit confirms (or is flagged for refund), and the sweeper
// cancels subscriptions whose deposit did not arrive in time.
#include "app/subscriptions.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using domain::Subscription;
using sales::db::Tx;

constexpr const char* kSystemActor = "system";

domain::DepositReceipt read_receipt(const sales::bus::Event& event, std::string& subscription_id) {
    const auto& d = event.data;
    const auto poison = [&](const std::string& problem) {
        return sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);
    };
    const auto text = [&](const char* field) {
        if (!d.is_object() || !d.contains(field) || !d[field].is_string() ||
            d[field].get_ref<const std::string&>().empty()) {
            throw poison(std::string("data.") + field + " must be a non-empty string");
        }
        return d[field].get<std::string>();
    };
    subscription_id = text("subscription_id");
    domain::DepositReceipt receipt;
    receipt.receipt_no = text("receipt_no");
    receipt.paid_at = text("paid_at");
    if (!d.contains("amount_fen") || !d["amount_fen"].is_number_integer() ||
        d["amount_fen"].get<std::int64_t>() <= 0) {
        throw poison("data.amount_fen must be a positive integer (fen)");
    }
    if (!domain::is_rfc3339(receipt.paid_at))
        throw poison("data.paid_at must be an RFC 3339 timestamp");
    receipt.amount_fen = d["amount_fen"].get<std::int64_t>();
    return receipt;
}

}  // namespace

void apply_deposit_received(const Context& ctx, Tx& tx, const sales::bus::Event& event) {
    std::string id;
    const auto receipt = read_receipt(event, id);
    auto s = subscription_store::find(tx, id, /*for_update=*/true);
    if (!s) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": no subscription with id " +
                                        id);
    }
    const auto applied = domain::receive_deposit(
        *s, receipt, ctx.by(kFinanceActor, "receipt " + receipt.receipt_no));
    const nlohmann::json fields = {{"subscription_id", id},
                                   {"receipt_no", receipt.receipt_no},
                                   {"amount_fen", receipt.amount_fen},
                                   {"event_id", event.id},
                                   {"outcome", domain::to_string(applied.outcome)}};
    // A receipt applies once, even if finance re-sends it under another event id.
    if (!subscription_store::record_deposit(tx, *s, receipt, applied.outcome, event.id)) {
        sales::log::warn("deposit receipt already applied; ignored", fields);
        return;
    }
    if (applied.outcome == domain::DepositOutcome::duplicate) {
        sales::log::warn("deposit received for a subscription already paid: flagged for refund",
                         fields);
    } else if (applied.outcome == domain::DepositOutcome::orphaned) {
        sales::log::warn("deposit received after cancellation: flagged for refund", fields);
    }
    subscription_store::save(tx, *s, applied.change);
}

int expire_overdue(const Context& ctx, int batch) {
    int expired = 0;
    while (expired < batch) {
        const bool found = ctx.db.transaction([&](Tx& tx) {
            auto s = subscription_store::lock_next_overdue(tx, ctx.clock.now());
            if (!s)
                return false;
            // CON-1: no deposit by the deadline.
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

}  // namespace contract::app
