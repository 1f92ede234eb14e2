#include "app/identity.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "sales/bus.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"

namespace gateway::app {
namespace {
using nlohmann::json;
using sales::http::HttpError;
using Clock = std::chrono::system_clock;

[[noreturn]] void invalid_credentials() {
    throw HttpError(401, "invalid_credentials", "invalid username or password");
}

std::string pg_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += ",";
        out += "\"";
        for (char c : items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += "\"";
    }
    return out + "}";
}

std::vector<std::string> from_json_array(const json& a) {
    return a.is_array() ? a.get<std::vector<std::string>>() : std::vector<std::string>{};
}

const char* kUserColumns =
    "id::text AS id, username, display_name, to_json(roles)::text AS roles, "
    "to_json(project_ids)::text AS project_ids, region, disabled, created_by, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at";

json user_json(const sales::db::Row& row) {
    return {{"id", row.text("id")},
            {"username", row.text("username")},
            {"display_name", row.text("display_name")},
            {"roles", json::parse(row.text("roles"))},
            {"project_ids", json::parse(row.text("project_ids"))},
            {"region", row.text("region")},
            {"disabled", row.boolean("disabled")},
            {"created_by", row.text("created_by")},
            {"created_at", row.text("created_at")}};
}

std::int64_t unix_seconds(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
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
    const auto row =
        tx.exec_maybe_one("SELECT region FROM users WHERE id::text = $1", {caller.user_id});
    return {caller.roles, row ? row->text(0) : ""};
}

}  // namespace

json login(const Context& ctx, const std::string& username, const std::string& password) {
    struct Found {
        std::string id, hash;
        std::vector<std::string> roles, projects;
        bool disabled;
        domain::LoginState state;
    };
    const auto now = Clock::now();
    auto found = ctx.db.transaction([&](sales::db::Tx& tx) -> std::optional<Found> {
        const auto row = tx.exec_maybe_one(
            "SELECT id::text, password_hash, to_json(roles)::text, to_json(project_ids)::text, "
            "disabled, failed_attempts, "
            "COALESCE(extract(epoch FROM locked_until)::bigint, 0) FROM users WHERE username = $1",
            {username});
        if (!row)
            return std::nullopt;
        Found f{row->text(0),
                row->text(1),
                from_json_array(json::parse(row->text(2))),
                from_json_array(json::parse(row->text(3))),
                row->boolean(4),
                {}};
        f.state.failed_attempts = static_cast<int>(row->int64(5));
        if (row->int64(6) > 0)
            f.state.locked_until = Clock::time_point(std::chrono::seconds(row->int64(6)));
        return f;
    });
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
    if (!sales::auth::verify_password(found->hash, password)) {
        const auto next = domain::after_failure(found->state, ctx.settings.lockout, now);
        ctx.db.transaction([&](sales::db::Tx& tx) {
            tx.exec(
                "UPDATE users SET failed_attempts = $2, locked_until = CASE WHEN $3 > 0 "
                "THEN to_timestamp($3) ELSE NULL END WHERE id::text = $1",
                {found->id, std::int64_t{next.failed_attempts},
                 next.locked_until ? unix_seconds(*next.locked_until) : std::int64_t{0}});
        });
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
        tx.exec("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id::text = $1",
                {found->id});
        tx.exec(
            "INSERT INTO sessions (id, user_id, refresh_hash, expires_at) VALUES "
            "($1::uuid, $2::uuid, $3, now() + make_interval(secs => $4))",
            {session, found->id, sales::auth::sha256_hex(secret),
             static_cast<std::int64_t>(ctx.settings.refresh_ttl.count())});
    });
    sales::log::info("login", {{"user_id", found->id}, {"session_id", session}});
    return issue(ctx, session, found->id, found->roles, found->projects, secret);
}

