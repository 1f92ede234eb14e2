// Subscription rules without a database: the state machine (every legal and illegal
// transition), CON-1 validation, REG-2 deposit cap, CON-2 changes and received deposits.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "domain/subscription.hpp"
#include "failure_of.hpp"

namespace {
using namespace contract::domain;
using namespace std::chrono_literals;
using contract::test::failure_of;

const std::vector<Status> kAllStatuses = {Status::pending_deposit, Status::confirmed,
                                          Status::cancellation_requested, Status::cancelled,
                                          Status::signed_};
const std::vector<Action> kAllActions = {Action::confirm_deposit,
                                         Action::record_partial_deposit,
                                         Action::expire,
                                         Action::cancel,
                                         Action::approve_cancellation,
                                         Action::reject_cancellation,
                                         Action::rename,
                                         Action::swap,
                                         Action::record_orphaned_deposit,
                                         Action::sign};

// The specification (DOMAIN.md CON-1, CON-2), written out independently of the code.
const std::map<std::pair<Status, Action>, Status> kLegal = {
    {{Status::pending_deposit, Action::confirm_deposit}, Status::confirmed},
    {{Status::pending_deposit, Action::record_partial_deposit}, Status::pending_deposit},
    {{Status::pending_deposit, Action::expire}, Status::cancelled},
    {{Status::pending_deposit, Action::cancel}, Status::cancelled},
    {{Status::confirmed, Action::cancel}, Status::cancellation_requested},
    {{Status::cancellation_requested, Action::approve_cancellation}, Status::cancelled},
    {{Status::cancellation_requested, Action::reject_cancellation}, Status::confirmed},
    {{Status::pending_deposit, Action::rename}, Status::pending_deposit},
    {{Status::confirmed, Action::rename}, Status::confirmed},
    {{Status::pending_deposit, Action::swap}, Status::pending_deposit},
    {{Status::confirmed, Action::swap}, Status::confirmed},
    {{Status::cancelled, Action::record_orphaned_deposit}, Status::cancelled},
    {{Status::confirmed, Action::record_orphaned_deposit}, Status::confirmed},
    {{Status::cancellation_requested, Action::record_orphaned_deposit},
     Status::cancellation_requested},
    {{Status::confirmed, Action::sign}, Status::signed_},  // CON-3
    {{Status::signed_, Action::record_orphaned_deposit}, Status::signed_},
};

TEST(SubscriptionStateMachine, EveryLegalTransitionLeadsWhereTheSpecSays) {
    for (const auto& [edge, to] : kLegal) {
        EXPECT_EQ(next_status(edge.first, edge.second), to)
            << to_string(edge.first) << " --" << to_string(edge.second) << "-->";
    }
}

TEST(SubscriptionStateMachine, EveryOtherTransitionIsRejectedWithAClearError) {
    int illegal = 0;
    for (const auto from : kAllStatuses) {
        for (const auto action : kAllActions) {
            if (kLegal.contains({from, action}))
                continue;
            ++illegal;
            try {
                next_status(from, action);
                ADD_FAILURE() << to_string(action) << " from " << to_string(from) << " was allowed";
            } catch (const sales::Failure& e) {
                EXPECT_EQ(e.kind(), sales::Failure::Kind::conflict);
                EXPECT_EQ(e.code(), "invalid_transition");
                EXPECT_EQ(e.details()["status"], to_string(from));
                EXPECT_EQ(e.details()["action"], to_string(action));
                EXPECT_EQ(std::string(e.what()), "cannot " + std::string(to_string(action)) +
                                                     " a subscription that is " +
                                                     std::string(to_string(from)));
            }
        }
    }
    EXPECT_EQ(illegal, 5 * 10 - 16);
}

TEST(SubscriptionStateMachine, StatusNamesRoundTripAndLiveness) {
    for (const auto s : kAllStatuses)
        EXPECT_EQ(parse_status(to_string(s)), s);
    EXPECT_EQ(parse_status("signed"), Status::signed_);
    EXPECT_FALSE(parse_status("sold"));
    EXPECT_FALSE(parse_status("Confirmed"));
    EXPECT_EQ(status_names(),
              "pending_deposit, confirmed, cancellation_requested, cancelled, signed");
    EXPECT_TRUE(is_live(Status::pending_deposit));
    EXPECT_TRUE(is_live(Status::confirmed));
    EXPECT_TRUE(is_live(Status::cancellation_requested));
    EXPECT_FALSE(is_live(Status::cancelled));
    EXPECT_FALSE(is_live(Status::signed_));  // the contract holds the unit from now on
}

NewSubscription valid_input() {
    NewSubscription in;
    in.unit_id = "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10";
    in.customer_id = "1c8f5d2f-9b64-4d5f-8e8f-3a2c0d8e2b21";
    in.rep_id = "rep-1";
    in.discount_fen = 0;
    in.payment_plan = "mortgage";
    in.deposit_fen = 5'000'000;
    in.signing_deadline = "2026-12-01";
    return in;
}
const Date kToday{std::chrono::year(2026), std::chrono::November, std::chrono::day(22)};

std::vector<std::string> fields(const std::vector<FieldProblem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems)
        out.push_back(p.field);
    return out;
}

