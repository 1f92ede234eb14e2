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

// What a login needs to decide: the user and its lockout states (SEC-1), of all addresses
// together and of the client's address.
struct Credentials {
    std::string id;
    std::string password_hash;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
    bool disabled = false;
    bool must_change_password = false;
    domain::LoginState state;          // every address
    domain::LoginState address_state;  // this address
};
std::optional<Credentials> find_credentials(sales::db::Tx& tx, const std::string& username,
                                            const std::string& address);
// Both lockout states of a user, locked for update in this order (one transaction counts each
// failure: parallel wrong guesses all count).
struct LoginStates {
    domain::LoginState user;
    domain::LoginState address;
};
LoginStates lock_login_states(sales::db::Tx& tx, const std::string& user_id,
                              const std::string& address);
void save_login_states(sales::db::Tx& tx, const std::string& user_id, const std::string& address,
                       const LoginStates& states);
// After a successful login: both counts start again.
void clear_login_states(sales::db::Tx& tx, const std::string& user_id, const std::string& address);
// Forgets per-address states whose count and lock have both run out (periodic clean-up).
std::int64_t delete_stale_login_failures(sales::db::Tx& tx, std::chrono::seconds lock_for);

// +1 on the user's identity version, the `sequence` of the identity.* event written in the same
// transaction; returns the new version (0 when there is no such user: a tool's token).
std::int64_t next_identity_version(sales::db::Tx& tx, const std::string& user_id);

struct NewUser {
    std::string id;
    std::string username;
    std::string display_name;
    std::string password_hash;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
    std::string region;
    std::string created_by;
    bool must_change_password = false;  // set by an administrator: its owner must replace it
};
void insert(sales::db::Tx& tx, const NewUser& user);
bool username_taken(sales::db::Tx& tx, const std::string& username);
std::int64_t count(sales::db::Tx& tx);
// Serialises the creation of the first administrator between replicas.
void lock_table(sales::db::Tx& tx);

// The region ("" = group level) and projects of a user; region "" and no project when there
// is no such user (a tool's token).
struct Scope {
    std::string region;
    std::vector<std::string> project_ids;
};
Scope scope_of(sales::db::Tx& tx, const std::string& user_id);

// Username and password hash, locked for update.
struct Password {
    std::string username;
    std::string hash;
};
std::optional<Password> lock_password(sales::db::Tx& tx, const std::string& user_id);
void set_password(sales::db::Tx& tx, const std::string& user_id, const std::string& hash,
                  bool must_change);
// username, display_name and must_change_password of a user (GET /auth/me); none when there is
// no such user (a tool's token).
std::optional<nlohmann::json> profile(sales::db::Tx& tx, const std::string& user_id);

// Roles and region of a user, locked for update (administration checks).
std::optional<domain::Target> lock_target(sales::db::Tx& tx, const std::string& user_id);
void set_disabled(sales::db::Tx& tx, const std::string& user_id, bool disabled);

// A user as the API shows it: id, username, display_name, roles, project_ids, region, disabled,
// created_by, created_at.
std::optional<nlohmann::json> find(sales::db::Tx& tx, const std::string& user_id);
// Users of `region` ("" = all), by username.
nlohmann::json list(sales::db::Tx& tx, const std::string& region);
// Users with a project among `project_ids` or of every project ("*"); every user when
// `every_project`. Fields: id, username, display_name, roles, disabled; by display name.
nlohmann::json list_staff(sales::db::Tx& tx, bool every_project,
                          const std::vector<std::string>& project_ids);

}  // namespace gateway::adapters::user_store
