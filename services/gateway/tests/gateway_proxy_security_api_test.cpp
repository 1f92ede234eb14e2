// The gateway's proxy under issue 11, with real processes (tests/support/stack.hpp), PostgreSQL
// and NATS: Idempotency-Key both ways (a retry replays the stored 201), a POST never sent twice
// by the gateway's client, the cap on open connections, and the access log (SEC-2): refusals
// recorded, floods of them counted instead of a row each.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::http::Headers;
using sales::test::eventually;
using sales::test::expect_error;
using sales::test::Stack;

// --- Idempotency-Key through the gateway (issue 11 item 2) -------------------------------------

class GatewayIdempotency : public sales::test::StackSuite<GatewayIdempotency> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("gwidem", {"inventory", "contract", "gateway"},
                           {{"SALES_GATEWAY_RATE_USER_BURST", "100000"},
                            {"SALES_GATEWAY_RATE_IP_BURST", "100000"}});
        project_ = new Stack::Project(stack_->released_project(1, 4));
    }
    static void TearDownTestSuite() {
        delete project_;
        StackSuite::TearDownTestSuite();
    }
    static json subscription_for(const std::string& unit_id) {
        return {{"unit_id", unit_id},       {"customer_id", sales::new_uuid()},
                {"discount_fen", 0},        {"payment_plan", "mortgage"},
                {"deposit_fen", 5'000'000}, {"signing_deadline", Stack::date_in_days(30)}};
    }
    static sales::http::ClientResponse create(const json& body, const std::string& key) {
        auto headers = Stack::auth("sales_rep");
        headers["Idempotency-Key"] = key;
        return stack_->http("gateway").request("POST", "/api/v1/subscriptions", body.dump(),
                                               headers);
    }
    static Stack::Project* project_;
};
Stack::Project* GatewayIdempotency::project_ = nullptr;

TEST_F(GatewayIdempotency, ARetryWithTheSameKeyReplaysTheStored201) {
    const auto unit = project_->unit_ids.at(0);
    const auto body = subscription_for(unit);
    const auto key = "gw-idem-" + sales::new_uuid();
    const auto first = create(body, key);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.headers.count("Idempotent-Replayed"), 0u);

    const auto again = create(body, key);
    EXPECT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(again.json(), first.json()) << "the retry is the stored answer";
    ASSERT_TRUE(again.headers.count("Idempotent-Replayed")) << "the gateway dropped the header";
    EXPECT_EQ(again.headers.at("Idempotent-Replayed"), "true");
    EXPECT_EQ(again.headers.at("Location"), first.headers.at("Location"));
    EXPECT_EQ(stack_->count("contract",
                            "SELECT count(*) FROM subscriptions WHERE unit_id = $1::uuid", {unit}),
              1);

    // The same key with another request: the service's refusal reaches the client.
    auto other = body;
    other["deposit_fen"] = 4'000'000;
    expect_error(create(other, key), 422, "idempotency_key_reused");
    // Without the key forwarded the second attempt would have been a new request: 409.
    expect_error(create(subscription_for(unit), "gw-idem-" + sales::new_uuid()), 409,
                 "unit_not_available");
}

TEST_F(GatewayIdempotency, BrowsersMaySendTheKeyAndReadTheReplayHeader) {
    const auto preflight =
        stack_->http("gateway").request("OPTIONS", "/api/v1/subscriptions", "", {});
    EXPECT_EQ(preflight.status, 204) << preflight.body;
    EXPECT_NE(preflight.headers.at("Access-Control-Allow-Headers").find("Idempotency-Key"),
              std::string::npos)
        << preflight.headers.at("Access-Control-Allow-Headers");
    const auto answer = stack_->http("gateway").get("/api/v1/projects", Stack::auth("admin"));
    ASSERT_TRUE(answer.headers.count("Access-Control-Expose-Headers"));
    EXPECT_NE(answer.headers.at("Access-Control-Expose-Headers").find("Idempotent-Replayed"),
              std::string::npos);
}

// --- a POST is never sent twice by the gateway (issue 11 item 2) -------------------------------

// A scripted finance service: answers the first request on a connection with keep-alive, reads
// the next one in full and closes the connection without answering; counts what it was sent.
class ClosingUpstream {
  public:
    ClosingUpstream() {
        thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
    }
    ~ClosingUpstream() {
        thread_.request_stop();
        ::shutdown(listener_.fd, SHUT_RDWR);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(listener_.port); }
    std::atomic<int> connections{0};
    std::atomic<int> posts{0};

