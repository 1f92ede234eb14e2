#include "app/identity.hpp"

#include <sys/stat.h>

#include <map>
#include <mutex>
#include <optional>

#include <cstdio>
#include <fstream>

#include "adapters/session_store.hpp"
#include "adapters/user_store.hpp"
#include "sales/bus.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"

namespace gateway::app {
namespace {
using nlohmann::json;
using Clock = std::chrono::system_clock;
namespace users = adapters::user_store;
namespace sessions = adapters::session_store;

[[noreturn]] void invalid_credentials() {
    throw sales::Failure(sales::Failure::Kind::unauthenticated, "invalid_credentials",
                         "invalid username or password");
}

[[noreturn]] void invalid_refresh_token() {
    throw sales::Failure(sales::Failure::Kind::unauthenticated, "invalid_refresh_token",
                         "the refresh token is not valid");
}

json issue(const Context& ctx, const std::string& session_id, const std::string& user_id,
           const std::vector<std::string>& roles, const std::vector<std::string>& projects,
           const std::string& refresh_secret) {
    sales::Principal p{user_id, roles, projects, Clock::now() + ctx.settings.access_ttl,
                       session_id};
    return {{"access_token", sales::auth::mint(ctx.settings.key, p)},
            {"token_type", "Bearer"},
            {"expires_in", ctx.settings.access_ttl.count()},
            {"refresh_token", session_id + "." + refresh_secret},
            {"refresh_expires_in", ctx.settings.refresh_ttl.count()}};
}

// An identity.* event of `user_id`, its `sequence` the user's next identity version (E: services
// apply a user's events in this order, whatever order they arrive in).
void publish(sales::db::Tx& tx, const std::string& type, const std::string& subject,
             const std::string& user_id, json data) {
    const auto version = users::next_identity_version(tx, user_id);
    sales::bus::outbox_append(tx, sales::bus::make_event("gateway", type, subject, version, data));
}

// Revokes the user's sessions but `keep` in `tx`: denied here and, by identity.session.revoked,
// in every service. The caller updates ctx.deny with the ids after the commit.
std::vector<std::string> revoke_sessions(sales::db::Tx& tx, const std::string& user_id,
                                         const std::string& keep) {
    auto revoked = sessions::revoke_all_of(tx, user_id, keep);
    for (const auto& session : revoked) {
        sales::service::record_denial(tx, "session", session, true);
        publish(tx, "identity.session.revoked", session, user_id,
                {{"session_id", session}, {"user_id", user_id}});
    }
    return revoked;
}

// The caller as an administrator (roles from the token, region and projects from the database).
domain::Admin admin_of(sales::db::Tx& tx, const sales::Principal& caller) {
    auto scope = users::scope_of(tx, caller.user_id);
    return {caller.roles, std::move(scope.region), std::move(scope.project_ids)};
}

void check_administration(const domain::Admin& actor, const domain::Target& target) {
    if (auto problem = domain::administration_problem(actor, target); !problem.empty())
        sales::fail_forbidden("forbidden", problem);
}

[[noreturn]] void user_not_found(const std::string& id) {
    sales::fail_not_found("user", id);
}

void check_password_policy(const std::string& password, const std::string& username) {
    if (auto problem = domain::password_problem(password, username); !problem.empty())
        throw sales::Failure(sales::Failure::Kind::invalid, "weak_password", problem,
                             {{"field", "password"}});
}

std::string hash_on_workers(const Context& ctx, const std::string& password) {
    return ctx.guard.password_work([&] { return sales::auth::hash_password(password); });
}

}  // namespace

json login(const Context& ctx, const std::string& username, const std::string& password,
           const std::string& address) {
    ctx.guard.admit(username, address);
    const auto found = ctx.db.transaction(
        [&](sales::db::Tx& tx) { return users::find_credentials(tx, username, address); });
    // One argon2id check whatever follows (unknown, locked, disabled, wrong or right password),
    // so that the answer's timing does not tell which usernames exist or are locked.
    const auto& hash = found ? found->password_hash : ctx.guard.dummy_hash();
    const bool matches =
        ctx.guard.password_work([&] { return sales::auth::verify_password(hash, password); });
    const auto now = Clock::now();
    if (!found) {
        sales::log::info("login failed", {{"reason", "unknown user"}, {"address", address}});
        invalid_credentials();
    }
    if (domain::is_locked(found->state, now) || domain::is_locked(found->address_state, now)) {
        sales::log::info("login failed",
                         {{"reason", "locked"}, {"user_id", found->id}, {"address", address}});
        invalid_credentials();
    }
    if (!matches) {
        // Read and written under row locks in one transaction: parallel guesses all count.
        ctx.db.transaction([&](sales::db::Tx& tx) {
            auto states = users::lock_login_states(tx, found->id, address);
            states.address = domain::after_failure(states.address, ctx.settings.lockout, now);
            states.user = domain::after_failure(states.user, ctx.settings.user_lockout, now);
            users::save_login_states(tx, found->id, address, states);
        });
        sales::log::info(
            "login failed",
            {{"reason", "wrong password"}, {"user_id", found->id}, {"address", address}});
        invalid_credentials();
    }
    if (found->disabled) {
        sales::log::info("login failed", {{"reason", "disabled"}, {"user_id", found->id}});
        invalid_credentials();
    }
    const auto session = sales::new_uuid();
    const auto secret = sales::auth::random_token();
    ctx.db.transaction([&](sales::db::Tx& tx) {
        users::clear_login_states(tx, found->id, address);
        sessions::insert(tx, session, found->id, sales::auth::sha256_hex(secret),
                         ctx.settings.refresh_ttl);
    });
    sales::log::info("login", {{"user_id", found->id}, {"session_id", session}});
    auto tokens = issue(ctx, session, found->id, found->roles, found->project_ids, secret);
    tokens["must_change_password"] = found->must_change_password;
    return tokens;
}

namespace {
// /auth/me is called on every console start and must stay as cheap as a token check under a
// login flood: profiles are kept for a few seconds; this gateway's own password changes forget
// them at once (another replica's within kProfileTtl).
constexpr auto kProfileTtl = std::chrono::seconds(10);
std::mutex profiles_mutex;
std::map<std::string, std::pair<Clock::time_point, std::optional<json>>> profiles;

void forget_profile(const std::string& user_id) {
    std::lock_guard lock(profiles_mutex);
    profiles.erase(user_id);
}

std::optional<json> profile_of(const Context& ctx, const std::string& user_id) {
    const auto now = Clock::now();
    {
        std::lock_guard lock(profiles_mutex);
        if (auto it = profiles.find(user_id);
            it != profiles.end() && now - it->second.first < kProfileTtl)
            return it->second.second;
    }
    auto found = ctx.db.transaction([&](sales::db::Tx& tx) { return users::profile(tx, user_id); });
    std::lock_guard lock(profiles_mutex);
    if (profiles.size() > 10'000)
        profiles.clear();
    profiles[user_id] = {now, found};
    return found;
}
}  // namespace

json me(const Context& ctx, const sales::Principal& caller) {
    json answer = {{"user_id", caller.user_id},
                   {"roles", caller.roles},
                   {"project_ids", caller.project_ids},
                   {"session_id", caller.session_id},
                   {"username", nullptr},
                   {"display_name", nullptr},
                   {"must_change_password", false}};
    const auto profile = profile_of(ctx, caller.user_id);
    if (profile)
        answer.update(*profile);
    return answer;
}

json refresh(const Context& ctx, const std::string& refresh_token) {
    const auto dot = refresh_token.find('.');
    if (dot == std::string::npos || !sales::is_uuid(refresh_token.substr(0, dot)))
        invalid_refresh_token();
    const auto session = refresh_token.substr(0, dot);
    const auto secret = sales::auth::random_token();
    auto out = ctx.db.transaction([&](sales::db::Tx& tx) -> std::optional<json> {
        const auto live = sessions::lock_live(tx, session);
        if (!live || live->refresh_hash != sales::auth::sha256_hex(refresh_token.substr(dot + 1)))
            return std::nullopt;
        // Rotation: the old refresh token stops working.
        sessions::set_refresh_hash(tx, session, sales::auth::sha256_hex(secret));
        return issue(ctx, session, live->user_id, live->roles, live->project_ids, secret);
    });
    if (!out)
        invalid_refresh_token();
    return *out;
}

void logout(const Context& ctx, const sales::Principal& caller) {
    if (caller.session_id.empty())
        return;  // a token without session (service tooling) has nothing to revoke
    ctx.db.transaction([&](sales::db::Tx& tx) {
        sessions::revoke(tx, caller.session_id);
        sales::service::record_denial(tx, "session", caller.session_id, true);
        publish(tx, "identity.session.revoked", caller.session_id, caller.user_id,
                {{"session_id", caller.session_id}, {"user_id", caller.user_id}});
    });
    ctx.deny.revoke_session(caller.session_id);
}

std::int64_t change_password(const Context& ctx, const sales::Principal& caller,
                             const std::string& current, const std::string& replacement,
                             const std::string& address) {
    ctx.guard.admit("password change of " + caller.user_id, address);
    const auto stored = ctx.db.transaction(
        [&](sales::db::Tx& tx) { return users::lock_password(tx, caller.user_id); });
    if (!stored || !ctx.guard.password_work(
                       [&] { return sales::auth::verify_password(stored->hash, current); }))
        invalid_credentials();
    check_password_policy(replacement, stored->username);
    const auto hash = hash_on_workers(ctx, replacement);
    const auto revoked = ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto latest = users::lock_password(tx, caller.user_id);
        if (!latest || latest->hash != stored->hash)
            sales::fail_conflict("concurrent_change", "the password was changed meanwhile");
        users::set_password(tx, caller.user_id, hash, false);
        // The caller's own session stays: it has just proved the password.
        return revoke_sessions(tx, caller.user_id, caller.session_id);
    });
    for (const auto& session : revoked)
        ctx.deny.revoke_session(session);
    forget_profile(caller.user_id);  // after the commit: a read meanwhile cannot cache the old one
    sales::log::info("password changed",
                     {{"user_id", caller.user_id}, {"revoked_sessions", revoked.size()}});
    return static_cast<std::int64_t>(revoked.size());
}

