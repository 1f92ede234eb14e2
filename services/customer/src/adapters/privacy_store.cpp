#include "adapters/privacy_store.hpp"

namespace customer::adapters {
namespace {
using namespace sales::db;

constexpr const char* kLogPiiRead = R"sql(
INSERT INTO pii_access_log (customer_id, reader_id, reader_roles, route, request_id)
VALUES ($1::uuid, $2, $3, $4, $5))sql";

const std::string kPiiReads = "SELECT reader_id, reader_roles, route, request_id, " +
                              rfc3339("read_at", "read_at") +
                              " FROM pii_access_log WHERE customer_id = $1::uuid "
                              "ORDER BY id DESC LIMIT 500";

constexpr const char* kLogSearch = R"sql(
INSERT INTO pii_access_log (kind, reader_id, reader_roles, route, request_id, project_id,
                            query_kind, query_masked, query_hash, phone_scope, result_count)
SELECT 'search', $1, $2, $3, $4, $5::uuid, $6, $7,
       encode(sha256(convert_to(k.value || ':' || $8, 'UTF8')), 'hex'), $9, $10
FROM service_keys k WHERE k.name = 'pii_search_hash')sql";

constexpr const char* kRecentPhoneSearches = R"sql(
SELECT count(*) FROM pii_access_log
WHERE reader_id = $1 AND kind = 'search' AND query_kind = 'phone_exact'
  AND read_at > clock_timestamp() - interval '1 hour')sql";

constexpr const char* kInsertCorrection = R"sql(
INSERT INTO corrections (id, customer_id, field, old_value, new_value, reason, requested_by)
VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7))sql";

const std::string kCorrections =
    "SELECT id::text AS id, field, old_value, new_value, reason, requested_by, " +
    rfc3339("recorded_at", "recorded_at") +
    " FROM corrections WHERE customer_id = $1::uuid ORDER BY recorded_at";
}  // namespace

void log_pii_read(Tx& tx, const std::string& customer_id, const std::string& reader_id,
                  const std::string& reader_roles, const std::string& route,
                  const std::string& request_id) {
    tx.exec(kLogPiiRead, {customer_id, reader_id, reader_roles, route, request_id});
}

sales::db::Result pii_reads(Tx& tx, const std::string& customer_id) {
    return tx.exec(kPiiReads, {customer_id});
}

void log_search(Tx& tx, const SearchRecord& r) {
    const auto written =
        tx.exec(kLogSearch, {r.reader_id, r.reader_roles, r.route, r.request_id,
                             sales::db::param(r.project_id), r.query_kind, r.query_masked,
                             r.searched, sales::db::param(r.phone_scope), r.result_count})
            .affected_rows();
    if (written != 1)
        throw std::runtime_error("pii_access_log: the service key pii_search_hash is missing");
}

std::int64_t recent_phone_searches(Tx& tx, const std::string& reader_id) {
    return tx.exec_one(kRecentPhoneSearches, {reader_id}).int64(0);
}

void insert_correction(Tx& tx, const std::string& id, const std::string& customer_id,
                       const std::string& field, const std::optional<std::string>& old_value,
                       const std::optional<std::string>& new_value, const std::string& reason,
                       const std::string& requested_by) {
    tx.exec(kInsertCorrection, {id, customer_id, field, sales::db::param(old_value),
                                sales::db::param(new_value), reason, requested_by});
}

sales::db::Result corrections(Tx& tx, const std::string& customer_id) {
    return tx.exec(kCorrections, {customer_id});
}

}  // namespace customer::adapters
