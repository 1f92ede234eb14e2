// The customer rules without a database: ownership (CUS-3), stage machine (CUS-1 + contract
// events), stale and follow-up (CUS-4), timeliness (CUS-6), commission validity (CUS-7), PII
// visibility (CUS-8), archiving (CUS-9), complaint deadlines (CUS-10) and settings ranges.
#include <gtest/gtest.h>

#include "domain/customer.hpp"
#include "sales/failure.hpp"

namespace {
using namespace customer::domain;
using namespace std::chrono_literals;

sales::TimePoint at(const char* rfc3339) {
    return *sales::parse_rfc3339(rfc3339);
}
sales::Date day(const char* text) {
    return *sales::parse_date(text);
}
// EXPECTs `call` to throw sales::Failure of `kind` with `code`.
template <class F>
void expect_failure(F&& call, sales::Failure::Kind kind, const std::string& code) {
    try {
        call();
        ADD_FAILURE() << "no sales::Failure thrown; expected " << code;
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.kind(), kind) << e.what();
        EXPECT_EQ(e.code(), code) << e.what();
    }
}
constexpr auto kConflict = sales::Failure::Kind::conflict;

TEST(OwnershipCus3, FirstRecorderOwnsLaterRepsCollide) {
    EXPECT_EQ(decide_claim(std::nullopt, "rep-a"), ClaimOutcome::owner);
    EXPECT_EQ(decide_claim(std::string("rep-a"), "rep-a"), ClaimOutcome::duplicate);
    EXPECT_EQ(decide_claim(std::string("rep-a"), "rep-b"), ClaimOutcome::collision);
}

TEST(OwnershipCus3, ManagerResolvesOpenCollisionsOnce) {
    EXPECT_EQ(resolve(CollisionStatus::open, CollisionDecision::confirm),
              CollisionStatus::confirmed);
    EXPECT_EQ(resolve(CollisionStatus::open, CollisionDecision::reassign),
              CollisionStatus::reassigned);
    expect_failure([] { resolve(CollisionStatus::confirmed, CollisionDecision::reassign); },
                   kConflict, "collision_resolved");
    expect_failure([] { resolve(CollisionStatus::reassigned, CollisionDecision::confirm); },
                   kConflict, "collision_resolved");
}

TEST(StageMachine, SubscriptionLiftsToProspectAndSigningCloses) {
    const StageInput sub{StageCause::subscription_created, {}, false};
    EXPECT_EQ(next_stage(Stage::potential, sub), Stage::prospect);
    EXPECT_EQ(next_stage(Stage::intent, sub), Stage::prospect);
    EXPECT_EQ(next_stage(Stage::prospect, sub), std::nullopt);
    EXPECT_EQ(next_stage(Stage::closed, sub), std::nullopt);  // never reopened
    const StageInput signed_{StageCause::contract_signed, {}, false};
    EXPECT_EQ(next_stage(Stage::potential, signed_), Stage::closed);
    EXPECT_EQ(next_stage(Stage::prospect, signed_), Stage::closed);
    // Redelivered or repeated contract.signed: already closed, nothing changes (exactly once).
    EXPECT_EQ(next_stage(Stage::closed, signed_), std::nullopt);
}

TEST(StageMachine, CancellationFallsBackOnlyWithoutAnotherLiveDeal) {
    EXPECT_EQ(next_stage(Stage::prospect, {StageCause::subscription_cancelled, {}, false}),
              Stage::intent);
    EXPECT_EQ(next_stage(Stage::prospect, {StageCause::subscription_cancelled, {}, true}),
              std::nullopt);
    EXPECT_EQ(next_stage(Stage::closed, {StageCause::subscription_cancelled, {}, false}),
              std::nullopt);
    EXPECT_EQ(next_stage(Stage::intent, {StageCause::subscription_cancelled, {}, false}),
              std::nullopt);
}