std::int64_t reset_password(const Context& ctx, const sales::Principal& caller,
                            const std::string& id, const std::string& replacement) {
    if (!sales::is_uuid(id))
        user_not_found(id);
    if (id == caller.user_id)
        sales::fail_rule("cannot_reset_self",
                         "change your own password with POST /api/v1/auth/password");
    // Checks first (no argon2id work for a refused request), again under the lock below.
    const auto check = [&](sales::db::Tx& tx) {
        const auto target = users::lock_target(tx, id);
        if (!target)
            user_not_found(id);
        check_administration(admin_of(tx, caller), *target);
        return users::lock_password(tx, id)->username;
    };
    check_password_policy(replacement, ctx.db.transaction(check));
    const auto hash = hash_on_workers(ctx, replacement);
    const auto revoked = ctx.db.transaction([&](sales::db::Tx& tx) {
        check(tx);
        users::set_password(tx, id, hash, true);
        return revoke_sessions(tx, id, "");
    });
    for (const auto& session : revoked)
        ctx.deny.revoke_session(session);
    forget_profile(id);
    sales::log::info(
        "password reset",
        {{"user_id", id}, {"by", caller.user_id}, {"revoked_sessions", revoked.size()}});
    return static_cast<std::int64_t>(revoked.size());
}

