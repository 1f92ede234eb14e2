// The nesting limit checked before any JSON text is parsed (sales/json_limits.hpp).
#include <gtest/gtest.h>

#include <string>

#include "sales/json_limits.hpp"

namespace {

TEST(JsonDepth, CountsArraysAndObjectsButNotBracketsInStrings) {
    static_assert(sales::json_depth_within(R"({"a":[1,{"b":[]}]})", 4));
    static_assert(!sales::json_depth_within(R"({"a":[1,{"b":[]}]})", 3));
    static_assert(sales::json_depth_within(R"({"a":"[[[[[[[[[[","b":"\"[[[["})", 1));
    EXPECT_TRUE(sales::json_depth_within(""));
}

TEST(JsonDepth, RefusesTheHostileBodyAndAcceptsTheLimit) {
    const std::string hostile =
        "{\"plan\": " + std::string(200'000, '[') + std::string(200'000, ']') + "}";
    EXPECT_FALSE(sales::json_depth_within(hostile));
    const std::string at_limit =
        std::string(sales::kMaxJsonDepth, '[') + std::string(sales::kMaxJsonDepth, ']');
    EXPECT_TRUE(sales::json_depth_within(at_limit));
    EXPECT_FALSE(sales::json_depth_within("[" + at_limit + "]"));
}

}  // namespace
