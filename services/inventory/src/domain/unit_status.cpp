#include "domain/unit_status.hpp"

#include <algorithm>

namespace inventory::domain {
namespace {
using S = UnitStatus;
using A = UnitAction;

struct Rule {
    UnitAction action;
    std::string_view name;
    std::vector<UnitStatus> from;
    UnitStatus to;
};

// INV-4: every legal transition.
const std::vector<Rule>& rules() {
    static const std::vector<Rule> table = {
        {A::release, "release", {S::not_for_sale}, S::available},
        {A::withdraw, "withdraw", {S::available}, S::not_for_sale},
        {A::reserve, "reserve", {S::available}, S::reserved},
        {A::end_reservation, "end_reservation", {S::reserved}, S::available},
        {A::hold, "hold", {S::available}, S::held},
        {A::hold_reserved, "hold_reserved", {S::reserved}, S::held},
        {A::confirm, "confirm", {S::held}, S::subscribed},
        {A::release_deal, "release_deal", {S::held, S::subscribed}, S::available},
        {A::expire_hold, "expire_hold", {S::held}, S::available},
        {A::take_subscribed, "take_subscribed", {S::available}, S::subscribed},
        {A::sign, "sign", {S::subscribed}, S::signed_},
        {A::hand_over, "hand_over", {S::signed_}, S::handed_over},
        {A::release_contract, "release_contract", {S::signed_}, S::available},
        {A::reopen, "reopen", {S::subscribed}, S::held},
        {A::change_signed, "change_signed", {S::held}, S::signed_},
    };
    return table;
}

const Rule& rule(UnitAction action) {
    const auto& table = rules();
    return *std::find_if(table.begin(), table.end(),
                         [action](const Rule& r) { return r.action == action; });
}

// Actions that take a unit for a deal answer "unit_not_available" (HTTP 409 / RPC conflict).
bool takes_unit(UnitAction action) {
    return action == A::hold || action == A::hold_reserved || action == A::take_subscribed;
}
}  // namespace

const std::vector<UnitStatus>& all_statuses() {
    static const std::vector<UnitStatus> all = {S::not_for_sale, S::available,  S::reserved,
                                                S::held,         S::subscribed, S::signed_,
                                                S::handed_over};
    return all;
}

const std::vector<UnitAction>& all_actions() {
    static const std::vector<UnitAction> all = [] {
        std::vector<UnitAction> out;
        for (const auto& r : rules())
            out.push_back(r.action);
        return out;
    }();
    return all;
}

std::string_view to_string(UnitAction action) {
    return rule(action).name;
}

const std::vector<UnitStatus>& sources(UnitAction action) {
    return rule(action).from;
}

UnitStatus target(UnitAction action) {
    return rule(action).to;
}

Transition decide(UnitStatus from, UnitAction action) {
    const Rule& r = rule(action);
    if (std::find(r.from.begin(), r.from.end(), from) != r.from.end())
        return {r.to, std::nullopt};
    std::string allowed;
    for (auto s : r.from)
        allowed += (allowed.empty() ? "" : " or ") + std::string(to_string(s));
    return {std::nullopt,
            sales::Failure(sales::Failure::Kind::conflict,
                           takes_unit(action) ? "unit_not_available" : "invalid_transition",
                           "cannot " + std::string(r.name) + " a unit that is " +
                               std::string(to_string(from)) + " (INV-4: only from " + allowed + ")",
                           {{"status", std::string(to_string(from))}})};
}

bool is_sold(UnitStatus status) {
    return status == S::subscribed || status == S::signed_ || status == S::handed_over;
}

}  // namespace inventory::domain
