#pragma once
// The users table (SEC-1): credentials and lockout state, passwords, administration and the
// first administrator. Functions run in the caller's transaction.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/identity.hpp"
#include "sales/db.hpp"

namespace gateway::adapters::user_store {

// A text[] column selected as to_json(column)::text, as strings.
std::vector<std::string> text_array(const std::string& json_text);

// What a login needs to decide.
struct Credentials {
    std::string id;
    std::string password_hash;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
    bool disabled = false;
    domain::LoginState state;
};
std::optional<Credentials> find_credentials(sales::db::Tx& tx, const std::string& username);
// Stores the lockout state after a failed or a successful login.
void save_login_state(sales::db::Tx& tx, const std::string& user_id,
                      const domain::LoginState& state);

struct NewUser {
    std::string id;
    std::string username;
    std::string display_name;
    std::string password_hash;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
    std::string region;
    std::string created_by;
};
void insert(sales::db::Tx& tx, const NewUser& user);
bool username_taken(sales::db::Tx& tx, const std::string& username);
std::int64_t count(sales::db::Tx& tx);
// Serialises the creation of the first administrator between replicas.
void lock_table(sales::db::Tx& tx);

// The region of a user ("" = group level or no such user).
std::string region_of(sales::db::Tx& tx, const std::string& user_id);

// Username and password hash, locked for update.
struct Password {
    std::string username;
    std::string hash;
};
std::optional<Password> lock_password(sales::db::Tx& tx, const std::string& user_id);
void set_password(sales::db::Tx& tx, const std::string& user_id, const std::string& hash);

// Roles and region of a user, locked for update (administration checks).
std::optional<domain::Target> lock_target(sales::db::Tx& tx, const std::string& user_id);
void set_disabled(sales::db::Tx& tx, const std::string& user_id, bool disabled);

// A user as the API shows it: id, username, display_name, roles, project_ids, region, disabled,
// created_by, created_at.
std::optional<nlohmann::json> find(sales::db::Tx& tx, const std::string& user_id);
// Users of `region` ("" = all), by username.
nlohmann::json list(sales::db::Tx& tx, const std::string& region);

}  // namespace gateway::adapters::user_store
