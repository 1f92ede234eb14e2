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

TEST(ProjectRef, ReadsSettingsNestedOrFlatAndKeepsWhatIsAbsent) {
    std::string problem;
    const auto nested =
        project_from_event({{"id", "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10"},
                            {"version", 2},
                            {"settings", {{"deposit_deadline_seconds", 3}}}},
                           problem, contract::domain::ProjectEvent::settings_changed);
    ASSERT_TRUE(nested.has_value()) << problem;
    EXPECT_FALSE(nested->code.has_value());  // a settings-only event
    const auto applied = nested->settings.applied_to(contract::domain::ProjectSettings{});
    EXPECT_EQ(applied.deposit_deadline_seconds, 3);
    EXPECT_EQ(applied.deposit_cap_percent, 20);  // REG-2 default kept
    EXPECT_EQ(applied.signing_deadline_days, 30);

    const auto flat = project_from_event({{"id", "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10"},
                                          {"code", "HX01"},
                                          {"name", "华熙"},
                                          {"version", 1},
                                          {"deposit_cap_percent", 15}},
                                         problem);
    ASSERT_TRUE(flat.has_value()) << problem;
    EXPECT_EQ(flat->settings.deposit_cap_percent, 15);
    EXPECT_FALSE(flat->settings.deposit_deadline_seconds.has_value());
}

TEST(ProjectRef, CreatedNeedsCodeAndNameSettingsChangedDoesNot) {
    std::string problem;
    const nlohmann::json settings_only = {{"id", "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10"},
                                          {"version", 2},
                                          {"deposit_cap_percent", 10}};
    EXPECT_FALSE(project_from_event(settings_only, problem));
    EXPECT_EQ(problem, "data.code must be a non-empty string");
    EXPECT_TRUE(project_from_event(settings_only, problem,
                                   contract::domain::ProjectEvent::settings_changed));
}

TEST(ProjectRef, RejectsSettingsOutsideTheRules) {
    std::string problem;
    const nlohmann::json base = {{"id", "0b7e4c1e-8a53-4c4e-9d7e-2f1b9c7d1a10"},
                                 {"code", "HX01"},
                                 {"name", "n"},
                                 {"version", 1}};
    auto cap = base;
    cap["deposit_cap_percent"] = 25;  // REG-2: never above 20%
    EXPECT_FALSE(project_from_event(cap, problem));
    EXPECT_EQ(problem, "data.deposit_cap_percent must be an integer between 1 and 20");
    auto deadline = base;
    deadline["deposit_deadline_seconds"] = 0;
    EXPECT_FALSE(project_from_event(deadline, problem));
    auto mistyped = base;
    mistyped["signing_deadline_days"] = "30";
    EXPECT_FALSE(project_from_event(mistyped, problem));
    auto not_uuid = base;
    not_uuid["id"] = "HX01";
    EXPECT_FALSE(project_from_event(not_uuid, problem));
    EXPECT_EQ(problem, "data.id must be a UUID");
}
