#include "adapters/complaint_store.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

const std::string kSelectComplaint =
    "SELECT id::text AS id, customer_id::text AS customer_id, project_id::text AS project_id, "
    "category, description, received_on::text AS received_on, first_response_due::text AS "
    "first_response_due, final_due::text AS final_due, status, first_response, "
    "first_responded_by, " +
    rfc3339("first_responded_at", "first_responded_at") + ", result, resolved_by, " +
    rfc3339("resolved_at", "resolved_at") + ", created_by, " + rfc3339("created_at", "created_at") +
    ", version, (SELECT c.owner_id FROM customers c WHERE c.id = complaints.customer_id) AS "
    "owner_id FROM complaints ";

const std::string kFindComplaint = kSelectComplaint + "WHERE id = $1::uuid";
const std::string kLockComplaint = kFindComplaint + " FOR UPDATE";

const std::string kListComplaints =
    kSelectComplaint +
    "WHERE project_id = $1::uuid AND ($2::text IS NULL OR status = $2) AND (NOT $3 OR "
    "(status = 'open' AND first_response_due < $4::date) OR (status <> 'resolved' AND "
    "final_due < $4::date)) ORDER BY final_due, id LIMIT $5 OFFSET $6";

constexpr const char* kInsertComplaint = R"sql(
INSERT INTO complaints (id, customer_id, project_id, category, description, received_on,
                        first_response_due, final_due, created_by)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::date, $7::date, $8::date, $9))sql";

constexpr const char* kRecordResponse = R"sql(
UPDATE complaints SET status = $2, first_response = $3, first_responded_by = $4,
       first_responded_at = clock_timestamp(), version = version + 1
WHERE id = $1::uuid)sql";

constexpr const char* kRecordResult = R"sql(
UPDATE complaints SET status = $2, result = $3, resolved_by = $4, resolved_at = clock_timestamp(),
       first_responded_at = coalesce(first_responded_at, clock_timestamp()),
       first_responded_by = coalesce(first_responded_by, $4), version = version + 1
WHERE id = $1::uuid)sql";

constexpr const char* kOpenComplaintsOf = R"sql(
SELECT k.id::text AS id, k.customer_id::text AS customer_id, k.project_id::text AS project_id,
       k.status, k.category, k.first_response_due::text AS first_response_due,
       k.final_due::text AS final_due,
       (k.status = 'open' AND k.first_response_due < $2::date) OR k.final_due < $2::date
         AS overdue
FROM complaints k JOIN customers c ON c.id = k.customer_id
WHERE c.owner_id = $1 AND k.status <> 'resolved'
ORDER BY k.final_due LIMIT 200)sql";
}  // namespace

void insert_complaint(Tx& tx, const ComplaintRow& r) {
    tx.exec(kInsertComplaint, {r.id, r.customer_id, r.project_id, r.category, r.description,
                               r.received_on, r.first_response_due, r.final_due, r.created_by});
}

std::optional<sales::db::Row> find_complaint(Tx& tx, const std::string& id, bool for_update) {
    return tx.exec_maybe_one(for_update ? kLockComplaint : kFindComplaint, {id});
}

void record_answer(Tx& tx, domain::ComplaintAction action, const std::string& id,
                   const std::string& status, const std::string& text, const std::string& by) {
    tx.exec(action == domain::ComplaintAction::respond ? kRecordResponse : kRecordResult,
            {id, status, text, by});
}

sales::db::Result list_complaints(Tx& tx, const std::string& project_id,
                                  const std::optional<std::string>& status, bool overdue_only,
                                  const std::string& today, std::int64_t limit,
                                  std::int64_t offset) {
    return tx.exec(kListComplaints,
                   {project_id, sales::db::param(status), overdue_only, today, limit, offset});
}

sales::db::Result open_complaints_of(Tx& tx, const std::string& rep_id, const std::string& today) {
    return tx.exec(kOpenComplaintsOf, {rep_id, today});
}

}  // namespace customer::adapters
