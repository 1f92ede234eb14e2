#include <gtest/gtest.h>

#include "domain/calendar.hpp"

namespace {
using namespace contract::domain;
using namespace std::chrono_literals;

TEST(Calendar, ParsesRealDaysOnly) {
    EXPECT_EQ(to_string(*parse_date("2028-02-29")), "2028-02-29");
    EXPECT_FALSE(parse_date("2026-02-29"));
    EXPECT_FALSE(parse_date("2026-04-31"));
    EXPECT_FALSE(parse_date("2026-00-10"));
    EXPECT_FALSE(parse_date("2026-1-10"));
    EXPECT_FALSE(parse_date(" 2026-01-10"));
    EXPECT_FALSE(parse_date("２０２６-01-10"));
}

TEST(Calendar, ShanghaiDayStartsAtSixteenUtc) {
    // 2026-11-22T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 23rd.
    const sales::TimePoint before{std::chrono::sys_days{std::chrono::year(2026) / 11 / 22} + 15h +
                                  59min + 59s};
    EXPECT_EQ(to_string(shanghai_date(before)), "2026-11-22");
    EXPECT_EQ(to_string(shanghai_date(before + 1s)), "2026-11-23");
}

TEST(Calendar, Rfc3339Timestamps) {
    for (const char* good : {"2026-11-22T07:33:27Z", "2026-11-22T07:33:27.123Z",
                             "2026-11-22T15:33:27+08:00", "2026-11-22T07:33:27.5-01:30"}) {
        EXPECT_TRUE(is_rfc3339(good)) << good;
    }
    for (const char* bad :
         {"2026-11-22", "2026-11-22 07:33:27Z", "2026-11-22T07:33:27", "2026-11-22T24:00:00Z",
          "2026-11-22T07:33:27.Z", "2026-11-22T07:33:27+0800", "2026-02-30T00:00:00Z"}) {
        EXPECT_FALSE(is_rfc3339(bad)) << bad;
    }
}

}  // namespace
