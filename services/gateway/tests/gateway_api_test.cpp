// The gateway with real processes (tests/support/stack.hpp), PostgreSQL and NATS: login and
// token failures (SEC-1), revocation reaching the services, the proxy's failure answers, project
// scope, the role × route matrix against libs/auth's table, rate limits, headers, and the
// append-only audit log (SEC-2).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "domain/route_table.hpp"
#include "sales/auth.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::http::Headers;
using sales::test::eventually;
using sales::test::expect_error;
using sales::test::Stack;

json body_of(const sales::http::ClientResponse& r) {
    return json::parse(r.body, nullptr, false);
}

// The HS256 secret every service used to share (issue 11 item 8): whoever held it could mint
// admin tokens.
const std::string kOldSharedSecret = "cross-service-test-secret-0123456789abcdef";

std::string base64url(const std::string& raw) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (const unsigned char c : raw) {
        bits = (bits << 8) | c;
        count += 8;
        while (count >= 6) {
            count -= 6;
            out += alphabet[(bits >> count) & 63];
        }
    }
    if (count > 0)
        out += alphabet[(bits << (6 - count)) & 63];
    return out;
}

std::string sha256(const std::string& text) {
    const auto hex = sales::auth::sha256_hex(text);
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// RFC 2104 with libs/auth's SHA-256 (keys up to 64 bytes).
std::string hmac_sha256(const std::string& key, const std::string& message) {
    std::string inner_key(64, '\x36');
    std::string outer_key(64, '\x5c');
    for (std::size_t i = 0; i < key.size() && i < 64; ++i) {
        inner_key[i] = static_cast<char>(inner_key[i] ^ key[i]);
        outer_key[i] = static_cast<char>(outer_key[i] ^ key[i]);
    }
    return sha256(outer_key + sha256(inner_key + message));
}

// A correctly HMAC-SHA256-signed admin token (RFC 2104 over libs/auth's SHA-256), as the services
// used to accept.
std::string hs256_token(const std::string& user, const std::string& secret,
                        const std::string& alg = "HS256") {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const json header = {{"alg", alg}, {"typ", "JWT"}, {"kid", "test-1"}};
    const json claims = {{"iss", "sales-office"}, {"sub", user},       {"iat", now},
                         {"exp", now + 600},      {"jti", "forged-1"}, {"roles", {"admin"}},
                         {"projects", {"*"}}};
    const auto input = base64url(header.dump()) + "." + base64url(claims.dump());
    return input + "." + base64url(hmac_sha256(secret, input));
}

class GatewayTest : public sales::test::StackSuite<GatewayTest> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("gw", {"inventory", "gateway"},
                           {{"SALES_GATEWAY_LOCKOUT_FAILURES", "3"},
                            {"SALES_GATEWAY_BODY_LIMIT", "4096"},
                            {"SALES_GATEWAY_RATE_USER_BURST", "100000"},
                            {"SALES_GATEWAY_RATE_IP_BURST", "100000"}});
        admin_ = stack_->login("admin", Stack::kAdminPassword)["access_token"];
    }
    sales::http::ClientResponse gw(const std::string& method, const std::string& path,
                                   const json& body, const Headers& headers) {
        return stack_->http("gateway").request(method, path, body.is_null() ? "" : body.dump(),
                                               headers);
    }
    static std::string admin_;
};
std::string GatewayTest::admin_;

TEST_F(GatewayTest, LoginGivesTokensThatWorkThroughTheGateway) {
    const auto tokens = stack_->login("admin", Stack::kAdminPassword);
    ASSERT_TRUE(tokens.contains("refresh_token"));
    EXPECT_EQ(tokens["expires_in"], 900);
    const auto me = gw("GET", "/api/v1/auth/me", nullptr, Stack::bearer(tokens["access_token"]));
    EXPECT_EQ(me.status, 200) << me.body;
    EXPECT_FALSE(body_of(me)["session_id"].get<std::string>().empty());
    EXPECT_EQ(gw("GET", "/api/v1/projects", nullptr, Stack::bearer(tokens["access_token"])).status,
              200);
    // The stored hash is argon2id, never the password.
    EXPECT_EQ(stack_->count("gateway",
                            "SELECT count(*) FROM users WHERE username = 'admin' AND "
                            "password_hash LIKE '$argon2id$%'"),
              1);
}

