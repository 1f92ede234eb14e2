// Synchronous HTTP/1.1 client with a pool of idle keep-alive connections. Each connection owns
// a small io_context that the calling thread runs while the request is in flight, so Beast's
// per-operation timeouts (tcp_stream::expires_after) work without a background thread; a
// connection is used by one thread at a time and only the pool is shared (under a mutex).
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace sales::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kResponseBodyLimit = 64ull << 20;

struct Connection {
    asio::io_context ioc{1};
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;
    std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();

    // Runs the io_context until the started operation completes.
    void run() {
        ioc.restart();
        ioc.run();
    }

    // A pooled connection the server has closed (or that has stray bytes) is not reusable.
    bool looks_open() {
        if (!stream.socket().is_open())
            return false;
        char byte;
        auto n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

struct Failure {
    beast::error_code ec;
    std::string stage;  // "sending the request", "reading the response"
    // Failed before any response byte (the server may have closed the pooled connection).
    bool stale = false;
    bool nothing_written = false;  // not one byte of the request left this process
};

}  // namespace

struct Client::Impl {
    std::string host;
    std::uint16_t port;
    ClientOptions options;
    std::string where;  // "host:port" for messages

    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;

    std::unique_ptr<Connection> take_idle() {
        const auto oldest = std::chrono::steady_clock::now() - options.max_idle_age;
        std::lock_guard lock(mutex);
        while (!idle.empty()) {
            auto c = std::move(idle.back());
            idle.pop_back();
            if (c->idle_since >= oldest && c->looks_open())
                return c;
        }
        return nullptr;
    }

    void give_back(std::unique_ptr<Connection> c) {
        c->idle_since = std::chrono::steady_clock::now();
        if (c->idle_since - c->opened >= options.max_connection_age)
            return;  // closed: the next connection resolves the name again
        std::lock_guard lock(mutex);
        if (idle.size() < options.max_idle_connections)
            idle.push_back(std::move(c));
    }

    std::unique_ptr<Connection> connect() {
        auto c = std::make_unique<Connection>();
        beast::error_code ec;
        tcp::resolver resolver(c->ioc);
        const auto resolved = resolver.resolve(host, std::to_string(port), ec);
        if (ec)
            throw ClientError("cannot resolve " + where + ": " + ec.message());
        // A name with several addresses (the replicas of a service behind one DNS name): new
        // connections spread over them, and one that does not answer is skipped.
        std::vector<tcp::endpoint> endpoints(resolved.begin(), resolved.end());
        thread_local std::minstd_rand shuffler{std::random_device{}()};
        std::shuffle(endpoints.begin(), endpoints.end(), shuffler);
        c->stream.expires_after(options.connect_timeout);
        ec = asio::error::would_block;
        c->stream.async_connect(endpoints,
                                [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
        c->run();
        if (ec == beast::error::timeout)
            throw ClientError("cannot connect to " + where + ": no answer within " +
                              std::to_string(options.connect_timeout.count()) + " ms");
        if (ec)
            throw ClientError("cannot connect to " + where + ": " + ec.message());
        c->stream.socket().set_option(tcp::no_delay(true), ec);
        return c;
    }

    // One request/response on `c`. Returns the failure, if any.
    std::optional<Failure> exchange(Connection& c, bhttp::request<bhttp::string_body>& req,
                                    bhttp::response_parser<bhttp::string_body>& parser) {
        beast::error_code ec = asio::error::would_block;
        std::size_t written = 0;
        c.buffer.clear();
        c.stream.expires_after(options.request_timeout);
        bhttp::async_write(c.stream, req, [&](beast::error_code e, std::size_t n) {
            ec = e;
            written = n;
        });
        c.run();
        if (ec)
            return Failure{ec, "sending the request", ec != beast::error::timeout, written == 0};
        ec = asio::error::would_block;
        parser.body_limit(kResponseBodyLimit);
        bhttp::async_read(c.stream, c.buffer, parser,
                          [&](beast::error_code e, std::size_t) { ec = e; });
        c.run();
        if (ec)
            return Failure{
                ec, "reading the response",
                ec != beast::error::timeout && !parser.got_some() && c.buffer.size() == 0, false};
        c.stream.expires_never();
        return std::nullopt;
    }
};

Client::Client(std::string host, std::uint16_t port, ClientOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
    impl_->options = options;
    impl_->where = impl_->host + ":" + std::to_string(port);
}

Client::~Client() = default;

ClientResponse Client::request(const std::string& method, const std::string& target,
                               const std::string& body, const Headers& headers) {
    bhttp::request<bhttp::string_body> req;
    auto verb = bhttp::string_to_verb(method);
    if (verb == bhttp::verb::unknown)
        req.method_string(method);
    else
        req.method(verb);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, impl_->where);
    req.set(bhttp::field::user_agent, "sales-http-client");
    // Carry the caller's correlation ids to the next service unless given explicitly.
    const auto& context = log::current();
    if (!context.request_id.empty())
        req.set("X-Request-Id", context.request_id);
    if (is_traceparent(context.traceparent))
        req.set("traceparent", child_traceparent(context.traceparent));
    for (const auto& [name, value] : headers)
        req.set(name, value);
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();

    const std::string what = method + " " + target + " to " + impl_->where;
    const bool may_resend = is_idempotent(method);
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<Connection> conn = attempt == 0 ? impl_->take_idle() : nullptr;
        bool reused = conn != nullptr;
        if (!conn)
            conn = impl_->connect();

        bhttp::response_parser<bhttp::string_body> parser;
        if (verb == bhttp::verb::head)
            parser.skip(true);  // no body follows, whatever the headers say
        auto failure = impl_->exchange(*conn, req, parser);
        if (failure) {
            // The server closed the idle connection. Sent again only when that cannot do the
            // work twice: a POST or PATCH it may have read is the caller's decision (issue 11).
            if (reused && failure->stale && (may_resend || failure->nothing_written))
                continue;
            if (failure->ec == beast::error::timeout)
                throw ClientError(what + " timed out after " +
                                      std::to_string(impl_->options.request_timeout.count()) +
                                      " ms",
                                  true);
            throw ClientError(
                what + " failed while " + failure->stage + ": " + failure->ec.message(), false,
                !failure->nothing_written);
        }

        auto& res = parser.get();
        ClientResponse out;
        out.status = static_cast<int>(res.result_int());
        for (const auto& f : res) {
            auto [it, inserted] =
                out.headers.emplace(std::string(f.name_string()), std::string(f.value()));
            if (!inserted)
                it->second += ", " + std::string(f.value());
        }
        out.body = std::move(res.body());
        if (res.keep_alive() && conn->buffer.size() == 0)
            impl_->give_back(std::move(conn));
        return out;
    }
}

bool is_idempotent(std::string_view method) {
    for (std::string_view safe : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
        if (method == safe)
            return true;
    return false;
}

ClientResponse Client::post_json(const std::string& target, const nlohmann::json& body,
                                 Headers headers) {
    if (headers.find("Content-Type") == headers.end())
        headers["Content-Type"] = "application/json";
    return request("POST", target, body.dump(), headers);
}

}  // namespace sales::http
