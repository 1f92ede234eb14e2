#pragma once
// The sessions table (SEC-1): one row per login, its id the tokens' session id, the refresh
// token stored hashed. Functions run in the caller's transaction.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "sales/db.hpp"

namespace gateway::adapters::session_store {

void insert(sales::db::Tx& tx, const std::string& session_id, const std::string& user_id,
            const std::string& refresh_hash, std::chrono::seconds ttl);

// A session that is neither revoked nor expired, of a user that is not disabled, locked for
// update; with the user's current roles and projects.
struct Live {
    std::string user_id;
    std::string refresh_hash;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
};
std::optional<Live> lock_live(sales::db::Tx& tx, const std::string& session_id);
// Refresh rotation: the old refresh token stops working.
void set_refresh_hash(sales::db::Tx& tx, const std::string& session_id,
                      const std::string& refresh_hash);

void revoke(sales::db::Tx& tx, const std::string& session_id);
// Revokes every live session of the user but `except_session_id` ("" = none); returns the ids
// revoked. Sessions expired for more than a day (longer than any access token lives) are left
// as they are.
std::vector<std::string> revoke_all_of(sales::db::Tx& tx, const std::string& user_id,
                                       const std::string& except_session_id = "");

}  // namespace gateway::adapters::session_store
