#pragma once
// The contract service's knowledge of a project, from inventory's events. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace contract::domain {

// Per-project settings that contract applies (DOMAIN.md: defaults, configurable per project).
struct ProjectSettings {
    std::int64_t deposit_deadline_seconds = 12 * 3600;  // CON-1: deposit within 12 hours
    std::int64_t signing_deadline_days = 30;            // CON-3: signing within 1 month
    std::int64_t deposit_cap_percent = 20;              // REG-2: deposit ≤ 20% of the price
};

// What one settings field in an event may hold.
struct SettingsChange {
    std::optional<std::int64_t> deposit_deadline_seconds;
    std::optional<std::int64_t> signing_deadline_days;
    std::optional<std::int64_t> deposit_cap_percent;

    // `current` with the fields this change carries replaced.
    ProjectSettings applied_to(ProjectSettings current) const;
};

struct ProjectRef {
    std::string project_id;
    // Absent in an event that carries only settings; required the first time a project is seen.
    std::optional<std::string> code;
    std::optional<std::string> name;
    std::int64_t version = 0;
    SettingsChange settings;
};

enum class ProjectEvent { created, settings_changed };

// Reads the data of inventory.project.created / settings_changed: id (UUID) and version
// required; code and name required in `created`, optional in `settings_changed` (non-empty
// strings when present); settings either in a "settings" object or at the top level, each
// optional, integers within their ranges. nullopt (with `problem` set) when the event can never
// be applied (dead letter).
std::optional<ProjectRef> project_from_event(const nlohmann::json& data, std::string& problem,
                                             ProjectEvent kind = ProjectEvent::created);

// Whether an event with `incoming_version` should replace what we hold (`held_version`, 0 if
// none): newer only, so a late or repeated older event never rolls a project back.
bool supersedes(std::int64_t incoming_version, std::int64_t held_version);

}  // namespace contract::domain
