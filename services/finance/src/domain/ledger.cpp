#include "domain/ledger.hpp"

#include "sales/enum_names.hpp"

namespace finance::domain {
namespace {

constexpr sales::EnumNames<Category, 9> kCategories{{{
    {Category::deposit, "deposit"},
    {Category::down_payment, "down_payment"},
    {Category::instalment, "instalment"},
    {Category::loan_disbursement, "loan_disbursement"},
    {Category::area_settlement, "area_settlement"},
    {Category::fee, "fee"},
    {Category::penalty, "penalty"},
    {Category::refund, "refund"},
    {Category::reversal, "reversal"},
}}};

constexpr sales::EnumNames<Method, 5> kMethods{{{
    {Method::cash, "cash"},
    {Method::card, "card"},
    {Method::transfer, "transfer"},
    {Method::cheque, "cheque"},
    {Method::bank_loan, "bank_loan"},
}}};

}  // namespace

std::string_view to_string(Category v) {
    return kCategories.name(v);
}

std::string_view to_string(Method v) {
    return kMethods.name(v);
}

std::optional<Category> parse_category(std::string_view text) {
    return kCategories.parse(text);
}

std::optional<Method> parse_method(std::string_view text) {
    return kMethods.parse(text);
}

std::string category_names() {
    std::string out;
    for (const auto& [c, name] : kCategories.items) {
        if (c == Category::reversal)
            continue;
        out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
}

std::string method_names() {
    return kMethods.list();
}

std::int64_t booked_amount(const Posting& p) {
    if (p.amount_fen <= 0)
        sales::fail_rule("invalid_amount", "amount_fen must be a positive number of fen");
    switch (p.category) {
        case Category::reversal:
            sales::fail_rule("reversal_not_posted",
                             "a reversal (红冲) is made with POST /api/v1/entries/{id}/reverse");
        case Category::refund:
            // FIN-4: refunds need an approved refund request.
            if (!p.has_approval)
                sales::fail_rule("refund_needs_approval",
                                 "a refund needs approval_ref: an approved refund request");
            return -p.amount_fen;
        case Category::deposit:
            if (p.target != Target::subscription)
                sales::fail_rule("deposit_needs_subscription",
                                 "a deposit is paid against a subscription (subscription_id)");
            break;
        default:
            if (p.target != Target::contract)
                sales::fail_rule("payment_needs_contract",
                                 "only deposits and refunds are posted against a subscription; "
                                 "this category needs contract_id");
            break;
    }
    if (p.has_approval)
        sales::fail_rule("approval_not_expected", "approval_ref is only for refunds");
    return p.amount_fen;
}

std::int64_t reversal_amount(Category original, std::int64_t original_amount_fen,
                             bool already_reversed) {
    // FIN-3: reversals are never reversed themselves (re-enter the entry instead), and an entry
    // is reversed at most once.
    if (original == Category::reversal)
        sales::fail_conflict("cannot_reverse_reversal",
                             "a reversal is never reversed; post the entry again instead");
    if (already_reversed)
        sales::fail_conflict("already_reversed", "this entry has already been reversed");
    return -original_amount_fen;
}

}  // namespace finance::domain
