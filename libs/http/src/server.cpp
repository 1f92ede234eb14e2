// The HTTP server: Boost.Beast over Asio, one strand per connection, HTTP/1.1 keep-alive.
// Handlers are synchronous and run on a pool of handler_threads apart from the I/O threads: a
// handler may block on the database or NATS without holding up reads, writes or health checks;
// the answer is written back on the connection's strand.
//
// Connection life: idle (waiting for the first byte; idle_timeout, or read_timeout for the
// first request) → reading (the whole request within read_timeout) → handling → writing →
// idle again, or closed when either side asked for it or the server is stopping.
// Graceful stop: close the acceptor (new connections are refused), close idle connections, let
// requests that are being read or handled finish and answer them with `Connection: close`;
// after shutdown_grace close whatever is left and join the threads.
// Connection caps (issue 11): a connection over max_connections or max_connections_per_address
// is answered 503 too_many_connections with Connection: close without reading its request, then
// closed after a short linger; it never reaches a handler.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"

namespace sales::http {

namespace detail {
// Defined in router.cpp.
std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space);
}  // namespace detail

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::seconds kLingerTimeout{2};
// Refused connections whose 503 is still being written; beyond, a refusal is a plain close.
constexpr std::size_t kMaxRefusalsInFlight = 64;
// At most one warning line per interval about refused connections (with their count).
constexpr std::chrono::seconds kRefusalLogInterval{10};

bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128)
        return false;
    for (char c : id) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

// For logs and metric labels: printable ASCII kept, anything else percent-encoded.
std::string printable(std::string_view s, std::size_t max = 512) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s.substr(0, max)) {
        auto c = static_cast<unsigned char>(ch);
        if (c > 0x20 && c < 0x7f) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    if (s.size() > max)
        out += "...";
    return out;
}

std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string method_label(std::string_view m) {
    static constexpr std::string_view known[] = {"GET",  "POST",    "PUT",     "PATCH", "DELETE",
                                                 "HEAD", "OPTIONS", "CONNECT", "TRACE"};
    for (auto k : known)
        if (k == m)
            return std::string(m);
    return "other";
}

bool is_http_parse_error(const beast::error_code& ec) {
    return &ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category();
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty())
            out += sep;
        out += s;
    }
    return out;
}

// Hint for the operator when listening fails.
std::string listen_hint(const beast::error_code& ec, const std::string& service) {
    if (ec == asio::error::address_in_use)
        return " (another process is using the port: stop it or configure a free port for " +
               service + ")";
    if (ec == asio::error::access_denied)
        return " (ports below 1024 need privileges: configure a port of 1024 or above for " +
               service + ")";
    if (ec == boost::system::errc::address_not_available)
        return " (the address is not assigned to this machine: configure a local address for " +
               service + ", e.g. 127.0.0.1 or 0.0.0.0)";
    return "";
}

std::string lower_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z')
        s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

class Session;

struct ServerState {
    ServerState(ServerOptions o, Router r, Authenticator a, ReadinessCheck rc)
        : options(std::move(o)),
          router(std::move(r)),
          authenticator(std::move(a)),
          readiness(std::move(rc)),
          ioc(std::max(1, options.io_threads)),
          work(asio::make_work_guard(ioc)),
          control(asio::make_strand(ioc)),
          acceptor(control),
          accept_retry(control),
          signals(control) {}

    // Builds the response for a request whose head and body have been read. Never throws.
    Response process(Request& req, std::string& route);
    // Access log line and metrics for one answered request.
    void record(const std::string& method, std::string_view raw_path, int status,
                const std::string& route, Clock::time_point started,
                const std::string& request_id) const;
    // options.observer, if any, with its exceptions logged.
    void observe(const Request& request, int status, const std::string& route) const;
    // Counts a refused connection (metric) and warns at most once per kRefusalLogInterval.
    void note_refusal(const std::string& limit);
    void do_accept();
    void request_stop();
    void drain();
    void run_thread();

    const ServerOptions options;
    const Router router;
    const Authenticator authenticator;
    const ReadinessCheck readiness;

    // Live connections; declared before ioc because sessions destroyed with ioc deregister here.
    std::mutex sessions_mutex;
    std::condition_variable sessions_cv;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
    // Admitted connections, in total and per remote address; refusals being answered.
    std::size_t admitted = 0;
    std::unordered_map<std::string, std::size_t> admitted_per_address;
    std::size_t refusals_in_flight = 0;

