// Dates and working days (DOMAIN.md: "working day" = Monday–Friday in Asia/Shanghai). Moved here
// from services/contract so that contract (CON-4) and customer (CUS-6, CUS-10) share it.
#include <gtest/gtest.h>

#include "sales/calendar.hpp"

namespace {
using namespace std::chrono_literals;
using sales::Date;

Date d(const char* text) {
    return *sales::parse_date(text);
}

TEST(Calendar, ParsesRealDaysOnly) {
    EXPECT_EQ(sales::to_string(*sales::parse_date("2028-02-29")), "2028-02-29");
    EXPECT_FALSE(sales::parse_date("2026-02-29"));
    EXPECT_FALSE(sales::parse_date("2026-04-31"));
    EXPECT_FALSE(sales::parse_date("2026-00-10"));
    EXPECT_FALSE(sales::parse_date("2026-1-10"));
    EXPECT_FALSE(sales::parse_date(" 2026-01-10"));
    EXPECT_FALSE(sales::parse_date("２０２６-01-10"));
}

TEST(Calendar, ShanghaiDayStartsAtSixteenUtc) {
    // 2026-11-22T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 23rd.
    const sales::TimePoint before{std::chrono::sys_days{std::chrono::year(2026) / 11 / 22} + 15h +
                                  59min + 59s};
    EXPECT_EQ(sales::to_string(sales::shanghai_date(before)), "2026-11-22");
    EXPECT_EQ(sales::to_string(sales::shanghai_date(before + 1s)), "2026-11-23");
    EXPECT_EQ(sales::shanghai_midnight(d("2026-11-23")), before + 1s);
}

TEST(Calendar, Rfc3339Timestamps) {
    for (const char* good : {"2026-11-22T07:33:27Z", "2026-11-22T07:33:27.123Z",
                             "2026-11-22T15:33:27+08:00", "2026-11-22T07:33:27.5-01:30"}) {
        EXPECT_TRUE(sales::is_rfc3339(good)) << good;
    }
    for (const char* bad :
         {"2026-11-22", "2026-11-22 07:33:27Z", "2026-11-22T07:33:27", "2026-11-22T24:00:00Z",
          "2026-11-22T07:33:27.Z", "2026-11-22T07:33:27+0800", "2026-02-30T00:00:00Z"}) {
        EXPECT_FALSE(sales::is_rfc3339(bad)) << bad;
    }
}

TEST(Calendar, Rfc3339OffsetsNameTheSameInstant) {
    const auto utc = sales::parse_rfc3339("2026-11-22T07:33:27.5Z");
    const auto shanghai = sales::parse_rfc3339("2026-11-22T15:33:27.500+08:00");
    ASSERT_TRUE(utc && shanghai);
    EXPECT_EQ(*utc, *shanghai);
    EXPECT_EQ(sales::to_rfc3339(*utc), "2026-11-22T07:33:27.500Z");
}

TEST(Calendar, WorkingDaysSkipWeekends) {
    // 2026-11-20 is a Friday.
    EXPECT_TRUE(sales::is_working_day(d("2026-11-20")));
    EXPECT_FALSE(sales::is_working_day(d("2026-11-21")));
    EXPECT_FALSE(sales::is_working_day(d("2026-11-22")));
    EXPECT_EQ(sales::to_string(sales::add_working_days(d("2026-11-20"), 1)), "2026-11-23");
    EXPECT_EQ(sales::to_string(sales::add_working_days(d("2026-11-21"), 1)), "2026-11-23");
    EXPECT_EQ(sales::to_string(sales::add_working_days(d("2026-11-18"), 2)), "2026-11-20");
    EXPECT_EQ(sales::to_string(sales::add_working_days(d("2026-11-18"), 3)), "2026-11-23");
    EXPECT_EQ(sales::to_string(sales::add_working_days(d("2026-11-22"), 0)), "2026-11-22");
    EXPECT_EQ(sales::working_days_between(d("2026-11-20"), d("2026-11-23")), 1);
    EXPECT_EQ(sales::working_days_between(d("2026-11-23"), d("2026-11-20")), 0);
}

}  // namespace
