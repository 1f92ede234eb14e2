#include "domain/ledger.hpp"

namespace finance::domain {

std::string category_names() {
    std::string out;
    for (const auto& [c, name] : sales::enum_names<Category>().items) {
        if (c == Category::reversal)
            continue;
        out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
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
