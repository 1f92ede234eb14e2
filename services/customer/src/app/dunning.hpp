#pragma once
// FIN-5 dunning 催款: overdue instalments in the owning rep's task list, from finance's events.
#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "sales/bus.hpp"

namespace customer::app {

inline constexpr const char* kInstalmentEvents = "finance.instalment.>";

// finance.instalment.overdue opens a task for data.rep_id (contract, item, due date, what is
// owed); finance.instalment.settled closes it. Idempotent by the item's key (a repeat changes
// nothing); malformed data → dead letter.
void apply_instalment_event(sales::db::Tx& tx, const sales::bus::Event& event);

// The rep's open dunning tasks in the caller's projects, most overdue first.
nlohmann::json open_dunning_tasks(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& rep_id);

}  // namespace customer::app
