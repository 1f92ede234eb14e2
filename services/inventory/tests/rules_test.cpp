// Project settings, the INV-4 reservation rule, INV-2 price lists and change requests (refusals
// as sales::Failure: kind and code), and RFC 3339 parsing of request timestamps.
#include <gtest/gtest.h>

#include "domain/pricing.hpp"
#include "domain/settings.hpp"
#include "sales/calendar.hpp"

namespace {
using namespace inventory::domain;
using namespace std::chrono_literals;
using sales::parse_rfc3339;
using Kind = sales::Failure::Kind;

TEST(ProjectSettings, DefaultsFollowTheDomainRules) {
    const ProjectSettings s;
    EXPECT_EQ(s.deposit_deadline_seconds, 12 * 3600);  // CON-1
    EXPECT_EQ(s.deposit_cap_percent, 20);              // REG-2
    EXPECT_EQ(s.reservation_manager_only_days, 7);     // INV-4
    EXPECT_TRUE(validate(s).empty());
}

TEST(ProjectSettings, PatchKeepsUnsetFieldsAndIsValidated) {
    SettingsPatch patch;
    EXPECT_TRUE(patch.empty());
    patch.deposit_deadline_seconds = 5;
    const auto s = apply(ProjectSettings{}, patch);
    EXPECT_EQ(s.deposit_deadline_seconds, 5);
    EXPECT_EQ(s.signing_deadline_days, 30);
    EXPECT_TRUE(validate(s).empty());

    SettingsPatch bad;
    bad.deposit_cap_percent = 21;  // REG-2 caps deposits at 20%
    bad.deposit_deadline_seconds = 0;
    bad.reservation_manager_only_days = -1;
    const auto problems = validate(apply(ProjectSettings{}, bad));
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].field, "deposit_deadline_seconds");
    EXPECT_EQ(problems[1].field, "deposit_cap_percent");
    EXPECT_NE(problems[1].problem.find("REG-2"), std::string::npos);
    EXPECT_EQ(problems[2].field, "reservation_manager_only_days");
}

class Reservation : public ::testing::Test {
  protected:
    sales::TimePoint opened = sales::TimePoint(1'800'000'000s);
    ReservationRequest request(bool manager, std::chrono::hours after_opening) {
        return {manager, opened, 7, opened + after_opening, opened + after_opening + 24h};
    }
};

TEST_F(Reservation, FirstWeekOnlyTheSalesManager) {
    EXPECT_FALSE(check_reservation(request(true, 1h)).has_value());
    const auto refused = check_reservation(request(false, 1h));
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->code(), "reservation_manager_only");
    EXPECT_EQ(refused->kind(), Kind::forbidden);
    EXPECT_NE(std::string(refused->what()).find("INV-4"), std::string::npos);
    EXPECT_TRUE(check_reservation(request(false, 7 * 24h - 1h)).has_value());
}

TEST_F(Reservation, AfterTheFirstWeekAnyAuthorisedRole) {
    EXPECT_FALSE(check_reservation(request(false, 7 * 24h)).has_value());
    EXPECT_FALSE(check_reservation(request(true, 30 * 24h)).has_value());
}

TEST_F(Reservation, UnopenedProjectCountsAsOpeningAndWindowIsPerProject) {
    auto r = request(false, 100 * 24h);
    r.opened_at.reset();
    EXPECT_EQ(check_reservation(r)->code(), "reservation_manager_only");
    r = request(false, 1h);
    r.manager_only_days = 0;
    EXPECT_FALSE(check_reservation(r).has_value());
}

TEST_F(Reservation, ExpiryMustBeInTheFuture) {
    auto r = request(true, 10 * 24h);
    r.expires_at = r.now;
    EXPECT_EQ(check_reservation(r)->code(), "invalid_expiry");
    EXPECT_EQ(check_reservation(r)->kind(), Kind::invalid);
}

