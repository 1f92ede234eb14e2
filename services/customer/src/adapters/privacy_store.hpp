#pragma once
// The customer's privacy records: the audit of full PII reads (CUS-8) and the log of
// corrections (CUS-9).
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

void log_pii_read(sales::db::Tx& tx, const std::string& customer_id, const std::string& reader_id,
                  const std::string& reader_roles, const std::string& route,
                  const std::string& request_id);
// Newest first, at most 500.
sales::db::Result pii_reads(sales::db::Tx& tx, const std::string& customer_id);

void insert_correction(sales::db::Tx& tx, const std::string& id, const std::string& customer_id,
                       const std::string& field, const std::optional<std::string>& old_value,
                       const std::optional<std::string>& new_value, const std::string& reason,
                       const std::string& requested_by);
// Oldest first.
sales::db::Result corrections(sales::db::Tx& tx, const std::string& customer_id);

}  // namespace customer::adapters
