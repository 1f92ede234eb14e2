#pragma once
// Idempotency-Key storage: the first request with a key claims it; a retry with the same key and
// the same request gets the stored response; the same key with another request is refused.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace contract::idempotency_store {

struct IdempotencyClaim {
    std::string principal;
    std::string key;
    std::string fingerprint;
    std::string subscription_id;  // reserved for the request; kept when a stale claim is retaken
};

struct StoredResponse {
    int status = 0;
    std::string body;
};

struct ClaimOutcome {
    std::optional<IdempotencyClaim> claim;  // this request owns the key: process it
    std::optional<StoredResponse> replay;   // the key's request completed: answer this
};

// Throws Failure: rule "idempotency_key_reused" (another request used the key), conflict
// "idempotency_key_in_progress" (the first request is still running; an in_progress claim older
// than `stale_after` — its process died — is taken over with its subscription id).
ClaimOutcome claim(sales::db::Pool& db, const std::string& principal, const std::string& key,
                   const std::string& fingerprint, std::chrono::seconds stale_after);
// Stores the response (in the caller's transaction, or in its own).
void complete(sales::db::Tx& tx, const IdempotencyClaim& claim, int status,
              const std::string& body);
void complete(sales::db::Pool& db, const IdempotencyClaim& claim, int status,
              const std::string& body);
// Drops the claim after a transient failure (503) so that a retry runs again; logs, never throws.
void forget(sales::db::Pool& db, const IdempotencyClaim& claim) noexcept;
// Deletes keys older than `retention` (at most 10,000 per call); returns how many.
std::int64_t purge(sales::db::Pool& db, std::chrono::seconds retention);

}  // namespace contract::idempotency_store