json refresh(const Context& ctx, const std::string& refresh_token) {
    const auto dot = refresh_token.find('.');
    const auto fail = [] {
        throw HttpError(401, "invalid_refresh_token", "the refresh token is not valid");
    };
    if (dot == std::string::npos || !sales::is_uuid(refresh_token.substr(0, dot)))
        fail();
    const auto session = refresh_token.substr(0, dot);
    const auto secret = sales::auth::random_token();
    std::optional<json> out;
    ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto row = tx.exec_maybe_one(
            "SELECT s.user_id::text, s.refresh_hash, to_json(u.roles)::text, "
            "to_json(u.project_ids)::text FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > now() "
            "AND NOT u.disabled FOR UPDATE OF s",
            {session});
        if (!row || row->text(1) != sales::auth::sha256_hex(refresh_token.substr(dot + 1)))
            return;
        // Rotation: the old refresh token stops working.
        tx.exec("UPDATE sessions SET refresh_hash = $2 WHERE id = $1::uuid",
                {session, sales::auth::sha256_hex(secret)});
        out = issue(ctx, session, row->text(0), from_json_array(json::parse(row->text(2))),
                    from_json_array(json::parse(row->text(3))), secret);
    });
    if (!out)
        fail();
    return *out;
}

void logout(const Context& ctx, const sales::Principal& caller) {
    if (caller.session_id.empty())
        return;  // a token without session (service tooling) has nothing to revoke
    ctx.db.transaction([&](sales::db::Tx& tx) {
        tx.exec("UPDATE sessions SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL",
                {caller.session_id});
        sales::service::record_denial(tx, "session", caller.session_id, true);
        publish(tx, "identity.session.revoked", caller.session_id,
                {{"session_id", caller.session_id}, {"user_id", caller.user_id}});
    });
    ctx.deny.revoke_session(caller.session_id);
}

void change_password(const Context& ctx, const sales::Principal& caller, const std::string& current,
                     const std::string& replacement) {
    ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto row = tx.exec_maybe_one(
            "SELECT username, password_hash FROM users WHERE id::text = $1 FOR UPDATE",
            {caller.user_id});
        if (!row || !sales::auth::verify_password(row->text(1), current))
            invalid_credentials();
        if (auto problem = domain::password_problem(replacement, row->text(0)); !problem.empty())
            throw HttpError(400, "weak_password", problem);
        tx.exec("UPDATE users SET password_hash = $2, updated_at = now() WHERE id::text = $1",
                {caller.user_id, sales::auth::hash_password(replacement)});
    });
}

json create_user(const Context& ctx, const sales::Principal& caller, const json& body) {
    sales::service::reject_unknown_fields(
        body, {"username", "display_name", "password", "roles", "project_ids", "region"});
    const auto username = sales::service::required_string(body, "username", 64);
    if (!domain::valid_username(username))
        throw HttpError(400, "validation_failed", "username must be 3..64 of [a-z0-9._-]",
                        {{"field", "username"}});
    const auto display = sales::service::required_string(body, "display_name", 100);
    const auto password = sales::service::required_string(body, "password", 128);
    if (auto problem = domain::password_problem(password, username); !problem.empty())
        throw HttpError(400, "weak_password", problem, {{"field", "password"}});
    const auto strings = [&](const char* field) {
        auto it = body.find(field);
        if (it == body.end() || !it->is_array() || it->empty() ||
            !std::all_of(it->begin(), it->end(), [](const json& v) {
                return v.is_string() && !v.get<std::string>().empty() &&
                       v.get<std::string>().size() <= 64;
            }))
            throw HttpError(400, "validation_failed",
                            std::string(field) + " must be a non-empty array of strings",
                            {{"field", field}});
        return it->get<std::vector<std::string>>();
    };
    const auto roles = strings("roles");
    const auto& known = sales::auth::known_roles();
    for (const auto& role : roles)
        if (std::find(known.begin(), known.end(), role) == known.end())
            throw HttpError(400, "validation_failed", "unknown role " + role,
                            {{"field", "roles"}, {"role", role}});
    const auto projects = strings("project_ids");
    std::string region;
    if (body.contains("region"))
        region = body["region"].is_string() ? body["region"].get<std::string>() : "\x01";
    if (region.size() > 64 || region == "\x01")
        throw HttpError(400, "validation_failed", "region must be a string", {{"field", "region"}});
    const auto id = sales::new_uuid();
    const auto hash = sales::auth::hash_password(password);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        // A region admin's users belong to its region.
        const std::string target_region =
            !actor.region.empty() && region.empty() ? actor.region : region;
        if (auto problem = domain::administration_problem(actor, {roles, target_region});
            !problem.empty())
            throw HttpError(403, "forbidden", problem);
        if (tx.exec_maybe_one("SELECT 1 FROM users WHERE username = $1", {username}))
            throw HttpError(409, "username_taken", "username " + username + " is taken");
        tx.exec(
            "INSERT INTO users (id, username, display_name, password_hash, roles, "
            "project_ids, region, created_by) VALUES ($1::uuid, $2, $3, $4, $5::text[], "
            "$6::text[], $7, $8)",
            {id, username, display, hash, pg_array(roles), pg_array(projects), target_region,
             caller.user_id});
        publish(tx, "identity.user.created", id,
                {{"user_id", id}, {"username", username}, {"roles", roles}});
        return user_json(tx.exec_one(
            std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1::uuid", {id}));
    });
}

