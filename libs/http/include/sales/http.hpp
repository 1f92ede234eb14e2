#pragma once
// HTTP for the services: an async Beast server (hidden in libs/http/src) with a router, JSON
// errors, limits and health/metrics endpoints, and a pooled keep-alive client. Nothing here
// includes Beast or Asio; handlers see only these plain types.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/failure.hpp"
#include "sales/principal.hpp"

namespace sales::http {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
    std::string method;                         // "GET", "POST", ...
    std::string target;                         // as received: path and query
    std::string path;                           // decoded path without the query
    std::map<std::string, std::string> query;   // decoded query parameters
    std::map<std::string, std::string> params;  // path parameters from the route pattern
    Headers headers;
    std::string body;
    std::string request_id;   // X-Request-Id as received, or generated
    std::string traceparent;  // as received, or generated
    std::string remote_address;
    std::optional<Principal> principal;  // set by the authenticator

    // Header value or empty.
    std::string header(const std::string& name) const;
    // Parses the body as a JSON object; throws Failure invalid "invalid_json" / unsupported_media.
    nlohmann::json json() const;
    // Throws Failure invalid "invalid_json" when the body nests arrays or objects deeper than
    // sales::kMaxJsonDepth (json() checks it first; routes may check it before anything else).
    void refuse_deep_nesting() const;
    // The authenticated caller; throws Failure unauthenticated if none.
    const Principal& caller() const;
};

// The body of a response that stays open after its head, e.g. Server-Sent Events: the server
// writes the head (without Content-Length; the connection closes at the end) and then, in
// order, all text pushed, until close() or until the peer goes away. Thread-safe.
class ResponseStream {
  public:
    ResponseStream();
    // Queues text to write; false (and nothing queued) once the stream has ended.
    bool push(std::string text);
    // Ends the response after the text already queued.
    void close();
    bool open() const;

    // For the server: `wake` is called (from any thread) whenever there is something to do;
    // take() returns the queued text and whether close() was called; ended() marks the stream
    // over (peer gone) so that later pushes fail.
    void attach(std::function<void()> wake);
    std::pair<std::string, bool> take();
    void ended();

  private:
    struct State;
    std::shared_ptr<State> state_;
};

struct Response {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    Headers headers;
    // When set, `body` is written first and the connection then carries this stream.
    std::shared_ptr<ResponseStream> stream;

    static Response json(int status, const nlohmann::json& body);
    static Response text(int status, std::string body, std::string content_type = "text/plain");
    // 200 with a file to save: `content_disposition` as made by sales::sheet::attachment.
    static Response attachment(std::string body, std::string content_type,
                               std::string content_disposition);
    // ARCHITECTURE.md envelope: {"error":{"code":..,"message":..,"details":{..}}}
    static Response error(int status, std::string_view code, std::string_view message,
                          const nlohmann::json& details = nlohmann::json::object());
    // The envelope for a Failure, with http_status(kind).
    static Response failure(const Failure& failure);
};

using Handler = std::function<Response(Request&)>;

// True when the request's Accept-Encoding takes gzip (and not with q=0).
bool accepts_gzip(const Request& request);
// `text` in gzip format (default compression level).
std::string gzip(std::string_view text);
// The text of gzip data; throws std::invalid_argument for anything else, or when it would be
// longer than `max_size`.
std::string gunzip(std::string_view packed, std::size_t max_size = 64 << 20);

// Routes: METHOD + pattern with {name} segments, e.g. "/api/v1/units/{unit_id}/history".
class Router {
  public:
    void add(std::string method, std::string pattern, Handler handler, bool authenticated = true);
    void get(std::string pattern, Handler h) { add("GET", std::move(pattern), std::move(h)); }
    void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
    void put(std::string pattern, Handler h) { add("PUT", std::move(pattern), std::move(h)); }
    void patch(std::string pattern, Handler h) { add("PATCH", std::move(pattern), std::move(h)); }
    void del(std::string pattern, Handler h) { add("DELETE", std::move(pattern), std::move(h)); }

    struct Match {
        const Handler* handler = nullptr;  // null when not found
        std::map<std::string, std::string> params;
        bool authenticated = true;
        bool method_not_allowed = false;  // path matched, method did not
        std::vector<std::string> allowed_methods;
        std::string pattern;  // for metrics labels
    };
    // `path` as received (percent-encoded, without the query); segments are decoded after
    // splitting. Strict: "/a/" does not match "/a".
    Match match(std::string_view method, std::string_view path) const;
    // (method, pattern) of every route, in insertion order; for docs/openapi checks.
    std::vector<std::pair<std::string, std::string>> routes() const;
    // Answers every GET that matches no route (no token required): e.g. the files of a
    // single-page application. It decides itself what is not found.
    void set_get_fallback(Handler handler) { get_fallback_ = std::move(handler); }
    const Handler* get_fallback() const { return get_fallback_ ? &get_fallback_ : nullptr; }

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        bool authenticated;
    };
    std::vector<Route> routes_;
    Handler get_fallback_;
};

