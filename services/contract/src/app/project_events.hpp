#pragma once
#include "sales/bus.hpp"

namespace contract::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";

// Inbox handler for inventory.project.* (runs inside the inbox transaction).
void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event);

}  // namespace contract::app
