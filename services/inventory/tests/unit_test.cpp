// INV-1 unit validation, computed list totals, bulk expansion and edits.
#include <gtest/gtest.h>

#include "domain/unit.hpp"

namespace {
using namespace inventory::domain;

UnitMaster typical() {
    return {"1203", 12, 3, "3室2厅2卫", "south", "fine", 10'000, 2'050, 12'050, 1'580'000};
}

std::vector<std::string> fields(const std::vector<FieldProblem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems)
        out.push_back(p.field);
    return out;
}

TEST(UnitValidation, AcceptsATypicalUnit) {
    EXPECT_TRUE(validate(typical(), 30).empty());
    auto no_shared = typical();
    no_shared.shared_area_centi_m2 = 0;
    no_shared.gross_area_centi_m2 = 10'000;
    EXPECT_TRUE(validate(no_shared, 30).empty());
}

TEST(UnitValidation, GrossMustEqualInternalPlusShared) {
    auto u = typical();
    u.gross_area_centi_m2 = 12'051;
    EXPECT_EQ(fields(validate(u, 30)), std::vector<std::string>{"gross_area_centi_m2"});
}

TEST(UnitValidation, AreasAndPriceMustBePositive) {
    auto u = typical();
    u.internal_area_centi_m2 = 0;
    u.shared_area_centi_m2 = -1;
    u.gross_area_centi_m2 = -1;
    u.list_unit_price_fen_per_m2 = 0;
    EXPECT_EQ(fields(validate(u, 30)),
              (std::vector<std::string>{"internal_area_centi_m2", "shared_area_centi_m2",
                                        "gross_area_centi_m2", "list_unit_price_fen_per_m2"}));
    u = typical();
    u.list_unit_price_fen_per_m2 = -1'580'000;
    EXPECT_EQ(fields(validate(u, 30)), std::vector<std::string>{"list_unit_price_fen_per_m2"});
}

TEST(UnitValidation, DescriptiveFieldsAndPlacement) {
    auto u = typical();
    u.unit_number = "12 03";
    u.floor = 31;
    u.position = 0;
    u.layout = "三室两厅两卫带入户花园和双阳台以及超大主卧套";  // 22 characters
    u.orientation = "up";
    u.decoration = "gold";
    EXPECT_EQ(fields(validate(u, 30)),
              (std::vector<std::string>{"unit_number", "floor", "position", "layout", "orientation",
                                        "decoration"}));
    u = typical();
    u.layout = "三室两厅两卫带入户花园和双阳台以及超大主";  // 20 characters, 60 bytes
    EXPECT_TRUE(validate(u, 30).empty());
    u.layout = "  ";
    EXPECT_EQ(fields(validate(u, 30)), std::vector<std::string>{"layout"});
}

TEST(UnitPricing, ListTotalIsComputedWithHalfUpRounding) {
    auto u = typical();
    EXPECT_EQ(list_total_fen(u), 190'390'000);  // 120.50 m² × ¥15,800
    u.gross_area_centi_m2 = 1;
    u.list_unit_price_fen_per_m2 = 50;  // 0.01 m² × 0.50 ¥/m² = 0.5 fen → 1
    EXPECT_EQ(list_total_fen(u), 1);
    u.list_unit_price_fen_per_m2 = 49;
    EXPECT_EQ(list_total_fen(u), 0);
    u.gross_area_centi_m2 = kMaxAreaCentiM2;
    u.list_unit_price_fen_per_m2 = kMaxUnitPriceFenPerM2;  // bounds never overflow int64
    EXPECT_EQ(list_total_fen(u), kMaxAreaCentiM2 * kMaxUnitPriceFenPerM2 / 100);
}

TEST(UnitNumbers, FloorThenTwoDigitPosition) {
    EXPECT_EQ(unit_number_for(12, 3), "1203");
    EXPECT_EQ(unit_number_for(1, 6), "106");
    EXPECT_EQ(unit_number_for(30, 12), "3012");
}

UnitTemplate position(std::int64_t p, std::int64_t from = 1, std::int64_t to = 30) {
    return {p, from, to, "3室2厅2卫", "south", "bare", 9'000, 1'500, std::nullopt, 1'500'000, 0};
}

TEST(BulkExpansion, ThirtyFloorsTimesSixPositions) {
    std::vector<UnitTemplate> templates;
    for (int p = 1; p <= 6; ++p)
        templates.push_back(position(p));
    templates[0].floor_price_step_fen_per_m2 = 5'000;  // ¥50 per m² per floor
    const auto plan = expand(templates, 30);
    ASSERT_TRUE(plan.problems.empty()) << plan.problems[0].field << plan.problems[0].problem;
    ASSERT_EQ(plan.units.size(), 180u);
    EXPECT_EQ(plan.units.front().unit_number, "3001");  // top floor first
    EXPECT_EQ(plan.units.front().list_unit_price_fen_per_m2, 1'500'000 + 29 * 5'000);
    EXPECT_EQ(plan.units.back().unit_number, "106");
    for (const auto& u : plan.units) {
        EXPECT_EQ(u.gross_area_centi_m2, 10'500);
        EXPECT_TRUE(validate(u, 30).empty()) << u.unit_number;
    }
}

TEST(BulkExpansion, RejectsOverlapsBadRangesAndBadTemplatesWithoutUnits) {
    auto overlap = expand({position(1, 1, 10), position(1, 10, 20)}, 30);
    EXPECT_TRUE(overlap.units.empty());
    EXPECT_EQ(fields(overlap.problems), std::vector<std::string>{"templates[1].position"});

    auto t = position(2, 5, 31);
    t.gross_area_centi_m2 = 1;
    t.orientation = "sideways";
    const auto bad = expand({position(1), t}, 30);
    EXPECT_TRUE(bad.units.empty());
    EXPECT_EQ(fields(bad.problems),
              (std::vector<std::string>{"templates[1].floors", "templates[1].orientation",
                                        "templates[1].gross_area_centi_m2"}));

    auto falling = position(3);
    falling.floor_price_step_fen_per_m2 = -100'000;  // 1,500,000 − 29 × 100,000 < 0
    EXPECT_EQ(fields(expand({falling}, 30).problems),
              std::vector<std::string>{"templates[0].floor_price_step_fen_per_m2"});
    falling.floor_price_step_fen_per_m2 = INT64_MIN;
    EXPECT_EQ(expand({falling}, 30).problems.size(), 1u);

    EXPECT_EQ(fields(expand({}, 30).problems), std::vector<std::string>{"templates"});
}

TEST(BulkExpansion, CapsTheUnitsOfOneRequest) {
    std::vector<UnitTemplate> templates;
    for (int p = 1; p <= 11; ++p)
        templates.push_back(position(p, 1, 199));  // 2,189 units
    const auto plan = expand(templates, 200);
    EXPECT_TRUE(plan.units.empty());
    ASSERT_FALSE(plan.problems.empty());
    EXPECT_EQ(plan.problems.back().field, "templates");
}

TEST(UnitEdits, RecomputeGrossAndKeepUntouchedFields) {
    UnitEdit edit;
    EXPECT_TRUE(edit.empty());
    edit.shared_area_centi_m2 = 3'000;
    EXPECT_TRUE(edit.changes_price_or_area());
    const auto edited = apply(typical(), edit);
    EXPECT_EQ(edited.gross_area_centi_m2, 13'000);
    EXPECT_EQ(edited.layout, "3室2厅2卫");
    EXPECT_TRUE(validate(edited, 30).empty());

    UnitEdit layout_only;
    layout_only.layout = "4室2厅2卫";
    EXPECT_FALSE(layout_only.changes_price_or_area());
    EXPECT_FALSE(layout_only.empty());
    EXPECT_EQ(apply(typical(), layout_only).layout, "4室2厅2卫");
}

}  // namespace
