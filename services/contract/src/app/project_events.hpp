#pragma once
// Projects as contract knows them: learned from inventory.project.* events (never read from
// inventory's database), read by the subscription use cases for their settings.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/project_ref.hpp"
#include "sales/bus.hpp"

namespace contract::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";
inline constexpr const char* kProjectSettingsChanged = "inventory.project.settings_changed";

// Inbox handler for inventory.project.* (runs inside the inbox transaction): inserts the
// project, or updates it when the event's version is newer. Settings missing from an event keep
// their current value (defaults for a new project). RetryLater when settings_changed arrives
// for a project not seen yet.
void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event);

// The settings of a known project; nullopt when no event about it has arrived yet.
std::optional<domain::ProjectSettings> project_settings(sales::db::Tx& tx,
                                                        const std::string& project_id);

// The longest deposit deadline of any known project (the default when none is known yet).
std::int64_t longest_deposit_deadline_seconds(sales::db::Tx& tx);

}  // namespace contract::app
