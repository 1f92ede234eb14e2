// Contract rules without a database: CON-3 numbering, plan and signing rules, CON-4 audit
// chain order and every rejection path, CON-5 amendment semantics, CON-9 eligibility.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/contract.hpp"
#include "failure_of.hpp"

namespace {
using namespace contract::domain;
using contract::test::failure_of;
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
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
        EXPECT_EQ(e.code(), "plan_does_not_sum_to_price");
        EXPECT_EQ(e.details()["plan_total_fen"], 100);
    }
    try {
        check_plan(mort, PaymentPlan::instalments, 100);
        ADD_FAILURE();
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
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
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
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
                EXPECT_EQ(failure_of([&] { next_status(from, action); }), "409 invalid_transition")
                    << to_string(from) << " " << to_string(action);
            }
        }
    }
    EXPECT_EQ(illegal, 6 * 7 - 9);
    // CON-4: only a fully reviewed contract is stamped; in audit / rejected it is not.
    EXPECT_EQ(failure_of([] { next_status(S::in_audit, A::stamp); }), "409 invalid_transition");
    EXPECT_EQ(failure_of([] { next_status(S::rejected, A::stamp); }), "409 invalid_transition");
    // CON-6: cancellation only after review.
    EXPECT_EQ(failure_of([] { next_status(S::in_audit, A::cancel); }), "409 invalid_transition");
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
                } catch (const sales::Failure& e) {
                    EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
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
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::conflict);
        EXPECT_EQ(e.code(), "no_open_step");
    }
    EXPECT_EQ(failure_of([] { decide_audit({}, "x", {"sales_supervisor"}, true); }),
              "409 no_open_step");
    // A user holding two roles may not approve two steps of one round (four eyes).
    try {
        decide_audit(round_at(2), "user-sales_supervisor", {"sales_supervisor", "sales_manager"},
                     true);
        ADD_FAILURE();
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
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
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
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
    AmendmentChange below_deposit;
    below_deposit.discount_fen = 950;
    below_deposit.plan = instalments(25, 25);
    EXPECT_EQ(violation(t, below_deposit, 100), "price_below_deposit_paid");
    // REG-2 rechecked when the price falls: 180 paid on 900 is 20%; on 800 it is 22.5%.
    AmendmentChange lower;
    lower.discount_fen = 200;
    lower.plan = instalments(500, 300);
    EXPECT_EQ(violation(t, lower, 180), "deposit_exceeds_cap");
    EXPECT_EQ(violation(t, lower, 160), "accepted");  // exactly 20% of 800
}

TEST(Amendment, ThePlanMayChangeKind) {
    const auto t = terms();  // instalments
    AmendmentChange to_one_off;
    std::vector<FieldProblem> problems;
    to_one_off.plan = *parse({{"kind", "one_off"}, {"due_date", "2026-06-01"}}, problems);
    const auto next = amended_terms(t, to_one_off, 0);
    EXPECT_EQ(next.plan.kind, PaymentPlan::one_off);
    EXPECT_EQ(next.price_fen, 900);
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
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
            return e.code();
        }
    };
    EXPECT_EQ(code(H::not_eligible, S::stamped), "not_eligible_for_handover");
    EXPECT_EQ(code(H::handed_over, S::stamped), "not_eligible_for_handover");
    EXPECT_EQ(code(H::eligible, S::reviewed), "contract_not_in_force");
    EXPECT_EQ(code(H::eligible, S::cancelled), "contract_not_in_force");
}

// ---- the events the changes produce (docs/events.md) ----

