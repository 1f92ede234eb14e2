// CON-10: title-area survey batches, without a database.
#include <limits>

#include <gtest/gtest.h>

#include "domain/title_area.hpp"

namespace {
using namespace inventory::domain;

TitleAreaItem item(const std::string& unit, std::int64_t gross, std::int64_t internal) {
    return {unit, gross, internal};
}

TEST(TitleAreas, AValidBatchHasNoProblems) {
    EXPECT_TRUE(check_title_areas({item("u1", 11'350, 9'450), item("u2", 11'800, 11'800)}).empty());
}

TEST(TitleAreas, EmptyDuplicateNonPositiveAndInternalAboveGrossAreNamedByField) {
    EXPECT_EQ(check_title_areas({}).at(0).field, "items");
    const auto problems =
        check_title_areas({item("u1", 11'350, 9'450), item("u1", 0, -1), item("u3", 9'000, 9'001)});
    ASSERT_EQ(problems.size(), 4u);
    EXPECT_EQ(problems[0].field, "items[1].unit_id");
    EXPECT_EQ(problems[1].field, "items[1].gross_area_centi_m2");
    EXPECT_EQ(problems[2].field, "items[1].internal_area_centi_m2");
    EXPECT_EQ(problems[3].field, "items[2].internal_area_centi_m2");
    EXPECT_EQ(check_title_areas(std::vector<TitleAreaItem>(kMaxTitleAreaItems + 1)).at(0).field,
              "items");
}

TEST(TitleAreas, MoreThanHalfAwayFromTheAreaSoldIsATypingError) {
    EXPECT_FALSE(implausible_title_area("f", 15'000, 10'000));  // exactly +50%
    EXPECT_FALSE(implausible_title_area("f", 5'000, 10'000));   // exactly -50%
    EXPECT_TRUE(implausible_title_area("f", 15'001, 10'000));
    EXPECT_TRUE(implausible_title_area("f", 4'999, 10'000));
    EXPECT_TRUE(implausible_title_area("f", 113'500, 11'350));  // a digit too many
    EXPECT_FALSE(implausible_title_area("f", 5'001, 10'001));   // odd area: 2 × 5,000 ≤ 10,001
    EXPECT_TRUE(implausible_title_area("f", 5'000, 10'001));    // 2 × 5,001 > 10,001
    // The largest figure a body can carry is refused, not wrapped around.
    EXPECT_TRUE(implausible_title_area("f", std::numeric_limits<std::int64_t>::max(), 10'000));
    EXPECT_EQ(implausible_title_area("items[0].gross_area_centi_m2", 1, 10'000)->field,
              "items[0].gross_area_centi_m2");
}

TEST(TitleAreas, ABatchIsDecidedOnceByAnotherPerson) {
    EXPECT_NO_THROW(check_survey_decision(SurveyStatus::draft, "clerk", "manager"));
    try {
        check_survey_decision(SurveyStatus::draft, "clerk", "clerk");
        FAIL() << "the recorder checked their own batch";
    } catch (const sales::Failure& f) {
        EXPECT_EQ(f.code(), "same_person");
    }
    for (const auto decided : {SurveyStatus::approved, SurveyStatus::rejected}) {
        try {
            check_survey_decision(decided, "clerk", "manager");
            FAIL() << "decided twice";
        } catch (const sales::Failure& f) {
            EXPECT_EQ(f.code(), "invalid_transition");
        }
    }
}

}  // namespace
