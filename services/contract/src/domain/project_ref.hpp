#pragma once
// The contract service's knowledge of a project, from inventory's events. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace contract::domain {

struct ProjectRef {
    std::string project_id;
    std::string code;
    std::string name;
    std::int64_t version = 0;
};

// Reads the data of inventory.project.created; nullopt (with `problem` set) when a field is
// missing or mistyped — such an event can never be applied (dead letter).
std::optional<ProjectRef> project_from_event(const nlohmann::json& data, std::string& problem);

// Whether an event with `incoming_version` should replace what we hold (`held_version`, 0 if
// none): newer only, so a late or repeated older event never rolls a project back.
bool supersedes(std::int64_t incoming_version, std::int64_t held_version);

}  // namespace contract::domain