  private:
    void serve(const std::stop_token& stop) {
        while (!stop.stop_requested()) {
            const int fd = ::accept(listener_.fd, nullptr, nullptr);
            if (fd < 0)
                return;
            ++connections;
            sales::test::set_receive_timeout(fd, 10s);
            for (int n = 0;; ++n) {
                const auto request = sales::test::read_http_message(fd);
                if (request.empty())
                    break;
                if (request.rfind("POST ", 0) == 0)
                    ++posts;
                if (n > 0)
                    break;  // read in full, never answered
                const std::string ok =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Content-Length: 12\r\n\r\n{\"items\":[]}";
                ::send(fd, ok.data(), ok.size(), MSG_NOSIGNAL);
            }
            ::close(fd);
        }
    }
    sales::test::LoopbackListener listener_;
    std::jthread thread_;
};

TEST(GatewayProxy, APostTheServiceMayHaveReadIsNotSentAgain) {
    ClosingUpstream finance;
    Stack stack("gwpost", {"gateway"}, {{"SALES_GATEWAY_FINANCE_URL", finance.url()}});
    const auto headers = Stack::auth("cashier");
    // Warms the gateway's pooled connection to finance.
    const auto listed = stack.http("gateway").get("/api/v1/entries", headers);
    ASSERT_EQ(listed.status, 200) << listed.body << stack.logs();
    ASSERT_EQ(finance.connections.load(), 1);

    const auto r = stack.http("gateway").request("POST", "/api/v1/payments",
                                                 json{{"amount_fen", 100}}.dump(), headers);
    const auto error = expect_error(r, 502, "upstream_outcome_unknown");
    EXPECT_EQ(error["details"]["service"], "finance");
    EXPECT_EQ(finance.posts.load(), 1) << "the gateway sent the POST again";
    EXPECT_EQ(finance.connections.load(), 1) << "the gateway opened a connection to resend it";
}

// --- connection cap (issue 11 item 3) ----------------------------------------------------------

TEST(GatewayConnections, ConnectionsOverThePerAddressCapAreRefusedWith503) {
    Stack stack("gwconn", {"gateway"},
                {{"SALES_GATEWAY_MAX_CONNECTIONS_PER_ADDRESS", "4"},
                 {"SALES_GATEWAY_ACCESS_LOG_INTERVAL", "200ms"}});
    const auto port = stack.port("gateway");
    // Each client keeps its one connection open (pooled) after its request; the stack's own
    // client may hold one more, so the refusal comes at the 4th new connection at the latest.
    std::vector<std::unique_ptr<sales::http::Client>> clients;
    int admitted = 0;
    sales::http::ClientResponse refused;
    for (int i = 0; i < 10 && refused.status == 0; ++i) {
        clients.push_back(std::make_unique<sales::http::Client>("127.0.0.1", port));
        const auto r = clients.back()->get("/healthz");
        if (r.status == 200)
            ++admitted;
        else
            refused = r;
    }
    EXPECT_LE(admitted, 4);
    EXPECT_GE(admitted, 3);
    const auto error = expect_error(refused, 503, "too_many_connections");
    EXPECT_EQ(error["details"]["limit"], "address");
    EXPECT_EQ(refused.headers.at("Connection"), "close");
    // Closing connections frees their places.
    clients.clear();
    sales::http::Client later("127.0.0.1", port);
    EXPECT_TRUE(eventually([&] { return later.get("/healthz").status == 200; }));
    // The refusal is in the access log, counted.
    EXPECT_TRUE(eventually([&] {
        return stack.count("gateway",
                           "SELECT coalesce(sum(count), 0) FROM audit_log WHERE status = 503 "
                           "AND route = 'unmatched'") >= 1;
    })) << stack.logs();
}

// --- access log (issue 11 item 7) --------------------------------------------------------------

class GatewayAccessLog : public sales::test::StackSuite<GatewayAccessLog> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("gwaccess", {"gateway"},
                           {{"SALES_GATEWAY_RATE_USER_BURST", "5"},
                            {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1"},
                            {"SALES_GATEWAY_RATE_IP_BURST", "100000"},
                            {"SALES_GATEWAY_RATE_IP_PER_SECOND", "100000"},
                            {"SALES_GATEWAY_ACCESS_LOG_INTERVAL", "1s"}});
    }
    static std::int64_t rows(const std::string& where, const sales::db::Params& params) {
        return stack_->count("gateway", "SELECT count(*) FROM audit_log WHERE " + where, params);
    }
    static std::int64_t requests(const std::string& where, const sales::db::Params& params) {
        return stack_->count(
            "gateway", "SELECT coalesce(sum(count), 0) FROM audit_log WHERE " + where, params);
    }
};

