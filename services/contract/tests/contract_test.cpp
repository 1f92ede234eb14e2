// Contract rules without a database: CON-3 numbering, plan and signing rules, CON-4 audit
// chain order and every rejection path, CON-5 amendment semantics, CON-9 eligibility.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/contract.hpp"

namespace {
using namespace contract::domain;
using nlohmann::json;

Date day(const char* text) {
    return *parse_date(text);
}

// ---- CON-3 numbering ----

TEST(ContractNumber, YearProjectCodeAndSixDigitSerial) {
    EXPECT_EQ(contract_number(2026, "HX01", 123), "2026-HX01-000123");
    EXPECT_EQ(contract_number(2026, "HX01", 1), "2026-HX01-000001");
    EXPECT_EQ(contract_number(2027, "A1", 999'999), "2027-A1-999999");
    EXPECT_EQ(contract_number(2027, "A1", 1'000'000), "2027-A1-1000000");  // widens, never wraps
}

TEST(ContractNumber, ConsecutiveSerialsAreDistinctAndSortInOrder) {
    std::set<std::string> seen;
    std::string previous;
    for (std::int64_t serial = 1; serial <= 2000; ++serial) {
        const auto n = contract_number(2026, "HX01", serial);
        EXPECT_TRUE(seen.insert(n).second) << n;
        EXPECT_LT(previous, n);
        previous = n;
    }
}

TEST(ContractNumber, RefusesImpossibleParts) {
    EXPECT_THROW(contract_number(2026, "HX01", 0), std::invalid_argument);
    EXPECT_THROW(contract_number(2026, "HX01", -5), std::invalid_argument);
    EXPECT_THROW(contract_number(99, "HX01", 1), std::invalid_argument);
    EXPECT_THROW(contract_number(2026, "", 1), std::invalid_argument);
}

// ---- plans ----

std::optional<Plan> parse(const json& j, std::vector<FieldProblem>& problems) {
    return parse_plan(j, day("2026-05-01"), problems);
}

TEST(Plan, ReadsTheThreeKindsAndRoundTrips) {
    std::vector<FieldProblem> problems;
    const json one = {{"kind", "one_off"}, {"due_date", "2026-05-20"}};
    const json inst = {{"kind", "instalments"},
                       {"instalments",
                        {{{"due_date", "2026-06-01"}, {"amount_fen", 60}},
                         {{"due_date", "2026-07-01"}, {"amount_fen", 40}}}}};
    const json mort = {{"kind", "mortgage"},
                       {"down_payment_fen", 30},
                       {"down_payment_due_date", "2026-05-10"},
                       {"loan_fen", 70},
                       {"loan_expected_date", "2026-08-01"}};
    for (const auto& j : {one, inst, mort}) {
        const auto p = parse(j, problems);
        ASSERT_TRUE(p) << j.dump() << (problems.empty() ? "" : problems.front().problem);
        EXPECT_EQ(to_json(*p), j);
    }
    EXPECT_EQ(plan_total(*parse(inst, problems), 0), 100);
    EXPECT_EQ(plan_total(*parse(mort, problems), 0), 100);
    EXPECT_EQ(plan_total(*parse(one, problems), 555), 555);
}

TEST(Plan, ShapeProblemsAreNamedByField) {
    const auto problem_of = [](const json& j) {
        std::vector<FieldProblem> problems;
        EXPECT_FALSE(parse(j, problems)) << j.dump();
        return problems.empty() ? std::string() : problems.front().field;
    };
    EXPECT_EQ(problem_of(json::array()), "plan");
    EXPECT_EQ(problem_of({{"kind", "cash"}}), "plan.kind");
    EXPECT_EQ(problem_of({{"kind", "one_off"}}), "plan.due_date");
    EXPECT_EQ(problem_of({{"kind", "one_off"}, {"due_date", "2026-02-30"}}), "plan.due_date");
    EXPECT_EQ(problem_of({{"kind", "one_off"}, {"due_date", "2026-04-30"}}), "plan.due_date")
        << "before today";
    EXPECT_EQ(problem_of({{"kind", "one_off"}, {"due_date", "2026-05-20"}, {"x", 1}}), "plan.x");
    EXPECT_EQ(problem_of({{"kind", "instalments"},
                          {"instalments", {{{"due_date", "2026-06-01"}, {"amount_fen", 1}}}}}),
              "plan.instalments")
        << "one instalment is not a plan of instalments";
    EXPECT_EQ(problem_of({{"kind", "instalments"},
                          {"instalments",
                           {{{"due_date", "2026-06-01"}, {"amount_fen", 1}},
                            {{"due_date", "2026-07-01"}, {"amount_fen", 1.5}}}}}),
              "plan.instalments[1].amount_fen");
    EXPECT_EQ(problem_of({{"kind", "instalments"},
                          {"instalments",
                           {{{"due_date", "2026-07-01"}, {"amount_fen", 1}},
                            {{"due_date", "2026-06-01"}, {"amount_fen", 1}}}}}),
              "plan.instalments[1].due_date");
    EXPECT_EQ(problem_of({{"kind", "mortgage"},
                          {"down_payment_fen", 0},
                          {"down_payment_due_date", "2026-05-10"},
                          {"loan_fen", 70},
                          {"loan_expected_date", "2026-08-01"}}),
              "plan.down_payment_fen");
    json many = {{"kind", "instalments"}, {"instalments", json::array()}};
    for (int i = 0; i < 61; ++i)
        many["instalments"].push_back({{"due_date", "2026-06-01"}, {"amount_fen", 1}});
    EXPECT_EQ(problem_of(many), "plan.instalments");
}

TEST(Plan, MustBeTheSubscriptionsKindAndSumToThePrice) {
    std::vector<FieldProblem> problems;
    const auto mort = *parse({{"kind", "mortgage"},
                              {"down_payment_fen", 30},
                              {"down_payment_due_date", "2026-05-10"},
                              {"loan_fen", 70},
                              {"loan_expected_date", "2026-08-01"}},
                             problems);
    EXPECT_NO_THROW(check_plan(mort, PaymentPlan::mortgage, 100));
    try {
        check_plan(mort, PaymentPlan::mortgage, 101);
        ADD_FAILURE() << "a plan one fen short was accepted";
    } catch (const RuleViolation& e) {
        EXPECT_EQ(e.code(), "plan_does_not_sum_to_price");
        EXPECT_EQ(e.details()["plan_total_fen"], 100);
    }
    try {
        check_plan(mort, PaymentPlan::instalments, 100);
        ADD_FAILURE();
    } catch (const RuleViolation& e) {
        EXPECT_EQ(e.code(), "plan_kind_mismatch");
    }
}

// ---- CON-3 signing rules ----

TEST(SigningRules, DiscountBeyondTheStandardNeedsASlipExactlyAtTheBoundary) {
    // 3% (300 bp) of 1,000,000 fen is 30,000 fen.
    EXPECT_FALSE(discount_needs_slip(0, 1'000'000, 300));
    EXPECT_FALSE(discount_needs_slip(30'000, 1'000'000, 300));
    EXPECT_TRUE(discount_needs_slip(30'001, 1'000'000, 300));
    EXPECT_TRUE(discount_needs_slip(1, 1'000'000, 0));
    // No overflow for the largest amounts.
    EXPECT_FALSE(discount_needs_slip(INT64_MAX / 2, INT64_MAX, 5'000));
}

TEST(SigningRules, LateSigningCountsCalendarDaysAfterTheSubscriptionDay) {
    EXPECT_FALSE(signing_is_late(day("2026-05-01"), day("2026-05-01"), 30));
    EXPECT_FALSE(signing_is_late(day("2026-05-01"), day("2026-05-31"), 30));
    EXPECT_TRUE(signing_is_late(day("2026-05-01"), day("2026-06-01"), 30));
    EXPECT_TRUE(signing_is_late(day("2026-12-15"), day("2027-01-15"), 30));  // across the year
}

TEST(SigningRules, AnApprovalIsUsableOnlyWhenApprovedForThisSubscriptionAndUnused) {
    Approval slip{"a1",        ApprovalKind::discount_slip, "approved", "s1", std::nullopt, 50'000,
                  std::nullopt};
    EXPECT_NO_THROW(check_approval(slip, ApprovalKind::discount_slip, "s1", 50'000));
    EXPECT_NO_THROW(check_approval(slip, ApprovalKind::discount_slip, "s1", 40'000));
    const auto refused = [](const Approval& a, ApprovalKind kind, const std::string& s,
                            std::int64_t discount) {
        try {
            check_approval(a, kind, s, discount);
            return std::string("accepted");
        } catch (const RuleViolation& e) {
            EXPECT_EQ(e.code(), "approval_not_usable");
            return std::string(e.what());
        }
    };
    EXPECT_NE(refused(slip, ApprovalKind::discount_slip, "s1", 50'001).find("smaller"),
              std::string::npos);
    EXPECT_NE(refused(slip, ApprovalKind::discount_slip, "s2", 1).find("another subscription"),
              std::string::npos);
    EXPECT_NE(refused(slip, ApprovalKind::late_signing, "s1", 1).find("discount_slip"),
              std::string::npos);
    auto pending = slip;
    pending.status = "requested";
    EXPECT_NE(refused(pending, ApprovalKind::discount_slip, "s1", 1).find("not approved"),
              std::string::npos);
    auto rejected = slip;
    rejected.status = "rejected";
    EXPECT_NE(refused(rejected, ApprovalKind::discount_slip, "s1", 1).find("not approved"),
              std::string::npos);
    auto used = slip;
    used.used_by_contract_id = "c9";
    EXPECT_NE(refused(used, ApprovalKind::discount_slip, "s1", 1).find("already used"),
              std::string::npos);
}

// ---- contract status ----

TEST(ContractStatusMachine, EveryPairIsLegalExactlyWhenTheSpecSaysSo) {
    using S = ContractStatus;
    using A = ContractAction;
    const std::map<std::pair<S, A>, S> legal = {
        {{S::in_audit, A::approve_audit}, S::in_audit},
        {{S::in_audit, A::complete_audit}, S::reviewed},
        {{S::in_audit, A::reject_audit}, S::rejected},
        {{S::rejected, A::resubmit}, S::in_audit},
        {{S::reviewed, A::stamp}, S::stamped},
        {{S::stamped, A::register_}, S::registered},
        {{S::reviewed, A::cancel}, S::cancelled},
        {{S::stamped, A::cancel}, S::cancelled},
        {{S::registered, A::cancel}, S::cancelled},
    };
    const std::vector<S> statuses = {S::in_audit, S::rejected,   S::reviewed,
                                     S::stamped,  S::registered, S::cancelled};
    const std::vector<A> actions = {A::approve_audit, A::complete_audit, A::reject_audit,
                                    A::resubmit,      A::stamp,          A::register_,
                                    A::cancel};
    int illegal = 0;
    for (const auto from : statuses) {
        EXPECT_EQ(parse_contract_status(to_string(from)), from);
        for (const auto action : actions) {
            const auto it = legal.find({from, action});
            if (it != legal.end()) {
                EXPECT_EQ(next_status(from, action), it->second);
            } else {
                ++illegal;
                EXPECT_THROW(next_status(from, action), ContractTransitionError)
                    << to_string(from) << " " << to_string(action);
            }
        }
    }
    EXPECT_EQ(illegal, 6 * 7 - 9);
    // CON-4: only a fully reviewed contract is stamped; in audit / rejected it is not.
    EXPECT_THROW(next_status(S::in_audit, A::stamp), ContractTransitionError);
    EXPECT_THROW(next_status(S::rejected, A::stamp), ContractTransitionError);
    // CON-6: cancellation only after review.
    EXPECT_THROW(next_status(S::in_audit, A::cancel), ContractTransitionError);
    EXPECT_TRUE(is_reviewed(S::registered));
    EXPECT_FALSE(is_reviewed(S::in_audit));
}

// ---- CON-4 audit chain ----

const std::vector<std::string> kRoles = {"sales_supervisor", "sales_manager", "finance_supervisor",
                                         "finance_director"};

std::vector<AuditStep> round_at(int open_step) {
    std::vector<AuditStep> round;
    for (int step = 1; step < open_step; ++step) {
        round.push_back(
            {step, kRoles[step - 1], "approved", "user-" + kRoles[step - 1], "2026-05-05"});
    }
    round.push_back({open_step, kRoles[open_step - 1], std::nullopt, std::nullopt, "2026-05-05"});
    return round;
}

TEST(AuditChain, RolesAreInTheOrderOfCon4) {
    for (int step = 1; step <= kAuditSteps; ++step)
        EXPECT_EQ(audit_role(step), kRoles[step - 1]);
    EXPECT_THROW(audit_role(0), std::out_of_range);
    EXPECT_THROW(audit_role(5), std::out_of_range);
}

TEST(AuditChain, EachApprovalOpensTheNextStepAndTheFourthCompletes) {
    for (int step = 1; step <= kAuditSteps; ++step) {
        const auto o =
            decide_audit(round_at(step), "user-" + kRoles[step - 1], {kRoles[step - 1]}, true);
        EXPECT_EQ(o.step, step);
        EXPECT_TRUE(o.approved);
        EXPECT_EQ(o.complete, step == kAuditSteps);
        EXPECT_EQ(o.next_step, step == kAuditSteps ? std::nullopt : std::optional<int>(step + 1));
    }
}

TEST(AuditChain, ARejectionAtAnyStepOpensNothingAndDoesNotComplete) {
    for (int step = 1; step <= kAuditSteps; ++step) {
        const auto o =
            decide_audit(round_at(step), "user-" + kRoles[step - 1], {kRoles[step - 1]}, false);
        EXPECT_EQ(o.step, step);
        EXPECT_FALSE(o.approved);
        EXPECT_FALSE(o.complete);
        EXPECT_FALSE(o.next_step.has_value());
    }
}

TEST(AuditChain, OnlyTheOpenStepsRoleDecidesNeverAnEarlierOrLaterOne) {
    for (int step = 1; step <= kAuditSteps; ++step) {
        for (int other = 1; other <= kAuditSteps; ++other) {
            if (other == step)
                continue;
            for (const bool approve : {true, false}) {
                try {
                    decide_audit(round_at(step), "someone", {kRoles[other - 1]}, approve);
                    ADD_FAILURE() << kRoles[other - 1] << " decided step " << step;
                } catch (const AuditError& e) {
                    EXPECT_EQ(e.code(), "wrong_role");
                    EXPECT_EQ(e.details()["role"], kRoles[step - 1]);
                }
            }
        }
    }
    // Admin may act for any role.
    EXPECT_NO_THROW(decide_audit(round_at(3), "root", {"admin"}, true));
}

TEST(AuditChain, NothingOpenOrTheSamePersonTwiceIsRefused) {
    auto done = round_at(kAuditSteps);
    done.back().decision = "approved";
    try {
        decide_audit(done, "x", {"finance_director"}, true);
        ADD_FAILURE();
    } catch (const AuditError& e) {
        EXPECT_EQ(e.code(), "no_open_step");
    }
    EXPECT_THROW(decide_audit({}, "x", {"sales_supervisor"}, true), AuditError);
    // A user holding two roles may not approve two steps of one round (four eyes).
    try {
        decide_audit(round_at(2), "user-sales_supervisor", {"sales_supervisor", "sales_manager"},
                     true);
        ADD_FAILURE();
    } catch (const AuditError& e) {
        EXPECT_EQ(e.code(), "same_person");
    }
}

TEST(AuditChain, AnOutOfOrderRoundIsAProgrammingError) {
    auto broken = round_at(3);
    broken[1].decision = "rejected";  // a rejected step can never be followed by another
    EXPECT_THROW(decide_audit(broken, "x", {"finance_supervisor"}, true), std::logic_error);
}

TEST(AuditChain, DeadlinesAreWorkingDaysAndDiscountContractsAreReviewedInOne) {
    // Friday 2026-05-08 + 2 working days = Tuesday 2026-05-12.
    EXPECT_EQ(to_string(step_due(day("2026-05-08"), 1, 2, false)), "2026-05-12");
    EXPECT_EQ(to_string(step_due(day("2026-05-08"), 3, 2, false)), "2026-05-12");
    EXPECT_EQ(to_string(step_due(day("2026-05-08"), 3, 2, true)), "2026-05-11");
    EXPECT_EQ(to_string(step_due(day("2026-05-08"), 2, 2, true)), "2026-05-12");
    EXPECT_FALSE(is_overdue(day("2026-05-12"), day("2026-05-12")));
    EXPECT_TRUE(is_overdue(day("2026-05-12"), day("2026-05-13")));
}

// ---- CON-5 amendments ----

ContractTerms terms() {
    std::vector<FieldProblem> problems;
    ContractTerms t;
    t.customer_id = "c1";
    t.list_total_fen = 1'000;
    t.discount_fen = 100;
    t.price_fen = 900;
    t.plan = *parse({{"kind", "instalments"},
                     {"instalments",
                      {{{"due_date", "2026-06-01"}, {"amount_fen", 500}},
                       {{"due_date", "2026-07-01"}, {"amount_fen", 400}}}}},
                    problems);
    return t;
}

Plan instalments(std::int64_t a, std::int64_t b) {
    std::vector<FieldProblem> problems;
    return *parse({{"kind", "instalments"},
                   {"instalments",
                    {{{"due_date", "2026-06-01"}, {"amount_fen", a}},
                     {{"due_date", "2026-07-01"}, {"amount_fen", b}}}}},
                  problems);
}

std::string violation(const ContractTerms& t, const AmendmentChange& change,
                      std::int64_t deposit_paid = 0) {
    try {
        amended_terms(t, change, deposit_paid);
        return "accepted";
    } catch (const RuleViolation& e) {
        return e.code();
    }
}

TEST(Amendment, NewTermsAreComputedButTheOriginalIsNotTouched) {
    const auto original = terms();
    AmendmentChange change;
    change.discount_fen = 200;
    change.plan = instalments(500, 300);
    const auto next = amended_terms(original, change, 100);
    EXPECT_EQ(next.price_fen, 800);
    EXPECT_EQ(next.discount_fen, 200);
    EXPECT_EQ(plan_total(next.plan, next.price_fen), 800);
    EXPECT_EQ(original.price_fen, 900) << "the original stays as it is until approval";
    EXPECT_EQ(plan_total(original.plan, 0), 900);

    AmendmentChange rename;
    rename.customer_id = "c2";
    const auto renamed = amended_terms(original, rename, 0);
    EXPECT_EQ(renamed.customer_id, "c2");
    EXPECT_EQ(renamed.price_fen, 900);
}

TEST(Amendment, EveryRefusal) {
    const auto t = terms();
    EXPECT_EQ(violation(t, {}), "no_change");
    AmendmentChange same;
    same.customer_id = "c1";
    EXPECT_EQ(violation(t, same), "no_change");
    AmendmentChange too_much;
    too_much.discount_fen = 1'001;
    EXPECT_EQ(violation(t, too_much), "discount_exceeds_list_total");
    AmendmentChange no_plan;
    no_plan.discount_fen = 200;
    EXPECT_EQ(violation(t, no_plan), "plan_required");
    AmendmentChange wrong_sum;
    wrong_sum.discount_fen = 200;
    wrong_sum.plan = instalments(500, 400);
    EXPECT_EQ(violation(t, wrong_sum), "plan_does_not_sum_to_price");
    AmendmentChange other_kind;
    std::vector<FieldProblem> problems;
    other_kind.plan = *parse({{"kind", "one_off"}, {"due_date", "2026-06-01"}}, problems);
    EXPECT_EQ(violation(t, other_kind), "plan_kind_mismatch");
    AmendmentChange below_deposit;
    below_deposit.discount_fen = 950;
    below_deposit.plan = instalments(25, 25);
    EXPECT_EQ(violation(t, below_deposit, 100), "price_below_deposit_paid");
}

// ---- CON-9 eligibility ----

TEST(HandoverEligibility, ClearedOnceAndRepeatsChangeNothing) {
    using H = HandoverState;
    EXPECT_EQ(on_cleared(H::not_eligible), H::eligible);
    EXPECT_EQ(on_cleared(H::early_eligible), H::eligible);
    EXPECT_FALSE(on_cleared(H::eligible)) << "a duplicate clearance changes nothing";
    EXPECT_FALSE(on_cleared(H::handed_over));
}

TEST(HandoverEligibility, UnclearedWithdrawsUnlessHandedOver) {
    using H = HandoverState;
    EXPECT_EQ(on_uncleared(H::eligible, false), H::not_eligible);
    EXPECT_EQ(on_uncleared(H::eligible, true), H::early_eligible);
    EXPECT_FALSE(on_uncleared(H::not_eligible, false));
    EXPECT_FALSE(on_uncleared(H::handed_over, false));
    EXPECT_FALSE(on_uncleared(H::early_eligible, true));
    EXPECT_EQ(on_early_approved(H::not_eligible), H::early_eligible);
    EXPECT_FALSE(on_early_approved(H::eligible));
    for (const auto s : {H::not_eligible, H::eligible, H::early_eligible, H::handed_over})
        EXPECT_EQ(parse_handover_state(to_string(s)), s);
}

TEST(HandoverEligibility, HandoverNeedsEligibilityAndAStampedContract) {
    using H = HandoverState;
    using S = ContractStatus;
    EXPECT_NO_THROW(check_handover(H::eligible, S::stamped));
    EXPECT_NO_THROW(check_handover(H::early_eligible, S::registered));
    const auto code = [](H h, S s) {
        try {
            check_handover(h, s);
            return std::string("ok");
        } catch (const RuleViolation& e) {
            return e.code();
        }
    };
    EXPECT_EQ(code(H::not_eligible, S::stamped), "not_eligible_for_handover");
    EXPECT_EQ(code(H::handed_over, S::stamped), "not_eligible_for_handover");
    EXPECT_EQ(code(H::eligible, S::reviewed), "contract_not_in_force");
    EXPECT_EQ(code(H::eligible, S::cancelled), "contract_not_in_force");
}

}  // namespace
