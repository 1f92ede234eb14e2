#pragma once
// Projects as contract knows them: learned from inventory.project.* events (never read from
// inventory's database), read by the subscription and contract use cases for their settings.
#include "sales/bus.hpp"

namespace contract::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";
inline constexpr const char* kProjectSettingsChanged = "inventory.project.settings_changed";

// Inbox handler for inventory.project.* (runs inside the inbox transaction): inserts the
// project, or updates it when the event's version is newer. Settings missing from an event keep
// their current value (defaults for a new project). RetryLater when settings_changed arrives
// for a project not seen yet.
void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event);

}  // namespace contract::app
