#pragma once
// Identity use cases (SEC-1): login with argon2id hashes, throttles and lockout, refresh with
// rotation, logout, password changes and disabling with immediate revocation (identity.* events
// via the outbox, each with the user's identity version as `sequence`, and the runtime's deny
// list), hierarchical user administration, the first administrator.
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/login_guard.hpp"
#include "domain/identity.hpp"
#include "sales/auth.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace gateway::app {

struct Settings {
    sales::auth::SigningKey key;  // the private token key (only the gateway holds one)
    std::chrono::seconds access_ttl{15 * 60};
    std::chrono::seconds refresh_ttl{12 * 3600};
    domain::LockoutPolicy lockout;                             // per (user, client address)
    domain::LockoutPolicy user_lockout{50, lockout.lock_for};  // per user, every address
};

struct Context {
    sales::db::Pool& db;
    sales::auth::DenyList& deny;
    Settings settings;
    LoginGuard& guard;  // throttles and the password workers
};

// 401 "invalid_credentials" with one message for every failure (unknown user, wrong password,
// locked, disabled), after the same argon2id work: nothing leaks, not even by timing. 429
// login_throttled / login_busy (LoginGuard) before any work. `address`: the client's address.
nlohmann::json login(const Context& ctx, const std::string& username, const std::string& password,
                     const std::string& address);
nlohmann::json refresh(const Context& ctx, const std::string& refresh_token);
void logout(const Context& ctx, const sales::Principal& caller);
// The caller (GET /auth/me): the token's user, roles, projects and session, with username,
// display_name and must_change_password from the user's record (null/false for a tool's token).
nlohmann::json me(const Context& ctx, const sales::Principal& caller);
// Changes the caller's password and revokes the user's other sessions (their refresh tokens at
// once, their access tokens by identity.session.revoked); returns how many were revoked. The
// check of the current password is throttled like a login (a stolen token is no oracle).
std::int64_t change_password(const Context& ctx, const sales::Principal& caller,
                             const std::string& current, const std::string& replacement,
                             const std::string& address);
// An administrator sets another user's password (within its scope); every session of the user
// is revoked. Returns how many.
std::int64_t reset_password(const Context& ctx, const sales::Principal& caller,
                            const std::string& user_id, const std::string& replacement);

// A user to create, as read from the request (username and password policy checked here).
struct NewUser {
    std::string username;
    std::string display_name;
    std::string password;
    std::vector<std::string> roles;
    std::vector<std::string> project_ids;
    std::string region;  // "" = the creator's region (group level for a group admin)
};
nlohmann::json create_user(const Context& ctx, const sales::Principal& caller, const NewUser& user);
nlohmann::json list_users(const Context& ctx, const sales::Principal& caller);
// The users who share a project with the caller (every user for a caller of every project),
// with only what a colleague may see: id, username, display name, roles, disabled.
nlohmann::json list_staff(const Context& ctx, const sales::Principal& caller);
nlohmann::json get_user(const Context& ctx, const sales::Principal& caller, const std::string& id);
nlohmann::json set_disabled(const Context& ctx, const sales::Principal& caller,
                            const std::string& id, bool disabled, const std::string& reason);

// Deletes per-address lockout states whose count and lock have run out (periodic).
void forget_stale_login_failures(const Context& ctx);

// When there is no user: creates "admin" (group administrator, all projects). The password is
// `configured` when not empty, else generated; a generated one is written to `password_file`
// (mode 0600) when set, else printed once on stderr. Returns true when it created the admin.
bool bootstrap_admin(const Context& ctx, const std::string& configured,
                     const std::string& password_file);

}  // namespace gateway::app