const sales::TimePoint kAt{std::chrono::seconds(1'800'000'000)};

By by(const std::string& actor, std::optional<std::string> reason = std::nullopt) {
    return {actor, std::move(reason), kAt};
}

Contract a_contract(ContractStatus status = ContractStatus::in_audit) {
    Contract c;
    c.id = "k1";
    c.contract_no = "2027-HX01-000001";
    c.project_id = "p1";
    c.subscription_id = "s1";
    c.unit_id = "u1";
    c.rep_id = "rep-1";
    c.status = status;
    c.version = 3;
    c.audit_round = 2;
    c.terms.customer_id = "c1";
    c.terms.list_total_fen = 1'000;
    c.terms.discount_fen = 100;
    c.terms.price_fen = 900;
    c.terms.plan.kind = PaymentPlan::one_off;
    c.terms.plan.due_date = "2027-03-01";
    c.deposit_paid_fen = 50;
    c.penalty_bp_per_day = 5;
    c.signed_at = "2027-01-15T08:00:00.000Z";
    return c;
}

TEST(ContractEvents, SignedCarriesTheTermsAsVersionOne) {
    auto signing = a_contract();
    signing.areas = {12'000, 9'800};  // CON-10: the areas the price was agreed on
    const auto change = signed_contract(signing, by("rep-1"));
    ASSERT_TRUE(change.event);
    const auto& e = *change.event;
    EXPECT_EQ(e.type, "contract.signed");
    EXPECT_EQ(e.subject, "k1");
    EXPECT_EQ(e.sequence, 1);
    EXPECT_EQ(change.action, "sign");
    EXPECT_FALSE(change.from);
    EXPECT_EQ(change.to, ContractStatus::in_audit);
    EXPECT_EQ(e.data, (json{{"contract_id", "k1"},
                            {"contract_no", "2027-HX01-000001"},
                            {"subscription_id", "s1"},
                            {"project_id", "p1"},
                            {"unit_id", "u1"},
                            {"customer_id", "c1"},
                            {"rep_id", "rep-1"},
                            {"signed_at", "2027-01-15T08:00:00.000Z"},
                            {"list_total_fen", 1'000},
                            {"discount_fen", 100},
                            {"price_fen", 900},
                            {"pricing_basis", "gross"},
                            {"contract_gross_area_centi_m2", 12'000},
                            {"contract_internal_area_centi_m2", 9'800},
                            {"deposit_paid_fen", 50},
                            {"penalty_bp_per_day", 5},
                            {"payment_plan", "one_off"},
                            {"plan", {{"kind", "one_off"}, {"due_date", "2027-03-01"}}},
                            {"referrer_customer_id", nullptr},  // CON-11: nobody referred
                            {"version", 1}}));
    signing.referrer_customer_id = "m1";
    EXPECT_EQ(signed_contract(signing, by("rep-1")).event->data["referrer_customer_id"], "m1");
}

TEST(ContractEvents, AuditApprovedAndRejectedNameTheStepAndTheDecision) {
    auto c = a_contract();
    const auto approved = audit_decided(c, {1, true, false, 2}, by("sup-1", "ok"));
    ASSERT_TRUE(approved.event);
    EXPECT_EQ(approved.event->type, "contract.audit.approved");
    EXPECT_EQ(approved.event->sequence, 4);
    EXPECT_EQ(approved.action, "approve_audit");
    EXPECT_EQ(approved.details, (json{{"round", 2}, {"step", 1}}));
    EXPECT_EQ(approved.event->data, (json{{"contract_id", "k1"},
                                          {"contract_no", "2027-HX01-000001"},
                                          {"project_id", "p1"},
                                          {"round", 2},
                                          {"step", 1},
                                          {"role", "sales_supervisor"},
                                          {"decision", "approved"},
                                          {"complete", false},
                                          {"actor", "sup-1"},
                                          {"note", "ok"}}));
    EXPECT_EQ(c.status, ContractStatus::in_audit);
    EXPECT_EQ(c.version, 4);

    const auto rejected = audit_decided(c, {2, false, false, std::nullopt}, by("mgr-1", "no"));
    EXPECT_EQ(rejected.event->type, "contract.audit.rejected");
    EXPECT_EQ(rejected.event->data["decision"], "rejected");
    EXPECT_EQ(rejected.event->data["role"], "sales_manager");
    EXPECT_EQ(rejected.to, ContractStatus::rejected);
    EXPECT_EQ(rejected.action, "reject_audit");

    auto last = a_contract();
    const auto complete = audit_decided(last, {4, true, true, std::nullopt}, by("fd-1", "done"));
    EXPECT_EQ(complete.to, ContractStatus::reviewed);
    EXPECT_EQ(complete.action, "complete_audit");
    EXPECT_EQ(complete.event->data["complete"], true);
}

TEST(ContractEvents, StampedAndRegistered) {
    auto c = a_contract(ContractStatus::reviewed);
    const auto stamp = stamped(c, "2027-01-20", "ST-1", by("clerk-1"));
    ASSERT_TRUE(stamp.event);
    EXPECT_EQ(stamp.event->type, "contract.stamped");
    EXPECT_EQ(stamp.event->data, (json{{"contract_id", "k1"},
                                       {"contract_no", "2027-HX01-000001"},
                                       {"project_id", "p1"},
                                       {"stamped_on", "2027-01-20"},
                                       {"stamp_no", "ST-1"},
                                       {"stamped_by", "clerk-1"}}));
    EXPECT_EQ(c.status, ContractStatus::stamped);
    const auto reg = registered(c, "2027-01-21T02:00:00.000Z", "2027-01-22", "REG-9", by("clerk"));
    ASSERT_TRUE(reg.event);
    EXPECT_EQ(reg.event->type, "contract.registered");
    EXPECT_EQ(reg.event->sequence, 5);
    EXPECT_EQ(reg.event->data, (json{{"contract_id", "k1"},
                                     {"contract_no", "2027-HX01-000001"},
                                     {"project_id", "p1"},
                                     {"filed_at", "2027-01-21T02:00:00.000Z"},
                                     {"registration_date", "2027-01-22"},
                                     {"registration_no", "REG-9"}}));
    EXPECT_EQ(failure_of([&] { stamped(c, "2027-01-20", "ST-2", by("clerk")); }),
              "409 invalid_transition");
}

TEST(ContractEvents, Con6AnApprovedRefundWaitsForFinanceThenCancels) {
    auto c = a_contract(ContractStatus::stamped);
    const auto requested = cancellation_requested(c, "r1", 40, by("fd-1", "customer left"));
    EXPECT_FALSE(requested.event);
    EXPECT_EQ(requested.action, "cancellation_requested");
    const auto approved =
        cancellation_approved(c, {"r1", 40, "customer left"}, by("fd-1", "approved"));
    ASSERT_TRUE(approved.event);
    EXPECT_EQ(approved.event->type, "contract.cancellation.approved");
    EXPECT_EQ(approved.to, ContractStatus::cancelling);
    EXPECT_EQ(approved.event->data, (json{{"contract_id", "k1"},
                                          {"subscription_id", "s1"},
                                          {"project_id", "p1"},
                                          {"unit_id", "u1"},
                                          {"reason", "customer left"},
                                          {"refund_fen", 40},
                                          {"refund_request_id", "r1"},
                                          {"approved_by", "fd-1"}}));
    // While the refund is being paid the contract is not in force: no stamp, no second approval.
    EXPECT_EQ(failure_of([&] { stamped(c, "2027-01-20", "ST-2", by("clerk")); }),
              "409 invalid_transition");
    EXPECT_EQ(failure_of([&] {
                  cancellation_approved(c, {"r1", 40, "x"}, by("fd-1"));
              }),
              "409 invalid_transition");

    const auto cancelled =
        cancelled_after_refund(c, {"r1", 40, "customer left"}, "a9", by("finance"));
    ASSERT_TRUE(cancelled.event);
    EXPECT_EQ(cancelled.event->type, "contract.cancelled");
    EXPECT_EQ(cancelled.to, ContractStatus::cancelled);
    EXPECT_EQ(cancelled.event->data["refund_approval_id"], "a9");
    EXPECT_EQ(cancelled.event->data["refund_request_id"], "r1");
}

TEST(ContractEvents, Con6ARequestRefundingNothingCancelsAtOnceAndHandoverBlocksIt) {
    auto c = a_contract(ContractStatus::registered);
    const auto change = cancellation_approved(c, {"r1", 0, "nothing paid"}, by("fd-1"));
    ASSERT_TRUE(change.event);
    EXPECT_EQ(change.event->type, "contract.cancelled");
    EXPECT_EQ(change.to, ContractStatus::cancelled);
    EXPECT_EQ(change.event->data["refund_fen"], 0);

    auto handed = a_contract(ContractStatus::stamped);
    handed.handover = HandoverState::handed_over;
    EXPECT_EQ(failure_of([&] {
                  cancellation_approved(handed, {"r2", 1, "x"}, by("fd-1"));
              }),
              "409 invalid_transition");
    auto in_force = a_contract(ContractStatus::stamped);
    EXPECT_EQ(failure_of([&] {
                  cancelled_after_refund(in_force, {"r3", 1, "x"}, "a1", by("finance"));
              }),
              "409 invalid_transition");
}

TEST(ContractEvents, EligibilityWithdrawalAndHandover) {
    auto c = a_contract(ContractStatus::stamped);
    const auto eligible = handover_changed(c, HandoverState::eligible, "e1",
                                           by("finance", "finance.contract.cleared"));
    ASSERT_TRUE(eligible.event && eligible.handover);
    EXPECT_EQ(eligible.event->type, "contract.handover.eligible");
    EXPECT_EQ(eligible.event->data, (json{{"contract_id", "k1"},
                                          {"project_id", "p1"},
                                          {"unit_id", "u1"},
                                          {"eligible_at", sales::to_rfc3339(kAt)},
                                          {"early", false}}));
    EXPECT_EQ(eligible.action, "handover_eligible");
    EXPECT_EQ(eligible.handover->event_id, "e1");
    const auto withdrawn = handover_changed(c, HandoverState::not_eligible, "e2",
                                            by("finance", "finance.contract.uncleared: reversal"));
    EXPECT_EQ(withdrawn.event->type, "contract.handover.withdrawn");
    EXPECT_EQ(withdrawn.event->data["reason"], "finance.contract.uncleared: reversal");
    EXPECT_EQ(failure_of([&] { handover_recorded(c, "2027-02-01", "2027-02-02", by("clerk")); }),
              "422 not_eligible_for_handover");
    handover_changed(c, HandoverState::early_eligible, std::nullopt, by("gm", "early_approval a1"));
    c.early_approved = true;
    // CON-9: the clerk records, a supervisor (another person) confirms.
    const auto recorded = handover_recorded(c, "2027-02-01", "2027-02-02", by("clerk"));
    EXPECT_FALSE(recorded.event);
    EXPECT_EQ(recorded.details["early"], true);
    EXPECT_EQ(c.handover, HandoverState::awaiting_confirmation);
    EXPECT_EQ(failure_of([&] { handover_confirmed(c, "2027-02-01", "2027-02-02", by("clerk")); }),
              "422 same_person");
    // Returned: back to the early list; recorded again.
    handover_returned(c, by("sup", "交房日期有误"));
    EXPECT_EQ(c.handover, HandoverState::early_eligible);
    EXPECT_EQ(failure_of([&] { handover_confirmed(c, "2027-02-01", "2027-02-02", by("sup")); }),
              "409 invalid_transition");
    handover_recorded(c, "2027-02-01", "2027-02-02", by("clerk"));
    const auto done = handover_confirmed(c, "2027-02-01", "2027-02-02", by("sup", "已核实"));
    ASSERT_TRUE(done.event);
    EXPECT_EQ(done.event->type, "contract.handed_over");
    EXPECT_EQ(done.event->data, (json{{"contract_id", "k1"},
                                      {"subscription_id", "s1"},
                                      {"project_id", "p1"},
                                      {"unit_id", "u1"},
                                      {"notice_date", "2027-02-01"},
                                      {"handed_over_on", "2027-02-02"},
                                      {"recorded_by", "clerk"},
                                      {"confirmed_by", "sup"}}));
    EXPECT_EQ(c.handover, HandoverState::handed_over);
}

TEST(HandoverEligibility, AHandoverAwaitingConfirmationIsWithdrawnWhenFinanceUnclears) {
    using H = HandoverState;
    EXPECT_EQ(on_uncleared(H::awaiting_confirmation, false), H::not_eligible);
    EXPECT_EQ(on_uncleared(H::awaiting_confirmation, true), H::early_eligible);
    EXPECT_FALSE(on_cleared(H::awaiting_confirmation));
}

TEST(ContractEvents, AmendmentRequestedApprovedAndRejected) {
    auto c = a_contract(ContractStatus::registered);
    const auto requested =
        amendment_requested(c, "m1", {{"discount_fen", 200}}, by("rep-1", "better price"));
    EXPECT_EQ(requested.event->type, "contract.amendment.requested");
    EXPECT_EQ(requested.event->data["changes"], (json{{"discount_fen", 200}}));
    EXPECT_EQ(requested.event->data["reason"], "better price");
    const auto step =
        amendment_decided(c, "m1", {1, true, false, 2}, json::object(), by("s", "ok"));
    EXPECT_EQ(step.event->type, "contract.audit.approved");
    EXPECT_EQ(step.event->data["amendment_id"], "m1");
    EXPECT_EQ(step.event->data["round"], 1);
    const json terms = {{"price_fen", 800}};
    const auto approved =
        amendment_decided(c, "m1", {4, true, true, std::nullopt}, terms, by("fd", "fine"));
    EXPECT_EQ(approved.event->type, "contract.amendment.approved");
    EXPECT_EQ(approved.event->data["terms"], terms);
    EXPECT_EQ(approved.event->data["deposit_paid_fen"], 50);
    EXPECT_EQ(approved.event->data["version"], approved.version);
    EXPECT_EQ(approved.action, "amendment_approved");
    const auto rejected =
        amendment_decided(c, "m2", {2, false, false, std::nullopt}, terms, by("m", "no"));
    EXPECT_EQ(rejected.event->type, "contract.amendment.rejected");
    EXPECT_FALSE(rejected.event->data.contains("terms"));
    EXPECT_EQ(rejected.event->data["role"], "sales_manager");
    auto in_audit = a_contract();
    EXPECT_EQ(failure_of([&] { amendment_requested(in_audit, "m3", json::object(), by("r")); }),
              "409 invalid_transition");
}

}  // namespace
