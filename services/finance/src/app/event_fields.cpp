#include "app/event_fields.hpp"

#include "sales/input.hpp"

namespace finance::app {
namespace {
constexpr std::int64_t kMaxAmount = sales::service::kMaxFen;
}  // namespace

domain::Plan event_plan(const sales::bus::Event& event, const nlohmann::json& data,
                        domain::PlanKind kind, std::int64_t price_fen, const std::string& path) {
    const auto& plan = event_field(event, data, "plan", path);
    const auto at = path + "plan.";
    if (!plan.is_object())
        poison_event(event, path + "plan must be an object");
    const auto plan_kind = domain::parse_plan_kind(event_text(event, plan, "kind", at));
    if (!plan_kind || *plan_kind != kind)
        poison_event(event, at + "kind must equal " + path + "payment_plan");
    switch (kind) {
        case domain::PlanKind::one_off:
            return domain::one_off_plan(event_date(event, plan, "due_date", at), price_fen);
        case domain::PlanKind::instalments: {
            const auto& list = event_field(event, plan, "instalments", at);
            if (!list.is_array())
                poison_event(event, at + "instalments must be an array");
            std::vector<std::pair<sales::Date, std::int64_t>> items;
            for (std::size_t i = 0; i < list.size(); ++i) {
                const auto item_path = at + "instalments[" + std::to_string(i) + "].";
                items.emplace_back(
                    event_date(event, list[i], "due_date", item_path),
                    event_integer(event, list[i], "amount_fen", 1, kMaxAmount, item_path));
            }
            return domain::instalment_plan(items);
        }
        case domain::PlanKind::mortgage:
            return domain::mortgage_plan(
                event_integer(event, plan, "down_payment_fen", 1, kMaxAmount, at),
                event_date(event, plan, "down_payment_due_date", at),
                event_integer(event, plan, "loan_fen", 1, kMaxAmount, at),
                event_date(event, plan, "loan_expected_date", at));
    }
    poison_event(event, path + "payment_plan is unknown");
}

}  // namespace finance::app
