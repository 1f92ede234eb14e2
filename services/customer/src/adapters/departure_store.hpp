#pragma once
// departures (CUS-5): a leaving rep whose customers must be reassigned by a deadline.
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

// False when a departure of the rep is open already.
bool insert_departure(sales::db::Tx& tx, const std::string& id, const std::string& rep_id,
                      const std::string& reason, const std::string& deadline,
                      const std::string& created_by);
// The departure with its remaining live customers.
sales::db::Row find_departure(sales::db::Tx& tx, const std::string& id);
sales::db::Result list_departures(sales::db::Tx& tx, bool open_only);
struct DepartureLock {
    std::string rep_id;
    bool done = false;
};
std::optional<DepartureLock> lock_departure(sales::db::Tx& tx, const std::string& id);
void complete_departure(sales::db::Tx& tx, const std::string& id);

}  // namespace customer::adapters
