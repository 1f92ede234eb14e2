#include "adapters/subscription_store.hpp"

namespace finance::adapters {
namespace {

constexpr const char* kUpsertSubscription = R"sql(
INSERT INTO subscriptions (subscription_id, project_id, unit_id, customer_id, price_fen,
                           deposit_fen, status, version)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8)
ON CONFLICT (subscription_id) DO UPDATE
SET project_id = excluded.project_id,
    unit_id = coalesce(excluded.unit_id, subscriptions.unit_id),
    customer_id = coalesce(excluded.customer_id, subscriptions.customer_id),
    price_fen = coalesce(excluded.price_fen, subscriptions.price_fen),
    deposit_fen = coalesce(excluded.deposit_fen, subscriptions.deposit_fen),
    status = coalesce(excluded.status, subscriptions.status),
    version = excluded.version,
    updated_at = now()
WHERE subscriptions.version < excluded.version)sql";

constexpr const char* kSelectProject = R"sql(
SELECT project_id::text AS project_id FROM subscriptions WHERE subscription_id = $1::uuid)sql";

constexpr const char* kSelectProjectForUpdate = R"sql(
SELECT project_id::text AS project_id FROM subscriptions WHERE subscription_id = $1::uuid
FOR UPDATE)sql";

}  // namespace

void upsert_subscription(sales::db::Tx& tx, const SubscriptionRef& s) {
    using sales::db::param;
    tx.exec(kUpsertSubscription,
            {s.subscription_id, s.project_id, param(s.unit_id), param(s.customer_id),
             param(s.price_fen), param(s.deposit_fen), param(s.status), s.version});
}

std::optional<std::string> subscription_project(sales::db::Tx& tx,
                                                const std::string& subscription_id, Lock lock) {
    const auto row = tx.exec_maybe_one(
        lock == Lock::for_update ? kSelectProjectForUpdate : kSelectProject, {subscription_id});
    return row ? std::optional(row->text("project_id")) : std::nullopt;
}

}  // namespace finance::adapters
