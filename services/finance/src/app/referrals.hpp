#pragma once
// CON-11 referral points 会员积分 (domain/referral.hpp): recorded from contract.signed, confirmed
// by the cashier, credited when the buyer has paid 80% of the price, redeemed by finance.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/referral_store.hpp"
#include "app/support.hpp"
#include "sales/bus.hpp"
#include "sales/principal.hpp"

namespace finance::app {

inline constexpr const char* kReferralConfirmed = "finance.referral.confirmed";
inline constexpr const char* kReferralVoided = "finance.referral.voided";
inline constexpr const char* kReferralPointsCredited = "finance.referral_points.credited";
inline constexpr const char* kReferralPointsRedeemed = "finance.referral_points.redeemed";
inline constexpr const char* kRedemptionReversed = "finance.referral_points.redemption_reversed";

// contract.signed with data.referrer_customer_id: the referral, requested with the points of
// `price_fen` (once per contract).
void record_referral(sales::db::Tx& tx, const sales::bus::Event& event,
                     adapters::NewReferral referral, std::int64_t price_fen);
// After the balance was recomputed (recompute_clearance): credits a confirmed referral whose
// buyer has reached 80% of the price.
void referral_progress(sales::db::Tx& tx, const ContractBook& book, const domain::Balance& balance);
// contract.cancelled: a referral not credited yet is voided.
void void_referral(sales::db::Tx& tx, const std::string& contract_id);

// The cashier confirms the manager-approved application: 404 referral_not_found, 409
// invalid_transition. Credited at once when the buyer has paid 80% already.
nlohmann::json confirm_referral(const Context& ctx, const sales::Principal& caller,
                                const std::string& contract_id,
                                const std::optional<std::string>& note);
// The project's referrals, newest first, each with the buyer's progress on the price.
nlohmann::json list_referrals(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id,
                              const std::optional<std::string>& status);
// A member's points in the project: totals and entries.
nlohmann::json member_points(const Context& ctx, const sales::Principal& caller,
                             const std::string& project_id,
                             const std::string& referrer_customer_id);

struct RedemptionInput {
    std::string project_id;
    std::string referrer_customer_id;
    std::int64_t points = 0;
    std::string voucher_no;  // 会员积分兑换单 number, unique per project
    std::optional<std::string> note;
};
// 201: the entry and the new balance. 409 insufficient_points, 409 voucher_no_taken.
nlohmann::json redeem_points(const Context& ctx, const sales::Principal& caller,
                             const RedemptionInput& input);

// 红冲 of a wrong redemption: an entry giving the points back, with the reason. 404
// entry_not_found, 409 invalid_transition (not a redemption), 409 already_reversed.
nlohmann::json reverse_redemption(const Context& ctx, const sales::Principal& caller,
                                  const std::string& entry_id, const std::string& reason);

}  // namespace finance::app
