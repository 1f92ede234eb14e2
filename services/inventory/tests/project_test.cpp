// INV-1 project validation.
#include <gtest/gtest.h>

#include "domain/project.hpp"

using inventory::domain::NewProject;
using inventory::domain::validate;

TEST(ProjectValidation, AcceptsATypicalProject) {
    EXPECT_TRUE(validate({"HX01", "华熙一期", "成都"}).empty());
    EXPECT_TRUE(validate({"AB", std::string(100, 'n'), "X"}).empty());
}

TEST(ProjectValidation, RejectsBadCodes) {
    for (const char* code : {"", "H", "hx01", "1HX", "HX-01", "ABCDEFGHI", "HX 1"}) {
        const auto problems = validate({code, "name", "city"});
        ASSERT_EQ(problems.size(), 1u) << code;
        EXPECT_EQ(problems[0].field, "code");
    }
}

TEST(ProjectValidation, NameAndCityLengthsCountCharactersNotBytes) {
    // 100 Chinese characters are 300 bytes but a valid name.
    std::string hundred;
    for (int i = 0; i < 100; ++i)
        hundred += "楼";
    EXPECT_TRUE(validate({"HX01", hundred, "成都"}).empty());
    const auto problems = validate({"HX01", hundred + "楼", "   "});
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].field, "name");
    EXPECT_EQ(problems[1].field, "city");
}
