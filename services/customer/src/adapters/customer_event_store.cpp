#include "adapters/customer_event_store.hpp"

#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

const std::string kEventColumns = "id::text AS id, customer_id::text AS customer_id, kind, " +
                                  rfc3339("occurred_at", "occurred_at") +
                                  ", rep_id, channel, note, satisfaction, late, recorded_by, " +
                                  rfc3339("recorded_at", "recorded_at");

const std::string kInsertEvent =
    "INSERT INTO customer_events (id, customer_id, project_id, kind, occurred_at, rep_id, "
    "channel, note, satisfaction, late, recorded_by) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, "
    "$5::timestamptz, $6, $7, $8, $9, $10, $11) RETURNING " +
    kEventColumns;

const std::string kListEvents = "SELECT " + kEventColumns +
                                " FROM customer_events WHERE customer_id = $1::uuid "
                                "ORDER BY occurred_at DESC, recorded_at DESC LIMIT $2 OFFSET $3";

const std::string kLateEntries =
    "SELECT e.id::text AS id, e.customer_id::text AS customer_id, e.project_id::text AS "
    "project_id, e.kind, " +
    rfc3339("e.occurred_at", "occurred_at") + ", " + rfc3339("e.recorded_at", "recorded_at") +
    " FROM customer_events e WHERE e.rep_id = $1 AND e.late AND "
    "e.recorded_at > $2::timestamptz - interval '30 days' ORDER BY e.recorded_at DESC LIMIT 200";
}  // namespace

sales::db::Row insert_event(Tx& tx, const std::string& customer_id, const std::string& project_id,
                            const app::NewEvent& event, const std::string& rep_id,
                            const std::string& recorded_by, bool late) {
    return tx.exec_one(
        kInsertEvent,
        {sales::new_uuid(), customer_id, project_id, std::string(domain::to_string(event.kind)),
         sales::to_rfc3339(event.occurred_at), rep_id,
         std::string(domain::to_string(event.channel)), sales::db::param(event.note),
         sales::db::param(event.satisfaction), late, recorded_by});
}

sales::db::Result list_events(Tx& tx, const std::string& customer_id, std::int64_t limit,
                              std::int64_t offset) {
    return tx.exec(kListEvents, {customer_id, limit, offset});
}

sales::db::Result late_entries(Tx& tx, const std::string& rep_id, const std::string& now) {
    return tx.exec(kLateEntries, {rep_id, now});
}

}  // namespace customer::adapters