    std::mutex refusal_log_mutex;
    std::uint64_t refusals_not_logged = 0;
    Clock::time_point refusal_logged_at{};

    std::mutex state_mutex;
    std::condition_variable state_cv;
    bool started = false;
    bool stop_requested = false;
    bool draining = false;
    bool drained = false;
    std::atomic<bool> shutting_down{false};
    std::uint16_t bound_port = 0;

    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    // Serialises the acceptor and the signal set.
    asio::strand<asio::io_context::executor_type> control;
    tcp::acceptor acceptor;
    asio::steady_timer accept_retry;
    asio::signal_set signals;
    std::vector<std::thread> threads;
    // Where handlers run (created by start()).
    std::unique_ptr<asio::thread_pool> handlers;
};

}  // namespace

struct Server::Impl : ServerState {
    using ServerState::ServerState;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
  public:
    enum class Admission { pending, admitted, refusing };

    Session(ServerState& server, tcp::socket&& socket)
        : server_(server), stream_(std::move(socket)) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) {
            auto ip = ep.address();
            if (ip.is_v6() && ip.to_v6().is_v4_mapped())
                ip = ip.to_v6().to_v4();
            address_ = ip.to_string();
            remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
        }
        stream_.socket().set_option(tcp::no_delay(true), ec);
    }

    ~Session() {
        std::lock_guard lock(server_.sessions_mutex);
        server_.sessions.erase(this);
        if (admission_ == Admission::admitted) {
            --server_.admitted;
            auto it = server_.admitted_per_address.find(address_);
            if (it != server_.admitted_per_address.end() && --it->second == 0)
                server_.admitted_per_address.erase(it);
            metrics::registry()
                .gauge("http_open_connections", "HTTP connections open (admitted)")
                .add(-1);
        } else if (admission_ == Admission::refusing) {
            --server_.refusals_in_flight;
        }
        server_.sessions_cv.notify_all();
    }

    // The remote IP address (without the port): the key of max_connections_per_address.
    const std::string& address() const { return address_; }
    // Set by the acceptor under sessions_mutex, before start() or refuse().
    void set_admission(Admission admission) { admission_ = admission; }

    void start() {
        asio::dispatch(stream_.get_executor(),
                       [self = shared_from_this()] { self->wait_for_request(); });
    }

    // Over a connection cap: answer 503 without reading the request (or just close when
    // `answer` is false), then close.
    void refuse(bool answer, const std::string& limit) {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this(), answer, limit] {
            if (!answer)
                return self->close_now();
            auto response = Response::error(
                503, "too_many_connections",
                limit == "address"
                    ? "too many open connections from your address; close some or retry shortly"
                    : "the server has too many open connections; retry shortly",
                {{"limit", limit}});
            response.headers["Retry-After"] = "1";
            self->reject(std::move(response));
        });
    }

    // Server is stopping: an idle connection is closed now; one with a request in progress
    // finishes it (the response then says Connection: close).
    void on_shutdown() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->state_ == State::idle)
                self->close_now();
            else if (self->state_ == State::streaming)
                self->end_stream();
        });
    }

    void force_close() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
    }

  private:
    enum class State { idle, reading, handling, writing, streaming, closed };

    void wait_for_request() {
        if (server_.shutting_down.load())
            return close_now();
        if (buffer_.size() > 0)
            return read_request();  // pipelined bytes already here
        state_ = State::idle;
        stream_.expires_after(first_ ? server_.options.read_timeout : server_.options.idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
            self->buffer_.commit(n);
            if (ec)
                return self->close_now();  // peer closed, idle timeout, or server stopping
            self->read_request();
        });
    }

    void read_request() {
        state_ = State::reading;
        parser_.emplace();
        parser_->body_limit(server_.options.body_limit_bytes);
        parser_->header_limit(kHeaderLimit);
        stream_.expires_after(server_.options.read_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        if (ec)
            return on_read(ec);
        auto& msg = parser_->get();
        if (msg.version() >= 11 && beast::iequals(msg[bhttp::field::expect], "100-continue")) {
            static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(stream_, asio::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec)
                                      return self->close_now();
                                  self->read_body();
                              });
            return;
        }
        read_body();
    }

    void read_body() {
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (!ec)
            return handle_request();
        if (ec == bhttp::error::body_limit)
            return reject(Response::error(413, "payload_too_large",
                                          "request body exceeds the limit of " +
                                              std::to_string(server_.options.body_limit_bytes) +
                                              " bytes"));
        if (ec == bhttp::error::header_limit)
            return reject(Response::error(
                431, "headers_too_large",
                "request headers exceed the limit of " + std::to_string(kHeaderLimit) + " bytes"));
        if (ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
            is_http_parse_error(ec))
            return reject(
                Response::error(400, "bad_request", "malformed HTTP request: " + ec.message()));
        if (ec == beast::error::timeout)
            log::debug("http_read_timeout", {{"remote", remote_}});
        close_now();  // peer went away, timed out, or the server is stopping
    }

    // An error found while reading (or a refused connection): answer, then close (the rest of
    // the request is unread).
    void reject(Response response) {
        auto started = Clock::now();
        Request req;
        // The request line and the headers parsed so far (the body limit is found in the head).
        if (parser_) {
            const auto& msg = parser_->get();
            auto incoming = msg["X-Request-Id"];
            if (sane_request_id(std::string_view(incoming.data(), incoming.size())))
                req.request_id = std::string(incoming);
            req.method = std::string(msg.method_string());
            req.target = std::string(msg.target());
        }
        if (req.request_id.empty())
            req.request_id = new_uuid();
        req.remote_address = remote_;
        std::string_view target(req.target);
        server_.record(req.method, target.substr(0, target.find('?')), response.status, "unmatched",
                       started, req.request_id);
        server_.observe(req, response.status, "unmatched");
        auto request_id = req.request_id;
        write(std::move(response), false, request_id, 11, true);
    }

    void handle_request() {
        state_ = State::handling;
        auto started = Clock::now();
        auto& msg = parser_->get();
        Request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        for (const auto& f : msg) {
            std::string name(f.name_string());
            auto [it, inserted] = req.headers.emplace(name, std::string(f.value()));
            if (!inserted)
                it->second += ", " + std::string(f.value());
        }
        req.body = std::move(msg.body());
        req.remote_address = remote_;
        auto incoming_id = req.header("X-Request-Id");
        req.request_id = sane_request_id(incoming_id) ? incoming_id : new_uuid();
        auto incoming_trace = req.header("traceparent");
        req.traceparent = is_traceparent(incoming_trace) ? incoming_trace : new_traceparent();

        const auto version = msg.version();
        const bool wants_keep_alive = msg.keep_alive();
        // The handler runs on the handler pool; its answer is written on this strand.
        asio::post(*server_.handlers, [self = shared_from_this(), req = std::move(req), started,
                                       version, wants_keep_alive]() mutable {
            Response response;
            {
                log::ScopedContext context(log::Context{req.request_id, req.traceparent});
                std::string route = "unmatched";
                response = self->server_.process(req, route);
                std::string_view target(req.target);
                self->server_.record(req.method, target.substr(0, target.find('?')),
                                     response.status, route, started, req.request_id);
                self->server_.observe(req, response.status, route);
            }
            asio::post(self->stream_.get_executor(), [self, response = std::move(response),
                                                      request_id = req.request_id, version,
                                                      wants_keep_alive]() mutable {
                if (response.stream)
                    return self->start_stream(std::move(response), request_id, version);
                bool keep_alive = wants_keep_alive && !self->server_.shutting_down.load();
                self->write(std::move(response), keep_alive, request_id, version, false);
            });
        });
    }

    // The head of `response` in res_ (status, headers), without body or framing.
    void fill_head(const Response& response, const std::string& request_id, unsigned version) {
        res_ = {};
        res_.version(version);
        res_.result(static_cast<unsigned>(response.status));
        res_.set(bhttp::field::server, server_.options.service_name);
        res_.set("X-Content-Type-Options", "nosniff");
        res_.set(bhttp::field::cache_control, "no-store");
        for (const auto& [name, value] : response.headers) {
            if (name.find_first_of("\r\n:") != std::string::npos ||
                value.find_first_of("\r\n") != std::string::npos) {
                log::warn("http_response_header_dropped",
                          {{"header", printable(name)}, {"reason", "contains CR, LF or ':'"}});
                continue;
            }
            res_.set(name, value);
        }
        for (const auto& [name, value] : server_.options.response_headers) {
            if (!response.headers.count(name))
                res_.set(name, value);
        }
        res_.set(bhttp::field::content_type, response.content_type);
        res_.set("X-Request-Id", request_id);
    }

    void write(Response response, bool keep_alive, const std::string& request_id, unsigned version,
               bool linger) {
        fill_head(response, request_id, version);
        res_.body() = std::move(response.body);
        res_.keep_alive(keep_alive);
        res_.prepare_payload();

        state_ = State::writing;
        stream_.expires_after(server_.options.read_timeout);
        bhttp::async_write(
            stream_, res_,
            [self = shared_from_this(), keep_alive, linger](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->close_now();
                if (linger)
                    return self->lingering_close();
                if (!keep_alive || self->server_.shutting_down.load())
                    return self->close_now();
                self->first_ = false;
                self->wait_for_request();
            });
    }

    // A response whose body is a ResponseStream: the head without Content-Length and with
    // Connection: close, then whatever the stream is given, until it closes or the peer goes.
    void start_stream(Response response, const std::string& request_id, unsigned version) {
        out_stream_ = std::move(response.stream);
        if (!response.body.empty())
            out_stream_->push(std::move(response.body));
        fill_head(response, request_id, version);
        res_.keep_alive(false);
        serializer_.emplace(res_);
        state_ = State::streaming;
        stream_.expires_after(server_.options.read_timeout);
        bhttp::async_write_header(stream_, *serializer_,
                                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                      if (ec || self->server_.shutting_down.load())
                                          return self->end_stream();
                                      self->stream_.expires_never();
                                      self->watch_peer();
                                      self->out_stream_->attach([weak = self->weak_from_this()] {
                                          if (auto session = weak.lock())
                                              asio::post(session->stream_.get_executor(),
                                                         [session] { session->pump_stream(); });
                                      });
                                  });
    }

    // Writes what the stream has queued, one write at a time; each write must finish within
    // read_timeout (a peer that stops reading is dropped).
    void pump_stream() {
        if (stream_writing_ || state_ != State::streaming)
            return;
        auto [text, closing] = out_stream_->take();
        if (text.empty()) {
            if (closing)
                end_stream();
            return;
        }
        stream_pending_ = std::move(text);
        stream_writing_ = true;
        stream_.expires_after(server_.options.read_timeout);
        asio::async_write(stream_, asio::buffer(stream_pending_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->stream_writing_ = false;
                              if (ec)
                                  return self->end_stream();
                              self->stream_.expires_never();
                              self->pump_stream();
                          });
    }

    // Reads (and ignores) what the peer sends on a streaming connection, to notice when it
    // closes.
    void watch_peer() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (ec)
                                        return self->end_stream();
                                    self->watch_peer();
                                });
    }

    void end_stream() {
        if (out_stream_)
            out_stream_->ended();
        close_now();
    }

    // After an early error the client may still be sending its body; closing with unread data
    // would reset the connection and the client could lose our answer. Stop sending, read and
    // discard for a short while, then close.
    void lingering_close() {
        state_ = State::closed;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec)
            return close_now();
        stream_.expires_after(kLingerTimeout);
        discard();
    }

    void discard() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(64 * 1024),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->discarded_ += n;
                                    std::size_t cap =
                                        4 * self->server_.options.body_limit_bytes + (1 << 20);
                                    if (ec || self->discarded_ > cap)
                                        return self->close_now();
                                    self->discard();
                                });
    }

    void close_now() {
        state_ = State::closed;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
    }

    ServerState& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> res_;
    std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
    std::shared_ptr<ResponseStream> out_stream_;
    std::string stream_pending_;
    bool stream_writing_ = false;
    State state_ = State::idle;
    bool first_ = true;
    std::size_t discarded_ = 0;
    std::string remote_;
    std::string address_;
    Admission admission_ = Admission::pending;
};

}  // namespace

