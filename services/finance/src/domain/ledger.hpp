#pragma once
// The ledger's rules (DOMAIN.md FIN-2, FIN-3, FIN-4): categories and payment methods, what a
// posting must carry and the signed amount it books, and when an entry may be reversed (红冲).
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sales/enum_names.hpp"
#include "sales/failure.hpp"

namespace finance::domain {

// FIN-2 categories; refund (FIN-4) and reversal (FIN-3) are entries of their own.
SALES_ENUM(Category, deposit, down_payment, instalment, loan_disbursement, area_settlement, fee,
           penalty, refund, reversal);
// 现金 刷卡 转账 支票 按揭银行放款
SALES_ENUM(Method, cash, card, transfer, cheque, bank_loan);
// What a posting is against: a subscription (the deposit, before a contract exists) or a
// contract.
enum class Target { subscription, contract };

inline constexpr auto parse_category = &sales::parse_enum<Category>;
inline constexpr auto parse_method = &sales::parse_enum<Method>;
std::string category_names();  // categories a cashier may post (not "reversal")

struct Posting {
    Category category;
    Target target;
    std::int64_t amount_fen;  // as entered: always > 0 (a refund's amount is what is paid out)
    bool has_approval;        // FIN-4: approval reference of an approved refund request
};

// FIN-2/FIN-4: checks a payment or refund and returns the signed amount the ledger books
// (receipts positive, refunds negative). Throws sales::Failure rule (422):
//   invalid_amount      amount ≤ 0
//   reversal_not_posted reversal is not posted directly (POST /entries/{id}/reverse)
//   deposit_needs_subscription / payment_needs_contract: deposits are paid against a
//     subscription, every other receipt against a contract (refunds: either)
//   refund_needs_approval  a refund without an approval reference
//   approval_not_expected  an approval reference on anything but a refund
std::int64_t booked_amount(const Posting& posting);

// FIN-3: a posted entry is reversed by a new entry of the opposite amount that references it.
// Throws sales::Failure conflict (409) cannot_reverse_reversal / already_reversed. Returns the
// reversal's amount.
std::int64_t reversal_amount(Category original, std::int64_t original_amount_fen,
                             bool already_reversed);

}  // namespace finance::domain
