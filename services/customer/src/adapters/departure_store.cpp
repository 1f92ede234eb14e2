#include "adapters/departure_store.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

const std::string kSelectDeparture =
    "SELECT d.id::text AS id, d.rep_id, d.reason, " + rfc3339("d.deadline", "deadline") +
    ", d.created_by, " + rfc3339("d.created_at", "created_at") + ", " +
    rfc3339("d.completed_at", "completed_at") +
    ", (SELECT count(*) FROM customers c WHERE c.owner_id = d.rep_id AND c.archived_at IS NULL) "
    "AS remaining FROM departures d ";

const std::string kFindDeparture = kSelectDeparture + "WHERE d.id = $1::uuid";
const std::string kListDepartures =
    kSelectDeparture + "WHERE (NOT $1 OR d.completed_at IS NULL) ORDER BY d.deadline LIMIT 500";

constexpr const char* kInsertDeparture = R"sql(
INSERT INTO departures (id, rep_id, reason, deadline, created_by)
VALUES ($1::uuid, $2, $3, $4::timestamptz, $5)
ON CONFLICT (rep_id) WHERE completed_at IS NULL DO NOTHING)sql";

constexpr const char* kLockDeparture = R"sql(
SELECT rep_id, completed_at IS NOT NULL AS done FROM departures WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kCompleteDeparture = R"sql(
UPDATE departures SET completed_at = clock_timestamp() WHERE id = $1::uuid)sql";
}  // namespace

bool insert_departure(Tx& tx, const std::string& id, const std::string& rep_id,
                      const std::string& reason, const std::string& deadline,
                      const std::string& created_by) {
    return tx.exec(kInsertDeparture, {id, rep_id, reason, deadline, created_by}).affected_rows() ==
           1;
}

sales::db::Row find_departure(Tx& tx, const std::string& id) {
    return tx.exec_one(kFindDeparture, {id});
}

sales::db::Result list_departures(Tx& tx, bool open_only) {
    return tx.exec(kListDepartures, {open_only});
}

std::optional<DepartureLock> lock_departure(Tx& tx, const std::string& id) {
    const auto row = tx.exec_maybe_one(kLockDeparture, {id});
    if (!row)
        return std::nullopt;
    return DepartureLock{row->text("rep_id"), row->boolean("done")};
}

void complete_departure(Tx& tx, const std::string& id) {
    tx.exec(kCompleteDeparture, {id});
}

}  // namespace customer::adapters
