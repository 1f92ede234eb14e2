#include <gtest/gtest.h>

#include "sales/config.hpp"

using sales::Config;
using sales::ConfigError;
using namespace std::chrono_literals;
using Vars = std::map<std::string, std::string>;

TEST(Config, DefaultsWhenUnsetOrEmpty) {
    Config c(Vars{{"EMPTY", ""}});
    EXPECT_EQ(c.str("MISSING", "x"), "x");
    EXPECT_EQ(c.str("EMPTY", "y"), "y");
    EXPECT_EQ(c.integer("MISSING", 7, 0, 10), 7);
    EXPECT_TRUE(c.boolean("MISSING", true));
}

TEST(Config, IntegerValidation) {
    Config c(Vars{{"N", "42"}, {"BAD", "4x2"}, {"BIG", "99"}});
    EXPECT_EQ(c.integer("N", 0, 0, 100), 42);
    try {
        c.integer("BAD", 0, 0, 100);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "configuration: BAD='4x2' is not an integer");
    }
    EXPECT_THROW(c.integer("BIG", 0, 0, 50), ConfigError);
}

TEST(Config, PortRange) {
    Config c(Vars{{"P", "70000"}, {"Q", "8080"}});
    EXPECT_THROW(c.port("P", 1), ConfigError);
    EXPECT_EQ(c.port("Q", 1), 8080);
}

TEST(Config, Booleans) {
    Config c(Vars{{"A", "TRUE"}, {"B", "off"}, {"C", "maybe"}});
    EXPECT_TRUE(c.boolean("A", false));
    EXPECT_FALSE(c.boolean("B", true));
    EXPECT_THROW(c.boolean("C", true), ConfigError);
}

TEST(Config, Durations) {
    EXPECT_EQ(sales::parse_duration("250ms"), 250ms);
    EXPECT_EQ(sales::parse_duration("30s"), 30s);
    EXPECT_EQ(sales::parse_duration("5m"), 5min);
    EXPECT_EQ(sales::parse_duration("12h"), 12h);
    EXPECT_EQ(sales::parse_duration("15"), 15ms);
    EXPECT_THROW(sales::parse_duration("1.5s"), ConfigError);
    EXPECT_THROW(sales::parse_duration("s"), ConfigError);
    EXPECT_THROW(sales::parse_duration("10d"), ConfigError);
    Config c(Vars{{"D", "2s"}, {"E", "2h"}});
    EXPECT_EQ(c.duration("D", 1s, 1ms, 1h), 2s);
    EXPECT_THROW(c.duration("E", 1s, 1ms, 1h), ConfigError);
}

TEST(Config, RequiredAndEnumerations) {
    Config c(Vars{{"LEVEL", "loud"}, {"MODE", "b"}});
    EXPECT_THROW(c.required("NOPE"), ConfigError);
    EXPECT_EQ(c.one_of("MODE", "a", {"a", "b"}), "b");
    try {
        c.one_of("LEVEL", "info", {"debug", "info"});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "configuration: LEVEL='loud' must be one of: debug, info");
    }
}
