#include "adapters/deal_store.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

constexpr const char* kRecordSigned = R"sql(
INSERT INTO deals (subscription_id, contract_id, customer_id, project_id, rep_id, status,
                   signed_at)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, 'signed', $6::timestamptz)
ON CONFLICT (subscription_id) DO UPDATE SET contract_id = excluded.contract_id,
  customer_id = excluded.customer_id, rep_id = excluded.rep_id, status = 'signed',
  signed_at = excluded.signed_at, updated_at = now())sql";

constexpr const char* kLockDealStatus = R"sql(
SELECT status FROM deals WHERE subscription_id = $1::uuid FOR UPDATE)sql";

constexpr const char* kRecordSubscription = R"sql(
INSERT INTO deals (subscription_id, customer_id, project_id, rep_id, status)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5)
ON CONFLICT (subscription_id) DO UPDATE SET customer_id = excluded.customer_id,
  rep_id = excluded.rep_id, status = excluded.status, updated_at = now())sql";

constexpr const char* kOtherLiveDeals = R"sql(
SELECT count(*) FROM deals WHERE customer_id = $1::uuid AND subscription_id <> $2::uuid
  AND status IN ('subscribed', 'signed'))sql";

// CUS-7: events recorded up to the signing (all events while unsigned).
const std::string kSelectDeal =
    "SELECT d.subscription_id::text AS subscription_id, d.contract_id::text AS contract_id, "
    "d.customer_id::text AS customer_id, d.project_id::text AS project_id, d.rep_id, d.status, " +
    rfc3339("d.signed_at", "signed_at") + ", d.exception_note, d.exception_by, " +
    rfc3339("d.exception_at", "exception_at") +
    ", c.owner_id, coalesce(p.commission_min_events, 3) AS commission_min_events, "
    "(SELECT count(*) FROM customer_events e WHERE e.customer_id = d.customer_id AND "
    "(d.signed_at IS NULL OR e.occurred_at <= d.signed_at)) AS event_count FROM deals d "
    "LEFT JOIN project_refs p ON p.project_id = d.project_id "
    "LEFT JOIN customers c ON c.id = d.customer_id ";

const std::string kFindDeal =
    kSelectDeal + "WHERE d.subscription_id = $1::uuid OR d.contract_id = $1::uuid";
const std::string kLockDeal = kFindDeal + " FOR UPDATE OF d";
const std::string kSignedDeals = kSelectDeal +
                                 "WHERE d.project_id = $1::uuid AND d.status = 'signed' "
                                 "ORDER BY d.signed_at DESC, d.subscription_id";

constexpr const char* kRecordException = R"sql(
UPDATE deals SET exception_note = $2, exception_by = $3, exception_at = now(), updated_at = now()
WHERE subscription_id = $1::uuid)sql";
}  // namespace

void record_signed(Tx& tx, const DealFacts& d, const std::string& contract_id,
                   const std::string& signed_at) {
    tx.exec(kRecordSigned,
            {d.subscription_id, contract_id, d.customer_id, d.project_id, d.rep_id, signed_at});
}

std::optional<std::string> lock_deal_status(Tx& tx, const std::string& subscription_id) {
    const auto row = tx.exec_maybe_one(kLockDealStatus, {subscription_id});
    if (!row)
        return std::nullopt;
    return row->text("status");
}

void record_subscription(Tx& tx, const DealFacts& d, const std::string& status) {
    tx.exec(kRecordSubscription,
            {d.subscription_id, d.customer_id, d.project_id, d.rep_id, status});
}

bool other_live_deals(Tx& tx, const std::string& customer_id, const std::string& subscription_id) {
    return tx.exec_one(kOtherLiveDeals, {customer_id, subscription_id}).int64(0) > 0;
}

std::optional<sales::db::Row> find_deal(Tx& tx, const std::string& deal_id, bool for_update) {
    return tx.exec_maybe_one(for_update ? kLockDeal : kFindDeal, {deal_id});
}

sales::db::Result signed_deals(Tx& tx, const std::string& project_id) {
    return tx.exec(kSignedDeals, {project_id});
}

void record_exception(Tx& tx, const std::string& subscription_id, const std::string& note,
                      const std::string& by) {
    tx.exec(kRecordException, {subscription_id, note, by});
}

}  // namespace customer::adapters
