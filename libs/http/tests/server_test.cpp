// Server and client over loopback: a real Server on port 0, the real Client, and a few raw
// POSIX sockets where the client would hide what is tested (timeouts, malformed requests).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"
#include "test_support.hpp"

namespace sales::http {
namespace {

using namespace std::chrono_literals;

using sales::test::eventually;
using sales::test::read_http_message;
using sales::test::set_receive_timeout;

Principal test_principal() {
    Principal p;
    p.user_id = "u-1";
    p.roles = {"sales_control"};
    p.project_ids = {"*"};
    p.expires_at = std::chrono::system_clock::now() + 1h;
    return p;
}

// Accepts "Authorization: Bearer good", rejects anything else.
Principal bearer_good(const Request& req) {
    if (req.header("authorization") != "Bearer good")
        throw sales::Failure(sales::Failure::Kind::unauthenticated, "unauthenticated",
                             "missing or invalid bearer token");
    return test_principal();
}

// Runs `f` when it goes out of scope (a blocked handler released on every exit path).
struct OnExit {
    std::function<void()> f;
    ~OnExit() { f(); }
};

ServerOptions test_options() {
    ServerOptions o;
    o.service_name = "http-test";
    o.address = "127.0.0.1";
    o.port = 0;
    o.io_threads = 2;
    o.shutdown_grace = 5s;
    return o;
}

struct Running {
    explicit Running(Router router, Authenticator auth = bearer_good, ReadinessCheck ready = {},
                     ServerOptions options = test_options())
        : server(std::move(options), std::move(router), std::move(auth), std::move(ready)) {
        server.start();
    }
    Client client(ClientOptions o = {}) { return Client("127.0.0.1", server.port(), o); }
    Server server;
};

nlohmann::json error_of(const ClientResponse& r) {
    return r.json().at("error");
}

Router echo_router() {
    Router r;
    r.add(
        "POST", "/echo/{name}",
        [](Request& req) {
            return Response::json(200, {{"body", req.json()},
                                        {"name", req.params.at("name")},
                                        {"path", req.path},
                                        {"query", req.query}});
        },
        false);
    r.add("GET", "/whoami", [](Request& req) {
        return Response::json(200, {{"user", req.caller().user_id}});
    });
    r.add(
        "GET", "/public",
        [](Request&) {
            return Response::json(200, {{"public", true}});
        },
        false);
    r.add(
        "GET", "/conflict",
        [](Request&) -> Response {
            throw sales::Failure(sales::Failure::Kind::conflict, "unit_not_available",
                                 "unit U1 is already held", {{"unit_id", "U1"}});
        },
        false);
    r.add(
        "GET", "/boom",
        [](Request&) -> Response {
            throw std::runtime_error("secret connection string pg://x:y@db");
        },
        false);
    r.add(
        "GET", "/context",
        [](Request& req) {
            return Response::json(200, {{"log_request_id", log::current().request_id},
                                        {"log_traceparent", log::current().traceparent},
                                        {"request_id", req.request_id},
                                        {"traceparent", req.traceparent}});
        },
        false);
    r.add(
        "GET", "/peer", [](Request& req) { return Response::text(200, req.remote_address); },
        false);
    return r;
}

// --- types ---------------------------------------------------------------------------------

TEST(RequestJson, AcceptsObjectWithOrWithoutContentType) {
    Request req;
    req.body = R"({"a":1})";
    EXPECT_EQ(req.json().at("a"), 1);
    req.headers["content-type"] = "Application/JSON; charset=utf-8";
    EXPECT_EQ(req.json().at("a"), 1);
}

TEST(RequestJson, RejectsOtherMediaTypeWith415) {
    Request req;
    req.body = R"({"a":1})";
    req.headers["Content-Type"] = "text/plain";
    try {
        req.json();
        FAIL() << "no exception";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(sales::http_status(e.kind()), 415);
        EXPECT_EQ(e.code(), "unsupported_media_type");
    }
}

TEST(RequestJson, ParseErrorAndNonObjectAre400WithPosition) {
    Request req;
    for (std::string body : {std::string(R"({"a": tru})"), std::string("[1,2]"), std::string()}) {
        req.body = body;
        try {
            req.json();
            FAIL() << "no exception for " << body;
        } catch (const sales::Failure& e) {
            EXPECT_EQ(sales::http_status(e.kind()), 400);
            EXPECT_EQ(e.code(), "invalid_json");
        }
    }
    req.body = R"({"a": tru})";
    try {
        req.json();
    } catch (const sales::Failure& e) {
        EXPECT_NE(std::string(e.what()).find("column"), std::string::npos) << e.what();
        EXPECT_TRUE(e.details().contains("byte"));
    }
}

// A body nested 200,000 levels deep (400 KB) is refused before it is parsed or copied.
TEST(RequestJson, DeepNestingIs400BeforeParsing) {
    Request req;
    req.body = "{\"plan\": " + std::string(200'000, '[') + std::string(200'000, ']') + "}";
    try {
        req.json();
        FAIL() << "no exception";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(sales::http_status(e.kind()), 400);
        EXPECT_EQ(e.code(), "invalid_json");
    }
    req.body = R"({"a":[[[1]]]})";
    EXPECT_EQ(req.json()["a"][0][0][0], 1);
}

TEST(Gzip, RoundTripsAndCompressesRepetitiveJson) {
    std::string board = "[";
    for (int i = 0; i < 2'000; ++i)
        board += R"({"unit_number":")" + std::to_string(i) + R"(","status":"available"},)";
    board.back() = ']';
    const auto packed = gzip(board);
    EXPECT_EQ(packed.substr(0, 2), "\x1f\x8b");  // the gzip magic, not a zlib header
    EXPECT_LT(packed.size() * 5, board.size());
    EXPECT_EQ(gunzip(packed), board);
    EXPECT_EQ(gunzip(gzip("")), "");
    EXPECT_THROW(gunzip(board), std::invalid_argument);
    EXPECT_THROW(gunzip(packed.substr(0, packed.size() / 2)), std::invalid_argument);
    EXPECT_THROW(gunzip(packed, 1'000), std::invalid_argument);
}

TEST(Gzip, AcceptedUnlessAbsentOrQZero) {
    const auto accepts = [](std::string value) {
        Request r;
        if (!value.empty())
            r.headers["accept-encoding"] = std::move(value);
        return accepts_gzip(r);
    };
    EXPECT_TRUE(accepts("gzip, deflate, br"));
    EXPECT_TRUE(accepts("br;q=1.0, gzip;q=0.8"));
    EXPECT_TRUE(accepts("GZIP"));
    EXPECT_FALSE(accepts(""));
    EXPECT_FALSE(accepts("br, deflate"));
    EXPECT_FALSE(accepts("gzip;q=0, br"));
    EXPECT_FALSE(accepts("gzip;q=0.000"));
}

TEST(HeadersMap, IsCaseInsensitive) {
    Headers h;
    h["X-Request-Id"] = "a";
    EXPECT_EQ(h.count("x-request-id"), 1u);
    Request req;
    req.headers = h;
    EXPECT_EQ(req.header("X-REQUEST-ID"), "a");
    EXPECT_EQ(req.header("missing"), "");
    EXPECT_THROW(req.caller(), sales::Failure);
}

TEST(ResponseError, HasEnvelope) {
    auto r = Response::error(409, "conflict", "taken", {{"id", 3}});
    EXPECT_EQ(r.status, 409);
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["error"]["code"], "conflict");
    EXPECT_EQ(j["error"]["message"], "taken");
    EXPECT_EQ(j["error"]["details"]["id"], 3);
    EXPECT_EQ(Response::failure(sales::Failure(sales::Failure::Kind::not_found, "x", "y")).status,
              404);
    EXPECT_EQ(Response::failure(sales::Failure(sales::Failure::Kind::rule, "x", "y")).status, 422);
}

// --- server --------------------------------------------------------------------------------

TEST(Server, JsonEchoRoundTripWithDecodedParamsAndQuery) {
    Running s(echo_router());
    auto c = s.client();
    nlohmann::json sent = {{"price_fen", 123456789012}, {"name", "\xe5\xbc\xa0\xe4\xb8\x89"}};
    auto r = c.post_json("/echo/a%20b%2Fc?x=1&y=hello+world&z=%2F%26&flag", sent);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["body"], sent);
    EXPECT_EQ(j["name"], "a b/c");
    EXPECT_EQ(j["path"], "/echo/a b/c");
    EXPECT_EQ(j["query"]["x"], "1");
    EXPECT_EQ(j["query"]["y"], "hello world");
    EXPECT_EQ(j["query"]["z"], "/&");
    EXPECT_EQ(j["query"]["flag"], "");
    EXPECT_EQ(r.headers["Content-Type"], "application/json");
    EXPECT_EQ(r.headers["Content-Length"], std::to_string(r.body.size()));
    EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(r.headers["Cache-Control"], "no-store");
}

TEST(Server, NotFoundAndMethodNotAllowedUseTheEnvelope) {
    Running s(echo_router());
    auto c = s.client();
    auto r = c.get("/nowhere");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(error_of(r)["code"], "not_found");
    r = c.request("DELETE", "/echo/x");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(error_of(r)["code"], "method_not_allowed");
    EXPECT_EQ(r.headers["Allow"], "POST");
    r = c.post_json("/healthz", nlohmann::json::object());
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.headers["Allow"], "GET");
}

TEST(Server, BodyOverLimitIs413AndServerStaysUsable) {
    auto options = test_options();
    options.body_limit_bytes = 1 << 20;
    Running s(echo_router(), bearer_good, {}, options);
    auto c = s.client();
    std::string big(2 << 20, 'x');
    auto r = c.request("POST", "/echo/big", big, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(error_of(r)["code"], "payload_too_large");
    EXPECT_EQ(r.headers["Connection"], "close");
    // Just under the limit is accepted.
    std::string fits = R"({"s":")" + std::string((1 << 20) - 64, 'y') + R"("})";
    r = c.request("POST", "/echo/ok", fits, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200);
}

TEST(Server, InvalidJsonIs400AndWrongContentTypeIs415) {
    Running s(echo_router());
    auto c = s.client();
    auto r = c.request("POST", "/echo/x", "{\"a\":", {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(error_of(r)["code"], "invalid_json");
    r = c.post_json("/echo/x", nlohmann::json::array({1, 2}));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(error_of(r)["code"], "invalid_json");
    r = c.request("POST", "/echo/x", "{}", {{"Content-Type", "text/plain"}});
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(error_of(r)["code"], "unsupported_media_type");
}

TEST(Server, BadPercentEncodingIs400) {
    Running s(echo_router());
    auto c = s.client();
    EXPECT_EQ(c.get("/public?x=%zz").status, 400);
    EXPECT_EQ(error_of(c.get("/public?x=%zz"))["code"], "invalid_query");
    EXPECT_EQ(error_of(c.get("/pub%zzlic"))["code"], "invalid_path");
}

TEST(Server, HandlerFailureGivesItsStatusCodeAndDetails) {
    Running s(echo_router());
    auto r = s.client().get("/conflict");
    EXPECT_EQ(r.status, 409);
    auto e = error_of(r);
    EXPECT_EQ(e["code"], "unit_not_available");
    EXPECT_EQ(e["message"], "unit U1 is already held");
    EXPECT_EQ(e["details"]["unit_id"], "U1");
}

TEST(Server, OtherExceptionIs500WithoutLeakingItsText) {
    Running s(echo_router());
    auto r = s.client().get("/boom");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(error_of(r)["code"], "internal");
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("pg://"), std::string::npos) << r.body;
}

TEST(Server, RequestIdIsEchoedOrGeneratedAndSetInTheLogContext) {
    Running s(echo_router());
    auto c = s.client();
    auto r = c.get("/context", {{"X-Request-Id", "req-1.A_b"}});
    EXPECT_EQ(r.headers["X-Request-Id"], "req-1.A_b");
    EXPECT_EQ(r.json()["log_request_id"], "req-1.A_b");

    r = c.get("/context");
    auto generated = r.headers["X-Request-Id"];
    EXPECT_TRUE(is_uuid(generated)) << generated;
    EXPECT_EQ(r.json()["request_id"], generated);
    EXPECT_TRUE(is_traceparent(r.json()["traceparent"].get<std::string>()));
    EXPECT_EQ(r.json()["log_traceparent"], r.json()["traceparent"]);

    r = c.get("/context", {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_TRUE(is_uuid(r.headers["X-Request-Id"])) << r.headers["X-Request-Id"];
    r = c.get("/context", {{"X-Request-Id", std::string(129, 'a')}});
    EXPECT_TRUE(is_uuid(r.headers["X-Request-Id"]));

    // A valid traceparent is kept; errors carry the id too.
    auto tp = new_traceparent();
    r = c.get("/context", {{"traceparent", tp}});
    EXPECT_EQ(r.json()["traceparent"], tp);
    r = c.get("/nowhere", {{"X-Request-Id", "nf-1"}});
    EXPECT_EQ(r.headers["X-Request-Id"], "nf-1");
}

TEST(Server, AuthenticatedRouteNeedsTheAuthenticatorUnauthenticatedDoesNot) {
    Running s(echo_router());
    auto c = s.client();
    auto r = c.get("/whoami");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(error_of(r)["code"], "unauthenticated");
    r = c.get("/whoami", {{"Authorization", "Bearer good"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["user"], "u-1");
    EXPECT_EQ(c.get("/public").status, 200);
}

TEST(Server, MissingAuthenticatorFailsClosed) {
    Running s(echo_router(), Authenticator{});
    EXPECT_EQ(s.client().get("/whoami", {{"Authorization", "Bearer good"}}).status, 401);
}

TEST(Server, HealthzAndReadyz) {
    std::atomic<bool> ready{false};
    Running s(echo_router(), bearer_good, [&]() -> std::string { return ready ? "" : "database"; });
    auto c = s.client();
    auto r = c.get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["status"], "ok");
    r = c.get("/readyz");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(error_of(r)["code"], "not_ready");
    EXPECT_EQ(error_of(r)["details"]["waiting_for"], "database");
    ready = true;
    r = c.get("/readyz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["status"], "ready");
}

TEST(Server, MetricsCountRequestsByRoutePattern) {
    Running s(echo_router());
    auto c = s.client();
    ASSERT_EQ(c.get("/context").status, 200);
    auto r = c.get("/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["Content-Type"].rfind("text/plain", 0), 0u) << r.headers["Content-Type"];
    EXPECT_NE(r.body.find("http_requests_total"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find(R"(route="/context")"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("http_request_duration_seconds"), std::string::npos) << r.body;
}

TEST(Server, KeepAliveReusesOneConnection) {
    Running s(echo_router());
    auto c = s.client();
    auto first = c.get("/peer");
    ASSERT_EQ(first.status, 200);
    for (int i = 0; i < 5; ++i) {
        auto r = c.get("/peer");
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(r.body, first.body) << "request " << i << " used another connection";
    }
}

TEST(Server, ConcurrentClientsOnOneClientObject) {
    Running s(echo_router());
    auto c = s.client();
    std::vector<std::future<int>> results;
    for (int t = 0; t < 4; ++t)
        results.push_back(std::async(std::launch::async, [&] {
            int ok = 0;
            for (int i = 0; i < 25; ++i)
                ok += c.post_json("/echo/t", {{"i", i}}).status == 200;
            return ok;
        }));
    for (auto& f : results)
        EXPECT_EQ(f.get(), 25);
}

// Issue 13 item 2: handlers run apart from the I/O threads. With one I/O thread, requests
// whose handlers wait (on the database, on NATS) do not stop another connection from being read
// and answered.
TEST(Server, AWaitingHandlerDoesNotHoldUpTheIoThread) {
    Router router;
    std::mutex m;
    std::condition_variable cv;
    int waiting = 0;
    bool release = false;
    router.add(
        "GET", "/wait",
        [&](Request&) {
            std::unique_lock lock(m);
            ++waiting;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
            return Response::json(200, {{"waited", true}});
        },
        false);
    router.add(
        "GET", "/quick",
        [](Request&) {
            return Response::json(200, {{"quick", true}});
        },
        false);
    auto options = test_options();
    options.io_threads = 1;
    options.handler_threads = 4;
    Running running(std::move(router), bearer_good, {}, options);
    const auto port = running.server.port();
    std::vector<std::future<ClientResponse>> waits;
    for (int i = 0; i < 3; ++i) {
        waits.push_back(std::async(std::launch::async,
                                   [port] { return Client("127.0.0.1", port).get("/wait"); }));
    }
    const OnExit guard{[&] {
        {
            std::lock_guard lock(m);
            release = true;
        }
        cv.notify_all();
    }};
    {
        std::unique_lock lock(m);
        ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return waiting == 3; }));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto quick = running.client().get("/quick");
    EXPECT_EQ(quick.status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    for (auto& w : waits)
        EXPECT_EQ(w.get().status, 200);
}

TEST(Server, GracefulStopFinishesInFlightRequestAndRefusesNewConnections) {
    Router router;
    std::mutex m;
    std::condition_variable cv;
    bool entered = false;
    bool release = false;
    router.add(
        "GET", "/slow",
        [&](Request&) {
            std::unique_lock lock(m);
            entered = true;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
            // Too big to leave in one send: the server must keep writing while stopping.
            return Response::json(200, {{"done", true}, {"pad", std::string(8 << 20, 'p')}});
        },
        false);
    Server server(test_options(), std::move(router), bearer_good, {});
    server.start();
    auto port = server.port();
    std::jthread waiter([&] { server.wait(); });
    std::future<ClientResponse> slow;
    // On any exit path: let the handler finish and the server stop, before joining anything.
    const OnExit guard{[&] {
        {
            std::lock_guard lock(m);
            release = true;
        }
        cv.notify_all();
        server.stop();
    }};

    slow =
        std::async(std::launch::async, [port] { return Client("127.0.0.1", port).get("/slow"); });
    {
        std::unique_lock lock(m);
        ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return entered; }));
    }
    server.stop();
    EXPECT_TRUE(eventually([&] {
        try {
            Client("127.0.0.1", port).get("/healthz");
            return false;
        } catch (const ClientError&) {
            return true;
        }
    })) << "new connections are still accepted after stop()";
    EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout) << "in-flight request ended early";
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    auto r = slow.get();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["done"], true);
    EXPECT_EQ(r.headers["Connection"], "close");
    waiter.join();  // wait() returned after draining
}

TEST(Server, StopWithoutInFlightRequestsReturnsFromWait) {
    Running s(echo_router());
    auto c = s.client();
    ASSERT_EQ(c.get("/healthz").status, 200);  // leaves an idle keep-alive connection
    std::thread stopper([&] { s.server.stop(); });
    s.server.wait();
    stopper.join();
    EXPECT_THROW(c.get("/healthz"), ClientError);
}

TEST(Server, BusyPortMakesStartThrowAClearMessage) {
    Running first(echo_router());
    auto options = test_options();
    options.port = first.server.port();
    Server second(options, echo_router(), bearer_good, {});
    try {
        second.start();
        FAIL() << "second server started on a busy port";
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("cannot listen on 127.0.0.1:" + std::to_string(options.port)),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("address already in use"), std::string::npos) << what;
    }
}

TEST(Client, ClosedPortGivesClientErrorNamingHostAndPort) {
    std::uint16_t port;
    {
        Running s(echo_router());
        port = s.server.port();
    }
    try {
        Client("127.0.0.1", port).get("/healthz");
        FAIL() << "request to a closed port succeeded";
    } catch (const ClientError& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port)),
                  std::string::npos)
            << e.what();
    }
}

TEST(Client, ReplacesAPooledConnectionTheServerClosed) {
    std::uint16_t port;
    auto options = test_options();
    std::unique_ptr<Client> client;
    {
        Running s(echo_router());
        port = s.server.port();
        client = std::make_unique<Client>("127.0.0.1", port);
        ASSERT_EQ(client->get("/healthz").status, 200);
    }  // the server closes the idle pooled connection while stopping
    options.port = port;
    Running again(echo_router(), bearer_good, {}, options);
    EXPECT_EQ(client->get("/healthz").status, 200);
}

TEST(Client, RequestTimeoutGivesClientError) {
    Router router;
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    router.add(
        "GET", "/hang",
        [&](Request&) {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return release; });
            return Response::json(200, {});
        },
        false);
    Running s(std::move(router));
    ClientOptions co;
    co.request_timeout = 200ms;
    auto c = s.client(co);
    EXPECT_THROW(c.get("/hang"), ClientError);
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
}