Response ServerState::process(Request& req, std::string& route) {
    Response response;
    try {
        std::string_view target(req.target);
        auto q = target.find('?');
        std::string_view raw_path = target.substr(0, q);
        if (raw_path.empty() || raw_path.front() != '/')
            throw Failure(Failure::Kind::invalid, "bad_request",
                          "request target must be a path starting with '/'");
        auto path = detail::percent_decode(raw_path, false);
        if (!path)
            throw Failure(Failure::Kind::invalid, "invalid_path",
                          "malformed percent-encoding in the path");
        req.path = std::move(*path);
        if (q != std::string_view::npos) {
            std::string_view query = target.substr(q + 1);
            while (!query.empty()) {
                auto amp = query.find('&');
                auto part = query.substr(0, amp);
                query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
                if (part.empty())
                    continue;
                auto eq = part.find('=');
                auto key = detail::percent_decode(part.substr(0, eq), true);
                auto value = detail::percent_decode(
                    eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
                if (!key || !value)
                    throw Failure(Failure::Kind::invalid, "invalid_query",
                                  "malformed percent-encoding in the query string");
                req.query[std::move(*key)] = std::move(*value);
            }
        }

        if (req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics") {
            route = req.path;
            if (req.method != "GET") {
                auto r = Response::error(
                    405, "method_not_allowed",
                    "method " + req.method + " is not allowed on " + req.path + "; allowed: GET",
                    {{"allowed", nlohmann::json::array({"GET"})}});
                r.headers["Allow"] = "GET";
                return r;
            }
            if (req.path == "/healthz")
                return Response::json(200, {{"status", "ok"}});
            if (req.path == "/metrics")
                return Response::text(200, metrics::registry().render(),
                                      "text/plain; version=0.0.4");
            std::string waiting_for;
            if (shutting_down.load()) {
                waiting_for = "shutting_down";
            } else if (readiness) {
                try {
                    waiting_for = readiness();
                } catch (const std::exception& e) {
                    log::error("readiness_check_failed", {{"error", e.what()}});
                    waiting_for = "readiness_check";
                }
            }
            if (waiting_for.empty())
                return Response::json(200, {{"status", "ready"}});
            return Response::error(503, "not_ready",
                                   "service is not ready: waiting for " + waiting_for,
                                   {{"waiting_for", waiting_for}});
        }

        auto match = router.match(req.method, raw_path);
        if (!match.handler && !match.method_not_allowed && req.method == "GET" &&
            router.get_fallback()) {
            // Its refusals count as "unmatched" (metrics, access logs), like a 404 without it.
            req.params.clear();
            Response fallback;
            try {
                fallback = (*router.get_fallback())(req);
            } catch (const Failure& e) {
                fallback = Response::failure(e);
            }
            route = fallback.status >= 400 ? "unmatched" : "get_fallback";
            return fallback;
        }
        if (!match.handler) {
            if (match.method_not_allowed) {
                auto allowed = join(match.allowed_methods, ", ");
                auto r = Response::error(405, "method_not_allowed",
                                         "method " + req.method + " is not allowed on " + req.path +
                                             "; allowed: " + allowed,
                                         {{"allowed", match.allowed_methods}});
                r.headers["Allow"] = allowed;
                return r;
            }
            throw Failure(Failure::Kind::not_found, "not_found",
                          "no route for " + req.method + " " + req.path);
        }
        route = match.pattern;
        req.params = std::move(match.params);
        if (match.authenticated) {
            if (!authenticator)
                throw Failure(Failure::Kind::unauthenticated, "unauthenticated",
                              "authentication required");
            req.principal = authenticator(req);
        }
        response = (*match.handler)(req);
    } catch (const Failure& e) {
        response = Response::failure(e);
    } catch (const std::exception& e) {
        log::error("http_handler_failed",
                   {{"error", e.what()}, {"method", req.method}, {"route", route}});
        response = Response::error(500, "internal",
                                   "internal error; the service log has the details under this "
                                   "request id");
    } catch (...) {
        log::error("http_handler_failed", {{"error", "exception not derived from std::exception"},
                                           {"method", req.method},
                                           {"route", route}});
        response = Response::error(500, "internal",
                                   "internal error; the service log has the details under this "
                                   "request id");
    }
    if (response.status < 100 || response.status > 599) {
        log::error("http_handler_bad_status", {{"status", response.status}, {"route", route}});
        response =
            Response::error(500, "internal", "internal error: handler returned an invalid status");
    }
    return response;
}

void ServerState::record(const std::string& method, std::string_view raw_path, int status,
                         const std::string& route, Clock::time_point started,
                         const std::string& request_id) const {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    log::info("http_request", {{"method", printable(method, 32)},
                               {"path", printable(raw_path)},
                               {"status", status},
                               {"duration_ms", static_cast<double>(us) / 1000.0},
                               {"request_id", request_id}});
    auto& reg = metrics::registry();
    std::string route_label = "route=\"" + label_value(route) + "\"";
    reg.counter("http_requests_total",
                "HTTP requests answered, by route pattern, method and status",
                route_label + ",method=\"" + method_label(method) + "\",status=\"" +
                    std::to_string(status) + "\"")
        .inc();
    reg.histogram("http_request_duration_seconds",
                  "Time to build the HTTP response, by route pattern", route_label)
        .observe_us(us);
}

void ServerState::observe(const Request& request, int status, const std::string& route) const {
    if (!options.observer)
        return;
    try {
        options.observer(request, status, route);
    } catch (const std::exception& e) {
        log::error("http_observer_failed", {{"error", e.what()}, {"route", route}});
    } catch (...) {
        log::error("http_observer_failed", {{"error", "unknown exception"}, {"route", route}});
    }
}

void ServerState::note_refusal(const std::string& limit) {
    metrics::registry()
        .counter("http_connections_refused_total",
                 "Connections refused over max_connections (limit=total) or "
                 "max_connections_per_address (limit=address)",
                 "limit=\"" + limit + "\"")
        .inc();
    std::uint64_t refused = 0;
    {
        std::lock_guard lock(refusal_log_mutex);
        ++refusals_not_logged;
        const auto now = Clock::now();
        if (now - refusal_logged_at < kRefusalLogInterval)
            return;
        refusal_logged_at = now;
        refused = std::exchange(refusals_not_logged, 0);
    }
    log::warn("http_connections_refused",
              {{"refused", refused},
               {"limit", limit},
               {"max_connections", options.max_connections},
               {"max_connections_per_address", options.max_connections_per_address},
               {"log_interval_s", kRefusalLogInterval.count()}});
}

void ServerState::do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (!acceptor.is_open())
            return;  // stopping
        if (ec) {
            // E.g. out of file descriptors: back off instead of spinning.
            log::warn("http_accept_failed", {{"error", ec.message()}});
            accept_retry.expires_after(std::chrono::milliseconds(100));
            accept_retry.async_wait([this](beast::error_code wait_ec) {
                if (!wait_ec && acceptor.is_open())
                    do_accept();
            });
            return;
        }
        auto session = std::make_shared<Session>(*this, std::move(socket));
        std::string refused_by;  // "total" or "address" when over a cap
        bool answer_refusal = false;
        {
            std::lock_guard lock(sessions_mutex);
            sessions.emplace(session.get(), session);
            auto from_address = admitted_per_address.find(session->address());
            if (admitted >= options.max_connections)
                refused_by = "total";
            else if (from_address != admitted_per_address.end() &&
                     from_address->second >= options.max_connections_per_address)
                refused_by = "address";
            if (refused_by.empty()) {
                ++admitted;
                ++admitted_per_address[session->address()];
                session->set_admission(Session::Admission::admitted);
            } else if (refusals_in_flight < kMaxRefusalsInFlight) {
                ++refusals_in_flight;
                answer_refusal = true;
                session->set_admission(Session::Admission::refusing);
            }
        }
        if (refused_by.empty()) {
            metrics::registry()
                .gauge("http_open_connections", "HTTP connections open (admitted)")
                .add(1);
            session->start();
        } else {
            note_refusal(refused_by);
            session->refuse(answer_refusal, refused_by);
        }
        do_accept();
    });
}

