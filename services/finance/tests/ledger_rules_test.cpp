// FIN-2 postings, FIN-3 reversals, FIN-4 refunds: the pure rules.
#include <gtest/gtest.h>

#include "domain/ledger.hpp"

namespace {
using namespace finance::domain;

using Kind = sales::Failure::Kind;

// The code of the rule (422) a posting breaks, or "ok".
std::string code_of(const Posting& p) {
    try {
        booked_amount(p);
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), Kind::rule) << e.code();
        return e.code();
    }
    return "ok";
}

TEST(LedgerFin2, ReceiptsBookPositiveAmounts) {
    EXPECT_EQ(booked_amount({Category::deposit, Target::subscription, 5'000'000, false}),
              5'000'000);
    EXPECT_EQ(booked_amount({Category::instalment, Target::contract, 1, false}), 1);
    EXPECT_EQ(code_of({Category::instalment, Target::contract, 0, false}), "invalid_amount");
    EXPECT_EQ(code_of({Category::fee, Target::contract, -5, false}), "invalid_amount");
}

TEST(LedgerFin2, DepositsGoAgainstSubscriptionsAndEverythingElseAgainstContracts) {
    EXPECT_EQ(code_of({Category::deposit, Target::contract, 10, false}),
              "deposit_needs_subscription");
    EXPECT_EQ(code_of({Category::down_payment, Target::subscription, 10, false}),
              "payment_needs_contract");
    EXPECT_EQ(code_of({Category::penalty, Target::contract, 10, false}), "ok");
}

TEST(LedgerFin4, RefundsNeedAnApprovalAndBookNegative) {
    EXPECT_EQ(code_of({Category::refund, Target::contract, 10, false}), "refund_needs_approval");
    EXPECT_EQ(booked_amount({Category::refund, Target::contract, 10, true}), -10);
    EXPECT_EQ(booked_amount({Category::refund, Target::subscription, 10, true}), -10);
    EXPECT_EQ(code_of({Category::instalment, Target::contract, 10, true}), "approval_not_expected");
}

TEST(LedgerFin3, ReversalsAreNotPostedDirectlyAreOncePerEntryAndNeverReversed) {
    EXPECT_EQ(code_of({Category::reversal, Target::contract, 10, false}), "reversal_not_posted");
    EXPECT_EQ(reversal_amount(Category::instalment, 1'000, false), -1'000);
    EXPECT_EQ(reversal_amount(Category::refund, -500, false), 500);
    try {
        reversal_amount(Category::instalment, 1'000, true);
        FAIL();
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), Kind::conflict);
        EXPECT_EQ(e.code(), "already_reversed");
    }
    try {
        reversal_amount(Category::reversal, -1'000, false);
        FAIL();
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), Kind::conflict);
        EXPECT_EQ(e.code(), "cannot_reverse_reversal");
    }
}

TEST(LedgerFin2, NamesRoundTrip) {
    for (auto c : {Category::deposit, Category::down_payment, Category::instalment,
                   Category::loan_disbursement, Category::area_settlement, Category::fee,
                   Category::penalty, Category::refund, Category::reversal})
        EXPECT_EQ(parse_category(to_string(c)), c);
    for (auto m : {Method::cash, Method::card, Method::transfer, Method::cheque, Method::bank_loan})
        EXPECT_EQ(parse_method(to_string(m)), m);
    EXPECT_FALSE(parse_category("Deposit"));
    EXPECT_EQ(category_names().find("reversal"), std::string::npos);
}

}  // namespace