struct ServerOptions {
    std::string service_name = "service";
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port; see Server::port()
    int io_threads = 4;      // reading and writing only
    // Handlers run on this many threads apart from the I/O threads, so a handler that waits on
    // the database or NATS never holds up reading, writing or health checks; it is also the
    // number of requests handled at once (more wait in order).
    int handler_threads = 16;
    std::size_t body_limit_bytes = 1 << 20;            // larger → 413
    std::chrono::milliseconds read_timeout{30'000};    // whole request must arrive within
    std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connection idle limit
    std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests finish within
    // Added to every response (errors, 404/413 and health included) unless the handler's
    // response already has that header: security headers, CORS.
    Headers response_headers;
    // Open connections at once, in total and from one remote address (IP). A connection over
    // either cap is answered 503 "too_many_connections" with Connection: close and closed (at
    // once, without an answer, while more than 64 such answers are still being written).
    std::size_t max_connections = 1024;
    std::size_t max_connections_per_address = 256;
    // Called on the handler thread (the I/O thread for refusals before any handler) for every
    // answered request (route-level refusals, 404, 413 and
    // malformed requests included) before the response is written: `route` is the matched
    // pattern or "unmatched"; the request carries the principal when one was authenticated.
    // An exception it throws is logged and ignored.
    std::function<void(const Request& request, int status, const std::string& route)> observer;
};

// Verifies the caller of an authenticated route; throws Failure unauthenticated when not valid.
using Authenticator = std::function<Principal(const Request&)>;
// Readiness: returns an empty string when ready, otherwise what is not (e.g. "database").
using ReadinessCheck = std::function<std::string()>;

// Built-in routes: GET /healthz (always 200 while running), GET /readyz (200 or 503 with the
// reason), GET /metrics (Prometheus text). All others go through the router; unauthenticated
// routes only when added with authenticated=false. Every response carries X-Request-Id.
// A sales::Failure from a handler becomes its envelope (sales/failure.hpp); any other exception
// is logged and answered 500 "internal".
class Server {
  public:
    Server(ServerOptions options, Router router, Authenticator authenticator,
           ReadinessCheck readiness);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds; throws std::runtime_error with a clear message if the port is busy.
    void start();
    std::uint16_t port() const;
    // Blocks until SIGTERM/SIGINT or stop(); then stops accepting, lets in-flight requests
    // finish (up to shutdown_grace) and returns.
    void wait();
    // Thread-safe; makes wait() return after draining.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{2'000};
    std::chrono::milliseconds request_timeout{10'000};
    std::size_t max_idle_connections = 16;
    // A pooled connection idle for longer is closed rather than reused: well inside the servers'
    // idle timeout (60 s), so a request seldom meets a connection the server is closing.
    std::chrono::milliseconds max_idle_age{30'000};
    // A connection open for longer is closed after its request instead of being pooled, so the
    // next one resolves the name again and picks a replica at random: requests spread over the
    // replicas of a service, and a replica added by scaling gets its share within this time.
    std::chrono::milliseconds max_connection_age{5'000};
};

struct ClientResponse {
    int status = 0;
    Headers headers;
    std::string body;
    nlohmann::json json() const;  // throws std::runtime_error when the body is not JSON
};

// Thrown when the peer cannot be reached or does not answer in time.
class ClientError : public std::runtime_error {
  public:
    explicit ClientError(const std::string& what, bool timed_out = false, bool request_sent = false)
        : std::runtime_error(what),
          timed_out_(timed_out),
          request_sent_(request_sent || timed_out) {}
    // True when the peer accepted the request but did not answer within request_timeout.
    bool timed_out() const { return timed_out_; }
    // True when some of the request may have reached the peer before the failure: the peer may
    // have acted on it (a write's outcome is unknown). False when nothing was sent.
    bool request_sent() const { return request_sent_; }

  private:
    bool timed_out_;
    bool request_sent_;
};

// Whether `method` may be sent again without changing the outcome (RFC 9110 9.2.2): GET, HEAD,
// PUT, DELETE, OPTIONS, TRACE. The client re-sends only these on its own.
bool is_idempotent(std::string_view method);

// A keep-alive HTTP/1.1 client for one host:port; thread-safe; reuses idle connections.
// A request that fails on a reused connection before any response byte is sent again once on a
// new connection when its method is idempotent, or when none of it was written; a POST or PATCH
// that may have been (partly) written is never re-sent: the caller gets ClientError with
// request_sent() true.
class Client {
  public:
    Client(std::string host, std::uint16_t port, ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    ClientResponse request(const std::string& method, const std::string& target,
                           const std::string& body = "", const Headers& headers = {});
    ClientResponse get(const std::string& target, const Headers& headers = {}) {
        return request("GET", target, "", headers);
    }
    ClientResponse post_json(const std::string& target, const nlohmann::json& body,
                             Headers headers = {});

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sales::http