TEST_F(GatewayTest, EveryLoginAndTokenFailureIs401WithoutTellingWhy) {
    stack_->create_user(admin_, "locked.user", {"cashier"});
    const auto gone = stack_->create_user(admin_, "gone.user", {"cashier"});
    ASSERT_EQ(gw("POST", "/api/v1/users/" + gone + "/disable", {{"reason", "left the company"}},
                 Stack::bearer(admin_))
                  .status,
              200);
    for (int i = 0; i < 3; ++i)
        gw("POST", "/api/v1/auth/login",
           {{"username", "locked.user"}, {"password", "Wrong-1234567"}}, {});
    std::vector<std::pair<std::string, sales::http::ClientResponse>> answers;
    const auto login = [&](const std::string& user, const std::string& password) {
        return gw("POST", "/api/v1/auth/login", {{"username", user}, {"password", password}}, {});
    };
    answers.emplace_back("wrong password", login("admin", "Not-The-Password-1"));
    answers.emplace_back("unknown user", login("nobody.here", "Not-The-Password-1"));
    answers.emplace_back("locked (right password)",
                         login("locked.user", Stack::password_of("locked.user")));
    answers.emplace_back("disabled", login("gone.user", Stack::password_of("gone.user")));
    for (const auto& [what, r] : answers) {
        SCOPED_TRACE(what);
        EXPECT_EQ(expect_error(r, 401, "invalid_credentials").value("message", ""),
                  "invalid username or password");
    }

    const auto now = std::chrono::system_clock::now();
    const sales::Principal p{"user-x", {"admin"}, {"*"}, now + 1h};
    const auto good = Stack::token(p);
    auto tampered = good;
    tampered[tampered.find('.') + 5] ^= 1;
    std::vector<std::pair<std::string, std::string>> tokens = {
        {"expired", Stack::token({"user-x", {"admin"}, {"*"}, now - 1h})},
        {"tampered", tampered},
        {"other key", sales::auth::mint(sales::auth::generate_signing_key("test-1"), p)},
        {"unknown kid", sales::auth::mint(sales::auth::generate_signing_key("test-2"), p)},
        {"HS256", hs256_token("user-x", kOldSharedSecret)},
        {"garbage", "not.a.token"},
    };
    std::set<std::string> bodies;
    for (const auto& [what, token] : tokens) {
        const auto r = gw("GET", "/api/v1/projects", nullptr, Stack::bearer(token));
        EXPECT_EQ(r.status, 401) << what << ": " << r.body;
        bodies.insert(body_of(r)["error"].dump());
        for (const auto* word : {"expired", "signature", "key", "malformed", "tamper"})
            EXPECT_EQ(r.body.find(word), std::string::npos) << what << " leaks: " << r.body;
    }
    EXPECT_EQ(bodies.size(), 1u) << "401 answers differ between causes";
    EXPECT_EQ(gw("GET", "/api/v1/projects", nullptr, Stack::bearer(good)).status, 200);
}

