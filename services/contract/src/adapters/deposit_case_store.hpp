#pragma once
// The operator list of deposits contract could not apply by itself (CON-1 late deposits whose
// unit could not be re-taken, FIN-3 reversals of deposits that can no longer be undone).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace contract::deposit_case_store {

struct NewCase {
    std::string id;
    std::string project_id;
    std::string subscription_id;
    std::string unit_id;
    std::string kind;  // late_deposit | deposit_reversed
    std::optional<std::string> receipt_no;
    std::optional<std::string> entry_id;
    std::int64_t amount_fen = 0;  // > 0
    std::optional<std::string> paid_at;
    std::string deposit_deadline;  // RFC 3339
    std::string why;
    std::string event_id;  // the finance event: a case opens once per event
};
// False when the event already opened its case.
bool open(sales::db::Tx& tx, const NewCase& c);

struct Filter {
    std::optional<std::string> state;  // open | resolved; nullopt: both
    std::optional<std::string> project_id;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
// Oldest first; `projects`: only these (nullopt: every project). Each case as the API shows it.
std::vector<nlohmann::json> list(sales::db::Tx& tx, const Filter& filter,
                                 const std::optional<std::vector<std::string>>& projects);

// The case as the API shows it, locked FOR UPDATE; nullopt when unknown (or not a UUID).
std::optional<nlohmann::json> lock(sales::db::Tx& tx, const std::string& id);
// An open case becomes resolved; false when it was not open.
bool resolve(sales::db::Tx& tx, const std::string& id, const std::string& resolution,
             const std::string& actor);

}  // namespace contract::deposit_case_store
