#pragma once
// The wiring every service shares: configuration, JSON logging, database pool and migrations,
// NATS with its own stream, the outbox relay, inbox consumers, and the HTTP server with token
// authentication and readiness. A service's main() describes itself and adds routes/handlers.
//
// Configuration (NAME = the service name upper-cased, e.g. INVENTORY):
//   SALES_<NAME>_BIND (127.0.0.1), SALES_<NAME>_PORT, SALES_<NAME>_IO_THREADS (4),
//   SALES_<NAME>_DB (libpq conninfo), SALES_<NAME>_DB_POOL (io threads + 2),
//   SALES_<NAME>_BODY_LIMIT (1048576), SALES_<NAME>_ACK_WAIT (30s), SALES_<NAME>_MAX_DELIVER (5),
//   SALES_<NAME>_MAX_CONNECTIONS (1024), SALES_<NAME>_MAX_CONNECTIONS_PER_ADDRESS (256),
//   SALES_<NAME>_NAK_DELAY (1s: redelivery delay of an event that asked to be retried later),
//   SALES_<NAME>_OUTBOX_POLL (1s: the relay's safety-net poll; commits of outbox rows wake it),
//   SALES_<NAME>_MIGRATIONS (source tree default), SALES_NATS_URL,
//   SALES_TOKEN_PUBLIC_KEYS (required: "kid:<base64 Ed25519 public key>", one or two
//   comma-separated during a key rotation; services verify tokens, only the gateway signs them),
//   SALES_NATS_USER + SALES_NATS_PASSWORD (the service's NATS user, deploy/local/nats.conf),
//   SALES_LOG_LEVEL (info), SALES_STARTUP_TIMEOUT (60s: how long to wait for PostgreSQL and NATS).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/config.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/input.hpp"

namespace sales::service {

struct Spec {
    std::string name;  // "inventory"
    std::uint16_t default_port = 0;
    std::string migrations_directory;         // the service's migrations/
    bus::StreamConfig stream;                 // the stream this service publishes to
    std::vector<bus::StreamConfig> upstream;  // streams it consumes (declared idempotently too)
};

// The usual spec: stream <NAME> with subjects "<name>.>" (NAME = name upper-cased), and each
// upstream stream with subjects "<stream lower-cased>.>".
Spec spec_of(const std::string& name, std::uint16_t default_port,
             const std::string& migrations_directory,
             const std::vector<std::string>& upstream_streams = {});

class Service {
  public:
    Service(Spec spec, const Config& config);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // The one way to add a route. The caller must be authenticated and hold any one of
    // `permissions` (DOMAIN.md roles → permissions, libs/auth); an empty list admits every
    // authenticated caller. Failures become the error envelope (sales/failure.hpp); dependency
    // failures too: database or NATS unreachable → 503 "dependency_unavailable", persistent
    // serialization conflicts → 503 "busy", a unique violation the handler did not translate →
    // 409 "conflict". Read bodies and queries with sales/input.hpp. A write (POST, PUT, PATCH,
    // DELETE) adds an audit_trail row to every transaction it commits (SEC-2).
    using RouteHandler = std::function<http::Response(http::Request&, const Principal&)>;
    void route(const std::string& method, const std::string& pattern,
               std::vector<std::string> permissions, RouteHandler handler);
    // A route anyone may call without a token (login, token refresh, documentation).
    void public_route(const std::string& method, const std::string& pattern, http::Handler handler);
    http::Router& router();
    db::Pool& db();
    bus::Nats& nats();
    const Clock& clock() const;
    const Config& config() const;
    const std::string& name() const;

    // A durable consumer named after this service on `stream`, filtered by `subject`;
    // handler runs inside the inbox transaction.
    void consume(const std::string& stream, const std::string& subject, bus::InboxHandler handler);

    // Answers NATS requests on `subject` (queue group = the service name, so replicas share
    // them); started in run() once NATS is connected. Request subjects must not fall under any
    // stream's subjects (JetStream would answer them): use "rpc.<service>.<verb>".
    void serve(const std::string& subject, std::function<std::string(const std::string&)> handler);

    // Every message on `subject` (core NATS, started in run() once NATS is connected): for
    // what may be missed, e.g. pushing events to browsers; never for changing data (use
    // consume()). Each replica gets every message. The service's NATS user needs the
    // subscribe permission (deploy/local/nats.conf).
    void listen(const std::string& subject,
                std::function<void(const std::string& payload)> handler);