// --- raw sockets ---------------------------------------------------------------------------

struct RawSocket {
    // `from`: the local address to connect from (any 127.x.y.z is this machine on Linux).
    explicit RawSocket(std::uint16_t port, const char* from = nullptr)
        : fd(sales::test::connect_loopback(port, from != nullptr ? from : "")),
          connected(fd >= 0) {}
    ~RawSocket() {
        if (fd >= 0)
            ::close(fd);
    }
    void send(const std::string& s) {
        ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), ssize_t(s.size()));
    }
    // Reads until the peer closes (returns true) or the receive timeout passes (false).
    bool read_until_closed(std::string& out) {
        char buf[4096];
        for (;;) {
            auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n == 0)
                return true;
            if (n < 0)
                return errno == ECONNRESET;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    // Reads one response (head and Content-Length body); "" when the peer closed or timed out
    // first.
    std::string read_response() { return read_http_message(fd); }
    int fd;
    bool connected;
};

// A listener for scripted peers: a port on loopback, accept with a receive timeout.
struct Listener : sales::test::LoopbackListener {
    Listener() { set_receive_timeout(fd, 10s); }
    // A connection waiting to be accepted, taken without waiting; -1 when there is none.
    int accept_pending() const {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        return ::accept(fd, nullptr, nullptr);
    }
};

