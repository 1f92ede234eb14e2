#include "domain/referral.hpp"

#include "sales/failure.hpp"

namespace finance::domain {
namespace {

bool is_price_item(ItemKind kind) {
    return kind != ItemKind::area_settlement && kind != ItemKind::fee;
}

}  // namespace

std::int64_t referral_points(std::int64_t price_fen) {
    return price_fen > 0 ? price_fen / kFenPerReferralPoint : 0;
}

PriceProgress price_progress(const Balance& balance) {
    PriceProgress p;
    for (const auto& item : balance.items) {
        if (!is_price_item(item.kind))
            continue;
        p.price_fen += item.amount_fen;
        p.paid_fen += item.paid_fen;
    }
    return p;
}

bool referral_threshold_reached(const PriceProgress& progress) {
    return progress.price_fen > 0 &&
           static_cast<__int128>(progress.paid_fen) * 100 >=
               static_cast<__int128>(progress.price_fen) * kRedeemablePaidPercent;
}

ReferralStep confirm_referral(ReferralStatus from, const PriceProgress& progress) {
    if (from != ReferralStatus::requested) {
        sales::fail_conflict("invalid_transition",
                             "the referral is " + std::string(to_string(from)) +
                                 ": only a requested one is confirmed",
                             {{"status", to_string(from)}});
    }
    if (referral_threshold_reached(progress))
        return {ReferralStatus::redeemable, true};
    return {ReferralStatus::confirmed, false};
}

ReferralStep referral_after_payment(ReferralStatus from, const PriceProgress& progress) {
    if (from == ReferralStatus::confirmed && referral_threshold_reached(progress))
        return {ReferralStatus::redeemable, true};
    return {from, false};
}

ReferralStatus referral_after_cancellation(ReferralStatus from) {
    return from == ReferralStatus::redeemable ? from : ReferralStatus::voided;
}

void check_redemption(std::int64_t balance_points, std::int64_t points) {
    if (points <= 0)
        sales::fail_rule("invalid_points", "points to redeem must be positive", {});
    if (points > balance_points) {
        sales::fail_conflict("insufficient_points",
                             "the member has " + std::to_string(balance_points) +
                                 " redeemable points, fewer than the " + std::to_string(points) +
                                 " asked",
                             {{"balance_points", balance_points}, {"points", points}});
    }
}

void check_reversible(std::string_view kind) {
    if (kind != "redemption") {
        sales::fail_conflict("invalid_transition",
                             "only a redemption is reversed; this entry is a " + std::string(kind),
                             {{"kind", kind}});
    }
}

}  // namespace finance::domain
