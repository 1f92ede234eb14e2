#pragma once
// CON-11 referral points 会员积分 (seed 003 §3.10). Pure: no I/O.
//
//  * A member (an owner) who referred the buyer is recorded at signing; the cashier confirms the
//    manager-approved application (requested → confirmed).
//  * Points: one per full ¥1,000 of the contract price at signing (floor(price_fen / 100,000)).
//  * Redeemable once the referred buyer has paid at least 80% of the price: paid × 100 ≥
//    price × 80, in exact integers, where the price is what the schedule's price items (the
//    plan's one-off, down payment, instalments and loan, after amendments and area-settlement
//    reductions) add up to and paid is what the ledger allocated to those items. Fees and area
//    settlement receivables are not the price. The points are then credited to the referrer's
//    ledger once (confirmed → redeemable); a cancelled contract's request is voided unless it was
//    credited already.
#include <cstdint>
#include <string_view>

#include "domain/schedule.hpp"
#include "sales/enum_names.hpp"

namespace finance::domain {

inline constexpr std::int64_t kFenPerReferralPoint = 100'000;  // ¥1,000
inline constexpr std::int64_t kRedeemablePaidPercent = 80;

SALES_ENUM(ReferralStatus, requested, confirmed, redeemable, voided);
inline constexpr auto parse_referral_status = &sales::parse_enum<ReferralStatus>;

std::int64_t referral_points(std::int64_t price_fen);

struct PriceProgress {
    std::int64_t price_fen = 0;  // the schedule's price items
    std::int64_t paid_fen = 0;   // allocated to them
};
PriceProgress price_progress(const Balance& balance);
// paid × 100 ≥ price × 80 (and a price to pay).
bool referral_threshold_reached(const PriceProgress& progress);

// What a confirmation or a payment does to a request: whether it is credited now.
struct ReferralStep {
    ReferralStatus to;
    bool credit = false;
};
// The cashier confirms: only a requested one (Failure conflict invalid_transition otherwise);
// it is credited at once when the threshold is reached already.
ReferralStep confirm_referral(ReferralStatus from, const PriceProgress& progress);
// After a posting, reversal or schedule change: a confirmed request reaching the threshold is
// credited; every other state stays as it is (a credit is never taken back by a reversal).
ReferralStep referral_after_payment(ReferralStatus from, const PriceProgress& progress);
// The contract is cancelled: a request not yet credited is voided; a credited one stays.
ReferralStatus referral_after_cancellation(ReferralStatus from);

// A redemption of `points` from a balance: Failure rule invalid_points (≤ 0), conflict
// insufficient_points (more than the balance).
void check_redemption(std::int64_t balance_points, std::int64_t points);
// A wrong redemption is reversed by an entry of its own (红冲, as FIN-3): only a redemption
// (Failure conflict invalid_transition otherwise); once (the store refuses a second).
void check_reversible(std::string_view kind);

}  // namespace finance::domain
