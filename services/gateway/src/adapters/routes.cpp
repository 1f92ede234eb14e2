#include "adapters/routes.hpp"

#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "domain/route_table.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace gateway::adapters {
namespace {
using nlohmann::json;
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;

struct Shared {
    const app::Context* ctx;
    Options options;
    std::map<std::string, std::unique_ptr<sales::http::Client>> clients;
    std::unique_ptr<domain::RateLimiter> per_user;
    std::unique_ptr<domain::RateLimiter> per_ip;
};

std::string field_of(const Request& request, const char* name) {
    if (request.body.empty())
        return "";
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object())
        return "";
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

void limit(domain::RateLimiter& limiter, const std::string& key, const char* what) {
    if (const auto wait = limiter.take(key, std::chrono::steady_clock::now()); wait > 0) {
        HttpError e(429, "rate_limited", std::string("too many requests for this ") + what,
                    {{"retry_after_seconds", wait}});
        throw e;
    }
}

Response with_retry_after(Response r) {
    if (r.status == 429) {
        const auto body = json::parse(r.body, nullptr, false);
        if (body.is_object())
            r.headers["Retry-After"] =
                std::to_string(body["error"]["details"].value("retry_after_seconds", 1));
    }
    return r;
}

// SEC-2: one append-only row per state-changing request, whatever its outcome.
void audit(const app::Context& ctx, const domain::RouteRule& rule, const Request& request,
           int status) {
    std::string user_id, username;
    if (request.principal)
        user_id = request.principal->user_id;
    if (rule.pattern == "/api/v1/auth/login")
        username = field_of(request, "username").substr(0, 64);
    std::string target;
    if (!request.params.empty())
        target = request.params.begin()->second;
    auto reason = field_of(request, "reason");
    if (reason.empty())
        reason = field_of(request, "note");
    const std::string outcome = status < 300                     ? "succeeded"
                                : status == 401 || status == 403 ? "denied"
                                : status < 500                   ? "rejected"
                                                                 : "failed";
    try {
        ctx.db.transaction([&](sales::db::Tx& tx) {
            tx.exec(
                "INSERT INTO audit_log (user_id, username, method, route, path, target, "
                "status, outcome, reason, request_id, remote_address) VALUES ($1, $2, $3, $4, "
                "$5, $6, $7, $8, $9, $10, $11)",
                {user_id, username, request.method, rule.pattern, request.target, target,
                 std::int64_t{status}, outcome,
                 reason.empty() ? sales::db::Param{nullptr}
                                : sales::db::Param{reason.substr(0, 500)},
                 request.request_id, request.remote_address});
        });
    } catch (const std::exception& e) {
        sales::log::error("audit record failed", {{"error", e.what()}, {"route", rule.pattern}});
    }
}

Response proxy(Shared& s, const domain::RouteRule& rule, Request& request) {
    auto& client = *s.clients.at(rule.upstream);
    sales::http::Headers headers;
    for (const auto* name : {"Authorization", "Content-Type", "Accept", "If-Match"}) {
        if (auto v = request.header(name); !v.empty())
            headers[name] = v;
    }
    headers["X-Request-Id"] = request.request_id;
    headers["traceparent"] = sales::child_traceparent(request.traceparent);  // same trace id
    headers["X-Forwarded-For"] = request.remote_address;
    try {
        auto r = client.request(request.method, request.target, request.body, headers);
        Response out;
        out.status = r.status;
        out.body = std::move(r.body);
        out.content_type =
            r.headers.count("Content-Type") ? r.headers["Content-Type"] : "application/json";
        for (const auto* name : {"Location", "Allow", "Retry-After", "ETag"})
            if (r.headers.count(name))
                out.headers[name] = r.headers[name];
        return out;
    } catch (const sales::http::ClientError& e) {
        sales::log::warn("upstream failed", {{"service", rule.upstream}, {"error", e.what()}});
        if (e.timed_out())
            throw HttpError(504, "upstream_timeout",
                            "the " + rule.upstream + " service did not answer in time",
                            {{"service", rule.upstream}});
        throw HttpError(503, "service_unavailable",
                        "the " + rule.upstream + " service is not available",
                        {{"service", rule.upstream}});
    }
}

void check_project_scope(const domain::RouteRule& rule, const Request& request) {
    const auto& caller = request.caller();
    std::vector<std::string> named;
    if (!rule.project_param.empty() && request.params.count(rule.project_param))
        named.push_back(request.params.at(rule.project_param));
    if (auto it = request.query.find("project_id"); it != request.query.end())
        named.push_back(it->second);
    if (auto p = field_of(request, "project_id"); !p.empty())
        named.push_back(p);
    for (const auto& project : named)
        if (!caller.in_project(project))
            throw HttpError(403, "project_forbidden", "you are not assigned to this project",
                            {{"project_id", project}});
}

using Own = std::function<Response(Request&)>;

std::map<std::string, Own> own_handlers(const app::Context& ctx, const Options& options) {
    std::map<std::string, Own> h;
    const auto* c = &ctx;
    h["POST /api/v1/auth/login"] = [c](Request& r) {
        const auto body = r.json();
        auto u = body.find("username");
        auto p = body.find("password");
        if (u == body.end() || p == body.end() || !u->is_string() || !p->is_string() ||
            u->get<std::string>().size() > 64 || p->get<std::string>().size() > 128)
            throw HttpError(400, "validation_failed", "username and password are required");
        return Response::json(200, app::login(*c, *u, *p));
    };
    h["POST /api/v1/auth/refresh"] = [c](Request& r) {
        const auto body = r.json();
        auto t = body.find("refresh_token");
        if (t == body.end() || !t->is_string() || t->get<std::string>().size() > 200)
            throw HttpError(400, "validation_failed", "refresh_token is required");
        return Response::json(200, app::refresh(*c, *t));
    };
    h["POST /api/v1/auth/logout"] = [c](Request& r) {
        app::logout(*c, r.caller());
        return Response::json(200, {{"status", "logged_out"}});
    };
    h["GET /api/v1/auth/me"] = [](Request& r) {
        const auto& p = r.caller();
        return Response::json(200, {{"user_id", p.user_id},
                                    {"roles", p.roles},
                                    {"project_ids", p.project_ids},
                                    {"session_id", p.session_id}});
    };
    h["POST /api/v1/auth/password"] = [c](Request& r) {
        const auto body = r.json();
        app::change_password(*c, r.caller(),
                             sales::service::required_string(body, "current_password", 128),
                             sales::service::required_string(body, "new_password", 128));
        return Response::json(200, {{"status", "changed"}});
    };
    h["GET /api/v1/users"] = [c](Request& r) {
        return Response::json(200, app::list_users(*c, r.caller()));
    };
    h["POST /api/v1/users"] = [c](Request& r) {
        return Response::json(201, app::create_user(*c, r.caller(), r.json()));
    };
    h["GET /api/v1/users/{user_id}"] = [c](Request& r) {
        return Response::json(200, app::get_user(*c, r.caller(), r.params.at("user_id")));
    };
    for (const bool disable : {true, false}) {
        h[std::string("POST /api/v1/users/{user_id}/") + (disable ? "disable" : "enable")] =
            [c, disable](Request& r) {
                const auto body = r.json();
                const auto reason = sales::service::required_string(body, "reason", 500);
                return Response::json(200, app::set_disabled(*c, r.caller(), r.params.at("user_id"),
                                                             disable, reason));
            };
    }
    h["GET /api/v1/audit"] = [c](Request& r) {
        static const std::set<std::string> known = {"user_id", "route", "outcome", "request_id",
                                                    "from",    "to",    "limit",   "before_id"};
        for (const auto& [k, v] : r.query)
            if (!known.count(k))
                throw HttpError(400, "validation_failed", "unknown query parameter " + k,
                                {{"parameter", k}});
        const auto q = [&](const char* name) -> sales::db::Param {
            auto it = r.query.find(name);
            if (it == r.query.end() || it->second.empty())
                return nullptr;
            if (it->second.size() > 200)
                throw HttpError(400, "validation_failed", std::string(name) + " is too long");
            return it->second;
        };
        for (const char* t : {"from", "to"}) {
            auto it = r.query.find(t);
            if (it != r.query.end() &&
                (it->second.size() < 10 || it->second.size() > 35 ||
                 it->second.find_first_not_of("0123456789-:TZ+.") != std::string::npos))
                throw HttpError(400, "validation_failed",
                                std::string(t) + " must be an RFC 3339 time or a date",
                                {{"parameter", t}});
        }
        const auto limit_n = sales::service::query_integer(r, "limit", 100, 1, 500);
        const auto before = sales::service::query_integer(r, "before_id", 0, 0, INT64_MAX);
        json items = json::array();
        c->db.transaction([&](sales::db::Tx& tx) {
            for (const auto row : tx.exec(
                     "SELECT id, to_char(at AT TIME ZONE 'UTC', "
                     "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, user_id, username, method, "
                     "route, path, target, status, outcome, reason, request_id, remote_address "
                     "FROM audit_log WHERE ($1::text IS NULL OR user_id = $1) "
                     "AND ($2::text IS NULL OR route = $2) AND ($3::text IS NULL OR outcome = $3) "
                     "AND ($4::text IS NULL OR request_id = $4) "
                     "AND ($5::text IS NULL OR at >= $5::timestamptz) "
                     "AND ($6::text IS NULL OR at < $6::timestamptz) "
                     "AND ($7 = 0 OR id < $7) ORDER BY id DESC LIMIT $8",
                     {q("user_id"), q("route"), q("outcome"), q("request_id"), q("from"), q("to"),
                      before, limit_n})) {
                items.push_back(
                    {{"id", row.int64("id")},
                     {"at", row.text("at")},
                     {"user_id", row.text("user_id")},
                     {"username", row.text("username")},
                     {"method", row.text("method")},
                     {"route", row.text("route")},
                     {"path", row.text("path")},
                     {"target", row.text("target")},
                     {"status", row.int64("status")},
                     {"outcome", row.text("outcome")},
                     {"reason", row.is_null("reason") ? json() : json(row.text("reason"))},
                     {"request_id", row.text("request_id")},
                     {"remote_address", row.text("remote_address")}});
            }
        });
        return Response::json(200, {{"items", items}});
    };
    (void)options;
    return h;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += ch;
        }
    }
    return out;
}

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx, const Options& options) {
    auto shared = std::make_shared<Shared>();
    shared->ctx = &ctx;
    shared->options = options;
    shared->per_user =
        std::make_unique<domain::RateLimiter>(options.user_burst, options.user_per_second);
    shared->per_ip = std::make_unique<domain::RateLimiter>(options.ip_burst, options.ip_per_second);
    for (const auto& [name, url] : options.upstream_urls) {
        auto rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
        const auto colon = rest.rfind(':');
        if (colon == std::string::npos)
            throw sales::ConfigError("configuration: upstream URL of " + name +
                                     " needs host:port: " + url);
        sales::http::ClientOptions co;
        co.connect_timeout = std::chrono::milliseconds(1'000);
        co.request_timeout = options.upstream_timeout;
        co.max_idle_connections = 64;
        shared->clients[name] = std::make_unique<sales::http::Client>(
            rest.substr(0, colon), static_cast<std::uint16_t>(std::stoi(rest.substr(colon + 1))),
            co);
    }
    auto own = std::make_shared<std::map<std::string, Own>>(own_handlers(ctx, options));

    std::set<std::string> patterns;
    for (const auto& rule : domain::route_table()) {
        patterns.insert(rule.pattern);
        const auto key = rule.method + " " + rule.pattern;
        Own inner;
        if (rule.upstream == "gateway") {
            inner = own->at(key);
        } else {
            inner = [shared, rule](Request& r) { return proxy(*shared, rule, r); };
        }
        auto guarded = sales::service::with_dependency_errors(inner);
        auto handler = [shared, rule, guarded](Request& request) {
            Response response;
            try {
                limit(*shared->per_ip, domain::client_address(request.remote_address), "address");
                if (request.principal)
                    limit(*shared->per_user, request.principal->user_id, "user");
                if (rule.access == domain::Access::permission &&
                    !domain::permits(rule, request.caller().roles))
                    throw HttpError(403, "forbidden", "your roles do not permit this route",
                                    {{"permissions", rule.permissions}});
                if (request.principal)
                    check_project_scope(rule, request);
                response = guarded(request);
            } catch (const HttpError& e) {
                response = e.to_response();
            } catch (...) {
                if (domain::is_write(rule.method))
                    audit(*shared->ctx, rule, request, 500);
                throw;
            }
            response = with_retry_after(std::move(response));
            if (domain::is_write(rule.method))
                audit(*shared->ctx, rule, request, response.status);
            return response;
        };
        service.router().add(rule.method, rule.pattern, handler,
                             rule.access != domain::Access::open);
    }
    // CORS preflight for every path of the table.
    for (const auto& pattern : patterns) {
        std::set<std::string> methods = {"OPTIONS"};
        for (const auto& rule : domain::route_table())
            if (rule.pattern == pattern)
                methods.insert(rule.method);
        std::string allow;
        for (const auto& m : methods)
            allow += (allow.empty() ? "" : ", ") + m;
        service.router().add(
            "OPTIONS", pattern,
            [allow](Request&) {
                Response r;
                r.status = 204;
                r.content_type = "text/plain";
                r.headers["Access-Control-Allow-Methods"] = allow;
                r.headers["Access-Control-Allow-Headers"] =
                    "Authorization, Content-Type, X-Request-Id, traceparent";
                r.headers["Access-Control-Max-Age"] = "600";
                return r;
            },
            false);
    }
    // API documentation: the OpenAPI document and a page that shows it with links per path.
    const auto path = options.openapi_path;
    service.router().add(
        "GET", "/openapi.yaml",
        [path](Request&) {
            std::ifstream in(path);
            std::stringstream text;
            text << in.rdbuf();
            if (!in)
                throw HttpError(503, "docs_unavailable", "the API document is not available");
            return Response::text(200, text.str(), "application/yaml");
        },
        false);
    service.router().add(
        "GET", "/docs",
        [path](Request&) {
            std::ifstream in(path);
            std::stringstream text;
            text << in.rdbuf();
            if (!in)
                throw HttpError(503, "docs_unavailable", "the API document is not available");
            std::string links, line;
            std::istringstream lines(text.str());
            int n = 0;
            std::string body;
            while (std::getline(lines, line)) {
                ++n;
                if (line.rfind("  /", 0) == 0 && line.back() == ':') {
                    const auto p = html_escape(line.substr(2, line.size() - 3));
                    links += "<li><a href=\"#L" + std::to_string(n) + "\">" + p + "</a></li>\n";
                }
                body +=
                    "<span id=\"L" + std::to_string(n) + "\">" + html_escape(line) + "</span>\n";
            }
            auto r = Response::text(
                200,
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sales office API</title>"
                "<style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}"
                "</style></head><body><h1>Sales office API (OpenAPI 3.1)</h1>"
                "<p><a href=\"/openapi.yaml\">openapi.yaml</a></p><h2>Paths</h2><ul>" +
                    links + "</ul><h2>Document</h2><pre>" + body + "</pre></body></html>",
                "text/html; charset=utf-8");
            r.headers["Content-Security-Policy"] =
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            return r;
        },
        false);
}

}  // namespace gateway::adapters
