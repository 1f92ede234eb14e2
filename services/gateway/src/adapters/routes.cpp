#include "adapters/routes.hpp"

#include "adapters/console_files.hpp"
#include "adapters/live_board.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "adapters/audit_store.hpp"
#include "adapters/identity_routes.hpp"
#include "domain/access_log.hpp"
#include "domain/route_table.hpp"
#include "sales/failure.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace gateway::adapters {
namespace {
using nlohmann::json;
using sales::Failure;
using namespace sales::http;

struct Shared {
    // The service's pool (not the Context's reference): the destructor writes the last counts
    // when the Service is destroyed, after main's Context is gone but before its pool.
    sales::db::Pool* db = nullptr;
    std::map<std::string, std::unique_ptr<sales::http::Client>> clients;
    std::unique_ptr<domain::RateLimiter> per_user;
    std::unique_ptr<domain::RateLimiter> per_ip;
    // The access log: the table's rules by (method, pattern), and refusals counted until the
    // next write of their rows.
    std::map<std::pair<std::string, std::string>, const domain::RouteRule*> rules;
    domain::RefusalCounter refusals;
    // Rows of single requests waiting for the next flush (one transaction for all of them): a
    // write through the gateway costs no commit of its own.
    std::mutex pending_mutex;
    std::vector<audit_store::Record> pending;
    std::size_t dropped = 0;  // rows lost because the database stayed unreachable

    Shared() = default;
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;
    ~Shared();
};

// Text fields of the JSON body, "" for each one absent (the body may be anything: it is only
// looked at), parsed once for all the names.
template <std::size_t N>
std::array<std::string, N> fields_of(const Request& request, const char* const (&names)[N]) {
    std::array<std::string, N> out;
    if (request.body.empty() || request.body.find('"') == std::string::npos)
        return out;
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object())
        return out;
    for (std::size_t i = 0; i < N; ++i) {
        const auto it = body.find(names[i]);
        if (it != body.end() && it->is_string())
            out[i] = it->template get<std::string>();
    }
    return out;
}

void limit(domain::RateLimiter& limiter, const std::string& key, const char* what) {
    if (const auto wait = limiter.take(key, std::chrono::steady_clock::now()); wait > 0)
        throw Failure(Failure::Kind::too_many_requests, "rate_limited",
                      std::string("too many requests for this ") + what,
                      {{"retry_after_seconds", wait}});
}

std::string outcome_of(int status) {
    return status < 300                     ? "succeeded"
           : status == 401 || status == 403 ? "denied"
           : status < 500                   ? "rejected"
                                            : "failed";
}

// Writes access-log rows in one transaction; throws what the database throws.
void write_access_rows(sales::db::Pool& db, const std::vector<audit_store::Record>& records) {
    // The access log is not a business write: no audit_trail row of its own.
    const sales::db::BeforeCommitScope not_audited({});
    db.transaction([&](sales::db::Tx& tx) {
        for (const auto& record : records)
            audit_store::append(tx, record);
    });
}

// Appends access-log rows in one transaction; a failure is logged, never the caller's.
void append_access_rows(sales::db::Pool& db, const std::vector<audit_store::Record>& records) {
    try {
        write_access_rows(db, records);
    } catch (const std::exception& e) {
        std::int64_t requests = 0;
        for (const auto& record : records)
            requests += record.count;
        sales::log::error(
            "access log record failed",
            {{"error", e.what()}, {"route", records.front().route}, {"requests", requests}});
    }
}

// The rows of the refusals counted since the last call (domain/access_log.hpp).
void write_counted_refusals(Shared& s) {
    std::vector<audit_store::Record> records;
    for (auto& [key, counted] : s.refusals.take()) {
        audit_store::Record record;
        record.user_id = counted.user_id;
        record.method = key.method;
        record.route = key.route;
        record.path = counted.path;
        record.status = key.status;
        record.outcome = outcome_of(key.status);
        record.request_id = counted.request_id;
        record.remote_address = key.who == "*" ? "*" : counted.remote_address;
        record.count = counted.count;
        records.push_back(std::move(record));
    }
    if (!records.empty())
        append_access_rows(*s.db, records);
}

