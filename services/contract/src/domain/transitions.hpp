#pragma once
// A state machine written as the table of its legal moves: (from, action) → to; anything not
// listed is illegal. Subscriptions and contracts each declare one table. Pure: no I/O.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sales/failure.hpp"

namespace contract::domain {

template <class State, class Action>
struct Transition {
    State from;
    Action action;
    State to;
};

// The state `action` leads to from `from`; throws sales::Failure conflict "invalid_transition"
// (details: status, action) when the table does not list the pair. `what` names the thing
// changed in the message ("a contract").
template <class State, class Action, std::size_t N>
State next_state(const std::array<Transition<State, Action>, N>& table, State from, Action action,
                 std::string_view what) {
    for (const auto& edge : table) {
        if (edge.from == from && edge.action == action)
            return edge.to;
    }
    sales::fail_conflict("invalid_transition",
                         "cannot " + std::string(to_string(action)) + " " + std::string(what) +
                             " that is " + std::string(to_string(from)),
                         {{"status", to_string(from)}, {"action", to_string(action)}});
}

}  // namespace contract::domain
