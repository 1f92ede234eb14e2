#pragma once
// Privacy and hygiene (CUS-8, CUS-9): the anonymised marketing export and archiving of
// long-inactive records with a backup copy (never a silent delete).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "app/support.hpp"

namespace customer::app {

// CUS-8: no direct identifiers (no name, phone, ID number, address, occupation, birth year or
// owner); a stable pseudonymous id per customer (SHA-256 of a secret key kept in the database
// and the customer id), birth decade, needs, stage, type, channel, event counts.
nlohmann::json export_anonymised(const Context& ctx, const Caller& caller,
                                 const std::string& project_id, std::int64_t limit,
                                 std::int64_t offset);

// CUS-9: archives up to `limit` customers of the project with no event for archive_after_days
// and no live deal: a JSON snapshot of the record and its events goes to customer_archive, the
// record is marked archived (kept, hidden from live lists, its phone free for a new record) and
// customer.archived is emitted. dry_run lists the candidates without changing anything.
nlohmann::json archive_inactive(const Context& ctx, const Caller& caller,
                                const std::string& project_id, std::int64_t limit, bool dry_run);

}  // namespace customer::app