json create_user(const Context& ctx, const sales::Principal& caller, const NewUser& user) {
    check_password_policy(user.password, user.username);
    const auto id = sales::new_uuid();
    // Scope checks before the argon2id work, and again in the transaction that writes.
    const auto check = [&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        if (auto problem = domain::grant_problem(actor, user.roles, user.project_ids);
            !problem.empty())
            sales::fail_forbidden("grant_exceeds_scope", problem,
                                  {{"roles", user.roles}, {"project_ids", user.project_ids}});
        // A region admin's users belong to its region.
        auto region = !actor.region.empty() && user.region.empty() ? actor.region : user.region;
        check_administration(actor, {user.roles, region});
        if (users::username_taken(tx, user.username))
            sales::fail_conflict("username_taken", "username " + user.username + " is taken");
        return region;
    };
    ctx.db.transaction(check);
    const auto hash = hash_on_workers(ctx, user.password);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto region = check(tx);
        users::insert(tx, {id, user.username, user.display_name, hash, user.roles, user.project_ids,
                           region, caller.user_id, true});
        publish(tx, "identity.user.created", id, id,
                {{"user_id", id},
                 {"username", user.username},
                 {"display_name", user.display_name},
                 {"roles", user.roles}});
        return *users::find(tx, id);
    });
}