TEST(StageMachine, ManualChangesNeverTouchClosed) {
    EXPECT_EQ(next_stage(Stage::potential, {StageCause::manual, Stage::intent, false}),
              Stage::intent);
    EXPECT_EQ(next_stage(Stage::prospect, {StageCause::manual, Stage::potential, false}),
              Stage::potential);
    EXPECT_EQ(next_stage(Stage::intent, {StageCause::manual, Stage::intent, false}), std::nullopt);
    expect_failure(
        [] {
            next_stage(Stage::prospect, {StageCause::manual, Stage::closed, false});
        },
        kConflict, "stage_closed_by_signing");
    expect_failure(
        [] {
            next_stage(Stage::closed, {StageCause::manual, Stage::intent, false});
        },
        kConflict, "stage_closed_by_signing");
}

TEST(StaleCus4, FourteenDaysWithoutAnEvent) {
    const auto last = at("2026-11-01T10:00:00Z");
    EXPECT_FALSE(is_stale(last, last + 14 * 24h - 1s, 14));
    EXPECT_TRUE(is_stale(last, last + 14 * 24h, 14));
    EXPECT_TRUE(is_stale(last, last + 30 * 24h, 14));
    EXPECT_FALSE(is_stale(last, last + 30 * 24h, 31));  // per-project setting
    EXPECT_FALSE(follow_up_due(last, last + 4 * 24h, 5));
    EXPECT_TRUE(follow_up_due(last, last + 5 * 24h, 5));
}

TEST(TimelinessCus6, EnteredByTheEndOfTheNextWorkingDay) {
    // Received Friday 2026-11-20: deadline Monday 2026-11-23 (Shanghai).
    EXPECT_EQ(sales::to_string(entry_deadline(day("2026-11-20"))), "2026-11-23");
    EXPECT_FALSE(is_late_entry(day("2026-11-20"), at("2026-11-23T23:59:59+08:00")));
    EXPECT_TRUE(is_late_entry(day("2026-11-20"), at("2026-11-24T00:00:00+08:00")));
    EXPECT_FALSE(is_late_entry(day("2026-11-18"), at("2026-11-19T15:00:00Z")));
    // 2026-11-19T16:00Z is already the 20th in Shanghai.
    EXPECT_TRUE(is_late_entry(day("2026-11-18"), at("2026-11-19T16:00:00Z")));
}

TEST(CommissionCus7, FewerThanThreeEventsIsFlaggedUnlessExcepted) {
    EXPECT_TRUE(commission_validity(3, 3, false).valid);
    EXPECT_FALSE(commission_validity(3, 3, false).flagged);
    const auto two = commission_validity(2, 3, false);
    EXPECT_FALSE(two.valid);
    EXPECT_TRUE(two.flagged);
    EXPECT_NE(two.reason.find("exception note"), std::string::npos);
    const auto excepted = commission_validity(2, 3, true);
    EXPECT_TRUE(excepted.valid);
    EXPECT_FALSE(excepted.flagged);
    EXPECT_FALSE(commission_validity(4, 5, false).valid);  // per-project minimum
}

TEST(PrivacyCus8, OnlyOwnerAndPiiReadersSeeFullData) {
    EXPECT_EQ(pii_view("rep-a", "rep-a", false, false), PiiView::owner);
    EXPECT_EQ(pii_view("rep-a", "rep-a", false, true), PiiView::owner);
    EXPECT_EQ(pii_view("rep-b", "rep-a", false, true), PiiView::masked);
    EXPECT_EQ(pii_view("rep-b", "rep-a", false, false), PiiView::masked);
    EXPECT_EQ(pii_view("mgr", "rep-a", true, true), PiiView::privileged);  // audit-logged
    EXPECT_EQ(pii_view("mgr", "rep-a", true, false), PiiView::masked);     // lists stay masked
    EXPECT_EQ(pii_view("", "", false, true), PiiView::masked);
}

TEST(ArchiveCus9, InactiveWithoutLiveDeal) {
    const auto last = at("2024-01-01T00:00:00Z");
    EXPECT_TRUE(archivable(last, last + 730 * 24h, 730, false));
    EXPECT_FALSE(archivable(last, last + 729 * 24h, 730, false));
    EXPECT_FALSE(archivable(last, last + 1000 * 24h, 730, true));
}

