// CON-7 registration deadline and the contract search's input rules, without a database.
#include <gtest/gtest.h>

#include "domain/registration.hpp"

namespace {
using namespace contract::domain;

Date on(const char* text) {
    return *parse_date(text);
}

// CON-7: filing due 2 working days (Monday–Friday, Asia/Shanghai) after the stamping day.
TEST(RegistrationDue, Con7TwoWorkingDaysAfterStampingSkipWeekends) {
    struct Case {
        const char* stamped_on;
        std::int64_t days;
        const char* due_on;
    };
    const Case cases[] = {
        {"2026-05-04", 2, "2026-05-06"},  // Monday → Wednesday
        {"2026-05-06", 2, "2026-05-08"},  // Wednesday → Friday
        {"2026-05-07", 2, "2026-05-11"},  // Thursday → Monday
        {"2026-05-08", 2, "2026-05-12"},  // Friday → Tuesday
        {"2026-05-09", 2, "2026-05-12"},  // Saturday → Tuesday
        {"2026-05-10", 2, "2026-05-12"},  // Sunday → Tuesday
        {"2026-05-08", 1, "2026-05-11"},  // a project setting of 1: Friday → Monday
        {"2026-05-04", 5, "2026-05-11"},  // 5: a whole week
        {"2026-12-31", 2, "2027-01-04"},  // Thursday, across the year end
        {"2028-02-28", 2, "2028-03-01"},  // Monday, across a leap day
    };
    for (const auto& c : cases) {
        EXPECT_EQ(to_string(registration_due(on(c.stamped_on), c.days)), c.due_on)
            << c.stamped_on << " + " << c.days;
    }
}

// The same calendar as CON-4's audit deadlines: no second one.
TEST(RegistrationDue, Con7UsesTheAuditCalendar) {
    for (const char* day : {"2026-05-04", "2026-05-08", "2026-05-09", "2026-05-10"}) {
        for (std::int64_t days = 1; days <= 10; ++days)
            EXPECT_EQ(registration_due(on(day), days), step_due(on(day), 1, days, false));
    }
}

TEST(RegistrationDue, Con7OverdueOnlyAfterTheDueDay) {
    const struct {
        const char* due_on;
        const char* today;
        bool overdue;
    } cases[] = {
        {"2026-05-12", "2026-05-11", false},
        {"2026-05-12", "2026-05-12", false},
        {"2026-05-12", "2026-05-13", true},
        {"2026-05-12", "2027-01-01", true},
    };
    for (const auto& c : cases)
        EXPECT_EQ(registration_overdue(on(c.due_on), on(c.today)), c.overdue) << c.today;
}

TEST(RegistrationNumber, Con7SurroundingSpacesDoNotMakeANewNumber) {
    EXPECT_EQ(normalise_registration_no("WQ-88"), "WQ-88");
    EXPECT_EQ(normalise_registration_no("  WQ-88 \t\n"), "WQ-88");
    EXPECT_EQ(normalise_registration_no("WQ 88"), "WQ 88");  // inner spaces are part of it
    EXPECT_EQ(normalise_registration_no(" \t"), "");
}

TEST(ContractSearch, StatusListIsCommaSeparatedNamesWithoutRepeats) {
    std::string problem;
    const auto one = parse_status_list("stamped", problem);
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, std::vector<ContractStatus>{ContractStatus::stamped});
    const auto several = parse_status_list("in_audit,registered,in_audit", problem);
    ASSERT_TRUE(several);
    EXPECT_EQ(*several,
              (std::vector<ContractStatus>{ContractStatus::in_audit, ContractStatus::registered}));
    for (const char* bad : {"", ",", "stamped,", "signed", "stamped, registered", "STAMPED"}) {
        problem.clear();
        EXPECT_FALSE(parse_status_list(bad, problem)) << bad;
        EXPECT_NE(problem.find("in_audit, rejected, reviewed"), std::string::npos) << problem;
    }
}

TEST(ContractSearch, ContractNumberPrefixEscapesLikeWildcards) {
    EXPECT_EQ(prefix_pattern("2026-HX01-00"), "2026-HX01-00%");
    EXPECT_EQ(prefix_pattern(""), "%");
    EXPECT_EQ(prefix_pattern("20%6_x\\"), "20\\%6\\_x\\\\%");
}

}  // namespace
