// The live 楼盘表 feed (issue 12): what a reconnecting client is given.
#include <gtest/gtest.h>

#include "domain/live_feed.hpp"

namespace gateway::domain {
namespace {

std::vector<std::uint64_t> numbers(const std::optional<std::vector<LiveEvent>>& events) {
    std::vector<std::uint64_t> out;
    for (const auto& e : *events)
        out.push_back(e.number);
    return out;
}

TEST(LiveFeed, AClientThatReconnectsGetsWhatItMissedInOrder) {
    LiveFeed feed("e1", 100);
    const auto before = feed.last_id();
    EXPECT_EQ(before, "e1-0");
    feed.append("p1", "{\"a\":1}");
    feed.append("p2", "{\"a\":2}");
    feed.append("p1", "{\"a\":3}");
    ASSERT_TRUE(feed.since(before));
    EXPECT_EQ(numbers(feed.since(before)), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(numbers(feed.since("e1-2")), (std::vector<std::uint64_t>{3}));
    EXPECT_TRUE(feed.since(feed.last_id())->empty());
    EXPECT_EQ(feed.since("e1-2")->front().project_id, "p1");
}

TEST(LiveFeed, IdsItCannotVouchForMeanReload) {
    LiveFeed feed("e1", 2);
    for (int i = 0; i < 5; ++i)
        feed.append("p", "{}");
    EXPECT_FALSE(feed.since("e0-4")) << "another process's id";
    EXPECT_FALSE(feed.since("e1-9")) << "an id from the future";
    EXPECT_FALSE(feed.since("e1-2")) << "event 3 is no longer kept";
    EXPECT_EQ(numbers(feed.since("e1-3")), (std::vector<std::uint64_t>{4, 5}));
    for (const char* junk : {"", "e1", "e1-", "e1-x", "e1--1", "e1-3 ", "-3"})
        EXPECT_FALSE(feed.since(junk)) << junk;
}

TEST(LiveFeed, AfterAGapOnlyLaterIdsResume) {
    LiveFeed feed("e1", 100);
    feed.append("p", "{}");
    const auto before_gap = feed.last_id();
    feed.gap();
    EXPECT_FALSE(feed.since(before_gap)) << "events may have been missed during the gap";
    const auto after_gap = feed.last_id();
    EXPECT_TRUE(feed.since(after_gap)->empty());
    feed.append("p", "{}");
    EXPECT_EQ(feed.since(after_gap)->size(), 1u);
}

TEST(LiveFeed, MessagesAreServerSentEvents) {
    EXPECT_EQ(sse_message("e1-3", "unit", "{\"x\":1}"),
              "id: e1-3\nevent: unit\ndata: {\"x\":1}\n\n");
    EXPECT_EQ(sse_message("", "reset", "{}"), "event: reset\ndata: {}\n\n");
}

}  // namespace
}  // namespace gateway::domain
