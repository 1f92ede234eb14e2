#pragma once
// The gateway's access log (SEC-2, issue 11 item 7): which answered requests get a row of their
// own in audit_log and which are only counted. Services write the audit record of a business
// write in their own transaction; the gateway's table records access: every write through a
// route of the table, and refusals.
//
// A client without a valid token can send refusals as fast as the network allows, so those are
// counted in memory per (user or address, method, route, status) and written as one row per key
// and interval with the count: 429 (rate limited), 401 of a token refused on an authenticated
// route, and anything answered without a route of the table (404, 405, 400, 413, 431, 503
// too_many_connections). An identified caller is rate limited before the table's check, so its
// refusals (403) and every write get a row each.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "domain/route_table.hpp"

namespace gateway::domain {

enum class AccessEntry { none, row, counted };

// `rule`: the table's rule of the answered (method, route pattern), null when the request
// matched no route of the table (route "unmatched", or a built-in route such as /healthz).
AccessEntry access_entry(const RouteRule* rule, bool unmatched, const std::string& method,
                         int status);

// What a counted refusal is counted under: `who` is the user id, or the client address when the
// caller was not authenticated.
struct RefusalKey {
    std::string who;
    std::string method;
    std::string route;
    int status = 0;
    bool operator<(const RefusalKey& other) const {
        return std::tie(who, method, route, status) <
               std::tie(other.who, other.method, other.route, other.status);
    }
};

struct RefusalCount {
    std::int64_t count = 0;
    // Of the first refusal of the interval.
    std::string user_id, path, request_id, remote_address;
};

// Thread-safe counts since the last take(). At most `max_keys` keys: further new keys are
// counted under one key per (method, route, status) with who = "*" (a flood from many
// addresses cannot grow memory without bound).
class RefusalCounter {
  public:
    explicit RefusalCounter(std::size_t max_keys = 10'000) : max_keys_(max_keys) {}
    void add(RefusalKey key, const std::string& user_id, const std::string& path,
             const std::string& request_id, const std::string& remote_address);
    // The counts so far, and a fresh start.
    std::map<RefusalKey, RefusalCount> take();

  private:
    std::size_t max_keys_;
    std::mutex mutex_;
    std::map<RefusalKey, RefusalCount> counts_;
};

}  // namespace gateway::domain
