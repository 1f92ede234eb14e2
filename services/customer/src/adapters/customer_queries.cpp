#include "adapters/customer_queries.hpp"

#include "adapters/customer_store.hpp"

namespace customer::adapters {
namespace {
using sales::db::Tx;

constexpr const char* kSearchWhere = R"sql(
WHERE (c.archived_at IS NOT NULL) = $1::boolean
  AND ($2::uuid IS NULL OR c.project_id = $2::uuid)
  AND ($3::uuid[] IS NULL OR c.project_id = ANY($3::uuid[]))
  AND ($4::text IS NULL OR c.name ILIKE '%' || $4::text || '%' ESCAPE '\'
       OR ($5::text IS NOT NULL AND c.phone LIKE '%' || $5::text || '%'
           AND ($13::text IS NULL OR c.owner_id = $13::text)))
  AND ($12::text IS NULL OR c.phone = $12::text)
  AND ($6::text IS NULL OR c.stage = $6::text)
  AND ($7::text IS NULL OR c.type = $7::text)
  AND ($8::text IS NULL OR c.channel = $8::text)
  AND ($9::text IS NULL OR c.owner_id = $9::text)
  AND ($10::timestamptz IS NULL OR c.last_event_at >= $10::timestamptz)
  AND ($11::timestamptz IS NULL OR c.last_event_at < $11::timestamptz))sql";

const std::string kCountCustomers = std::string("SELECT count(*) FROM customers c ") + kSearchWhere;
const std::string kSearchCustomers = "SELECT " + customer_columns() + " FROM customers c " +
                                     kSearchWhere +
                                     " ORDER BY c.last_event_at DESC, c.id LIMIT $14 OFFSET $15";

const std::string kCustomersByIds =
    "SELECT " + customer_columns() +
    " FROM customers c WHERE c.id = ANY($1::uuid[]) "
    "AND ($2::uuid[] IS NULL OR c.project_id = ANY($2::uuid[])) ORDER BY c.id";

const std::string kWithProject =
    "SELECT " + customer_columns() +
    " FROM customers c JOIN project_refs p ON p.project_id = c.project_id ";

// CUS-4 (domain::is_stale): last event at least stale_days ago.
constexpr const char* kStaleWhere = R"sql(
WHERE c.project_id = $1::uuid AND c.archived_at IS NULL AND c.stage <> 'closed'
  AND c.last_event_at <= $2::timestamptz - make_interval(days => p.stale_days)
  AND ($3::text IS NULL OR c.owner_id = $3))sql";

const std::string kCountStale =
    std::string(
        "SELECT count(*) FROM customers c JOIN project_refs p ON p.project_id = "
        "c.project_id ") +
    kStaleWhere;
const std::string kStaleCustomers =
    kWithProject + kStaleWhere + " ORDER BY c.last_event_at, c.id LIMIT $4 OFFSET $5";

constexpr const char* kRepLive = R"sql(
WHERE c.owner_id = $1 AND c.archived_at IS NULL AND c.stage <> 'closed'
  AND c.last_event_at <= $2::timestamptz - make_interval(days => )sql";

const std::string kFollowUpsDue =
    kWithProject + kRepLive +
    "p.follow_up_days) AND c.last_event_at > $2::timestamptz - make_interval(days => "
    "p.stale_days) ORDER BY c.last_event_at LIMIT 200";
const std::string kStaleOfRep =
    kWithProject + kRepLive + "p.stale_days) ORDER BY c.last_event_at LIMIT 200";

constexpr const char* kAnonymised = R"sql(
SELECT 'c_' || left(encode(sha256(convert_to(k.value || ':' || c.id::text, 'UTF8')), 'hex'), 32)
         AS pseudonym,
       c.gender, (c.birth_year / 10) * 10 AS birth_decade, c.channel, c.type, c.stage,
       c.budget_min_fen, c.budget_max_fen, c.need_layout, c.need_area_min_centi_m2,
       c.need_area_max_centi_m2, c.purchase_horizon,
       to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS created_month,
       c.event_count,
       (SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id
          AND e.kind IN ('visit', 'post_purchase_visit')) AS visits,
       (SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id
          AND e.kind IN ('call_in', 'call_out')) AS calls
FROM customers c CROSS JOIN service_keys k
WHERE k.name = 'export_pseudonym' AND c.project_id = $1::uuid AND c.archived_at IS NULL
ORDER BY 1 LIMIT $2 OFFSET $3)sql";

constexpr const char* kContactCounts = R"sql(
SELECT to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, rep_id, channel,
       count(*) FILTER (WHERE kind IN ('call_in', 'call_out')) AS calls,
       count(*) FILTER (WHERE kind IN ('visit', 'post_purchase_visit')) AS visits,
       count(*) AS events
FROM customer_events
WHERE project_id = $1::uuid AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3)sql";

// Assigned into place: building these variants by copy or move trips GCC 12's
// maybe-uninitialized warning.
sales::db::Params search_params(const CustomerSearch& s, bool page) {
    using sales::db::param;
    sales::db::Params params(page ? 15 : 13);
    params[0] = s.archived;
    params[1] = param(s.project_id);
    params[2] = param(s.project_ids);
    std::size_t i = 3;
    for (const auto* text : {&s.name_like, &s.phone_digits, &s.stage, &s.type, &s.channel,
                             &s.owner_id, &s.last_event_from, &s.last_event_before})
        params[i++] = param(*text);
    params[11] = param(s.phone_exact);
    params[12] = param(s.phone_owner_id);
    if (page) {
        params[13] = s.limit;
        params[14] = s.offset;
    }
    return params;
}
}  // namespace

std::int64_t count_customers(Tx& tx, const CustomerSearch& search) {
    return tx.exec_one(kCountCustomers, search_params(search, false)).int64(0);
}

sales::db::Result search_customers(Tx& tx, const CustomerSearch& search) {
    return tx.exec(kSearchCustomers, search_params(search, true));
}

sales::db::Result customers_by_ids(Tx& tx, const std::vector<std::string>& ids,
                                   const std::optional<std::vector<std::string>>& project_ids) {
    return tx.exec(kCustomersByIds, {sales::db::param(ids), sales::db::param(project_ids)});
}

std::int64_t count_stale(Tx& tx, const std::string& project_id, const std::string& now,
                         const std::optional<std::string>& rep_id) {
    return tx.exec_one(kCountStale, {project_id, now, sales::db::param(rep_id)}).int64(0);
}

sales::db::Result stale_customers(Tx& tx, const std::string& project_id, const std::string& now,
                                  const std::optional<std::string>& rep_id, std::int64_t limit,
                                  std::int64_t offset) {
    return tx.exec(kStaleCustomers, {project_id, now, sales::db::param(rep_id), limit, offset});
}

sales::db::Result follow_ups_due(Tx& tx, const std::string& rep_id, const std::string& now) {
    return tx.exec(kFollowUpsDue, {rep_id, now});
}

sales::db::Result stale_of_rep(Tx& tx, const std::string& rep_id, const std::string& now) {
    return tx.exec(kStaleOfRep, {rep_id, now});
}

sales::db::Result anonymised_customers(Tx& tx, const std::string& project_id, std::int64_t limit,
                                       std::int64_t offset) {
    return tx.exec(kAnonymised, {project_id, limit, offset});
}

sales::db::Result contact_counts(Tx& tx, const std::string& project_id, const std::string& from,
                                 const std::string& before) {
    return tx.exec(kContactCounts, {project_id, from, before});
}

}  // namespace customer::adapters
