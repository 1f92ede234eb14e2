#include "adapters/reconciliation_queries.hpp"

#include <optional>

namespace contract::reconciliation_queries {
namespace {
constexpr const char* kDealStates = R"sql(
SELECT s.id::text AS id, s.status, s.unit_id::text AS unit_id, c.status AS contract_status
FROM subscriptions s LEFT JOIN contracts c ON c.subscription_id = s.id
WHERE s.id = ANY($1::uuid[])
UNION ALL
-- CON-5 换房: a new unit is held under its amendment's id while the amendment is in audit.
SELECT a.id::text, CASE WHEN a.status = 'in_audit' THEN 'amendment_in_audit' ELSE 'cancelled' END,
    a.new_unit_id::text, NULL
FROM amendments a WHERE a.id = ANY($1::uuid[]) AND a.new_unit_id IS NOT NULL)sql";

constexpr const char* kLivePage = R"sql(
SELECT s.id::text AS id, s.unit_id::text AS unit_id
FROM subscriptions s LEFT JOIN contracts c ON c.subscription_id = s.id
WHERE s.status <> 'cancelled' AND (c.status IS NULL OR c.status <> 'cancelled')
  AND s.updated_at < now() - $3::bigint * interval '1 second'
  AND s.id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
ORDER BY s.id LIMIT $2)sql";
}  // namespace

sales::db::Result deal_states(sales::db::Tx& tx, const std::vector<std::string>& subscription_ids) {
    return tx.exec(kDealStates, {sales::db::param(subscription_ids)});
}

sales::db::Result live_page(sales::db::Tx& tx, const std::string& after_id, std::int64_t limit,
                            std::int64_t min_age_seconds) {
    const auto after = after_id.empty() ? std::optional<std::string>() : after_id;
    return tx.exec(kLivePage, {sales::db::param(after), limit, min_age_seconds});
}

}  // namespace contract::reconciliation_queries