// Rows kept in memory while the database is unreachable, at most; beyond, they are dropped
// (counted in the error log) rather than letting the gateway's memory grow.
constexpr std::size_t kMaxPendingRows = 100'000;

// Writes the rows of single requests recorded since the last flush, in one transaction.
void flush_access_rows(Shared& s) {
    std::vector<audit_store::Record> rows;
    {
        std::lock_guard lock(s.pending_mutex);
        rows.swap(s.pending);
    }
    if (rows.empty())
        return;
    try {
        write_access_rows(*s.db, rows);
    } catch (const std::exception& e) {
        std::lock_guard lock(s.pending_mutex);
        const auto room =
            kMaxPendingRows > s.pending.size() ? kMaxPendingRows - s.pending.size() : 0;
        const auto kept = std::min(room, rows.size());
        s.pending.insert(s.pending.begin(), std::make_move_iterator(rows.begin()),
                         std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(kept)));
        s.dropped += rows.size() - kept;
        sales::log::error("access log rows not written; kept for the next attempt",
                          {{"error", e.what()},
                           {"rows", rows.size()},
                           {"kept", kept},
                           {"dropped_total", s.dropped}});
    }
}

Shared::~Shared() {
    try {
        flush_access_rows(*this);
        write_counted_refusals(*this);
    } catch (...) {
        // Shutting down: nothing left to tell.
    }
}

// Access log (SEC-2, issue 11): the server calls this for every answered request, refusals
// before any handler (401, 404, 413) included. A row per write and per identified refusal; a
// count for floodable refusals (domain::access_entry).
void record_access(Shared& s, const Request& request, int status, const std::string& route) {
    std::string method = request.method;
    if (!domain::is_write(method) && method != "GET" && method != "HEAD")
        method = method == "OPTIONS" ? method : "other";
    const auto rule = s.rules.find({method, route});
    const auto entry = domain::access_entry(rule == s.rules.end() ? nullptr : rule->second,
                                            route == "unmatched", method, status);
    if (entry == domain::AccessEntry::none)
        return;
    const auto address = domain::client_address(request.remote_address);
    const std::string user_id = request.principal ? request.principal->user_id : "";
    if (entry == domain::AccessEntry::counted) {
        s.refusals.add({user_id.empty() ? address : user_id, method.substr(0, 16), route, status},
                       user_id, request.target.substr(0, 500), request.request_id, address);
        return;
    }
    audit_store::Record record;
    record.user_id = user_id;
    const auto [username, reason, note] = fields_of(request, {"username", "reason", "note"});
    if (route == "/api/v1/auth/login")
        record.username = username.substr(0, 64);
    record.method = method;
    record.route = route;
    record.path = request.target.substr(0, 2000);
    if (!request.params.empty())
        record.target = request.params.begin()->second.substr(0, 200);
    record.status = status;
    record.outcome = outcome_of(status);
    if (const auto& why = reason.empty() ? note : reason; !why.empty())
        record.reason = why.substr(0, 500);
    record.request_id = request.request_id;
    record.remote_address = request.remote_address;
    std::lock_guard lock(s.pending_mutex);
    s.pending.push_back(std::move(record));
}