TEST(Server, MalformedRequestIs400AndClosed) {
    Running s(echo_router());
    RawSocket sock(s.server.port());
    ASSERT_TRUE(sock.connected);
    sock.send("GET /public HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    std::string got;
    EXPECT_TRUE(sock.read_until_closed(got));
    EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
    EXPECT_NE(got.find("bad_request"), std::string::npos) << got;
}

TEST(Server, SilentConnectionIsClosedAfterReadTimeout) {
    auto options = test_options();
    options.read_timeout = 200ms;
    Running s(echo_router(), bearer_good, {}, options);
    RawSocket sock(s.server.port());
    ASSERT_TRUE(sock.connected);
    auto t0 = std::chrono::steady_clock::now();
    sock.send("GET /public HTTP/1.1\r\nHost: x\r\n");  // never finishes the head
    std::string got;
    EXPECT_TRUE(sock.read_until_closed(got));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_EQ(got, "");
}

TEST(Server, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
    auto options = test_options();
    options.idle_timeout = 200ms;
    Running s(echo_router(), bearer_good, {}, options);
    RawSocket sock(s.server.port());
    ASSERT_TRUE(sock.connected);
    sock.send("GET /public HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string got;
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(sock.read_until_closed(got));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got;
    EXPECT_EQ(got.find("Connection: close"), std::string::npos)
        << "closed by the idle timeout, not by the response";
}

TEST(Server, ExpectContinueGetsInterimResponse) {
    Running s(echo_router());
    RawSocket sock(s.server.port());
    ASSERT_TRUE(sock.connected);
    sock.send(
        "POST /echo/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 7\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
    char buf[256];
    auto n = ::recv(sock.fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 100 Continue", 0), 0u);
    sock.send(R"({"a":1})");
    std::string got;
    EXPECT_TRUE(sock.read_until_closed(got));
    EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got;
}

// A scripted peer: answers one request with keep-alive, then reads the next request on the
// same connection and closes it without a byte (as a server closing an idle connection does),
// then answers on a new connection. The client must retry the second request once.
TEST(Client, RetriesOnceWhenAPooledConnectionDiesBeforeAnyResponseByte) {
    Listener listener;
    auto read_head = [](int fd) {
        std::string got;
        char buf[1024];
        while (got.find("\r\n\r\n") == std::string::npos) {
            auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    };
    std::atomic<int> connections{0};
    std::jthread peer([&] {
        int c1 = ::accept(listener.fd, nullptr, nullptr);
        if (c1 < 0)
            return;
        ++connections;
        set_receive_timeout(c1, 10s);
        read_head(c1);
        std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst";
        ::send(c1, ok.data(), ok.size(), MSG_NOSIGNAL);
        read_head(c1);
        ::close(c1);
        int c2 = ::accept(listener.fd, nullptr, nullptr);
        if (c2 < 0)
            return;
        ++connections;
        set_receive_timeout(c2, 10s);
        read_head(c2);
        std::string retry =
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nretry";
        ::send(c2, retry.data(), retry.size(), MSG_NOSIGNAL);
        ::close(c2);
    });
    Client c("127.0.0.1", listener.port);
    EXPECT_EQ(c.get("/one").body, "first");
    EXPECT_EQ(c.get("/two").body, "retry");
    peer.join();
    EXPECT_EQ(connections.load(), 2);
}

// Issue 11: a POST is never sent twice by the client on its own. The peer answers a GET with
// keep-alive, then reads the POST that follows on the same (pooled) connection in full and closes
// without answering. The client must not send it again on a new connection: the caller gets a
// ClientError saying the request was sent, and the peer saw the POST exactly once.
TEST(Client, NeverResendsAPostThePeerMayHaveRead) {
    for (const std::string method : {"POST", "PATCH"}) {
        SCOPED_TRACE(method);
        Listener listener;
        std::atomic<int> writes_seen{0};
        std::jthread peer([&] {
            int c1 = ::accept(listener.fd, nullptr, nullptr);
            if (c1 < 0)
                return;
            set_receive_timeout(c1, 10s);
            read_http_message(c1);
            std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst";
            ::send(c1, ok.data(), ok.size(), MSG_NOSIGNAL);
            if (read_http_message(c1).rfind(method + " /deals", 0) == 0)
                ++writes_seen;
            ::close(c1);  // read in full, never answered
        });
        Client c("127.0.0.1", listener.port);
        ASSERT_EQ(c.get("/warm-up").body, "first");
        try {
            c.request(method, "/deals", R"({"amount_fen":100})",
                      {{"Content-Type", "application/json"}});
            ADD_FAILURE() << "a request nobody answered succeeded";
        } catch (const ClientError& e) {
            EXPECT_TRUE(e.request_sent()) << e.what();
            EXPECT_FALSE(e.timed_out()) << e.what();
        }
        peer.join();
        EXPECT_EQ(writes_seen.load(), 1);
        // The client has returned: a second attempt would be a connection waiting here.
        const int second = listener.accept_pending();
        EXPECT_LT(second, 0) << "the client opened another connection to send it again";
        if (second >= 0)
            ::close(second);
    }
}

TEST(Client, OnlyIdempotentMethodsAreResentOnTheirOwn) {
    for (const auto* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
        EXPECT_TRUE(is_idempotent(method)) << method;
    for (const auto* method : {"POST", "PATCH", "CONNECT", "post", ""})
        EXPECT_FALSE(is_idempotent(method)) << method;
}

TEST(Client, ClosedPortIsAnErrorWithNothingSent) {
    std::uint16_t port;
    {
        Listener closed;
        port = closed.port;
    }
    try {
        Client("127.0.0.1", port).request("POST", "/x", "{}");
        ADD_FAILURE() << "request to a closed port succeeded";
    } catch (const ClientError& e) {
        EXPECT_FALSE(e.request_sent()) << e.what();
    }
}

// --- connection caps (issue 11) ---------------------------------------------------------------

const std::string kGetPublic = "GET /public HTTP/1.1\r\nHost: x\r\n\r\n";

// A keep-alive connection the server has admitted (it answered 200 and stays open).
std::unique_ptr<RawSocket> admitted_connection(std::uint16_t port, const char* from) {
    auto sock = std::make_unique<RawSocket>(port, from);
    EXPECT_TRUE(sock->connected) << from;
    sock->send(kGetPublic);
    const auto response = sock->read_response();
    EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << from << ": " << response;
    return sock;
}

// The answer to a connection over a cap: 503 too_many_connections, then the server closes.
std::string refused_answer(std::uint16_t port, const char* from) {
    RawSocket sock(port, from);
    EXPECT_TRUE(sock.connected);
    sock.send(kGetPublic);
    std::string got;
    EXPECT_TRUE(sock.read_until_closed(got)) << "the refused connection was left open";
    return got;
}

TEST(Server, ConnectionsOverThePerAddressCapAre503AndClosed) {
    auto options = test_options();
    options.max_connections = 100;
    options.max_connections_per_address = 2;
    Running s(echo_router(), bearer_good, {}, options);
    std::vector<std::unique_ptr<RawSocket>> open;
    for (int i = 0; i < 2; ++i)
        open.push_back(admitted_connection(s.server.port(), "127.0.0.1"));

    const auto refused = refused_answer(s.server.port(), "127.0.0.1");
    EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
    EXPECT_NE(refused.find("Connection: close"), std::string::npos) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
    const auto body = nlohmann::json::parse(refused.substr(refused.find("\r\n\r\n") + 4));
    EXPECT_EQ(body["error"]["code"], "too_many_connections");
    EXPECT_EQ(body["error"]["details"]["limit"], "address");
    // The real client sees the 503 as an answer too.
    const auto via_client = s.client().get("/public");
    EXPECT_EQ(via_client.status, 503) << via_client.body;

    // Another address is not limited by the first one's connections.
    admitted_connection(s.server.port(), "127.0.0.2");
    // The admitted connections still work.
    open[0]->send(kGetPublic);
    EXPECT_EQ(open[0]->read_response().rfind("HTTP/1.1 200", 0), 0u);
    // Closing one frees its place.
    open.pop_back();
    EXPECT_TRUE(eventually([&] {
        RawSocket sock(s.server.port(), "127.0.0.1");
        sock.send(kGetPublic);
        return sock.read_response().rfind("HTTP/1.1 200", 0) == 0;
    }));
    EXPECT_NE(
        metrics::registry().render().find("http_connections_refused_total{limit=\"address\"}"),
        std::string::npos);
}

TEST(Server, ConnectionsOverTheTotalCapAre503) {
    auto options = test_options();
    options.max_connections = 3;
    options.max_connections_per_address = 2;
    Running s(echo_router(), bearer_good, {}, options);
    auto a = admitted_connection(s.server.port(), "127.0.0.1");
    auto b = admitted_connection(s.server.port(), "127.0.0.1");
    auto c = admitted_connection(s.server.port(), "127.0.0.2");

    const auto refused = refused_answer(s.server.port(), "127.0.0.3");
    EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
    const auto body = nlohmann::json::parse(refused.substr(refused.find("\r\n\r\n") + 4));
    EXPECT_EQ(body["error"]["code"], "too_many_connections");
    EXPECT_EQ(body["error"]["details"]["limit"], "total");

    c.reset();
    EXPECT_TRUE(eventually([&] {
        RawSocket sock(s.server.port(), "127.0.0.3");
        sock.send(kGetPublic);
        return sock.read_response().rfind("HTTP/1.1 200", 0) == 0;
    }));
}

TEST(Server, ObserverSeesEveryAnsweredRequestWithItsRoute) {
    std::mutex m;
    std::vector<std::tuple<std::string, int, std::string, bool>> seen;
    auto options = test_options();
    options.body_limit_bytes = 1024;
    options.observer = [&](const Request& request, int status, const std::string& route) {
        std::lock_guard lock(m);
        seen.emplace_back(request.method + " " + request.target, status, route,
                          request.principal.has_value());
    };
    Running s(echo_router(), bearer_good, {}, options);
    auto c = s.client();
    EXPECT_EQ(c.get("/whoami", {{"Authorization", "Bearer good"}}).status, 200);
    EXPECT_EQ(c.get("/whoami").status, 401);
    EXPECT_EQ(c.get("/nowhere").status, 404);
    EXPECT_EQ(c.request("POST", "/echo/x", std::string(4096, 'x')).status, 413);
    std::lock_guard lock(m);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0],
              std::make_tuple(std::string("GET /whoami"), 200, std::string("/whoami"), true));
    EXPECT_EQ(seen[1],
              std::make_tuple(std::string("GET /whoami"), 401, std::string("/whoami"), false));
    EXPECT_EQ(seen[2],
              std::make_tuple(std::string("GET /nowhere"), 404, std::string("unmatched"), false));
    EXPECT_EQ(seen[3],
              std::make_tuple(std::string("POST /echo/x"), 413, std::string("unmatched"), false));
}

}  // namespace
}  // namespace sales::http
