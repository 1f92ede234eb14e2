#pragma once
// The customer's privacy records: the audit of full PII reads (CUS-8) and the log of
// corrections (CUS-9).
#include <cstdint>
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

void log_pii_read(sales::db::Tx& tx, const std::string& customer_id, const std::string& reader_id,
                  const std::string& reader_roles, const std::string& route,
                  const std::string& request_id);
// Newest first, at most 500.
sales::db::Result pii_reads(sales::db::Tx& tx, const std::string& customer_id);

// CUS-8: one customer search. `searched` (the normalised phone, the fragment's digits or the
// name text) is stored only as a SHA-256 keyed with the service key "pii_search_hash".
struct SearchRecord {
    std::string reader_id;
    std::string reader_roles;
    std::string route;
    std::string request_id;
    std::optional<std::string> project_id;
    std::string query_kind;  // name | phone_exact | phone_fragment
    std::string query_masked;
    std::string searched;
    std::optional<std::string> phone_scope;  // all | own (phone searches)
    std::int64_t result_count = 0;
};
void log_search(sales::db::Tx& tx, const SearchRecord& record);
// Whole-number phone searches by `reader_id` in the last hour.
std::int64_t recent_phone_searches(sales::db::Tx& tx, const std::string& reader_id);

void insert_correction(sales::db::Tx& tx, const std::string& id, const std::string& customer_id,
                       const std::string& field, const std::optional<std::string>& old_value,
                       const std::optional<std::string>& new_value, const std::string& reason,
                       const std::string& requested_by);
// Oldest first.
sales::db::Result corrections(sales::db::Tx& tx, const std::string& customer_id);

}  // namespace customer::adapters
