#include <gtest/gtest.h>

#include <set>

#include "sales/clock.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

TEST(Ids, UuidsAreV4AndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto id = sales::new_uuid();
        ASSERT_TRUE(sales::is_uuid(id)) << id;
        EXPECT_EQ(id[14], '4');
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_FALSE(sales::is_uuid("not-a-uuid"));
    EXPECT_FALSE(sales::is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
}

TEST(Ids, Traceparent) {
    const auto tp = sales::new_traceparent();
    EXPECT_TRUE(sales::is_traceparent(tp)) << tp;
    const auto child = sales::child_traceparent(tp);
    EXPECT_TRUE(sales::is_traceparent(child));
    EXPECT_EQ(child.substr(0, 35), tp.substr(0, 35));  // same trace id
    EXPECT_NE(child.substr(36, 16), tp.substr(36, 16));
    EXPECT_FALSE(sales::is_traceparent("00-00000000000000000000000000000000-0000000000000001-01"));
    EXPECT_FALSE(sales::is_traceparent("garbage"));
    EXPECT_TRUE(sales::is_traceparent(sales::child_traceparent("garbage")));
}

TEST(Clock, Rfc3339AndManualClock) {
    sales::ManualClock clock{sales::TimePoint{std::chrono::milliseconds(1'795'000'000'123)}};
    EXPECT_EQ(sales::to_rfc3339(clock.now()), "2026-11-18T11:06:40.123Z");
    clock.advance(std::chrono::hours(12));
    EXPECT_EQ(sales::to_rfc3339(clock.now()), "2026-11-18T23:06:40.123Z");
}

TEST(Log, ScopedContextRestoresPrevious) {
    {
        sales::log::ScopedContext outer({"r1", "t1"});
        EXPECT_EQ(sales::log::current().request_id, "r1");
        {
            sales::log::ScopedContext inner({"r2", "t2"});
            EXPECT_EQ(sales::log::current().request_id, "r2");
        }
        EXPECT_EQ(sales::log::current().request_id, "r1");
    }
    EXPECT_EQ(sales::log::current().request_id, "");
    EXPECT_EQ(sales::log::parse_level("warn"), sales::log::Level::warn);
    EXPECT_THROW(sales::log::parse_level("loud"), std::invalid_argument);
}
