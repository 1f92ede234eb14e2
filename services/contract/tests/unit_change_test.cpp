// CON-5 unit change after signing 换房, without a database: the new terms take the new unit's
// price terms (list total, areas, unit price on the pricing basis) with the contract's discount
// re-checked (CON-3 discount slip rule, REG-2 deposit cap), and the events tell inventory which
// unit to sell, free or release.
#include <gtest/gtest.h>

#include "domain/contract.hpp"
#include "failure_of.hpp"

namespace {
using namespace contract::domain;
using contract::test::failure_of;
using nlohmann::json;

const sales::TimePoint kUnitChangeAt{std::chrono::seconds(1'800'000'000)};
const Date kLongAgo{std::chrono::year{2000}, std::chrono::month{1}, std::chrono::day{1}};

By unit_change_by(const std::string& actor, std::optional<std::string> reason = std::nullopt) {
    return {actor, std::move(reason), kUnitChangeAt};
}

// A signed one-off contract: list 1,000,000.00 yuan on 100 m² gross, 1% discount.
Contract signed_one_off() {
    Contract c;
    c.id = "k1";
    c.contract_no = "2027-HX01-000001";
    c.project_id = "p1";
    c.subscription_id = "s1";
    c.unit_id = "u-old";
    c.status = ContractStatus::stamped;
    c.version = 7;
    c.terms.customer_id = "c1";
    c.terms.list_total_fen = 100'000'000;
    c.terms.discount_fen = 1'000'000;
    c.terms.price_fen = 99'000'000;
    c.terms.plan.kind = PaymentPlan::one_off;
    c.terms.plan.due_date = "2027-03-01";
    c.areas = {10'000, 8'000};
    c.deposit_paid_fen = 5'000'000;
    return c;
}

NewUnit new_unit(std::int64_t list_total_fen, DealAreas areas = {12'050, 9'800}) {
    return {"u-new", "b1", "1-1202", list_total_fen, areas};
}

AmendmentChange change_to(const NewUnit& unit) {
    AmendmentChange change;
    change.unit = unit;
    return change;
}

TEST(UnitChange, Con5NewTermsTakeTheNewUnitsListTotalAndKeepTheDiscount) {
    const auto c = signed_one_off();
    const auto next = amended_terms(c.terms, change_to(new_unit(120'500'000)), c.deposit_paid_fen);
    EXPECT_EQ(next.list_total_fen, 120'500'000);
    EXPECT_EQ(next.discount_fen, 1'000'000) << "the contract's discount carries over";
    EXPECT_EQ(next.price_fen, 119'500'000);
    EXPECT_EQ(next.plan.kind, PaymentPlan::one_off) << "a one-off plan is the price by definition";
    EXPECT_EQ(plan_total(next.plan, next.price_fen), 119'500'000);
    EXPECT_EQ(c.terms.price_fen, 99'000'000) << "CON-5: the original is untouched until approval";
}

TEST(UnitChange, Con5ADiscountGivenWithTheChangeAppliesToTheNewListTotal) {
    const auto c = signed_one_off();
    auto change = change_to(new_unit(80'000'000));
    change.discount_fen = 0;
    const auto next = amended_terms(c.terms, change, c.deposit_paid_fen);
    EXPECT_EQ(next.price_fen, 80'000'000);
}

TEST(UnitChange, Con5InstalmentsMustBeRestatedForTheNewPrice) {
    auto c = signed_one_off();
    std::vector<FieldProblem> problems;
    c.terms.plan = *parse_plan({{"kind", "instalments"},
                                {"instalments",
                                 {{{"due_date", "2027-03-01"}, {"amount_fen", 49'000'000}},
                                  {{"due_date", "2027-06-01"}, {"amount_fen", 50'000'000}}}}},
                               kLongAgo, problems);
    ASSERT_TRUE(problems.empty());
    EXPECT_EQ(failure_of([&] {
                  amended_terms(c.terms, change_to(new_unit(120'500'000)), c.deposit_paid_fen);
              }),
              "422 plan_required");
    auto change = change_to(new_unit(120'500'000));
    change.plan = *parse_plan({{"kind", "instalments"},
                               {"instalments",
                                {{{"due_date", "2027-03-01"}, {"amount_fen", 59'500'000}},
                                 {{"due_date", "2027-06-01"}, {"amount_fen", 60'000'000}}}}},
                              kLongAgo, problems);
    EXPECT_EQ(amended_terms(c.terms, change, c.deposit_paid_fen).price_fen, 119'500'000);
}

TEST(UnitChange, Con5TheSameUnitPriceIsStillAChange) {
    const auto c = signed_one_off();
    // Another unit at the very same list total: the terms are equal, the unit is not.
    const auto next = amended_terms(c.terms, change_to(new_unit(100'000'000)), 0);
    EXPECT_EQ(next.price_fen, c.terms.price_fen);
}

TEST(UnitChange, Con5ACheaperUnitReChecksTheDepositCapAndTheDiscount) {
    const auto c = signed_one_off();
    // REG-2: 5,000,000 paid is 20% of 25,000,000; a unit at 24,000,000 − 1,000,000 is below it.
    EXPECT_EQ(failure_of([&] {
                  amended_terms(c.terms, change_to(new_unit(24'000'000)), c.deposit_paid_fen);
              }),
              "422 deposit_exceeds_cap");
    EXPECT_EQ(failure_of([&] {
                  amended_terms(c.terms, change_to(new_unit(26'000'000)), c.deposit_paid_fen);
              }),
              "none");
    // The discount may not exceed the new unit's list total.
    EXPECT_EQ(failure_of([&] { amended_terms(c.terms, change_to(new_unit(900'000)), 0); }),
              "422 discount_exceeds_list_total");
}

TEST(UnitChange, Con3TheDiscountSlipRuleOnTheNewListTotal) {
    const auto c = signed_one_off();
    // 1,000,000 off 100,000,000 is 1%; off 30,000,000 it is 3.33% > the standard 3%.
    const auto cheap = amended_terms(c.terms, change_to(new_unit(30'000'000)), 0);
    EXPECT_EQ(failure_of([&] { check_amended_discount(c.terms, cheap, true, false, 300); }),
              "422 discount_slip_required");
    // A contract signed with a slip keeps the discount the slip approved.
    EXPECT_EQ(failure_of([&] { check_amended_discount(c.terms, cheap, true, true, 300); }), "none");
    // Within the rules on the new unit: nothing to approve.
    const auto dear = amended_terms(c.terms, change_to(new_unit(40'000'000)), 0);
    EXPECT_EQ(failure_of([&] { check_amended_discount(c.terms, dear, true, false, 300); }), "none");
    // A changed discount beyond the rules is refused, slip or not (as before the unit change).
    auto more = change_to(new_unit(40'000'000));
    more.discount_fen = 2'000'000;
    const auto bigger = amended_terms(c.terms, more, 0);
    EXPECT_EQ(failure_of([&] { check_amended_discount(c.terms, bigger, true, true, 300); }),
              "422 discount_slip_required");
}

TEST(UnitChange, UnitPriceRoundsHalfUpOnThePricingBasis) {
    // 119,500,000 fen on 120.50 m² = 991,701.24… fen/m²; on 98.00 m² internal = 1,219,387.75…
    EXPECT_EQ(unit_price_fen_per_m2(119'500'000, {12'050, 9'800}, PricingBasis::gross), 991'701);
    EXPECT_EQ(unit_price_fen_per_m2(119'500'000, {12'050, 9'800}, PricingBasis::internal),
              1'219'388);
    EXPECT_EQ(unit_price_fen_per_m2(150, {200, 0}, PricingBasis::gross), 75);  // exactly
    EXPECT_EQ(unit_price_fen_per_m2(1, {200, 0}, PricingBasis::gross), 1);     // 0.5 rounds up
    EXPECT_FALSE(unit_price_fen_per_m2(100, {200, 0}, PricingBasis::internal).has_value());
}

TEST(UnitChange, TermsJsonCarriesTheNewUnitsPriceTermsAndReadsBack) {
    const auto c = signed_one_off();
    const auto unit = new_unit(120'500'000);
    const auto next = amended_terms(c.terms, change_to(unit), 0);
    const auto j = terms_json(next, unit, PricingBasis::gross);
    EXPECT_EQ(j["list_total_fen"], 120'500'000);
    EXPECT_EQ(j["price_fen"], 119'500'000);
    EXPECT_EQ(j["payment_plan"], "one_off");
    EXPECT_EQ(j["pricing_basis"], "gross");
    EXPECT_EQ(j["contract_gross_area_centi_m2"], 12'050);
    EXPECT_EQ(j["contract_internal_area_centi_m2"], 9'800);
    EXPECT_EQ(j["unit_price_fen_per_m2"], 991'701);
    EXPECT_EQ(j["unit"]["unit_id"], "u-new");
    EXPECT_EQ(j["unit"]["unit_number"], "1-1202");
    const auto back = unit_of_terms(j);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->unit_id, "u-new");
    EXPECT_EQ(back->list_total_fen, 120'500'000);
    EXPECT_EQ(back->areas.gross_area_centi_m2, 12'050);
    EXPECT_EQ(back->areas.internal_area_centi_m2, 9'800);
    // Without a unit change the terms are as before: no unit, no areas.
    EXPECT_FALSE(unit_of_terms(terms_json(c.terms, std::nullopt, PricingBasis::gross)));
    EXPECT_FALSE(terms_json(c.terms, std::nullopt, PricingBasis::gross).contains("pricing_basis"));
}

TEST(UnitChange, Con5EventsNameTheUnitsAndTheHold) {
    auto c = signed_one_off();
    const auto requested =
        amendment_requested(c, "m1", {{"new_unit_id", "u-new"}, {"old_unit_id", "u-old"}},
                            unit_change_by("sup", "换房"));
    EXPECT_EQ(requested.event->data["unit_change"],
              (json{{"old_unit_id", "u-old"}, {"new_unit_id", "u-new"}, {"hold_id", "m1"}}));
    EXPECT_EQ(requested.event->data["subscription_id"], "s1");

    const auto unit = new_unit(120'500'000);
    const auto terms =
        terms_json(amended_terms(c.terms, change_to(unit), 0), unit, PricingBasis::gross);
    // CON-5: a rejection leaves the contract on its unit; inventory releases the hold.
    auto rejected_c = c;
    const auto rejected = amendment_decided(rejected_c, "m1", {2, false, false, std::nullopt},
                                            terms, unit_change_by("mgr", "不同意"));
    EXPECT_EQ(rejected.event->type, "contract.amendment.rejected");
    EXPECT_EQ(rejected.event->data["unit_change"]["hold_id"], "m1");
    EXPECT_EQ(rejected.event->data["unit_id"], "u-old");
    EXPECT_EQ(rejected_c.unit_id, "u-old");
    // An approval before the last step changes nothing yet.
    auto step_c = c;
    const auto step =
        amendment_decided(step_c, "m1", {1, true, false, 2}, terms, unit_change_by("sup", "同意"));
    EXPECT_EQ(step.event->type, "contract.audit.approved");
    EXPECT_EQ(step_c.unit_id, "u-old");
    // The last approval moves the contract; inventory sells the new unit and frees the old.
    const auto approved = amendment_decided(c, "m1", {4, true, true, std::nullopt}, terms,
                                            unit_change_by("fd", "同意"));
    EXPECT_EQ(approved.event->type, "contract.amendment.approved");
    EXPECT_EQ(approved.event->data["terms"]["price_fen"], 119'500'000);
    EXPECT_EQ(approved.event->data["unit_change"]["old_unit_id"], "u-old");
    EXPECT_EQ(approved.event->data["unit_change"]["new_unit_id"], "u-new");
    EXPECT_EQ(approved.event->data["subscription_id"], "s1");
    EXPECT_EQ(approved.event->data["unit_id"], "u-new");
    EXPECT_EQ(c.unit_id, "u-new");
    EXPECT_EQ(c.areas.gross_area_centi_m2, 12'050);
}

TEST(UnitChange, Con9AUnitBeingHandedOverIsNotChanged) {
    auto c = signed_one_off();
    c.handover = HandoverState::awaiting_confirmation;
    const auto unit = new_unit(120'500'000);
    const auto terms =
        terms_json(amended_terms(c.terms, change_to(unit), 0), unit, PricingBasis::gross);
    EXPECT_EQ(
        failure_of([&] {
            amendment_decided(c, "m1", {4, true, true, std::nullopt}, terms, unit_change_by("fd"));
        }),
        "409 invalid_transition");
    EXPECT_EQ(c.unit_id, "u-old");
    // A rejection still goes through (the hold is released).
    EXPECT_EQ(failure_of([&] {
                  amendment_decided(c, "m1", {4, false, false, std::nullopt}, terms,
                                    unit_change_by("fd", "no"));
              }),
              "none");
}

}  // namespace