TEST(NewSubscriptionValidation, AcceptsAValidRequest) {
    EXPECT_TRUE(validate(valid_input(), kToday).empty());
    auto today = valid_input();
    today.signing_deadline = "2026-11-22";  // today is not the past
    EXPECT_TRUE(validate(today, kToday).empty());
}

TEST(NewSubscriptionValidation, ReportsEveryBadFieldInOrder) {
    NewSubscription in;
    in.unit_id = "unit-7";
    in.customer_id = "";
    in.rep_id = std::string(65, 'r');
    in.reservation_id = "";
    in.discount_fen = -1;
    in.payment_plan = "cash";
    in.deposit_fen = 0;
    in.signing_deadline = "2026-02-29";  // not a leap year
    EXPECT_EQ(fields(validate(in, kToday)),
              (std::vector<std::string>{"unit_id", "customer_id", "rep_id", "reservation_id",
                                        "discount_fen", "payment_plan", "deposit_fen",
                                        "signing_deadline"}));
}

TEST(NewSubscriptionValidation, SigningDeadlineMustBeADateNotInThePast) {
    for (const char* bad : {"2026/12/01", "2026-12-1", "20261201", "2026-13-01", "2026-12-01T00:00",
                            "tomorrow", ""}) {
        auto in = valid_input();
        in.signing_deadline = bad;
        const auto problems = validate(in, kToday);
        ASSERT_EQ(problems.size(), 1u) << bad;
        EXPECT_EQ(problems[0].problem, "must be a calendar date YYYY-MM-DD") << bad;
    }
    auto past = valid_input();
    past.signing_deadline = "2026-11-21";
    const auto problems = validate(past, kToday);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].problem,
              "must not be in the past (today is 2026-11-22 in Asia/Shanghai)");
}

// Commission credit (issue 11): a rep credits only themself; sales control and above name
// another rep, by a user id as the gateway issues them.
TEST(RepAssignment, RepsNameOnlyThemselvesAssigningRolesNameAUserId) {
    const std::string other = "6f1c1f3e-2b7a-4c1e-9d3a-0a1b2c3d4e5f";
    const auto check = [](const std::string& caller, std::vector<std::string> roles,
                          const std::string& rep) {
        return failure_of([&] { check_rep_assignment(caller, roles, rep); });
    };
    EXPECT_EQ(check("rep-1", {"sales_rep"}, "rep-1"), "none");
    EXPECT_EQ(check("rep-1", {"sales_rep"}, other), "403 rep_not_assignable");
    EXPECT_EQ(check("rep-1", {"sales_rep", "cashier"}, other), "403 rep_not_assignable");
    EXPECT_EQ(check("rep-1", {}, other), "403 rep_not_assignable");
    for (const char* role : {"sales_control", "sales_supervisor", "sales_manager", "admin"}) {
        EXPECT_EQ(check("ctl-1", {"sales_rep", role}, other), "none") << role;
        EXPECT_EQ(check("ctl-1", {role}, "rep-by-name"), "403 rep_not_assignable") << role;
        EXPECT_EQ(check("ctl-1", {role}, "ctl-1"), "none") << role;
    }
    EXPECT_TRUE(may_assign_rep({"sales_control"}));
    EXPECT_FALSE(may_assign_rep({"sales_rep", "mortgage_clerk"}));
}