    // Runs `task` every `interval` on a background thread from run() until shutdown; an
    // exception is logged and the task runs again at the next interval. Tasks that must run on
    // one replica at a time claim their rows with FOR UPDATE SKIP LOCKED.
    void every(const std::string& task_name, std::chrono::milliseconds interval,
               std::function<void()> task);

    // Tokens refused although valid (SEC-1): disabled users and revoked sessions. Every service
    // consumes the gateway's identity.user.disabled / identity.user.enabled /
    // identity.session.revoked events (stream IDENTITY) into this list and the
    // denied_principals table (loaded at start), and its authenticator answers 401 for them.
    auth::DenyList& deny_list();

    // Runs `task` in run() after the migrations and before HTTP starts (e.g. first-start data).
    void at_start(std::function<void()> task);

    // Headers added to every HTTP response (security headers, CORS).
    void add_response_header(const std::string& name, const std::string& value);

    // Called for every answered HTTP request (http::ServerOptions::observer): the gateway's
    // access log.
    void observe_requests(decltype(http::ServerOptions::observer) observer);

    // For a service whose tables are a read model of other services' events (reporting): in one
    // transaction `empty_read_model` and the inbox and dead letters of its consumers' subjects
    // are emptied; then its durable consumers (not IDENTITY's) are removed, so that the next
    // run() replays every stream from its first event. Run with every replica stopped.
    int rebuild_read_model(const std::function<void(db::Tx&)>& empty_read_model);

    // Connects (waiting up to SALES_STARTUP_TIMEOUT for PostgreSQL and NATS), migrates,
    // declares streams and consumers, starts relay, consumers and HTTP; blocks until SIGTERM or
    // SIGINT; then drains HTTP, stops consumers and flushes the relay. Returns the exit code.
    int run();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Runs `body` and turns configuration and start-up errors into one clear line on stderr and
// exit code 2 (configuration) or 1 (anything else).
int guarded_main(const std::function<int()>& body);

// A service's whole main(): inside guarded_main, the Service of `spec` with the environment's
// configuration, handed to `body`, which adds routes, consumers and tasks and returns
// service.run() (so that what it declares lives until the service stops).
int serve_main(const Spec& spec, const std::function<int(Service&, const Config&)>& body);

// Records a denial (or its lifting) in denied_principals inside the caller's transaction.
// kind: "user" or "session". `sequence`: the user's identity version (the identity event's
// sequence); a row already recorded at a higher one is kept and false returned.
bool record_denial(db::Tx& tx, const std::string& kind, const std::string& id, bool denied,
                   std::int64_t sequence = 0);
// Applies one identity.* event to the tables (in `tx`: denied_principals, staff_names) and to
// `list`; other types are ignored.
// A user's disable/enable older (lower sequence) than the one applied is ignored.
void apply_identity_event(db::Tx& tx, const bus::Event& event, auth::DenyList& list);

// The users' names as report downloads show them: "王小明（wang.xm）" (the username alone when
// the user has no display name); a user id the service has not heard of shows as itself.
class StaffNames {
  public:
    explicit StaffNames(db::Tx& tx);  // reads the service's staff_names
    std::string label(const std::string& user_id) const;

  private:
    std::map<std::string, std::string> labels_;
};
// Loads the table's rows changed since `since` (a timestamptz text; empty: all rows) into
// `list`, and returns the `since` for the next call. Replicas of a service share the IDENTITY
// durable, so each event reaches one replica's list; every replica calls this periodically.
std::string load_denials(db::Pool& pool, auth::DenyList& list, const std::string& since = "");
// Runtime migrations (denied_principals), applied as set "runtime" after "bus".
std::string runtime_migrations_directory();

// The error mapping route() applies, for handlers registered on the router directly.
http::Handler with_dependency_errors(http::Handler handler);

// POST, PUT, PATCH, DELETE: route() audits what such a request commits.
bool is_write(const std::string& method);
// The audit_trail row (SEC-2) of one write request, made once per request.
struct AuditEntry {
    std::string user_id, roles, method, route, path;
    std::optional<std::string> reason;  // the body's top-level "reason", when it has one
    std::string request_id, remote_address;
};
AuditEntry audit_entry_of(const http::Request& request, const Principal& caller,
                          const std::string& route_pattern);
// Appends `entry` in `tx` if `tx` changed anything. route() does it for every transaction a
// write request commits (db::BeforeCommitScope).
void append_audit_trail(db::Tx& tx, const AuditEntry& entry);

// 403 "forbidden" unless `caller` holds one of `permissions` (none listed: anyone).
void require_any(const Principal& caller, const std::vector<std::string>& permissions);

}  // namespace sales::service
