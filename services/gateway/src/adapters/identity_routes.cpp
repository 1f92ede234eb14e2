#include "adapters/identity_routes.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "adapters/audit_store.hpp"
#include "adapters/user_store.hpp"
#include "sales/auth.hpp"
#include "sales/calendar.hpp"
#include "sales/input.hpp"

namespace gateway::adapters {
namespace {
using nlohmann::json;
using namespace sales::http;
using namespace sales::service;

// A non-empty array of short texts (roles, project ids).
std::vector<std::string> non_empty_texts(const Body& body, const std::string& name,
                                         std::size_t max_items) {
    auto items = body.texts(name, max_items, 64);
    if (body.value(name).is_array() && body.value(name).empty())
        body.invalid(name, "must not be empty");
    return items;
}

app::NewUser read_new_user(const Request& request) {
    return sales::service::read_body(
        request, {"username", "display_name", "password", "roles", "project_ids", "region"},
        [](const Body& b) {
            app::NewUser user{b.text("username", 64),
                              b.text("display_name", 100),
                              b.text("password", 128),
                              non_empty_texts(b, "roles", 64),
                              non_empty_texts(b, "project_ids", 10'000),
                              ""};
            if (!user.username.empty() && !domain::valid_username(user.username))
                b.invalid("username", "must be 3..64 of [a-z0-9._-]");
            const auto& known = sales::auth::known_roles();
            for (const auto& role : user.roles)
                if (std::find(known.begin(), known.end(), role) == known.end())
                    b.invalid("roles", "unknown role " + role);
            // An empty region is the group level (or the creating admin's own region).
            if (b.value("region") != json(""))
                user.region = b.opt_text("region", 64).value_or("");
            return user;
        });
}

// The instant an RFC 3339 time names, or the start (UTC) of a calendar date.
std::optional<sales::TimePoint> instant_of(const std::string& value) {
    if (const auto time = sales::parse_rfc3339(value))
        return time;
    if (const auto date = sales::parse_date(value))
        return sales::TimePoint{std::chrono::sys_days{*date}};
    return std::nullopt;
}

// An RFC 3339 time or a calendar date (compared as a timestamptz by PostgreSQL).
std::optional<std::string> time_or_date(const Query& query, const std::string& name) {
    auto value = query.text(name, 35);
    if (value && !instant_of(*value)) {
        query.invalid(name, "must be an RFC 3339 time or a date");
        return std::nullopt;
    }
    return value;
}

audit_store::Filter read_audit_filter(const Request& request) {
    return sales::service::read_query(
        request, {"user_id", "route", "outcome", "request_id", "from", "to", "limit", "before_id"},
        [](const Query& q) {
            audit_store::Filter f;
            f.user_id = q.text("user_id", 200);
            f.route = q.text("route", 200);
            f.outcome = q.text("outcome", 200);
            f.request_id = q.text("request_id", 200);
            f.from = time_or_date(q, "from");
            f.to = time_or_date(q, "to");
            if (f.from && f.to && *instant_of(*f.from) > *instant_of(*f.to))
                q.invalid("from", "must not be after to");
            f.limit = q.integer("limit", 100, 1, 500);
            f.before_id = q.integer("before_id", 0, 0, std::numeric_limits<std::int64_t>::max());
            return f;
        });
}

}  // namespace

std::map<std::string, sales::http::Handler> identity_handlers(const app::Context& ctx) {
    std::map<std::string, sales::http::Handler> h;
    const auto* c = &ctx;
    h["POST /api/v1/auth/login"] = [c](Request& r) {
        const auto [username, password] =
            sales::service::read_body(r, {"username", "password"}, [](const Body& b) {
                return std::pair{b.text("username", 64), b.text("password", 128)};
            });
        return Response::json(
            200, app::login(*c, username, password, domain::client_address(r.remote_address)));
    };
    h["POST /api/v1/auth/refresh"] = [c](Request& r) {
        const auto token = sales::service::read_body(
            r, {"refresh_token"}, [](const Body& b) { return b.text("refresh_token", 200); });
        return Response::json(200, app::refresh(*c, token));
    };
    h["POST /api/v1/auth/logout"] = [c](Request& r) {
        Body::optional(r, {}).check();  // no body, or an empty object
        app::logout(*c, r.caller());
        return Response::json(200, {{"status", "logged_out"}});
    };
    h["GET /api/v1/auth/me"] = [c](Request& r) {
        return Response::json(200, app::me(*c, r.caller()));
    };
    h["POST /api/v1/auth/password"] = [c](Request& r) {
        const auto [current, replacement] =
            sales::service::read_body(r, {"current_password", "new_password"}, [](const Body& b) {
                return std::pair{b.text("current_password", 128), b.text("new_password", 128)};
            });
        const auto revoked = app::change_password(*c, r.caller(), current, replacement,
                                                  domain::client_address(r.remote_address));
        return Response::json(200, {{"status", "changed"}, {"revoked_sessions", revoked}});
    };
    h["POST /api/v1/users/{user_id}/password"] = [c](Request& r) {
        const auto replacement =
            sales::service::read_body(r, {"new_password", "reason"}, [](const Body& b) {
                b.text("reason", 500);
                return b.text("new_password", 128);
            });
        const auto revoked =
            app::reset_password(*c, r.caller(), r.params.at("user_id"), replacement);
        return Response::json(200, {{"status", "reset"}, {"revoked_sessions", revoked}});
    };
    h["GET /api/v1/users"] = [c](Request& r) {
        return Response::json(200, app::list_users(*c, r.caller()));
    };
    h["GET /api/v1/staff"] = [c](Request& r) {
        return Response::json(200, app::list_staff(*c, r.caller()));
    };
    h["POST /api/v1/users"] = [c](Request& r) {
        return Response::json(201, app::create_user(*c, r.caller(), read_new_user(r)));
    };
    h["GET /api/v1/users/{user_id}"] = [c](Request& r) {
        return Response::json(200, app::get_user(*c, r.caller(), r.params.at("user_id")));
    };
    for (const bool disable : {true, false}) {
        h[std::string("POST /api/v1/users/{user_id}/") + (disable ? "disable" : "enable")] =
            [c, disable](Request& r) {
                const auto reason = sales::service::read_body(
                    r, {"reason"}, [](const Body& b) { return b.text("reason", 500); });
                return Response::json(200, app::set_disabled(*c, r.caller(), r.params.at("user_id"),
                                                             disable, reason));
            };
    }
    h["GET /api/v1/audit"] = [c](Request& r) {
        auto filter = read_audit_filter(r);
        return Response::json(200, {{"items", c->db.transaction([&](sales::db::Tx& tx) {
                                         // A region administrator reads its region's rows only.
                                         filter.region =
                                             user_store::scope_of(tx, r.caller().user_id).region;
                                         return audit_store::search(tx, filter);
                                     })}});
    };
    return h;
}

}  // namespace gateway::adapters
