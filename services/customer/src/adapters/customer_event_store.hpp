#pragma once
// customer_events (CUS-2/4/6/10): calls, visits, follow-ups, surveys and complaints as events.
#include <cstdint>
#include <string>

#include "app/customers.hpp"
#include "sales/db.hpp"

namespace customer::adapters {

// Inserts the event; returns its row (columns as in list_events).
sales::db::Row insert_event(sales::db::Tx& tx, const std::string& customer_id,
                            const std::string& project_id, const app::NewEvent& event,
                            const std::string& rep_id, const std::string& recorded_by, bool late);
// Newest first.
sales::db::Result list_events(sales::db::Tx& tx, const std::string& customer_id, std::int64_t limit,
                              std::int64_t offset);
// CUS-6: a rep's late entries recorded in the 30 days before `now` (at most 200).
sales::db::Result late_entries(sales::db::Tx& tx, const std::string& rep_id,
                               const std::string& now);

}  // namespace customer::adapters
