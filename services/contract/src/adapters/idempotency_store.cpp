#include "adapters/idempotency_store.hpp"

#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::idempotency_store {
namespace {
using sales::db::Tx;

// Claims a new key, or takes over an in-progress claim of the same request gone stale.
constexpr const char* kClaim = R"sql(
INSERT INTO idempotency_keys (principal, key, fingerprint, status, subscription_id)
VALUES ($1, $2, $3, 'in_progress', $4::uuid)
ON CONFLICT (principal, key) DO UPDATE SET updated_at = now()
WHERE idempotency_keys.status = 'in_progress'
    AND idempotency_keys.fingerprint = EXCLUDED.fingerprint
    AND idempotency_keys.updated_at < now() - $5::bigint * interval '1 second'
RETURNING subscription_id::text)sql";

constexpr const char* kHeld = R"sql(
SELECT fingerprint, status, response_status, response_body FROM idempotency_keys
WHERE principal = $1 AND key = $2)sql";

constexpr const char* kComplete = R"sql(
UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4,
    updated_at = now()
WHERE principal = $1 AND key = $2)sql";

constexpr const char* kForget = R"sql(
DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status = 'in_progress')sql";

constexpr const char* kPurge = R"sql(
DELETE FROM idempotency_keys WHERE (principal, key) IN (
    SELECT principal, key FROM idempotency_keys
    WHERE created_at < now() - $1::bigint * interval '1 second' LIMIT 10000))sql";

}  // namespace

ClaimOutcome claim(sales::db::Pool& db, const std::string& principal, const std::string& key,
                   const std::string& fingerprint, std::chrono::seconds stale_after) {
    return db.transaction([&](Tx& tx) {
        const auto claimed =
            tx.exec_maybe_one(kClaim, {principal, key, fingerprint, sales::new_uuid(),
                                       static_cast<std::int64_t>(stale_after.count())});
        ClaimOutcome outcome;
        if (claimed) {
            outcome.claim =
                IdempotencyClaim{principal, key, fingerprint, claimed->text("subscription_id")};
            return outcome;
        }
        // The key exists and was not taken over: same request completed or running, or another.
        const auto held = tx.exec_one(kHeld, {principal, key});
        if (held.text("fingerprint") != fingerprint) {
            sales::fail_rule("idempotency_key_reused",
                             "this Idempotency-Key was already used with a different request",
                             {{"idempotency_key", key}});
        }
        if (held.text("status") != "completed") {
            sales::fail_conflict("idempotency_key_in_progress",
                                 "a request with this Idempotency-Key is still being processed; "
                                 "retry shortly",
                                 {{"idempotency_key", key}});
        }
        outcome.replay = StoredResponse{static_cast<int>(held.int64("response_status")),
                                        held.text("response_body")};
        return outcome;
    });
}

void complete(Tx& tx, const IdempotencyClaim& claim, int status, const std::string& body) {
    tx.exec(kComplete, {claim.principal, claim.key, static_cast<std::int64_t>(status), body});
}

void complete(sales::db::Pool& db, const IdempotencyClaim& claim, int status,
              const std::string& body) {
    db.transaction([&](Tx& tx) { complete(tx, claim, status, body); });
}

void forget(sales::db::Pool& db, const IdempotencyClaim& claim) noexcept {
    try {
        db.transaction([&](Tx& tx) { tx.exec(kForget, {claim.principal, claim.key}); });
    } catch (const std::exception& e) {
        sales::log::warn("idempotency key not released; it is taken over once stale",
                         {{"key", claim.key}, {"error", e.what()}});
    }
}

std::int64_t purge(sales::db::Pool& db, std::chrono::seconds retention) {
    return db.transaction([&](Tx& tx) {
        return static_cast<std::int64_t>(
            tx.exec(kPurge, {static_cast<std::int64_t>(retention.count())}).affected_rows());
    });
}

}  // namespace contract::idempotency_store