// Issue 11 item 8: only the gateway's Ed25519 key makes tokens. A correctly signed HS256 token
// made with the secret every service used to hold, and an unsigned one, are refused by the
// gateway and by a service called directly; the gateway's own tokens carry kid, jti and sid.
TEST_F(GatewayTest, OnlyTokensSignedWithTheGatewayKeyAreAccepted) {
    // The forger's HMAC is right (RFC 4231 test case 2), so the refusal is about the algorithm.
    std::string mac_hex;
    for (const unsigned char c : hmac_sha256("Jefe", "what do ya want for nothing?")) {
        static const char* digits = "0123456789abcdef";
        mac_hex += digits[c >> 4];
        mac_hex += digits[c & 15];
    }
    ASSERT_EQ(mac_hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    const auto unsigned_token = [] {
        const auto hs = hs256_token("user-x", kOldSharedSecret, "none");
        return hs.substr(0, hs.rfind('.') + 1);
    }();
    const std::vector<std::pair<std::string, std::string>> forged = {
        {"HS256 with the old shared secret", hs256_token("user-x", kOldSharedSecret)},
        {"HMAC labelled EdDSA", hs256_token("user-x", kOldSharedSecret, "EdDSA")},
        {"alg none", unsigned_token},
    };
    auto& inventory = stack_->http("inventory");
    for (const auto& [what, token] : forged) {
        SCOPED_TRACE(what);
        expect_error(gw("GET", "/api/v1/projects", nullptr, Stack::bearer(token)), 401,
                     "unauthenticated");
        expect_error(
            inventory.request("POST", "/api/v1/projects",
                              R"({"code":"FG01","name":"n","city":"c"})", Stack::bearer(token)),
            401, "unauthenticated");
    }
    EXPECT_EQ(stack_->count("inventory", "SELECT count(*) FROM projects WHERE code = 'FG01'"), 0);

    const auto access = stack_->login("admin", Stack::kAdminPassword)["access_token"];
    ASSERT_TRUE(access.is_string());
    const sales::auth::Verifier verifier({Stack::signing_key().public_key()});
    const auto principal = verifier.verify(access.get<std::string>());
    EXPECT_FALSE(principal.session_id.empty());
    const auto lifetime = principal.expires_at - std::chrono::system_clock::now();
    EXPECT_GT(lifetime, 14min);
    EXPECT_LE(lifetime, 15min);
    const sales::auth::Verifier other({sales::auth::generate_signing_key("test-1").public_key()});
    EXPECT_THROW(other.verify(access.get<std::string>()), sales::auth::InvalidToken);
}

TEST_F(GatewayTest, RefreshRotatesAndLogoutRevokesEverywhere) {
    stack_->create_user(admin_, "rep.one", {"sales_rep"});
    const auto tokens = stack_->login("rep.one", Stack::password_of("rep.one"));
    const auto refreshed =
        gw("POST", "/api/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}}, {});
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_EQ(
        gw("POST", "/api/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}}, {}).status,
        401)
        << "a used refresh token must not work again";
    const std::string access = body_of(refreshed)["access_token"];
    // The service verifies the same token directly.
    auto& inventory = stack_->http("inventory");
    ASSERT_EQ(inventory.get("/api/v1/projects", Stack::bearer(access)).status, 200);
    ASSERT_EQ(gw("POST", "/api/v1/auth/logout", nullptr, Stack::bearer(access)).status, 200);
    EXPECT_EQ(gw("GET", "/api/v1/projects", nullptr, Stack::bearer(access)).status, 401)
        << "the gateway refuses a revoked session at once";
    EXPECT_TRUE(eventually([&] {
        return inventory.get("/api/v1/projects", Stack::bearer(access)).status == 401;
    })) << "inventory never learnt of identity.session.revoked";
    EXPECT_EQ(gw("POST", "/api/v1/auth/refresh",
                 {{"refresh_token", body_of(refreshed)["refresh_token"]}}, {})
                  .status,
              401);
}

TEST_F(GatewayTest, DisablingAUserStopsTheirTokensAtTheGatewayAndInTheServices) {
    const auto id = stack_->create_user(admin_, "leaver", {"sales_control"});
    const std::string access =
        stack_->login("leaver", Stack::password_of("leaver"))["access_token"];
    auto& inventory = stack_->http("inventory");
    ASSERT_EQ(inventory.get("/api/v1/projects", Stack::bearer(access)).status, 200);
    ASSERT_EQ(gw("POST", "/api/v1/users/" + id + "/disable", {{"reason", "resigned"}},
                 Stack::bearer(admin_))
                  .status,
              200);
    EXPECT_EQ(gw("GET", "/api/v1/projects", nullptr, Stack::bearer(access)).status, 401);
    EXPECT_TRUE(eventually([&] {
        return inventory.get("/api/v1/projects", Stack::bearer(access)).status == 401;
    })) << "inventory never learnt of identity.user.disabled";
    EXPECT_EQ(stack_->count("inventory",
                            "SELECT count(*) FROM denied_principals WHERE kind = 'user' AND id = "
                            "$1 AND denied",
                            {id}),
              1);
}

TEST_F(GatewayTest, RegionAdminManagesOnlyItsRegion) {
    const auto r = gw("POST", "/api/v1/users",
                      {{"username", "west.admin"},
                       {"display_name", "West"},
                       {"password", Stack::password_of("west.admin")},
                       {"roles", {"admin"}},
                       {"project_ids", {"*"}},
                       {"region", "west"}},
                      Stack::bearer(admin_));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string west =
        stack_->login("west.admin", Stack::password_of("west.admin"))["access_token"];
    const auto mine = gw("POST", "/api/v1/users",
                         {{"username", "west.rep"},
                          {"display_name", "Rep"},
                          {"password", Stack::password_of("west.rep")},
                          {"roles", {"sales_rep"}},
                          {"project_ids", {"*"}}},
                         Stack::bearer(west));
    EXPECT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(body_of(mine)["region"], "west");
    const auto other = gw("POST", "/api/v1/users",
                          {{"username", "west.admin2"},
                           {"display_name", "A"},
                           {"password", Stack::password_of("west.admin2")},
                           {"roles", {"admin"}},
                           {"project_ids", {"*"}}},
                          Stack::bearer(west));
    EXPECT_EQ(other.status, 403) << other.body;
    const auto weak = gw("POST", "/api/v1/users",
                         {{"username", "weak.one"},
                          {"display_name", "W"},
                          {"password", "short"},
                          {"roles", {"cashier"}},
                          {"project_ids", {"*"}}},
                         Stack::bearer(admin_));
    expect_error(weak, 400, "weak_password");
}

TEST_F(GatewayTest, StaffListsTheCallersColleaguesByNameAndNothingMore) {
    const auto project = sales::new_uuid();
    const auto elsewhere = sales::new_uuid();
    const auto rep = stack_->create_user(admin_, "staff.rep", {"sales_rep"}, {project});
    const auto stranger = stack_->create_user(admin_, "staff.far", {"sales_rep"}, {elsewhere});
    stack_->create_user(admin_, "staff.mgr", {"sales_manager"}, {project});
    const std::string manager =
        stack_->login("staff.mgr", Stack::password_of("staff.mgr"))["access_token"];

    const auto listed = gw("GET", "/api/v1/staff", nullptr, Stack::bearer(manager));
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json staff = body_of(listed);
    std::map<std::string, json> by_id;
    for (const auto& item : staff["items"])
        by_id[item["id"].get<std::string>()] = item;
    ASSERT_EQ(by_id.count(rep), 1u) << listed.body;
    EXPECT_EQ(by_id[rep]["username"], "staff.rep");
    EXPECT_FALSE(by_id[rep]["display_name"].get<std::string>().empty());
    EXPECT_EQ(by_id[rep]["roles"], json::array({"sales_rep"}));
    EXPECT_FALSE(by_id[rep].contains("project_ids") || by_id[rep].contains("region") ||
                 by_id[rep].contains("created_by"))
        << "a colleague's scope is the administrators' business: " << by_id[rep].dump();
    EXPECT_EQ(by_id.count(stranger), 0u) << "a rep of another project is listed";

    // An executive of every project sees both; a rep has no directory.
    const auto all = gw("GET", "/api/v1/staff", nullptr, Stack::auth("executive"));
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_NE(all.body.find(stranger), std::string::npos);
    const std::string rep_token =
        stack_->login("staff.rep", Stack::password_of("staff.rep"))["access_token"];
    expect_error(gw("GET", "/api/v1/staff", nullptr, Stack::bearer(rep_token)), 403, "forbidden");
}

TEST_F(GatewayTest, ProxyAnswersClearlyWhenAServiceIsDownOrTheBodyTooLarge) {
    const auto down = gw("GET", "/api/v1/entries", nullptr, Stack::bearer(admin_));
    EXPECT_EQ(expect_error(down, 503, "service_unavailable")["details"]["service"], "finance");

    const auto big = gw("POST", "/api/v1/projects",
                        {{"code", "BIG"}, {"name", std::string(8000, 'x')}, {"city", "成都"}},
                        Stack::bearer(admin_));
    expect_error(big, 413, "payload_too_large");
}

TEST_F(GatewayTest, RequestIdAndTraceReachTheServiceLog) {
    const auto id = "gw-test-" + sales::new_uuid();
    auto headers = Stack::bearer(admin_);
    headers["X-Request-Id"] = id;
    const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    headers["traceparent"] = "00-" + trace_id + "-00f067aa0ba902b7-01";
    const auto r = gw("GET", "/api/v1/projects", nullptr, headers);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers.at("X-Request-Id"), id);
    EXPECT_TRUE(eventually([&] {
        const auto logs = stack_->logs();
        const auto inventory_part = logs.substr(0, logs.find("---- gateway log"));
        return inventory_part.find(id) != std::string::npos &&
               inventory_part.find(trace_id) != std::string::npos;
    })) << "inventory's log has no line with request id "
        << id << " and trace " << trace_id;
}

TEST_F(GatewayTest, UserOfProjectAIsRefusedProjectB) {
    const auto a = stack_
                       ->ok("inventory", "POST", "/api/v1/projects",
                            {{"code", "PA"}, {"name", "A"}, {"city", "成都"}}, "admin", 201)["id"]
                       .get<std::string>();
    const auto b = stack_
                       ->ok("inventory", "POST", "/api/v1/projects",
                            {{"code", "PB"}, {"name", "B"}, {"city", "成都"}}, "admin", 201)["id"]
                       .get<std::string>();
    stack_->create_user(admin_, "rep.a", {"sales_control"}, {a});
    const std::string token = stack_->login("rep.a", Stack::password_of("rep.a"))["access_token"];
    EXPECT_EQ(gw("GET", "/api/v1/projects/" + a + "/board", nullptr, Stack::bearer(token)).status,
              200);
    const auto other = gw("GET", "/api/v1/projects/" + b + "/board", nullptr, Stack::bearer(token));
    expect_error(other, 403, "project_forbidden");
    // The board passes through compressed for a browser (INV-5: ~400 KB → ~40 KB at 2,000 units).
    auto browser = Stack::bearer(token);
    browser["Accept-Encoding"] = "gzip, deflate";
    const auto packed = gw("GET", "/api/v1/projects/" + a + "/board", nullptr, browser);
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
    EXPECT_EQ(json::parse(sales::http::gunzip(packed.body))["project_id"], a);
    const auto query =
        gw("GET", "/api/v1/subscriptions?project_id=" + b, nullptr, Stack::bearer(token));
    EXPECT_EQ(query.status, 403) << query.body;
}

TEST_F(GatewayTest, SecurityHeadersCorsAndDocs) {
    const auto health = stack_->http("gateway").get("/healthz");
    EXPECT_EQ(health.headers.at("X-Frame-Options"), "DENY");
    EXPECT_EQ(health.headers.at("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(health.headers.at("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(health.headers.at("Access-Control-Allow-Origin"), "http://127.0.0.1:5173");
    const auto preflight = gw("OPTIONS", "/api/v1/units/{x}", nullptr, {});
    EXPECT_EQ(preflight.status, 204) << preflight.body;
    EXPECT_NE(preflight.headers.at("Access-Control-Allow-Methods").find("PATCH"),
              std::string::npos);
    const auto docs = stack_->http("gateway").get("/docs");
    EXPECT_EQ(docs.status, 200);
    EXPECT_NE(docs.body.find("/api/v1/auth/login"), std::string::npos);
    EXPECT_NE(docs.headers.at("Content-Security-Policy").find("default-src 'none'"),
              std::string::npos);
}

TEST_F(GatewayTest, EveryWriteOfAFlowIsAuditedExactlyOnce) {
    stack_->create_user(admin_, "op.audit", {"operator"});
    stack_->create_user(admin_, "ctl.audit", {"sales_control"});
    const std::string op =
        stack_->login("op.audit", Stack::password_of("op.audit"))["access_token"];
    const std::string ctl =
        stack_->login("ctl.audit", Stack::password_of("ctl.audit"))["access_token"];
    std::vector<std::string> write_ids;
    std::vector<std::string> read_ids;
    const auto call = [&](const std::string& token, const std::string& method,
                          const std::string& path, const json& body, int status) {
        auto headers = Stack::bearer(token);
        const auto id = "audit-" + sales::new_uuid();
        headers["X-Request-Id"] = id;
        const auto r = gw(method, path, body, headers);
        if (status != 0) {
            EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.body;
        }
        (method == "GET" ? read_ids : write_ids).push_back(id);
        return body_of(r);
    };
    const std::string project =
        call(admin_, "POST", "/api/v1/projects",
             {{"code", "AUD"}, {"name", "审计"}, {"city", "成都"}}, 201)["id"];
    call(admin_, "PATCH", "/api/v1/projects/" + project + "/settings",
         {{"deposit_deadline_seconds", 172800}}, 0);
    const std::string building = call(op, "POST", "/api/v1/projects/" + project + "/buildings",
                                      {{"name", "1栋"}, {"floors", 2}}, 201)["id"];
    const auto units = call(op, "POST", "/api/v1/buildings/" + building + "/units:bulk",
                            {{"templates",
                              {{{"position", 1},
                                {"floors", {{"from", 1}, {"to", 2}}},
                                {"layout", "3室2厅2卫"},
                                {"orientation", "south"},
                                {"decoration", "bare"},
                                {"internal_area_centi_m2", 9'000},
                                {"shared_area_centi_m2", 1'850},
                                {"list_unit_price_fen_per_m2", 1'500'000}}}}},
                            201);
    call(ctl, "POST", "/api/v1/units:release", {{"building_id", building}}, 200);
    const std::string unit = units["units"][0]["id"];
    call(ctl, "POST", "/api/v1/units/" + unit + "/reservation", {{"reason", "VIP hold"}}, 0);
    call(ctl, "GET", "/api/v1/projects/" + project + "/board", nullptr, 200);
    call(ctl, "POST", "/api/v1/projects", {{"code", "NO"}, {"name", "x"}, {"city", "y"}}, 403);

    // Rows are written in batches (SALES_GATEWAY_ACCESS_LOG_FLUSH), not in the request.
    for (const auto& id : write_ids)
        EXPECT_TRUE(sales::test::eventually([&] {
            return stack_->count("gateway", "SELECT count(*) FROM audit_log WHERE request_id = $1",
                                 {id}) == 1;
        })) << id;
    for (const auto& id : read_ids)
        EXPECT_EQ(
            stack_->count("gateway", "SELECT count(*) FROM audit_log WHERE request_id = $1", {id}),
            0);
    const auto denied =
        gw("GET", "/api/v1/audit?request_id=" + write_ids.back(), nullptr, Stack::bearer(admin_));
    ASSERT_EQ(denied.status, 200) << denied.body;
    ASSERT_EQ(body_of(denied)["items"].size(), 1u);
    EXPECT_EQ(body_of(denied)["items"][0]["outcome"], "denied");
    EXPECT_EQ(body_of(denied)["items"][0]["route"], "/api/v1/projects");
    const auto with_reason =
        gw("GET", "/api/v1/audit?request_id=" + write_ids[5], nullptr, Stack::bearer(admin_));
    EXPECT_EQ(body_of(with_reason)["items"][0]["reason"], "VIP hold") << with_reason.body;
    EXPECT_EQ(body_of(with_reason)["items"][0]["route"], "/api/v1/units/{unit_id}/reservation");
    EXPECT_EQ(gw("GET", "/api/v1/audit", nullptr, Stack::bearer(ctl)).status, 403);
    // Client mistakes in the search are 400, never 500: impossible dates, a period ending before
    // it starts, years beyond the calendar, unknown parameters.
    for (const auto* query : {"from=2024-99-99", "from=2026-12-02&to=2026-12-01",
                              "from=2026-12-01T10:00:00Z&to=2026-12-01T09:59:59Z",
                              "to=2620-12-01T23:59:60+08:00", "since=2026-12-01"})
        expect_error(
            gw("GET", std::string("/api/v1/audit?") + query, nullptr, Stack::bearer(admin_)), 400,
            "validation_failed");
    EXPECT_EQ(
        gw("GET", "/api/v1/audit?from=2026-12-01&to=2026-12-01", nullptr, Stack::bearer(admin_))
            .status,
        200);
    // Append-only (SEC-2): the database refuses changes.
    EXPECT_THROW(stack_->db("gateway").run([](sales::db::Tx& tx) {
        tx.exec("UPDATE audit_log SET outcome = 'succeeded'");
    }),
                 std::exception);
    EXPECT_THROW(
        stack_->db("gateway").run([](sales::db::Tx& tx) { tx.exec("DELETE FROM audit_log"); }),
        std::exception);
}

bool expected_stream(const gateway::domain::RouteRule& rule) {
    return rule.pattern == "/api/v1/live/board";
}

// An in-process upstream: answers 200 on every route of the table (or slowly), counting calls.
class StubUpstream {
  public:
    explicit StubUpstream(std::chrono::milliseconds delay = 0ms) {
        sales::http::Router router;
        for (const auto& rule : gateway::domain::route_table()) {
            if (rule.upstream == "gateway")
                continue;
            router.add(
                rule.method, rule.pattern,
                [this, delay](sales::http::Request&) {
                    ++calls;
                    if (delay.count() > 0)
                        std::this_thread::sleep_for(delay);  // a slow service, not a wait
                    return sales::http::Response::json(200, {{"stub", true}});
                },
                false);
        }
        sales::http::ServerOptions options;
        options.service_name = "stub";
        server_ =
            std::make_unique<sales::http::Server>(options, std::move(router), nullptr, nullptr);
        server_->start();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
    std::atomic<int> calls{0};

  private:
    std::unique_ptr<sales::http::Server> server_;
};

std::string concrete(std::string pattern) {
    for (auto open = pattern.find('{'); open != std::string::npos; open = pattern.find('{'))
        pattern.replace(open, pattern.find('}', open) - open + 1, sales::new_uuid());
    return pattern;
}

TEST(GatewayMatrix, EveryRoleOnEveryRouteIsAllowedOrForbiddenAsTheTableSays) {
    StubUpstream stub;
    std::map<std::string, std::string> env = {{"SALES_GATEWAY_RATE_USER_BURST", "1000000"},
                                              {"SALES_GATEWAY_RATE_IP_BURST", "1000000"}};
    for (const auto* svc :
         {"INVENTORY", "CONTRACT", "CUSTOMER", "FINANCE", "REPORTING", "WEBHOOKS"})
        env[std::string("SALES_GATEWAY_") + svc + "_URL"] = stub.url();
    Stack stack("gwm", {"gateway"}, env);
    int checked = 0;
    for (const auto& role : sales::auth::known_roles()) {
        const auto headers = Stack::auth(role);
        for (const auto& rule : gateway::domain::route_table()) {
            // The live board's answer is a stream that stays open (console_live_api_test).
            if (expected_stream(rule) && gateway::domain::permits(rule, {role}))
                continue;
            const int before = stub.calls.load();
            const auto r =
                stack.http("gateway").request(rule.method, concrete(rule.pattern), "{}", headers);
            const bool expected = gateway::domain::permits(rule, {role});
            if (expected) {
                EXPECT_TRUE(r.status != 401 && r.status != 403)
                    << role << " " << rule.method << " " << rule.pattern << ": " << r.status << " "
                    << r.body;
                if (rule.upstream != "gateway") {
                    EXPECT_EQ(r.status, 200) << role << " " << rule.pattern << ": " << r.body;
                }
            } else {
                SCOPED_TRACE(role + " " + rule.method + " " + rule.pattern);
                expect_error(r, 403, "forbidden");
                EXPECT_EQ(stub.calls.load(), before) << "a forbidden request reached the service";
            }
            ++checked;
        }
    }
    EXPECT_GT(checked, 14 * 100);
    // Without a token every route but login/refresh is 401.
    for (const auto& rule : gateway::domain::route_table()) {
        const auto r = stack.http("gateway").request(rule.method, concrete(rule.pattern), "{}",
                                                     {{"Content-Type", "application/json"}});
        if (rule.access == gateway::domain::Access::open) {
            EXPECT_NE(r.status, 401) << rule.pattern;
        } else {
            EXPECT_EQ(r.status, 401) << rule.pattern;
        }
    }
}

TEST(GatewayLimits, SlowServiceTimesOutAndRateLimitsAnswer429) {
    StubUpstream slow(1500ms);
    Stack stack("gwl", {"gateway"},
                {{"SALES_GATEWAY_CUSTOMER_URL", slow.url()},
                 {"SALES_GATEWAY_UPSTREAM_TIMEOUT", "300ms"},
                 {"SALES_GATEWAY_RATE_USER_BURST", "3"},
                 {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1"},
                 {"SALES_GATEWAY_RATE_IP_BURST", "20"},
                 {"SALES_GATEWAY_RATE_IP_PER_SECOND", "1"}});
    const auto started = std::chrono::steady_clock::now();
    const auto r = stack.http("gateway").get("/api/v1/customers", Stack::auth("sales_rep"));
    expect_error(r, 504, "upstream_timeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1400ms);

    const auto headers = Stack::auth("cashier");
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 6; ++i) {
        const auto x = stack.http("gateway").get("/api/v1/auth/me", headers);
        if (x.status == 429) {
            ++limited;
            retry_after = x.headers.count("Retry-After") ? x.headers.at("Retry-After") : "";
            expect_error(x, 429, "rate_limited");
        }
    }
    EXPECT_GE(limited, 2);
    EXPECT_FALSE(retry_after.empty());
    // Another user is not limited by the first one's bucket.
    EXPECT_EQ(stack.http("gateway").get("/api/v1/auth/me", Stack::auth("gm")).status, 200);
    // Per address: anonymous login attempts from one address run out of their bucket too.
    int address_limited = 0;
    for (int i = 0; i < 30; ++i) {
        const auto x = stack.http("gateway").post_json(
            "/api/v1/auth/login", {{"username", "nobody"}, {"password", "Wrong-Passw0rd-1"}});
        EXPECT_TRUE(x.status == 401 || x.status == 429) << x.body;
        if (x.status == 429) {
            ++address_limited;
            EXPECT_NE(x.body.find("address"), std::string::npos) << x.body;
        }
    }
    EXPECT_GE(address_limited, 5);
}

// Issue 13 item 3: a sales office behind one NAT address. Known users are limited per user
// only; the per-address bucket applies where no user is known (login).
TEST(GatewayLimits, StaffBehindOneAddressAreLimitedPerUserNotPerAddress) {
    StubUpstream customers(0ms);
    Stack stack("gwn", {"gateway"},
                {{"SALES_GATEWAY_CUSTOMER_URL", customers.url()},
                 {"SALES_GATEWAY_RATE_USER_BURST", "10"},
                 {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1"},
                 {"SALES_GATEWAY_RATE_IP_BURST", "5"},
                 {"SALES_GATEWAY_RATE_IP_PER_SECOND", "1"}});
    // 30 reps, 5 requests each from one address: 150 requests, 30 times the address bucket.
    int answered = 0;
    for (int rep = 0; rep < 30; ++rep) {
        const auto headers = Stack::as("rep-" + std::to_string(rep), {"sales_rep"});
        for (int i = 0; i < 5; ++i) {
            const auto r = stack.http("gateway").get("/api/v1/customers", headers);
            EXPECT_NE(r.status, 429) << "rep " << rep << " request " << i << ": " << r.body;
            answered += r.status == 200 ? 1 : 0;
        }
    }
    EXPECT_EQ(answered, 150);
    // One user beyond their own bucket is limited, and told it is their own limit.
    const auto busy = Stack::as("rep-busy", {"sales_rep"});
    int limited = 0;
    for (int i = 0; i < 15; ++i) {
        const auto r = stack.http("gateway").get("/api/v1/customers", busy);
        if (r.status == 429) {
            ++limited;
            EXPECT_NE(r.body.find("user"), std::string::npos) << r.body;
        }
    }
    EXPECT_GE(limited, 4);
    // Anonymous login attempts from the address still share its bucket.
    int address_limited = 0;
    for (int i = 0; i < 12; ++i) {
        const auto r = stack.http("gateway").post_json(
            "/api/v1/auth/login", {{"username", "nobody"}, {"password", "Wrong-Passw0rd-1"}});
        address_limited += r.status == 429 && r.body.find("address") != std::string::npos;
    }
    EXPECT_GE(address_limited, 5);
}

// Issue 11 item 8: the gateway refuses to start with a private key others may read, one whose
// public key the services do not have, no public keys, or an access TTL above the 1 h every
// service enforces. Exit code 2 and one line naming the problem, before any connection.
TEST(GatewayTokenKeys, MisconfiguredKeysStopTheGatewayWithAClearMessage) {
    const auto dir = sales::test::temp_dir("gw_keys");
    const auto key_file = dir + "/token.key";
    sales::auth::write_private_key_file(key_file, Stack::signing_key());
    const auto readable_file = dir + "/readable.key";
    sales::auth::write_private_key_file(readable_file, Stack::signing_key());
    ASSERT_EQ(::chmod(readable_file.c_str(), 0644), 0);
    const std::map<std::string, std::string> good = {
        {"SALES_TOKEN_PUBLIC_KEYS", Stack::public_keys()},
        {"SALES_TOKEN_PRIVATE_KEY_FILE", key_file},
        {"SALES_GATEWAY_DB", "host=127.0.0.1 port=1 dbname=none"},
        {"SALES_GATEWAY_PORT", std::to_string(sales::test::free_port())}};
    const auto private_text = sales::auth::format_private_key(Stack::signing_key());
    const auto private_seed = private_text.substr(private_text.find(' ') + 1, 40);
    const auto other_key =
        sales::auth::format_public_key(sales::auth::generate_signing_key("test-2").public_key());
    struct Case {
        std::string what;
        std::map<std::string, std::string> change;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"group and others may read the key",
         {{"SALES_TOKEN_PRIVATE_KEY_FILE", readable_file}},
         "chmod 600"},
        {"missing key file",
         {{"SALES_TOKEN_PRIVATE_KEY_FILE", dir + "/missing.key"}},
         "SALES_TOKEN_PRIVATE_KEY_FILE"},
        {"no private key", {{"SALES_TOKEN_PRIVATE_KEY_FILE", ""}}, "SALES_TOKEN_PRIVATE_KEY_FILE"},
        {"its public key is not published",
         {{"SALES_TOKEN_PUBLIC_KEYS", other_key}},
         "is not in SALES_TOKEN_PUBLIC_KEYS"},
        {"no public keys", {{"SALES_TOKEN_PUBLIC_KEYS", ""}}, "SALES_TOKEN_PUBLIC_KEYS"},
        {"three public keys",
         {{"SALES_TOKEN_PUBLIC_KEYS",
           Stack::public_keys() + "," + other_key + "," +
               sales::auth::format_public_key(
                   sales::auth::generate_signing_key("t3").public_key())}},
         "at most 2"},
        {"access tokens longer than the services accept",
         {{"SALES_GATEWAY_ACCESS_TTL", "2h"}},
         "SALES_GATEWAY_ACCESS_TTL"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto env = good;
        for (const auto& [name, value] : c.change)
            env[name] = value;
        const auto log = dir + "/" + std::to_string(&c - cases.data()) + ".log";
        sales::test::Process gateway(sales::test::binary("services/gateway/gateway"), {}, env, log);
        EXPECT_EQ(gateway.wait_exit(20s), 2) << gateway.log();
        EXPECT_NE(gateway.log().find(c.message), std::string::npos) << gateway.log();
        EXPECT_EQ(gateway.log().find(private_seed), std::string::npos) << "the log shows the key";
    }
}

}  // namespace

namespace {
// The gateway's table and each service's own permission check agree: for every role and every
// proxied route, the service itself (called directly with the same token) answers 403 exactly
// when the table forbids the route. Otherwise the gateway would block people the service lets
// in, or let through what the service refuses.
TEST(GatewayMatrix, TableAgreesWithEveryServicesOwnCheck) {
    Stack stack("gwa", {"inventory", "contract", "customer", "finance", "reporting", "webhooks"});
    std::vector<std::string> mismatches;
    int checked = 0;
    for (const auto& role : sales::auth::known_roles()) {
        const auto headers = Stack::auth(role);
        for (const auto& rule : gateway::domain::route_table()) {
            if (rule.upstream == "gateway")
                continue;
            ++checked;
            const auto r = stack.http(rule.upstream)
                               .request(rule.method, concrete(rule.pattern), "{}", headers);
            const bool service_forbids = r.status == 403;
            // Finer rules the service applies beyond the permission (with these fake ids):
            // a rep reads only their own task list (customer service).
            if (role == "sales_rep" && rule.pattern == "/api/v1/reps/{rep_id}/tasks")
                continue;
            if (service_forbids == gateway::domain::permits(rule, {role}))
                mismatches.push_back(role + " " + rule.method + " " + rule.pattern + " → " +
                                     std::to_string(r.status) + " " + r.body.substr(0, 160));
        }
    }
    EXPECT_GT(checked, 14 * 100);
    for (const auto& m : mismatches)
        ADD_FAILURE() << m;
}
}  // namespace
