#pragma once
// REG-1 area difference 面积误差 (商品房销售管理办法 2001, art. 20) and CON-10 area settlement
// 面积补差: what the surveyed title area changes in the price of a signed contract.
//
// Money in exact integer fen, areas in centi-m². The price of an area difference is taken at
// the contract's unit price without rounding that unit price: price × Δarea ÷ contract area.
// Rounding rule (四舍五入 to the fen, once per amount):
//   difference price D = round(price × |Δ| ÷ A)
//   part up to 3%    W = round(price × min(|Δ|, 3% × A) ÷ A)
//   part beyond 3%   B = D − W          (so W + B = D exactly)
// Title area larger: the buyer pays W, the developer bears B (never charged to the buyer).
// Title area smaller: the developer refunds W + 2 × B (double the price of the part beyond 3%).
// |ratio| > 3% (exactly 3% is not beyond) lets the buyer cancel instead: a full refund of what
// was paid plus interest (refund_interest_fen).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/enum_names.hpp"

namespace contract::domain {

// Which area the contract's price was agreed on (计价方式).
enum class PricingBasis { gross, internal };
std::optional<PricingBasis> parse_pricing_basis(const std::string& text);
std::string to_string(PricingBasis basis);

// The unit's areas a deal's price was agreed on, taken when the unit is held (subscription,
// swap) and fixed on the contract at signing; 0 when not recorded (a deal made before they were).
struct DealAreas {
    std::int64_t gross_area_centi_m2 = 0;
    std::int64_t internal_area_centi_m2 = 0;
};
// An area as the API shows it: null when not recorded (0).
nlohmann::json area_or_null(std::int64_t area_centi_m2);

struct AreaSettlement {
    std::int64_t contract_area_centi_m2 = 0;
    std::int64_t title_area_centi_m2 = 0;
    std::int64_t difference_centi_m2 = 0;  // title − contract
    // (title − contract) ÷ contract in millionths, rounded toward zero (31'250 = 3.125%): for
    // display; every decision uses the exact comparison.
    std::int64_t ratio_ppm = 0;
    bool beyond_three_percent = false;       // |ratio| > 3%: the buyer may cancel (REG-1)
    std::int64_t difference_price_fen = 0;   // D: the whole difference at the contract unit price
    std::int64_t within_price_fen = 0;       // W: the part up to 3%
    std::int64_t beyond_price_fen = 0;       // B: the part beyond 3%
    std::int64_t buyer_pays_fen = 0;         // larger title area: W
    std::int64_t developer_bears_fen = 0;    // larger title area: B
    std::int64_t developer_refunds_fen = 0;  // smaller title area: W + 2B
    // The contract price after settlement if the buyer keeps the unit: price + pays − refunds.
    std::int64_t settled_price_fen = 0;
};

// Throws std::invalid_argument unless both areas and the price are positive (an operator's
// input error is refused before this is reached; this guards the arithmetic).
AreaSettlement settle_area(std::int64_t contract_price_fen, std::int64_t contract_area_centi_m2,
                           std::int64_t title_area_centi_m2);

// The settlement as the API and events show it (every field above).
nlohmann::json to_json(const AreaSettlement& s);

// Which settlement state a computed settlement starts in: beyond 3% the buyer chooses first
// (keep the unit and settle, or cancel with a full refund plus interest).
std::string initial_settlement_status(const AreaSettlement& applied);

// CON-10 steps of a settlement after it is computed:
//   awaiting_buyer_choice --keep--> to_settle
//   awaiting_buyer_choice --cancel--> buyer_cancelled (a CON-6 cancellation request refunding
//                                     everything paid plus interest follows)
//   to_settle --agree--> agreed       (the supplementary agreement 补充协议 is signed; finance
//                                     books the amount)
//   agreed --settle--> settled        (finance: the buyer paid, the developer refunded, or the
//                                     refund only reduced what the buyer still owed)
//   settled --invoice--> invoiced     (invoice number and date recorded)
//   no_difference | to_settle | awaiting_buyer_choice --supersede--> superseded (a later
//                                     survey); from any other status a later survey is not
//                                     applied (the agreement binds; an amendment changes it).
SALES_ENUM(SettlementStatus, no_difference, to_settle, awaiting_buyer_choice, buyer_cancelled,
           agreed, settled, invoiced, superseded);
SALES_ENUM(SettlementAction, keep, cancel, agree, settle, invoice, supersede);
inline constexpr auto parse_settlement_status = &sales::parse_enum<SettlementStatus>;
// Failure conflict "invalid_transition" (details: status, action) for an illegal pair.
SettlementStatus next_settlement_status(SettlementStatus from, SettlementAction action);
// A later survey may replace the settlement (it binds nobody yet).
bool settlement_replaceable(SettlementStatus status);

// Interest on a refund when the buyer cancels under REG-1: round(paid × rate × days ÷ 365),
// rate in basis points per year (e.g. 435 = 4.35%); 0 for 0 days. Throws std::invalid_argument
// for negative inputs.
std::int64_t refund_interest_fen(std::int64_t paid_fen, std::int64_t annual_rate_basis_points,
                                 std::int64_t days);

}  // namespace contract::domain
