#pragma once
// Projects as the customer service knows them: learned from inventory.project.created /
// settings_changed (never read from inventory's database), with customer-side settings that a
// sales manager edits here (DOMAIN.md: numbers are per-project defaults).
#include <string>

#include <nlohmann/json.hpp>

#include "app/support.hpp"

namespace customer::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";
inline constexpr const char* kProjectSettingsChanged = "inventory.project.settings_changed";

// Inbox handler for inventory.project.* (inside the inbox transaction): inserts the project or,
// when the event's version is newer, updates code/name and any customer settings the event
// carries (same names as in PATCH, in data.settings or at the top level). RetryLater when
// settings_changed arrives before created; PoisonMessage for malformed data.
void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event);

nlohmann::json get_settings(const Context& ctx, const Caller& caller,
                            const std::string& project_id);
// PATCH: only the given settings change; 400 with every problem when out of range.
nlohmann::json patch_settings(const Context& ctx, const Caller& caller,
                              const std::string& project_id, const domain::SettingsChange& change);

}  // namespace customer::app