json list_users(const Context& ctx, const sales::Principal& caller) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        json items = json::array();
        for (const auto row : tx.exec(std::string("SELECT ") + kUserColumns +
                                          " FROM users WHERE $1 = '' OR region = $1 "
                                          "ORDER BY username",
                                      {actor.region}))
            items.push_back(user_json(row));
        return json{{"items", items}};
    });
}

json get_user(const Context& ctx, const sales::Principal& caller, const std::string& id) {
    if (!sales::is_uuid(id))
        throw HttpError(404, "user_not_found", "no user " + id);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        const auto row = tx.exec_maybe_one(
            std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1::uuid", {id});
        if (!row || (!actor.region.empty() && row->text("region") != actor.region))
            throw HttpError(404, "user_not_found", "no user " + id);
        return user_json(*row);
    });
}

json set_disabled(const Context& ctx, const sales::Principal& caller, const std::string& id,
                  bool disabled, const std::string& reason) {
    if (!sales::is_uuid(id))
        throw HttpError(404, "user_not_found", "no user " + id);
    if (id == caller.user_id)
        throw HttpError(422, "cannot_disable_self", "an administrator cannot disable itself");
    auto out = ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto actor = admin_of(tx, caller);
        const auto row = tx.exec_maybe_one(
            "SELECT to_json(roles)::text, region FROM users WHERE id = $1::uuid FOR UPDATE", {id});
        if (!row)
            throw HttpError(404, "user_not_found", "no user " + id);
        if (auto problem = domain::administration_problem(
                actor, {from_json_array(json::parse(row->text(0))), row->text(1)});
            !problem.empty())
            throw HttpError(403, "forbidden", problem);
        tx.exec("UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1::uuid",
                {id, disabled});
        if (disabled)
            tx.exec(
                "UPDATE sessions SET revoked_at = now() WHERE user_id = $1::uuid AND "
                "revoked_at IS NULL",
                {id});
        sales::service::record_denial(tx, "user", id, disabled);
        publish(tx, disabled ? "identity.user.disabled" : "identity.user.enabled", id,
                {{"user_id", id}, {"reason", reason}, {"by", caller.user_id}});
        return user_json(tx.exec_one(
            std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1::uuid", {id}));
    });
    if (disabled)
        ctx.deny.deny_user(id);
    else
        ctx.deny.allow_user(id);
    return out;
}

bool bootstrap_admin(const Context& ctx, const std::string& configured,
                     const std::string& password_file) {
    if (ctx.db.transaction([](sales::db::Tx& tx) {
            return tx.exec_one("SELECT count(*) FROM users").int64(0);
        }) > 0)
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
        tx.exec("LOCK TABLE users IN EXCLUSIVE MODE");
        if (tx.exec_one("SELECT count(*) FROM users").int64(0) > 0)
            return false;  // another replica won
        tx.exec(
            "INSERT INTO users (id, username, display_name, password_hash, roles, "
            "project_ids, region, created_by) VALUES ($1::uuid, 'admin', "
            "'Group administrator', $2, '{admin}', '{*}', '', 'bootstrap')",
            {id, hash});
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