TEST(PriceLists, DraftIsApprovedOnceAndLocksMasterData) {
    EXPECT_FALSE(check_master_data_editable(false).has_value());
    const auto locked = check_master_data_editable(true);
    ASSERT_TRUE(locked.has_value());
    EXPECT_EQ(locked->code(), "master_data_locked");
    EXPECT_EQ(locked->kind(), Kind::conflict);
    EXPECT_NE(std::string(locked->what()).find("INV-2"), std::string::npos);

    EXPECT_FALSE(check_price_list_approval(PriceListStatus::draft, false).has_value());
    EXPECT_EQ(check_price_list_approval(PriceListStatus::approved, false)->code(),
              "invalid_transition");
    EXPECT_EQ(check_price_list_approval(PriceListStatus::approved, false)->kind(), Kind::conflict);
    EXPECT_EQ(check_price_list_approval(PriceListStatus::draft, true)->code(),
              "master_data_locked");
    EXPECT_EQ(parse_price_list_status("approved"), PriceListStatus::approved);
    EXPECT_FALSE(parse_price_list_status("locked").has_value());
}

TEST(PriceLists, ItemsAreValidated) {
    EXPECT_TRUE(validate(std::vector<PriceListItem>{{"a", 1'500'000}, {"b", 1}}).empty());
    EXPECT_EQ(validate(std::vector<PriceListItem>{}).at(0).field, "items");
    const auto problems = validate(std::vector<PriceListItem>{{"a", 0}, {"a", 100}, {"c", -5}});
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].field, "items[0].unit_price_fen_per_m2");
    EXPECT_EQ(problems[1].field, "items[1].unit_id");
    EXPECT_EQ(problems[2].field, "items[2].unit_price_fen_per_m2");
}

TEST(ChangeRequests, OnlyPendingRequestsAreDecided) {
    using CR = ChangeRequestStatus;
    EXPECT_EQ(decide(CR::pending, ChangeDecision::approve).to, CR::approved);
    EXPECT_EQ(decide(CR::pending, ChangeDecision::reject).to, CR::rejected);
    for (auto from : {CR::approved, CR::rejected}) {
        for (auto d : {ChangeDecision::approve, ChangeDecision::reject}) {
            const auto t = decide(from, d);
            EXPECT_FALSE(t.to.has_value());
            ASSERT_TRUE(t.error.has_value());
            EXPECT_EQ(t.error->code(), "invalid_transition");
            EXPECT_EQ(t.error->kind(), Kind::conflict);
            EXPECT_NE(std::string(t.error->what()).find(std::string(to_string(from))),
                      std::string::npos);
        }
    }
    EXPECT_EQ(parse_change_request_status("rejected"), CR::rejected);
    EXPECT_FALSE(parse_change_request_status("done").has_value());
}

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
    const auto utc = parse_rfc3339("2026-05-01T12:00:00Z");
    ASSERT_TRUE(utc.has_value());
    EXPECT_EQ(sales::to_rfc3339(*utc), "2026-05-01T12:00:00.000Z");
    EXPECT_EQ(parse_rfc3339("2026-05-01T20:00:00+08:00"), utc);
    EXPECT_EQ(sales::to_rfc3339(*parse_rfc3339("2024-02-29T23:59:59.1234-01:30")),
              "2024-03-01T01:29:59.123Z");
}

TEST(Rfc3339, RejectsMalformedTimestamps) {
    for (const char* bad :
         {"", "2026-05-01", "2026-05-01 12:00:00Z", "2026-05-01T12:00:00", "2026-13-01T00:00:00Z",
          "2025-02-29T00:00:00Z", "2026-05-01T24:00:00Z", "2026-05-01T12:00:00.Z",
          "2026-05-01T12:00:00Zjunk", "2026-05-01T12:00:00+8:00"}) {
        EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
    }
    // Well-formed but before 1970: read as a past instant, which hold_until and expires_at
    // refuse as "must be in the future".
    const auto past = parse_rfc3339("1969-12-31T23:59:59Z");
    ASSERT_TRUE(past.has_value());
    EXPECT_LT(*past, sales::TimePoint{});
}

}  // namespace
