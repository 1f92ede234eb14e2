#pragma once
// The customer aggregate's rows: customers, with its ownership_history and stage_history.
// Every function runs in the caller's transaction; use cases decide, these only read and write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/customers.hpp"
#include "sales/db.hpp"

namespace customer::adapters {

// The customers columns (alias "c") that app::customer_json reads.
const std::string& customer_columns();

std::optional<sales::db::Row> find_customer(sales::db::Tx& tx, const std::string& id,
                                            bool for_update);
bool customer_exists(sales::db::Tx& tx, const std::string& id);

// CUS-3: inserts unless a live customer of the project has the phone (then returns false; a
// concurrent insert of the same phone waits for ours and then does nothing).
bool insert_customer(sales::db::Tx& tx, const std::string& id, const app::NewCustomer& in,
                     const std::string& owner_id, const std::string& received_on, bool late);
struct LiveCustomer {
    std::string id;
    std::string owner_id;
};
std::optional<LiveCustomer> find_live_by_phone(sales::db::Tx& tx, const std::string& project_id,
                                               const std::string& phone);

// last_event_at / event_count after a customer event.
void record_contact(sales::db::Tx& tx, const std::string& id, sales::TimePoint occurred_at);
// Applies the patch's present fields; returns the new version.
std::int64_t update_profile(sales::db::Tx& tx, const std::string& id,
                            const app::CustomerPatch& patch);
// CUS-9: sets one of name, phone (with its kind), id_number, address; returns the new version.
// Throws sales::db::UniqueViolation when the phone is taken in the project.
std::int64_t correct_field(sales::db::Tx& tx, const std::string& id, const std::string& field,
                           const std::optional<std::string>& value,
                           const std::optional<std::string>& phone_kind);

struct StageRow {
    std::string stage;
    std::string project_id;
    std::string owner_id;
};
StageRow lock_stage(sales::db::Tx& tx, const std::string& id);
// Sets the stage and writes stage_history; returns the new version.
std::int64_t set_stage(sales::db::Tx& tx, const std::string& id, const std::string& from_stage,
                       const std::string& to_stage, const std::string& cause,
                       const std::optional<std::string>& source_event_id, const std::string& actor,
                       const std::optional<std::string>& reason);

struct OwnerRow {
    std::string owner_id;
    std::string project_id;
};
OwnerRow lock_owner(sales::db::Tx& tx, const std::string& id);
// Sets the owner and writes ownership_history; returns the new version.
std::int64_t set_owner(sales::db::Tx& tx, const std::string& id,
                       const std::optional<std::string>& from_owner, const std::string& to_owner,
                       const std::string& cause, const std::optional<std::string>& reason,
                       const std::string& actor);
// Only the history row (the owner set by insert_customer).
void record_first_owner(sales::db::Tx& tx, const std::string& id, const std::string& owner);

// CUS-5: a rep's live customers (all, or only `ids`) FOR UPDATE, as id and project_id.
sales::db::Result lock_live_customers_of(sales::db::Tx& tx, const std::string& rep_id,
                                         const std::optional<std::vector<std::string>>& ids);
std::int64_t count_live_customers_of(sales::db::Tx& tx, const std::string& rep_id);

// CUS-9 archiving: candidates FOR UPDATE SKIP LOCKED (id), then the backup and the mark.
sales::db::Result lock_archivable(sales::db::Tx& tx, const std::string& project_id,
                                  const std::string& now, std::int64_t archive_after_days,
                                  std::int64_t limit);
// Copies the row and its events to customer_archive, marks it archived; returns the version.
std::int64_t archive_customer(sales::db::Tx& tx, const std::string& id, const std::string& actor);

}  // namespace customer::adapters
