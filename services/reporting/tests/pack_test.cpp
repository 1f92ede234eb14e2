// Report packs (domain/pack.hpp): the periods on the Asia/Shanghai calendar and the file names.
#include <gtest/gtest.h>

#include "domain/pack.hpp"

namespace {
using namespace reporting::domain;

sales::Date day(const char* text) {
    return *sales::parse_date(text);
}

TEST(ReportPacks, TheLastCompletePeriodEndsBeforeToday) {
    // Thursday 2026-12-03.
    auto p = last_complete_period(PackKind::daily, day("2026-12-03"));
    EXPECT_EQ(sales::to_string(p.from), "2026-12-02");
    EXPECT_EQ(sales::to_string(p.to), "2026-12-02");
    p = last_complete_period(PackKind::weekly, day("2026-12-03"));
    EXPECT_EQ(sales::to_string(p.from), "2026-11-23");  // Monday
    EXPECT_EQ(sales::to_string(p.to), "2026-11-29");    // Sunday
    p = last_complete_period(PackKind::monthly, day("2026-12-03"));
    EXPECT_EQ(sales::to_string(p.from), "2026-11-01");
    EXPECT_EQ(sales::to_string(p.to), "2026-11-30");
}

TEST(ReportPacks, PeriodsAcrossYearsAndLeapDays) {
    auto p = last_complete_period(PackKind::monthly, day("2028-03-01"));
    EXPECT_EQ(sales::to_string(p.to), "2028-02-29");
    p = last_complete_period(PackKind::daily, day("2027-01-01"));
    EXPECT_EQ(sales::to_string(p.from), "2026-12-31");
    // On a Monday the week just ended is the one before.
    p = last_complete_period(PackKind::weekly, day("2026-12-07"));
    EXPECT_EQ(sales::to_string(p.from), "2026-11-30");
    EXPECT_EQ(sales::to_string(p.to), "2026-12-06");
    p = pack_period_of(PackKind::weekly, day("2027-01-01"));  // Friday
    EXPECT_EQ(sales::to_string(p.from), "2026-12-28");
    EXPECT_EQ(sales::to_string(p.to), "2027-01-03");
}

TEST(ReportPacks, FileNamesSayWhatAndWhen) {
    EXPECT_EQ(pack_file_stem(PackKind::daily, {day("2026-12-02"), day("2026-12-02")}, "HX01"),
              "经营报表包-日报-2026-12-02-HX01");
    EXPECT_EQ(pack_file_stem(PackKind::monthly, {day("2026-11-01"), day("2026-11-30")}, "HX01"),
              "经营报表包-月报-2026-11-01至2026-11-30-HX01");
    EXPECT_EQ(pack_sheets().size(), 9u);
}

}  // namespace