TEST_F(GatewayAccessLog, AFloodOf429IsCountedInAFewRows) {
    const auto user = "flood-" + sales::new_uuid();
    const auto headers = Stack::as(user, {"cashier"});
    auto& gateway = stack_->http("gateway");
    int refused = 0;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) {
        const auto r = gateway.get("/api/v1/auth/me", headers);
        ASSERT_TRUE(r.status == 200 || r.status == 429) << r.status << " " << r.body;
        refused += r.status == 429 ? 1 : 0;
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_GE(refused, 150) << "the user's bucket (5, 1/s) was not exhausted";
    const auto where = "user_id = $1 AND status = 429";
    EXPECT_TRUE(eventually([&] { return requests(where, {user}) == refused; }))
        << requests(where, {user}) << " of " << refused << " refusals in the access log";
    // One row per interval (1 s) at most, plus the one in progress when the flood began.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    const auto written = rows(where, {user});
    std::cout << "[ access log ] " << refused << " × 429 in " << written << " rows, "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
    EXPECT_LE(written, seconds + 2);
    EXPECT_EQ(rows(where + std::string(" AND route = '/api/v1/auth/me' AND outcome = 'rejected'"),
                   {user}),
              written);

    // The search shows the count.
    const std::string admin = stack_->login("admin", Stack::kAdminPassword)["access_token"];
    const auto found = gateway.get("/api/v1/audit?user_id=" + user, Stack::bearer(admin));
    ASSERT_EQ(found.status, 200) << found.body;
    std::int64_t listed = 0;
    const auto items = found.json()["items"];
    for (const auto& item : items)
        listed += item.value("count", std::int64_t{0});
    EXPECT_EQ(listed, refused) << found.body;
}

TEST_F(GatewayAccessLog, RefusalsAreRecordedAnonymousOnesCounted) {
    auto& gateway = stack_->http("gateway");
    // 401 (no valid token) on a route of the table: counted under the address and route.
    const auto route = "/api/v1/projects/{project_id}";
    const auto before_401 = requests("status = 401 AND route = $1", {route});
    for (int i = 0; i < 40; ++i)
        EXPECT_EQ(gateway.get("/api/v1/projects/" + sales::new_uuid(), Stack::bearer("not.a.token"))
                      .status,
                  401);
    // 404: no route of the table; counted too.
    const auto before_404 = requests("status = 404 AND route = 'unmatched'", {});
    for (int i = 0; i < 30; ++i)
        EXPECT_EQ(gateway.get("/api/v1/nowhere/" + std::to_string(i), {}).status, 404);
    EXPECT_TRUE(eventually([&] {
        return requests("status = 401 AND route = $1", {route}) == before_401 + 40 &&
               requests("status = 404 AND route = 'unmatched'", {}) == before_404 + 30;
    })) << requests("status = 401 AND route = $1", {route}) - before_401
        << " 401, " << requests("status = 404 AND route = 'unmatched'", {}) - before_404
        << " 404 recorded";
    EXPECT_LE(rows("status = 401 AND route = $1", {route}), 10);

    // 403 of an identified caller: a row of its own, reads included, with its request id.
    auto headers = Stack::as("curious-" + sales::new_uuid(), {"cashier"});
    const auto id = "gw-403-" + sales::new_uuid();
    headers["X-Request-Id"] = id;
    expect_error(gateway.get("/api/v1/audit", headers), 403, "forbidden");
    EXPECT_TRUE(eventually([&] {  // written with the next batch (SALES_GATEWAY_ACCESS_LOG_FLUSH)
        return rows("request_id = $1 AND status = 403 AND outcome = 'denied' AND count = 1",
                    {id}) == 1;
    }));
    // A successful read has none; a write has its row.
    const auto read_id = "gw-read-" + sales::new_uuid();
    auto reader = Stack::as("reader-" + sales::new_uuid(), {"cashier"});
    reader["X-Request-Id"] = read_id;
    EXPECT_EQ(gateway.get("/api/v1/auth/me", reader).status, 200);
    EXPECT_EQ(rows("request_id = $1", {read_id}), 0);
}

}  // namespace

namespace {
// Counts not yet written when the gateway stops cleanly are written on the way out.
TEST(GatewayAccessLogStop, CountsAreWrittenWhenTheGatewayStops) {
    Stack stack("gwstop", {"gateway"},
                {{"SALES_GATEWAY_RATE_USER_BURST", "2"},
                 {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1"},
                 {"SALES_GATEWAY_ACCESS_LOG_INTERVAL", "1h"}});
    const auto user = "stopping-" + sales::new_uuid();
    int refused = 0;
    for (int i = 0; i < 20; ++i)
        refused +=
            stack.http("gateway").get("/api/v1/auth/me", Stack::as(user, {"gm"})).status == 429 ? 1
                                                                                                : 0;
    EXPECT_GE(refused, 15);
    const auto sql = "SELECT coalesce(sum(count), 0) FROM audit_log WHERE user_id = $1";
    EXPECT_EQ(stack.count("gateway", sql, {user}), 0) << "written before the interval ended";
    EXPECT_EQ(stack.process("gateway").terminate(), 0) << stack.logs();
    EXPECT_EQ(stack.count("gateway", sql, {user}), refused) << stack.logs();
}
}  // namespace