Response proxy(Shared& s, const domain::RouteRule& rule, Request& request) {
    auto& client = *s.clients.at(rule.upstream);
    sales::http::Headers headers;
    for (const auto* name : {"Authorization", "Content-Type", "Accept", "Accept-Encoding",
                             "If-Match", "Idempotency-Key"}) {
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
        for (const auto* name : {"Location", "Allow", "Retry-After", "ETag", "Idempotent-Replayed",
                                 "Content-Disposition", "Content-Encoding", "Vary"})
            if (r.headers.count(name))
                out.headers[name] = r.headers[name];
        return out;
    } catch (const sales::http::ClientError& e) {
        sales::log::warn("upstream failed", {{"service", rule.upstream}, {"error", e.what()}});
        if (e.timed_out())
            throw Failure(Failure::Kind::timeout, "upstream_timeout",
                          "the " + rule.upstream + " service did not answer in time",
                          {{"service", rule.upstream}});
        // The client never sends a POST or PATCH twice on its own: when the service may have
        // read it, only the caller can decide (with its Idempotency-Key) whether to repeat it.
        if (e.request_sent() && !sales::http::is_idempotent(request.method))
            return Response::error(
                502, "upstream_outcome_unknown",
                "the " + rule.upstream +
                    " service closed the connection before answering; the request may have been "
                    "applied: retry with the same Idempotency-Key, or check before repeating it",
                {{"service", rule.upstream}});
        throw Failure(Failure::Kind::unavailable, "service_unavailable",
                      "the " + rule.upstream + " service is not available",
                      {{"service", rule.upstream}});
    }
}

// The gateway's check of the route table (SEC-1): the rule's permission, then every project the
// request names (path parameter, project_id query parameter or body field) must be the caller's.
void check_access(const domain::RouteRule& rule, const Request& request) {
    const auto& caller = request.caller();
    if (!domain::permits(rule, caller.roles))
        sales::fail_forbidden("forbidden", "your roles do not permit this route",
                              {{"permissions", rule.permissions}});
    std::vector<std::string> named;
    if (!rule.project_param.empty() && request.params.count(rule.project_param))
        named.push_back(request.params.at(rule.project_param));
    if (auto it = request.query.find("project_id"); it != request.query.end())
        named.push_back(it->second);
    if (auto [p] = fields_of(request, {"project_id"}); !p.empty())
        named.push_back(p);
    for (const auto& project : named)
        if (!caller.in_project(project))
            sales::fail_forbidden("project_forbidden", "you are not assigned to this project",
                                  {{"project_id", project}});
}

// Everything around a route of the table: the rate limit, the table's access check and the
// handler. A known user is limited per user only: a whole sales office behind one NAT address
// must not share one bucket on opening day. The address is the key only where no user is known
// (login, refresh). The access log row comes from record_access(), with the
// status the server answered.
Response enforce(Shared& s, const domain::RouteRule& rule, const sales::http::Handler& handler,
                 Request& request) {
    Response response;
    try {
        if (request.principal) {
            limit(*s.per_user, request.principal->user_id, "user");
            check_access(rule, request);
        } else {
            limit(*s.per_ip, domain::client_address(request.remote_address), "address");
        }
        response = handler(request);
    } catch (const Failure& e) {
        response = Response::failure(e);
        if (e.kind() == Failure::Kind::too_many_requests)
            response.headers["Retry-After"] =
                std::to_string(e.details().value("retry_after_seconds", 1));
    }
    return response;
}

