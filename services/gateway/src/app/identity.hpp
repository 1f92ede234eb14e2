#pragma once
// Identity use cases (SEC-1): login with argon2id hashes and lockout, refresh with rotation,
// logout and disabling with immediate revocation (identity.* events via the outbox and the
// runtime's deny list), hierarchical user administration, the first administrator.
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/identity.hpp"
#include "sales/auth.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace gateway::app {

struct Settings {
    sales::auth::TokenKey key;
    std::chrono::seconds access_ttl{15 * 60};
    std::chrono::seconds refresh_ttl{12 * 3600};
    domain::LockoutPolicy lockout;
};

struct Context {
    sales::db::Pool& db;
    sales::auth::DenyList& deny;
    Settings settings;
};

// 401 "invalid_credentials" with one message for every failure (unknown user, wrong password,
// locked, disabled): nothing leaks.
nlohmann::json login(const Context& ctx, const std::string& username, const std::string& password);
nlohmann::json refresh(const Context& ctx, const std::string& refresh_token);
void logout(const Context& ctx, const sales::Principal& caller);
void change_password(const Context& ctx, const sales::Principal& caller, const std::string& current,
                     const std::string& replacement);

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
nlohmann::json get_user(const Context& ctx, const sales::Principal& caller, const std::string& id);
nlohmann::json set_disabled(const Context& ctx, const sales::Principal& caller,
                            const std::string& id, bool disabled, const std::string& reason);

// When there is no user: creates "admin" (group administrator, all projects). The password is
// `configured` when not empty, else generated; a generated one is written to `password_file`
// (mode 0600) when set, else printed once on stderr. Returns true when it created the admin.
bool bootstrap_admin(const Context& ctx, const std::string& configured,
                     const std::string& password_file);

}  // namespace gateway::app
