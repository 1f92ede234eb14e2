#pragma once
// collisions (CUS-3): a later rep's attempt to record a phone another rep owns in the project.
#include <cstdint>
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

void insert_collision(sales::db::Tx& tx, const std::string& id, const std::string& project_id,
                      const std::string& customer_id, const std::string& owner_id,
                      const std::string& claimant_id, const std::string& attempt_json);
std::int64_t count_open_collisions(sales::db::Tx& tx, const std::string& customer_id);
// Oldest first, with the customer's phone (unmasked: the caller masks it); filters optional.
sales::db::Result list_collisions(sales::db::Tx& tx, const std::optional<std::string>& project_id,
                                  const std::optional<std::string>& status, std::int64_t limit,
                                  std::int64_t offset);
// project_id, customer_id, owner_id, claimant_id, status FOR UPDATE.
std::optional<sales::db::Row> lock_collision(sales::db::Tx& tx, const std::string& id);
void resolve_collision(sales::db::Tx& tx, const std::string& id, const std::string& status,
                       const std::string& resolved_by, const std::string& note);

}  // namespace customer::adapters