TEST(PaymentPlan, OnlyTheThreePlansExist) {
    EXPECT_EQ(parse_payment_plan("one_off"), PaymentPlan::one_off);
    EXPECT_EQ(parse_payment_plan("instalments"), PaymentPlan::instalments);
    EXPECT_EQ(parse_payment_plan("mortgage"), PaymentPlan::mortgage);
    EXPECT_FALSE(parse_payment_plan("installments"));
    EXPECT_EQ(to_string(PaymentPlan::instalments), "instalments");
}

TEST(DepositCap, Reg2IsExactAtTheBoundary) {
    // 20% of 1,000,001 fen is 200,000.2 fen: 200,000 is allowed, 200,001 is not.
    EXPECT_TRUE(deposit_within_cap(200'000, 1'000'001, 20));
    EXPECT_FALSE(deposit_within_cap(200'001, 1'000'001, 20));
    EXPECT_EQ(max_deposit_fen(1'000'001, 20), 200'000);
    EXPECT_TRUE(deposit_within_cap(200'000, 1'000'000, 20));
    EXPECT_FALSE(deposit_within_cap(200'001, 1'000'000, 20));
    // A project may choose a lower cap.
    EXPECT_FALSE(deposit_within_cap(150'001, 1'000'000, 15));
    // No overflow with the largest amounts.
    EXPECT_TRUE(deposit_within_cap(INT64_MAX / 5, INT64_MAX, 20));
    EXPECT_FALSE(deposit_within_cap(INT64_MAX, INT64_MAX, 20));
}

TEST(PriceTerms, PriceIsListTotalLessDiscount) {
    const auto terms = price_terms(3'000'000'00, 10'000'00, 50'000'00, 20);
    EXPECT_EQ(terms.price_fen, 2'990'000'00);
    EXPECT_EQ(terms.deposit_fen, 50'000'00);
    EXPECT_EQ(price_terms(100, 100, 0, 20).price_fen, 0);
}

TEST(PriceTerms, DiscountOverListTotalIsARuleViolation) {
    try {
        price_terms(1'000, 1'001, 1, 20);
        FAIL() << "accepted";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
        EXPECT_EQ(e.code(), "discount_exceeds_list_total");
        EXPECT_EQ(e.details()["list_total_fen"], 1'000);
    }
}

TEST(PriceTerms, DepositOverTheCapNamesTheCap) {
    try {
        price_terms(1'000'000, 100'000, 180'001, 20);  // price 900,000 → cap 180,000
        FAIL() << "accepted";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
        EXPECT_EQ(e.code(), "deposit_exceeds_cap");
        EXPECT_EQ(e.details()["cap_percent"], 20);
        EXPECT_EQ(e.details()["max_deposit_fen"], 180'000);
        EXPECT_EQ(e.details()["price_fen"], 900'000);
        EXPECT_NE(std::string(e.what()).find("REG-2"), std::string::npos);
    }
    EXPECT_EQ(price_terms(1'000'000, 100'000, 180'000, 20).deposit_fen, 180'000);
}

TEST(DepositDeadline, FollowsTheProjectSetting) {
    const sales::TimePoint t0{std::chrono::seconds(1'800'000'000)};
    EXPECT_EQ(deposit_deadline(t0, ProjectSettings{}), t0 + 12h);  // CON-1 default
    ProjectSettings fast;
    fast.deposit_deadline_seconds = 2;
    EXPECT_EQ(deposit_deadline(t0, fast), t0 + 2s);
}

const sales::TimePoint kAt{std::chrono::seconds(1'800'000'000)};  // 2027-01-15T08:00:00Z

Subscription pending(std::int64_t deposit = 100'000) {
    Subscription s;
    s.deposit_deadline = kAt + 12h;  // CON-1: receipts paid at kAt are on time
    s.id = "s1";
    s.project_id = "p1";
    s.unit_id = "u1";
    s.customer_id = "c1";
    s.terms = {1'000'000, 0, 1'000'000, deposit};
    return s;
}

By by(const std::string& actor, const std::string& reason = "because") {
    return {actor, reason, kAt};
}

DepositReceipt receipt(std::int64_t amount_fen) {
    return {amount_fen, "R-1", "2027-01-15T08:00:00.000Z", std::nullopt};
}

DepositReceipt paid_at(std::int64_t amount_fen, const std::string& at) {
    return {amount_fen, "R-9", at, "e-9"};
}

TEST(SubscriptionChanges, RenameNeedsANewCustomerAndALiveSubscription) {
    auto s = pending();
    rename(s, "c2", by("sup-1"));
    EXPECT_EQ(s.customer_id, "c2");
    EXPECT_EQ(s.status, Status::pending_deposit);
    EXPECT_EQ(failure_of([&] { rename(s, "c2", by("sup-1")); }), "422 no_change");
    s.status = Status::cancelled;
    EXPECT_EQ(failure_of([&] { rename(s, "c3", by("sup-1")); }), "409 invalid_transition");
    EXPECT_EQ(s.customer_id, "c2");
}

TEST(SubscriptionChanges, SwapRepricesWithTheSameDiscountAndRechecksTheCap) {
    auto s = pending(150'000);
    s.terms.discount_fen = 100'000;
    s.terms.price_fen = 900'000;
    swap(s, "u2", 2'000'000, 20, by("sup-1"));
    EXPECT_EQ(s.unit_id, "u2");
    EXPECT_EQ(s.terms.list_total_fen, 2'000'000);
    EXPECT_EQ(s.terms.price_fen, 1'900'000);

    // A cheaper unit whose price no longer carries the deposit (REG-2): nothing changes.
    const auto before = s;
    // price 700,000 → cap 140,000
    EXPECT_EQ(failure_of([&] { swap(s, "u3", 800'000, 20, by("sup-1")); }),
              "422 deposit_exceeds_cap");
    EXPECT_EQ(s.unit_id, before.unit_id);
    EXPECT_EQ(s.terms.price_fen, before.terms.price_fen);
    EXPECT_EQ(s.version, before.version);

    s.status = Status::cancellation_requested;
    EXPECT_EQ(failure_of([&] { swap(s, "u4", 2'000'000, 20, by("sup-1")); }),
              "409 invalid_transition");
}

TEST(SubscriptionChanges, CancelBeforeDepositIsImmediateAfterItARequest) {
    auto s = pending();
    s.deposit_paid_fen = 30'000;  // a partial deposit is refunded
    cancel(s, by("control-1", "customer changed their mind"));
    EXPECT_EQ(s.status, Status::cancelled);
    EXPECT_EQ(s.cancellation_reason, kReasonCancelledBeforeDeposit);
    EXPECT_EQ(s.refund_due_fen, 30'000);
    EXPECT_EQ(s.cancellation_requested_by, "control-1");

    auto c = pending();
    c.status = Status::confirmed;
    c.deposit_paid_fen = 100'000;
    cancel(c, by("control-1", "loan refused"));
    EXPECT_EQ(c.status, Status::cancellation_requested);
    EXPECT_FALSE(c.cancellation_reason);
    EXPECT_EQ(c.refund_due_fen, 0);
    EXPECT_EQ(failure_of([&] { cancel(c, by("control-1", "again")); }), "409 invalid_transition");
}

TEST(SubscriptionChanges, FinanceDirectorDecidesACancellationRequest) {
    auto approved = pending();
    approved.status = Status::cancellation_requested;
    approved.deposit_paid_fen = 100'000;
    decide_cancellation(approved, true, by("fd-1", "ok"));
    EXPECT_EQ(approved.status, Status::cancelled);
    EXPECT_EQ(approved.cancellation_reason, kReasonCancellationApproved);
    EXPECT_EQ(approved.refund_due_fen, 100'000);  // CON-2: the paid deposit is due back
    EXPECT_EQ(approved.cancellation_decided_by, "fd-1");

    auto rejected = pending();
    rejected.status = Status::cancellation_requested;
    decide_cancellation(rejected, false, by("fd-1", "contract terms"));
    EXPECT_EQ(rejected.status, Status::confirmed);
    EXPECT_EQ(rejected.refund_due_fen, 0);

    EXPECT_EQ(failure_of([&] { decide_cancellation(rejected, true, by("fd-1", "x")); }),
              "409 invalid_transition");
}

TEST(SubscriptionChanges, ExpiryCancelsAndRefundsAnyPartialDeposit) {
    auto s = pending();
    expire(s, by("system"));
    EXPECT_EQ(s.status, Status::cancelled);
    EXPECT_EQ(s.cancellation_reason, kReasonDeadlinePassed);
    EXPECT_EQ(s.refund_due_fen, 0);
    EXPECT_EQ(failure_of([&] { expire(s, by("system")); }), "409 invalid_transition");
}

TEST(ReceivedDeposit, FullPartialOrphanedAndDuplicate) {
    auto s = pending(100'000);
    const auto fin = by("finance");
    EXPECT_EQ(receive_deposit(s, receipt(40'000), fin).outcome, DepositOutcome::partial);
    EXPECT_EQ(s.status, Status::pending_deposit);
    EXPECT_EQ(s.deposit_paid_fen, 40'000);
    EXPECT_EQ(receive_deposit(s, receipt(60'000), fin).outcome, DepositOutcome::confirmed);
    EXPECT_EQ(s.status, Status::confirmed);
    EXPECT_EQ(s.deposit_paid_fen, 100'000);

    EXPECT_EQ(s.refund_due_fen, 0);
    // A second payment of a paid deposit is flagged for refund, the status unchanged.
    EXPECT_EQ(receive_deposit(s, receipt(100'000), fin).outcome, DepositOutcome::duplicate);
    EXPECT_EQ(s.status, Status::confirmed);
    EXPECT_EQ(s.deposit_paid_fen, 100'000);
    EXPECT_EQ(s.refund_due_fen, 100'000);
    EXPECT_EQ(to_string(DepositOutcome::duplicate), "duplicate");

    // An overpayment confirms; the excess is flagged for refund (REG-2 caps the deposit).
    auto over = pending(100'000);
    EXPECT_EQ(receive_deposit(over, receipt(30'000), fin).outcome, DepositOutcome::partial);
    EXPECT_EQ(receive_deposit(over, receipt(90'000), fin).outcome, DepositOutcome::confirmed);
    EXPECT_EQ(over.deposit_paid_fen, 100'000);
    EXPECT_EQ(over.refund_due_fen, 20'000);

    auto late = pending(100'000);
    expire(late, by("system"));
    EXPECT_EQ(receive_deposit(late, receipt(100'000), fin).outcome, DepositOutcome::orphaned);
    EXPECT_EQ(late.status, Status::cancelled);
    EXPECT_EQ(late.refund_due_fen, 100'000);  // never lost: flagged for refund
    EXPECT_EQ(to_string(DepositOutcome::orphaned), "orphaned");
}

// ---- CON-1 judged by the money: paid_at against the deadline, whenever the event arrives ----

TEST(DepositOnTime, PaidAtOrBeforeTheDeadlineCounts) {
    const auto deadline = kAt + 12h;  // 2027-01-15T20:00:00Z
    EXPECT_TRUE(paid_on_time("2027-01-15T19:59:59.999Z", deadline));
    EXPECT_TRUE(paid_on_time("2027-01-15T20:00:00.000Z", deadline));  // at the deadline
    EXPECT_FALSE(paid_on_time("2027-01-15T20:00:00.001Z", deadline));
    EXPECT_TRUE(paid_on_time("2027-01-16T03:59:00+08:00", deadline));  // offsets compared
    EXPECT_FALSE(paid_on_time("not a time", deadline));
}

TEST(DepositOnTime, PaidAfterTheDeadlineExpiresAndFlagsTheMoneyForRefund) {
    auto s = pending(100'000);
    s.deposit_paid_fen = 30'000;  // an earlier partial payment
    const auto applied = receive_deposit(s, paid_at(70'000, "2027-01-15T20:00:01.000Z"),
                                         by("finance", "receipt R-9"));
    EXPECT_EQ(applied.outcome, DepositOutcome::late);
    EXPECT_EQ(s.status, Status::cancelled);
    EXPECT_EQ(s.cancellation_reason, kReasonDeadlinePassed);
    EXPECT_EQ(s.refund_due_fen, 100'000);  // the partial and the late payment, never lost
    EXPECT_EQ(applied.change.action, "expire");
    EXPECT_EQ(applied.change.event.type, "contract.subscription.cancelled");
    EXPECT_EQ(applied.change.details["late_deposit"], true);
    EXPECT_NE(applied.change.reason->find("after the deadline"), std::string::npos);
}

TEST(Reinstate, OnlyTheSweepersCancellationOfAnOnTimeFullDeposit) {
    auto swept = pending(100'000);
    expire(swept, by("system"));
    EXPECT_TRUE(awaits_reinstatement(swept, paid_at(100'000, "2027-01-15T19:00:00.000Z")));
    // Paid after the deadline, or not the whole deposit: the money is only flagged for refund.
    EXPECT_FALSE(awaits_reinstatement(swept, paid_at(100'000, "2027-01-15T21:00:00.000Z")));
    EXPECT_FALSE(awaits_reinstatement(swept, paid_at(99'999, "2027-01-15T19:00:00.000Z")));
    // Cancelled by staff: the cancellation stands.
    auto by_staff = pending(100'000);
    cancel(by_staff, by("control-1", "customer withdrew"));
    EXPECT_FALSE(awaits_reinstatement(by_staff, paid_at(100'000, "2027-01-15T19:00:00.000Z")));
    // Live subscriptions are not reinstated.
    EXPECT_FALSE(awaits_reinstatement(pending(), paid_at(100'000, "2027-01-15T19:00:00.000Z")));
}

TEST(Reinstate, CancelledForTheDeadlineReturnsToConfirmed) {
    auto s = pending(100'000);
    s.deposit_paid_fen = 40'000;  // a partial payment before the deadline
    expire(s, by("system"));
    EXPECT_EQ(s.refund_due_fen, 40'000);
    const auto change =
        reinstate(s, paid_at(70'000, "2027-01-15T19:00:00.000Z"), by("finance", "late event"));
    EXPECT_EQ(s.status, Status::confirmed);
    EXPECT_EQ(s.deposit_paid_fen, 100'000);
    EXPECT_EQ(s.refund_due_fen, 10'000);  // only the excess stays due back
    EXPECT_FALSE(s.cancellation_reason);
    EXPECT_EQ(change.action, "reinstate");
    EXPECT_EQ(change.from, Status::cancelled);
    EXPECT_EQ(change.event.type, "contract.subscription.confirmed");  // inventory: subscribed
    EXPECT_EQ(change.event.data["status"], "confirmed");
    EXPECT_EQ(change.details["receipt_no"], "R-9");
    // Only from cancelled.
    EXPECT_EQ(failure_of([&] { reinstate(s, paid_at(1, "2027-01-15T19:00:00.000Z"), by("f")); }),
              "409 invalid_transition");
    EXPECT_EQ(next_status(Status::cancelled, Action::reinstate), Status::confirmed);
}

// ---- FIN-3: a reversed deposit ----

TEST(DepositReversal, ConfirmedReturnsToPendingWithTheDeadlineAsBefore) {
    auto s = pending(100'000);
    receive_deposit(s, receipt(100'000), by("finance"));
    const auto deadline = s.deposit_deadline;
    EXPECT_FALSE(reversal_problem(s, 100'000));
    const auto change = reverse_deposit(s, 100'000, "rev-1", by("finance", "reversed"));
    EXPECT_EQ(s.status, Status::pending_deposit);
    EXPECT_EQ(s.deposit_paid_fen, 0);
    EXPECT_EQ(s.refund_due_fen, 0);
    EXPECT_EQ(s.deposit_deadline, deadline);
    EXPECT_EQ(change.action, "reverse_deposit");
    EXPECT_EQ(change.event.type, "contract.subscription.deposit_reversed");
    EXPECT_EQ(change.event.data["deposit_deadline"], sales::to_rfc3339(deadline));
    EXPECT_EQ(change.details["entry_id"], "rev-1");
    EXPECT_EQ(change.details["previous_deposit_paid_fen"], 100'000);
}

TEST(DepositReversal, AnOverpaidDepositCountsWhatRemains) {
    auto s = pending(100'000);
    receive_deposit(s, receipt(30'000), by("finance"));
    receive_deposit(s, receipt(90'000), by("finance"));  // 120,000 received: 20,000 excess
    reverse_deposit(s, 90'000, "rev-2", by("finance"));
    EXPECT_EQ(s.status, Status::pending_deposit);
    EXPECT_EQ(s.deposit_paid_fen, 30'000);
    EXPECT_EQ(s.refund_due_fen, 0);
    // A partial payment reversed while pending stays pending.
    reverse_deposit(s, 30'000, "rev-3", by("finance"));
    EXPECT_EQ(s.deposit_paid_fen, 0);
    EXPECT_EQ(s.status, Status::pending_deposit);
}

TEST(DepositReversal, SignedCancelledOrDisputedAreLeftToAnOperator) {
    auto s = pending(100'000);
    receive_deposit(s, receipt(100'000), by("finance"));
    auto signed_s = s;
    sign(signed_s, "k1", "HT-1", by("rep-1"));
    EXPECT_TRUE(reversal_problem(signed_s, 100'000));
    EXPECT_EQ(failure_of([&] { reverse_deposit(signed_s, 100'000, "r", by("finance")); }),
              "409 invalid_transition");
    auto requested = s;
    cancel(requested, by("control-1", "changed mind"));
    EXPECT_TRUE(reversal_problem(requested, 100'000));
    auto cancelled = pending(100'000);
    expire(cancelled, by("system"));
    EXPECT_TRUE(reversal_problem(cancelled, 100'000));
    // Only the excess reversed: still fully paid, the refund due is the operator's to adjust.
    auto overpaid = pending(100'000);
    receive_deposit(overpaid, receipt(120'000), by("finance"));
    EXPECT_TRUE(reversal_problem(overpaid, 20'000));
    EXPECT_TRUE(reversal_problem(overpaid, 130'000));  // more than was received
    EXPECT_FALSE(reversal_problem(overpaid, 120'000));
}

// ---- the events the changes produce (docs/events.md) ----

TEST(SubscriptionEvents, CreatedIsVersionOneWithTheSnapshot) {
    auto s = pending();
    const auto change = create(s, by("rep-1"));
    EXPECT_EQ(change.event.type, "contract.subscription.created");
    EXPECT_EQ(change.event.subject, "s1");
    EXPECT_EQ(change.event.sequence, 1);
    EXPECT_EQ(change.action, "create");
    EXPECT_FALSE(change.from);
    EXPECT_EQ(change.event.data["subscription_id"], "s1");
    EXPECT_FALSE(change.event.data.contains("id"));
    EXPECT_EQ(change.event.data["status"], "pending_deposit");
    EXPECT_EQ(change.event.data["created_by"], "rep-1");
    EXPECT_EQ(change.event.data["created_at"], sales::to_rfc3339(kAt));
}

TEST(SubscriptionEvents, ConfirmedCarriesTheReceiptAndTheNewVersion) {
    auto s = pending(100'000);
    const auto applied = receive_deposit(s, receipt(100'000), by("finance", "receipt R-1"));
    const auto& change = applied.change;
    EXPECT_EQ(change.event.type, "contract.subscription.confirmed");
    EXPECT_EQ(change.event.sequence, 2);
    EXPECT_EQ(change.from, Status::pending_deposit);
    EXPECT_EQ(change.from_version, 1);
    EXPECT_EQ(change.action, "confirm_deposit");
    EXPECT_EQ(change.actor, "finance");
    EXPECT_EQ(change.reason, "receipt R-1");
    const auto& d = change.event.data;
    EXPECT_EQ(d["subscription_id"], "s1");
    EXPECT_EQ(d["unit_id"], "u1");
    EXPECT_EQ(d["status"], "confirmed");
    EXPECT_EQ(d["deposit_paid_fen"], 100'000);
    EXPECT_EQ(d["amount_fen"], 100'000);
    EXPECT_EQ(d["receipt_no"], "R-1");
    EXPECT_EQ(d["paid_at"], "2027-01-15T08:00:00.000Z");
    EXPECT_EQ(d["version"], 2);
    EXPECT_EQ(d["updated_at"], sales::to_rfc3339(kAt));
    EXPECT_EQ(change.details, (nlohmann::json{{"amount_fen", 100'000},
                                              {"receipt_no", "R-1"},
                                              {"paid_at", "2027-01-15T08:00:00.000Z"}}));
    // Partial and orphaned deposits have their own types.
    auto part = pending(100'000);
    EXPECT_EQ(receive_deposit(part, receipt(1), by("finance")).change.event.type,
              "contract.subscription.deposit_recorded");
    expire(part, by("system"));
    EXPECT_EQ(receive_deposit(part, receipt(1), by("finance")).change.event.type,
              "contract.subscription.deposit_orphaned");
}

TEST(SubscriptionEvents, EveryCancellationNamesItsReason) {
    auto expired = pending();
    const auto e = expire(expired, by("system"));
    EXPECT_EQ(e.event.type, "contract.subscription.cancelled");
    EXPECT_EQ(e.event.data["reason"], "deposit_deadline_passed");
    EXPECT_EQ(e.details["reason"], "deposit_deadline_passed");
    EXPECT_EQ(e.action, "expire");

    auto early = pending();
    const auto c = cancel(early, by("control-1", "changed mind"));
    EXPECT_EQ(c.event.type, "contract.subscription.cancelled");
    EXPECT_EQ(c.event.data["reason"], "cancelled_before_deposit");
    EXPECT_EQ(c.event.data["cancellation_note"], "changed mind");

    auto paid = pending();
    paid.status = Status::confirmed;
    const auto requested = cancel(paid, by("control-1", "loan refused"));
    EXPECT_EQ(requested.event.type, "contract.subscription.cancellation_requested");
    EXPECT_FALSE(requested.event.data.contains("reason"));
    const auto approved = decide_cancellation(paid, true, by("fd-1", "ok"));
    EXPECT_EQ(approved.event.type, "contract.subscription.cancelled");
    EXPECT_EQ(approved.event.data["reason"], "cancellation_approved");
    EXPECT_EQ(approved.event.sequence, 3);
    EXPECT_EQ(approved.action, "approve_cancellation");

    auto again = pending();
    again.status = Status::cancellation_requested;
    EXPECT_EQ(decide_cancellation(again, false, by("fd-1", "no")).event.type,
              "contract.subscription.cancellation_rejected");
}

TEST(SubscriptionEvents, RenameSwapAndSignCarryTheirExtraFields) {
    auto s = pending();
    const auto renamed = rename(s, "c2", by("sup-1", "family"));
    EXPECT_EQ(renamed.event.type, "contract.subscription.renamed");
    EXPECT_EQ(renamed.event.data["previous_customer_id"], "c1");
    EXPECT_EQ(renamed.event.data["customer_id"], "c2");

    const auto swapped = swap(s, "u2", 2'000'000, 20, by("sup-1", "view"));
    EXPECT_EQ(swapped.event.type, "contract.subscription.swapped");
    EXPECT_EQ(swapped.event.data["old_unit_id"], "u1");
    EXPECT_EQ(swapped.event.data["unit_id"], "u2");
    EXPECT_EQ(swapped.event.data["price_fen"], 2'000'000);

    s.status = Status::confirmed;
    const auto signed_ = sign(s, "k1", "2027-HX01-000001", by("rep-1"));
    EXPECT_EQ(signed_.event.type, "contract.subscription.signed");
    EXPECT_EQ(signed_.event.data["status"], "signed");
    EXPECT_EQ(signed_.event.data["contract_id"], "k1");
    EXPECT_EQ(signed_.event.data["contract_no"], "2027-HX01-000001");
    EXPECT_EQ(signed_.event.sequence, 4);
}

}  // namespace
