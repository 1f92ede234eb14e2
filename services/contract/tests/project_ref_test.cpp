#include <gtest/gtest.h>

#include "domain/project_ref.hpp"

using contract::domain::project_from_event;

TEST(ProjectRef, ReadsAValidEvent) {
    std::string problem;
    const auto ref = project_from_event({{"id", "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10"},
                                         {"code", "HX01"},
                                         {"name", "华熙"},
                                         {"version", 1}},
                                        problem);
    ASSERT_TRUE(ref.has_value()) << problem;
    EXPECT_EQ(ref->code, "HX01");
    EXPECT_EQ(ref->version, 1);
}

TEST(ProjectRef, RejectsMissingOrMistypedFields) {
    std::string problem;
    EXPECT_FALSE(project_from_event(nlohmann::json::array(), problem));
    EXPECT_EQ(problem, "data is not an object");
    EXPECT_FALSE(
        project_from_event({{"id", "x"}, {"code", 7}, {"name", "n"}, {"version", 1}}, problem));
    EXPECT_EQ(problem, "data.code must be a non-empty string");
    EXPECT_FALSE(
        project_from_event({{"id", "x"}, {"code", "C"}, {"name", "n"}, {"version", 1.5}}, problem));
    EXPECT_EQ(problem, "data.version must be a positive integer");
}

TEST(ProjectRef, OnlyNewerVersionsSupersede) {
    EXPECT_TRUE(contract::domain::supersedes(1, 0));
    EXPECT_TRUE(contract::domain::supersedes(3, 2));
    EXPECT_FALSE(contract::domain::supersedes(2, 2));
    EXPECT_FALSE(contract::domain::supersedes(1, 2));
}
