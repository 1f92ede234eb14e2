#include <unistd.h>

#include <filesystem>
#include <fstream>

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

TEST(Config, SecretsComeFromTheVariableOrAMountedFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("config-secret-" + std::to_string(::getpid()) + ".txt");
    {
        std::ofstream out(path);
        out << "host=db password=s3cret\n";
    }
    const Config from_file(Vars{{"SALES_X_DB_FILE", path.string()}});
    EXPECT_EQ(from_file.secret("SALES_X_DB"), "host=db password=s3cret");  // newline dropped
    EXPECT_EQ(Config(Vars{{"SALES_X_DB", "inline"}}).secret("SALES_X_DB"), "inline");
    EXPECT_EQ(Config(Vars{}).secret("SALES_X_DB", false, "none"), "none");
    EXPECT_THROW(Config(Vars{}).secret("SALES_X_DB"), ConfigError);
    EXPECT_THROW(
        Config(Vars{{"SALES_X_DB", "a"}, {"SALES_X_DB_FILE", path.string()}}).secret("SALES_X_DB"),
        ConfigError);
    std::filesystem::remove(path);
    try {
        from_file.secret("SALES_X_DB");
        ADD_FAILURE() << "a missing file must be refused";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("SALES_X_DB_FILE"), std::string::npos) << e.what();
    }
}
