#include "app/identity.hpp"

#include <sys/stat.h>

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

void publish(sales::db::Tx& tx, const std::string& type, const std::string& subject, json data) {
    sales::bus::outbox_append(tx, sales::bus::make_event("gateway", type, subject, 0, data));
}

// The caller as an administrator (roles from the token, region from the database).
domain::Admin admin_of(sales::db::Tx& tx, const sales::Principal& caller) {
    return {caller.roles, users::region_of(tx, caller.user_id)};
}

void check_administration(const domain::Admin& actor, const domain::Target& target) {
    if (auto problem = domain::administration_problem(actor, target); !problem.empty())
        sales::fail_forbidden("forbidden", problem);
}

[[noreturn]] void user_not_found(const std::string& id) {
    sales::fail_not_found("user", id);
}

}  // namespace

json login(const Context& ctx, const std::string& username, const std::string& password) {
    const auto now = Clock::now();
    const auto found = ctx.db.transaction(
        [&](sales::db::Tx& tx) { return users::find_credentials(tx, username); });
    if (!found) {
        // Same work as a real check, so that timing does not tell whether the user exists.
        static const std::string dummy = sales::auth::hash_password("dummy-Password-1");
        sales::auth::verify_password(dummy, password);
        sales::log::info("login failed", {{"reason", "unknown user"}});
        invalid_credentials();
    }
    if (domain::is_locked(found->state, now)) {
        sales::log::info("login failed", {{"reason", "locked"}, {"user_id", found->id}});
        invalid_credentials();
    }
    if (!sales::auth::verify_password(found->password_hash, password)) {
        const auto next = domain::after_failure(found->state, ctx.settings.lockout, now);
        ctx.db.transaction(
            [&](sales::db::Tx& tx) { users::save_login_state(tx, found->id, next); });
        sales::log::info("login failed", {{"reason", "wrong password"}, {"user_id", found->id}});
        invalid_credentials();
    }
    if (found->disabled) {
        sales::log::info("login failed", {{"reason", "disabled"}, {"user_id", found->id}});
        invalid_credentials();
    }
    const auto session = sales::new_uuid();
    const auto secret = sales::auth::random_token();
    ctx.db.transaction([&](sales::db::Tx& tx) {
        users::save_login_state(tx, found->id, {});
        sessions::insert(tx, session, found->id, sales::auth::sha256_hex(secret),
                         ctx.settings.refresh_ttl);
    });
    sales::log::info("login", {{"user_id", found->id}, {"session_id", session}});
    return issue(ctx, session, found->id, found->roles, found->project_ids, secret);
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
        publish(tx, "identity.session.revoked", caller.session_id,
                {{"session_id", caller.session_id}, {"user_id", caller.user_id}});
    });
    ctx.deny.revoke_session(caller.session_id);
}

void change_password(const Context& ctx, const sales::Principal& caller, const std::string& current,
                     const std::string& replacement) {
    ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto stored = users::lock_password(tx, caller.user_id);
        if (!stored || !sales::auth::verify_password(stored->hash, current))
            invalid_credentials();
        if (auto problem = domain::password_problem(replacement, stored->username);
            !problem.empty())
            throw sales::Failure(sales::Failure::Kind::invalid, "weak_password", problem);
        users::set_password(tx, caller.user_id, sales::auth::hash_password(replacement));
    });
}

json create_user(const Context& ctx, const sales::Principal& caller, const NewUser& user) {
    if (auto problem = domain::password_problem(user.password, user.username); !problem.empty())
        throw sales::Failure(sales::Failure::Kind::invalid, "weak_password", problem,
                             {{"field", "password"}});
    const auto id = sales::new_uuid();
    const auto hash = sales::auth::hash_password(user.password);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        // A region admin's users belong to its region.
        const auto region =
            !actor.region.empty() && user.region.empty() ? actor.region : user.region;
        check_administration(actor, {user.roles, region});
        if (users::username_taken(tx, user.username))
            sales::fail_conflict("username_taken", "username " + user.username + " is taken");
        users::insert(tx, {id, user.username, user.display_name, hash, user.roles, user.project_ids,
                           region, caller.user_id});
        publish(tx, "identity.user.created", id,
                {{"user_id", id}, {"username", user.username}, {"roles", user.roles}});
        return *users::find(tx, id);
    });
}

json list_users(const Context& ctx, const sales::Principal& caller) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        return json{{"items", users::list(tx, admin_of(tx, caller).region)}};
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
        sales::service::record_denial(tx, "user", id, disabled);
        publish(tx, disabled ? "identity.user.disabled" : "identity.user.enabled", id,
                {{"user_id", id}, {"reason", reason}, {"by", caller.user_id}});
        return *users::find(tx, id);
    });
    if (disabled)
        ctx.deny.deny_user(id);
    else
        ctx.deny.allow_user(id);
    return out;
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
        publish(tx, "identity.user.created", id,
                {{"user_id", id}, {"username", "admin"}, {"roles", {"admin"}}});
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
