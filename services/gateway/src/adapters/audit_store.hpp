#pragma once
// The append-only audit log (SEC-2), the gateway's access log: a row per write through the
// gateway and per identified refusal, a counted row per key and interval for floods of
// refusals (domain/access_log.hpp), and its search.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace gateway::adapters::audit_store {

struct Record {
    std::string user_id;   // "" when the caller was not authenticated
    std::string username;  // login attempts only
    std::string method;
    std::string route;   // the route pattern
    std::string path;    // the target as requested
    std::string target;  // the resource id from the path, if any
    int status = 0;
    std::string outcome;  // succeeded, rejected, denied, failed
    std::optional<std::string> reason;
    std::string request_id;
    std::string remote_address;
    std::int64_t count = 1;  // requests this row stands for (> 1: counted refusals)
};
void append(sales::db::Tx& tx, const Record& record);

// Every filter is optional; from/to are RFC 3339 times or dates.
struct Filter {
    std::optional<std::string> user_id, route, outcome, request_id, from, to;
    std::int64_t before_id = 0;  // 0: from the newest
    std::int64_t limit = 100;
    // The reader's region (SEC-1): "" (group level) reads every row; a region reads the rows of
    // its users only (by user id, and anonymous login attempts by username).
    std::string region;
};
// Matching records, newest first.
nlohmann::json search(sales::db::Tx& tx, const Filter& filter);

}  // namespace gateway::adapters::audit_store