std::unique_ptr<sales::http::Client> upstream_client(const std::string& name,
                                                     const std::string& url,
                                                     const Options& options) {
    auto rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
        throw sales::ConfigError("configuration: upstream URL of " + name +
                                 " needs host:port: " + url);
    sales::http::ClientOptions co;
    co.connect_timeout = std::chrono::milliseconds(1'000);
    co.request_timeout = options.upstream_timeout;
    co.max_idle_connections = 64;
    return std::make_unique<sales::http::Client>(
        rest.substr(0, colon), static_cast<std::uint16_t>(std::stoi(rest.substr(colon + 1))), co);
}

// CORS preflight for every path of the table.
void add_preflight(sales::service::Service& service) {
    std::map<std::string, std::set<std::string>> methods;
    for (const auto& rule : domain::route_table()) {
        methods[rule.pattern].insert("OPTIONS");
        methods[rule.pattern].insert(rule.method);
    }
    for (const auto& [pattern, names] : methods) {
        std::string allow;
        for (const auto& m : names)
            allow += (allow.empty() ? "" : ", ") + m;
        service.public_route("OPTIONS", pattern, [allow](Request&) {
            Response r;
            r.status = 204;
            r.content_type = "text/plain";
            r.headers["Access-Control-Allow-Methods"] = allow;
            r.headers["Access-Control-Allow-Headers"] =
                "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, traceparent";
            r.headers["Access-Control-Max-Age"] = "600";
            return r;
        });
    }
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

std::string read_document(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in)
        throw Failure(Failure::Kind::unavailable, "docs_unavailable",
                      "the API document is not available");
    return text.str();
}

// The OpenAPI document as a page with a link per path.
Response docs_page(const std::string& document) {
    std::string links, line, body;
    std::istringstream lines(document);
    int n = 0;
    while (std::getline(lines, line)) {
        ++n;
        if (line.rfind("  /", 0) == 0 && line.back() == ':') {
            const auto p = html_escape(line.substr(2, line.size() - 3));
            links += "<li><a href=\"#L" + std::to_string(n) + "\">" + p + "</a></li>\n";
        }
        body += "<span id=\"L" + std::to_string(n) + "\">" + html_escape(line) + "</span>\n";
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
}

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx, const Options& options) {
    auto shared = std::make_shared<Shared>();
    shared->db = &service.db();
    shared->per_user =
        std::make_unique<domain::RateLimiter>(options.user_burst, options.user_per_second);
    shared->per_ip = std::make_unique<domain::RateLimiter>(options.ip_burst, options.ip_per_second);
    for (const auto& [name, url] : options.upstream_urls)
        shared->clients[name] = upstream_client(name, url, options);
    auto own = identity_handlers(ctx);
    own["GET /api/v1/live/board"] = [board = start_live_board(service)](Request& request) {
        return open_live_board(*board, request);
    };

    for (const auto& rule : domain::route_table()) {
        sales::http::Handler inner;
        if (rule.upstream == "gateway")
            inner = own.at(rule.method + " " + rule.pattern);
        else
            inner = [shared, rule](Request& r) { return proxy(*shared, rule, r); };
        // Dependency failures of the handler become their envelope inside enforce(), which
        // audits the status answered; the table's permission is checked there too (its 403 is
        // rate limited and audited), so route() admits any authenticated caller.
        auto handler = [shared, rule, guarded = sales::service::with_dependency_errors(inner)](
                           Request& request) { return enforce(*shared, rule, guarded, request); };
        if (rule.access == domain::Access::open)
            service.public_route(rule.method, rule.pattern, handler);
        else
            service.route(
                rule.method, rule.pattern, {},
                [handler](Request& request, const sales::Principal&) { return handler(request); });
    }
    add_preflight(service);
    // Headers a browser script may read on the answers (CORS).
    service.add_response_header("Access-Control-Expose-Headers",
                                "Idempotent-Replayed, Location, Retry-After, ETag, X-Request-Id");

    for (const auto& rule : domain::route_table())
        shared->rules[{rule.method, rule.pattern}] = &rule;
    service.observe_requests(
        [shared](const Request& request, int status, const std::string& route) {
            record_access(*shared, request, status, route);
        });
    using namespace std::chrono_literals;
    service.every("access log counts",
                  service.config().duration("SALES_GATEWAY_ACCESS_LOG_INTERVAL", 10s, 100ms, 1h),
                  [shared] { write_counted_refusals(*shared); });
    service.every("access log rows",
                  service.config().duration("SALES_GATEWAY_ACCESS_LOG_FLUSH", 200ms, 10ms, 10s),
                  [shared] { flush_access_rows(*shared); });
    // API documentation: the OpenAPI document and a page that shows it with links per path.
    const auto path = options.openapi_path;
    service.public_route("GET", "/openapi.yaml", [path](Request&) {
        return Response::text(200, read_document(path), "application/yaml");
    });
    service.public_route("GET", "/docs",
                         [path](Request&) { return docs_page(read_document(path)); });
    add_console_files(service, options.console_dir);
}

}  // namespace gateway::adapters