TEST(ComplaintsCus10, DeadlinesInWorkingDays) {
    Settings s;
    s.complaint_first_response_days = 1;
    s.complaint_final_days = 5;
    // Received Friday 2026-11-20: first response Monday 23rd, final Friday 27th.
    const auto due = complaint_deadlines(day("2026-11-20"), s);
    EXPECT_EQ(sales::to_string(due.first_response_due), "2026-11-23");
    EXPECT_EQ(sales::to_string(due.final_due), "2026-11-27");
    EXPECT_FALSE(complaint_overdue(ComplaintStatus::open, due, day("2026-11-23")));
    EXPECT_TRUE(complaint_overdue(ComplaintStatus::open, due, day("2026-11-24")));
    EXPECT_FALSE(complaint_overdue(ComplaintStatus::responded, due, day("2026-11-24")));
    EXPECT_TRUE(complaint_overdue(ComplaintStatus::responded, due, day("2026-11-30")));
    EXPECT_FALSE(complaint_overdue(ComplaintStatus::resolved, due, day("2026-12-30")));
}

TEST(ComplaintsCus10, RespondOnceResolveOnce) {
    EXPECT_EQ(complaint_next(ComplaintStatus::open, ComplaintAction::respond),
              ComplaintStatus::responded);
    EXPECT_EQ(complaint_next(ComplaintStatus::open, ComplaintAction::resolve),
              ComplaintStatus::resolved);
    EXPECT_EQ(complaint_next(ComplaintStatus::responded, ComplaintAction::resolve),
              ComplaintStatus::resolved);
    expect_failure([] { complaint_next(ComplaintStatus::responded, ComplaintAction::respond); },
                   kConflict, "complaint_closed");
    expect_failure([] { complaint_next(ComplaintStatus::resolved, ComplaintAction::resolve); },
                   kConflict, "complaint_closed");
}

TEST(EventsCus2, SurveysCarrySatisfactionAndTimesAreSane) {
    const auto now = at("2026-11-20T10:00:00Z");
    EXPECT_TRUE(validate_event(EventKind::visit, std::nullopt, now - 1h, now).empty());
    EXPECT_TRUE(validate_event(EventKind::survey, 4, now, now).empty());
    EXPECT_EQ(validate_event(EventKind::survey, std::nullopt, now, now).size(), 1u);
    EXPECT_EQ(validate_event(EventKind::survey, 6, now, now).size(), 1u);
    EXPECT_EQ(validate_event(EventKind::visit, 3, now, now).size(), 1u);
    EXPECT_EQ(validate_event(EventKind::call_in, std::nullopt, now + 1h, now)[0].field,
              "occurred_at");
    EXPECT_EQ(validate_event(EventKind::call_in, std::nullopt, now - 400 * 24h, now).size(), 1u);
}

TEST(Enumerations, UnknownValuesAreRejected) {
    EXPECT_EQ(parse_stage("closed"), Stage::closed);
    EXPECT_FALSE(parse_stage("Closed"));
    EXPECT_FALSE(parse_channel("walk_in"));
    EXPECT_EQ(parse_event_kind("post_purchase_visit"), EventKind::post_purchase_visit);
    EXPECT_FALSE(parse_type("luxury"));
    EXPECT_EQ(sales::enum_names<Stage>().list(), "potential, intent, prospect, closed");
    EXPECT_TRUE(is_call(EventKind::call_out));
    EXPECT_FALSE(is_call(EventKind::visit));
}

TEST(Settings, PerProjectValuesWithinRanges) {
    std::vector<FieldProblem> problems;
    SettingsChange change;
    change.stale_days = 21;
    const auto s = apply(Settings{}, change, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(s.stale_days, 21);
    EXPECT_EQ(s.follow_up_days, 5);

    change = {};
    change.stale_days = 0;
    apply(Settings{}, change, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "stale_days");

    problems.clear();
    change = {};
    change.complaint_first_response_days = 5;
    change.complaint_final_days = 2;
    apply(Settings{}, change, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "complaint_final_days");
}

}  // namespace
