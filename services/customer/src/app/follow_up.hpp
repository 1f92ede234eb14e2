#pragma once
// Follow-up (CUS-4/5/6): the stale list, a rep's task list, departures of reps (bulk
// reassignment, listed until done) and the calls/visits counts for reports.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "sales/sheet.hpp"

namespace customer::app {

// CUS-4: live customers (not closed, not archived) with no event for the project's stale_days.
nlohmann::json list_stale(const Context& ctx, const Caller& caller, const std::string& project_id,
                          std::optional<std::string> rep_id, std::int64_t limit,
                          std::int64_t offset);

// CUS-4/6/10 "my tasks": follow-ups due (no event for follow_up_days), stale customers, the
// rep's late entries of the last 30 days and complaints of their customers not yet answered.
nlohmann::json rep_tasks(const Context& ctx, const Caller& caller, const std::string& rep_id);

// CUS-5 departures.
nlohmann::json record_departure(const Context& ctx, const Caller& caller, const std::string& rep_id,
                                const std::string& reason);
nlohmann::json list_departures(const Context& ctx, const Caller& caller, bool open_only);
// Reassigns the leaver's live customers (all, or only `customer_ids`) to `to_rep_id`, each with
// customer.reassigned; the departure is completed once none remain.
nlohmann::json reassign_departure(const Context& ctx, const Caller& caller,
                                  const std::string& departure_id, const std::string& to_rep_id,
                                  const std::optional<std::vector<std::string>>& customer_ids);

// Calls and visits per Asia/Shanghai day, rep and channel (seed 003 §4 来电来访明细表).
nlohmann::json contact_counts(const Context& ctx, const Caller& caller,
                              const std::string& project_id, sales::Date from, sales::Date to);
// contact_counts as a download: one row per day, rep (by name) and channel, and a 合计 row.
sales::sheet::Sheet contact_sheet(const nlohmann::json& counts,
                                  const std::function<std::string(const std::string&)>& rep_label);

}  // namespace customer::app
