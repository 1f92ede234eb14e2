#include "adapters/collision_store.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

constexpr const char* kInsertCollision = R"sql(
INSERT INTO collisions (id, project_id, customer_id, owner_id, claimant_id, attempt)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb))sql";

constexpr const char* kCountOpen = R"sql(
SELECT count(*) FROM collisions WHERE customer_id = $1::uuid AND status = 'open')sql";

const std::string kListCollisions =
    "SELECT k.id::text AS id, k.project_id::text AS project_id, k.customer_id::text AS "
    "customer_id, k.owner_id, k.claimant_id, k.status, k.resolved_by, k.resolution_note, "
    "k.attempt->>'name' AS attempt_name, c.phone, " +
    rfc3339("k.recorded_at", "recorded_at") + ", " + rfc3339("k.resolved_at", "resolved_at") +
    " FROM collisions k JOIN customers c ON c.id = k.customer_id "
    "WHERE ($1::uuid IS NULL OR k.project_id = $1::uuid) AND ($2::text IS NULL OR k.status = $2) "
    "ORDER BY k.recorded_at, k.id LIMIT $3 OFFSET $4";

constexpr const char* kLockCollision = R"sql(
SELECT project_id::text AS project_id, customer_id::text AS customer_id, owner_id, claimant_id,
       status
FROM collisions WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kResolveCollision = R"sql(
UPDATE collisions SET status = $2, resolved_by = $3, resolution_note = $4,
       resolved_at = clock_timestamp()
WHERE id = $1::uuid)sql";
}  // namespace

void insert_collision(Tx& tx, const std::string& id, const std::string& project_id,
                      const std::string& customer_id, const std::string& owner_id,
                      const std::string& claimant_id, const std::string& attempt_json) {
    tx.exec(kInsertCollision, {id, project_id, customer_id, owner_id, claimant_id, attempt_json});
}

std::int64_t count_open_collisions(Tx& tx, const std::string& customer_id) {
    return tx.exec_one(kCountOpen, {customer_id}).int64(0);
}

sales::db::Result list_collisions(Tx& tx, const std::optional<std::string>& project_id,
                                  const std::optional<std::string>& status, std::int64_t limit,
                                  std::int64_t offset) {
    return tx.exec(kListCollisions,
                   {sales::db::param(project_id), sales::db::param(status), limit, offset});
}

std::optional<sales::db::Row> lock_collision(Tx& tx, const std::string& id) {
    return tx.exec_maybe_one(kLockCollision, {id});
}

void resolve_collision(Tx& tx, const std::string& id, const std::string& status,
                       const std::string& resolved_by, const std::string& note) {
    tx.exec(kResolveCollision, {id, status, resolved_by, note});
}

}  // namespace customer::adapters
