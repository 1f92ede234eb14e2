#pragma once
// Read-only lists over customers: search, the stale list and a rep's follow-ups (CUS-4), the
// anonymised export (CUS-8) and the calls/visits counts. Rows carry customer_columns() unless
// said otherwise; masking is the caller's (app::customer_json).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sales/db.hpp"

namespace customer::adapters {

struct CustomerSearch {
    bool archived = false;
    std::optional<std::string> project_id;
    std::optional<std::vector<std::string>> project_ids;  // the caller's projects unless all
    std::optional<std::string> name_like;                 // LIKE-escaped fragment
    std::optional<std::string> phone_digits;              // at least 4 digits, with name_like
    std::optional<std::string> phone_owner_id;  // CUS-8: phone_digits match only this owner's
    std::optional<std::string> phone_exact;     // a whole normalised phone (no name_like)
    std::optional<std::string> stage;
    std::optional<std::string> type;
    std::optional<std::string> channel;
    std::optional<std::string> owner_id;
    std::optional<std::string> last_event_from;    // RFC 3339, inclusive
    std::optional<std::string> last_event_before;  // RFC 3339, exclusive
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
std::int64_t count_customers(sales::db::Tx& tx, const CustomerSearch& search);
// Most recent contact first.
sales::db::Result search_customers(sales::db::Tx& tx, const CustomerSearch& search);

// The customers with these ids (UUIDs) in `project_ids` (nullopt: any project), archived ones
// included, by id.
sales::db::Result customers_by_ids(sales::db::Tx& tx, const std::vector<std::string>& ids,
                                   const std::optional<std::vector<std::string>>& project_ids);

// CUS-4: live customers of the project with no event for its stale_days before `now`.
std::int64_t count_stale(sales::db::Tx& tx, const std::string& project_id, const std::string& now,
                         const std::optional<std::string>& rep_id);
sales::db::Result stale_customers(sales::db::Tx& tx, const std::string& project_id,
                                  const std::string& now, const std::optional<std::string>& rep_id,
                                  std::int64_t limit, std::int64_t offset);
// A rep's live customers due a follow-up (not yet stale) and stale ones; at most 200 each.
sales::db::Result follow_ups_due(sales::db::Tx& tx, const std::string& rep_id,
                                 const std::string& now);
sales::db::Result stale_of_rep(sales::db::Tx& tx, const std::string& rep_id,
                               const std::string& now);

// CUS-8: pseudonym, birth decade, needs, stage, type, channel and event counts only.
sales::db::Result anonymised_customers(sales::db::Tx& tx, const std::string& project_id,
                                       std::int64_t limit, std::int64_t offset);

// Calls, visits and events per Asia/Shanghai day, rep and channel in [from, before).
sales::db::Result contact_counts(sales::db::Tx& tx, const std::string& project_id,
                                 const std::string& from, const std::string& before);

}  // namespace customer::adapters