void ServerState::request_stop() {
    std::lock_guard lock(state_mutex);
    stop_requested = true;
    state_cv.notify_all();
}

void ServerState::run_thread() {
    for (;;) {
        try {
            ioc.run();
            return;
        } catch (const std::exception& e) {
            log::error("http_io_thread_exception", {{"error", e.what()}});
        }
    }
}

void ServerState::drain() {
    {
        std::unique_lock lock(state_mutex);
        if (!started || drained)
            return;
        if (draining) {
            state_cv.wait(lock, [&] { return drained; });
            return;
        }
        draining = true;
    }
    auto deadline = Clock::now() + options.shutdown_grace;
    shutting_down.store(true);

    auto closed = std::make_shared<std::promise<void>>();
    asio::post(control, [this, closed] {
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel(ec);
        accept_retry.cancel();
        closed->set_value();
    });
    // All I/O threads may be busy in handlers; do not wait past the grace period.
    closed->get_future().wait_until(deadline);

    auto live = [&] {
        std::vector<std::shared_ptr<Session>> out;
        std::lock_guard lock(sessions_mutex);
        for (auto& [ptr, weak] : sessions)
            if (auto s = weak.lock())
                out.push_back(std::move(s));
        return out;
    };
    for (auto& s : live())
        s->on_shutdown();

    bool all_closed;
    {
        std::unique_lock lock(sessions_mutex);
        all_closed = sessions_cv.wait_until(lock, deadline, [&] { return sessions.empty(); });
    }
    if (!all_closed) {
        auto left = live();
        log::warn("http_shutdown_grace_expired", {{"open_connections", left.size()},
                                                  {"grace_ms", options.shutdown_grace.count()}});
        for (auto& s : left)
            s->force_close();
    }
    work.reset();
    ioc.stop();
    for (auto& t : threads)
        if (t.joinable())
            t.join();
    // A handler still blocked keeps its thread until it returns.
    if (handlers)
        handlers->join();
    log::info("http_server_stopped", {{"port", bound_port}});

    std::lock_guard lock(state_mutex);
    drained = true;
    state_cv.notify_all();
}

