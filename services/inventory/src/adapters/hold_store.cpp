#include "adapters/hold_store.hpp"

namespace inventory::adapters::hold_store {
namespace {
using sales::db::Tx;

constexpr const char* kLock = "SELECT pg_advisory_xact_lock(hashtextextended($1, 4))";
constexpr const char* kWasReleased =
    "SELECT EXISTS (SELECT 1 FROM released_subscriptions WHERE subscription_id = $1::uuid)";
constexpr const char* kRecordReleased =
    "INSERT INTO released_subscriptions (subscription_id) VALUES ($1::uuid) "
    "ON CONFLICT (subscription_id) DO NOTHING";
constexpr const char* kPurge =
    "DELETE FROM released_subscriptions WHERE released_at < now() - $1::bigint * interval '1 s'";
constexpr const char* kExtend =
    "UPDATE units SET hold_until = $2::timestamptz "
    "WHERE hold_subscription_id = $1::uuid AND status = 'held' AND hold_until < $2::timestamptz";
const std::string kDealsPage =
    "SELECT id::text AS unit_id, project_id::text AS project_id, status, "
    "hold_subscription_id::text AS subscription_id, " +
    sales::db::rfc3339("updated_at", "changed_at") +
    " FROM units WHERE hold_subscription_id IS NOT NULL AND id > coalesce($1::uuid, "
    "'00000000-0000-0000-0000-000000000000'::uuid) ORDER BY id LIMIT $2";
}  // namespace

sales::db::Result deals_page(Tx& tx, const std::string& after_unit_id, int limit) {
    return tx.exec(kDealsPage, {sales::db::param(after_unit_id.empty()
                                                     ? std::optional<std::string>()
                                                     : std::optional<std::string>(after_unit_id)),
                                static_cast<std::int64_t>(limit)});
}

void lock_subscription(Tx& tx, const std::string& subscription_id) {
    tx.exec(kLock, {subscription_id});
}

bool was_released(Tx& tx, const std::string& subscription_id) {
    return tx.exec_one(kWasReleased, {subscription_id}).boolean(0);
}

void record_released(Tx& tx, const std::string& subscription_id) {
    tx.exec(kRecordReleased, {subscription_id});
}

std::size_t purge_released(Tx& tx, std::chrono::seconds older_than) {
    return tx.exec(kPurge, {static_cast<std::int64_t>(older_than.count())}).affected_rows();
}

std::size_t extend_hold(Tx& tx, const std::string& subscription_id, const std::string& hold_until) {
    return tx.exec(kExtend, {subscription_id, hold_until}).affected_rows();
}

}  // namespace inventory::adapters::hold_store