json list_users(const Context& ctx, const sales::Principal& caller) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        return json{{"items", users::list(tx, admin_of(tx, caller).region)}};
    });
}

json list_staff(const Context& ctx, const sales::Principal& caller) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        return json{
            {"items", users::list_staff(tx, caller.in_every_project(), caller.project_ids)}};
    });
}

json get_user(const Context& ctx, const sales::Principal& caller, const std::string& id) {
    if (!sales::is_uuid(id))
        user_not_found(id);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        auto user = users::find(tx, id);
        if (!user || (!actor.region.empty() && (*user)["region"] != actor.region))
            user_not_found(id);
        return std::move(*user);
    });
}

json set_disabled(const Context& ctx, const sales::Principal& caller, const std::string& id,
                  bool disabled, const std::string& reason) {
    if (!sales::is_uuid(id))
        user_not_found(id);
    if (id == caller.user_id)
        sales::fail_rule("cannot_disable_self", "an administrator cannot disable itself");
    auto out = ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        const auto target = users::lock_target(tx, id);
        if (!target)
            user_not_found(id);
        check_administration(actor, *target);
        users::set_disabled(tx, id, disabled);
        if (disabled)
            sessions::revoke_all_of(tx, id);
        const auto version = users::next_identity_version(tx, id);
        sales::service::record_denial(tx, "user", id, disabled, version);
        sales::bus::outbox_append(
            tx, sales::bus::make_event(
                    "gateway", disabled ? "identity.user.disabled" : "identity.user.enabled", id,
                    version, {{"user_id", id}, {"reason", reason}, {"by", caller.user_id}}));
        return *users::find(tx, id);
    });
    if (disabled)
        ctx.deny.deny_user(id);
    else
        ctx.deny.allow_user(id);
    return out;
}

void forget_stale_login_failures(const Context& ctx) {
    const auto deleted = ctx.db.transaction([&](sales::db::Tx& tx) {
        return users::delete_stale_login_failures(tx, ctx.settings.lockout.lock_for);
    });
    if (deleted > 0)
        sales::log::info("stale login failures forgotten", {{"rows", deleted}});
}

bool bootstrap_admin(const Context& ctx, const std::string& configured,
                     const std::string& password_file) {
    if (ctx.db.transaction([](sales::db::Tx& tx) { return users::count(tx); }) > 0)
        return false;
    std::string password = configured;
    const bool generated = password.empty();
    if (generated)
        password = "Adm-" + sales::auth::random_token(18);
    else if (auto problem = domain::password_problem(password, "admin"); !problem.empty())
        throw sales::ConfigError("configuration: SALES_GATEWAY_ADMIN_PASSWORD: " + problem);
    const auto id = sales::new_uuid();
    const auto hash = sales::auth::hash_password(password);
    const bool created = ctx.db.transaction([&](sales::db::Tx& tx) {
        users::lock_table(tx);
        if (users::count(tx) > 0)
            return false;  // another replica won
        users::insert(
            tx, {id, "admin", "Group administrator", hash, {"admin"}, {"*"}, "", "bootstrap"});
        publish(tx, "identity.user.created", id, id,
                {{"user_id", id},
                 {"username", "admin"},
                 {"display_name", "Group administrator"},
                 {"roles", {"admin"}}});
        return true;
    });
    if (!created || !generated)
        return created;
    if (!password_file.empty()) {
        const auto old = ::umask(077);
        std::ofstream out(password_file, std::ios::trunc);
        ::umask(old);
        out << password << "\n";
        if (!out)
            throw std::runtime_error("cannot write " + password_file);
        sales::log::warn("first administrator created",
                         {{"username", "admin"}, {"password_file", password_file}});
    } else {
        std::fprintf(stderr, "first administrator created: username admin, password %s\n",
                     password.c_str());
        std::fflush(stderr);
    }
    return true;
}

}  // namespace gateway::app