Server::Server(ServerOptions options, Router router, Authenticator authenticator,
               ReadinessCheck readiness)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(authenticator),
                                   std::move(readiness))) {}

Server::~Server() {
    if (!impl_)
        return;
    try {
        stop();
        impl_->drain();
    } catch (const std::exception& e) {
        log::error("http_server_shutdown_failed", {{"error", e.what()}});
    }
}

void Server::start() {
    auto& im = *impl_;
    {
        std::lock_guard lock(im.state_mutex);
        if (im.started)
            throw std::logic_error("Server::start() called twice");
    }
    const auto& o = im.options;
    std::string where = o.address + ":" + std::to_string(o.port);
    auto fail = [&](const beast::error_code& ec) {
        beast::error_code ignored;
        im.acceptor.close(ignored);
        throw std::runtime_error("cannot listen on " + where + ": " + lower_first(ec.message()) +
                                 listen_hint(ec, o.service_name));
    };
    beast::error_code ec;
    tcp::resolver resolver(im.ioc);
    auto results = resolver.resolve(o.address, std::to_string(o.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty())
        throw std::runtime_error("cannot listen on " + where + ": cannot resolve address '" +
                                 o.address + "'" + (ec ? ": " + ec.message() : std::string()));
    tcp::endpoint endpoint = results.begin()->endpoint();
    im.acceptor.open(endpoint.protocol(), ec);
    if (ec)
        fail(ec);
    im.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec)
        fail(ec);
    im.acceptor.bind(endpoint, ec);
    if (ec)
        fail(ec);
    im.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        fail(ec);
    im.bound_port = im.acceptor.local_endpoint(ec).port();

    im.signals.add(SIGINT, ec);
    if (!ec)
        im.signals.add(SIGTERM, ec);
    if (ec)
        log::warn("http_signal_setup_failed", {{"error", ec.message()}});
    im.signals.async_wait([&im](beast::error_code wait_ec, int signal) {
        if (wait_ec)
            return;
        log::info("http_server_signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        im.request_stop();
    });
    im.do_accept();

    const int handler_threads = std::max(1, o.handler_threads);
    im.handlers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(handler_threads));
    int n = std::max(1, o.io_threads);
    im.threads.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        im.threads.emplace_back([&im] { im.run_thread(); });
    {
        std::lock_guard lock(im.state_mutex);
        im.started = true;
    }
    log::info("http_server_listening", {{"address", o.address},
                                        {"port", im.bound_port},
                                        {"io_threads", n},
                                        {"handler_threads", handler_threads}});
}

std::uint16_t Server::port() const {
    return impl_->bound_port;
}

void Server::wait() {
    {
        std::unique_lock lock(impl_->state_mutex);
        if (!impl_->started)
            throw std::logic_error("Server::wait() called before start()");
        impl_->state_cv.wait(lock, [&] { return impl_->stop_requested; });
    }
    impl_->drain();
}

void Server::stop() {
    impl_->request_stop();
}

}  // namespace sales::http
