// Inventory HTTP API against a real PostgreSQL and NATS: authentication, permissions, and
// bad input answered with a clear 4xx JSON error while nothing is written.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "sales/auth.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using sales::test::expect_error;
using sales::test::Stack;

class ProjectsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { stack_ = new Stack("inv_projects", {"inventory"}); }
    static void TearDownTestSuite() {
        delete stack_;
        stack_ = nullptr;
    }

    static sales::http::Client& client() { return stack_->http("inventory"); }
    static sales::http::Headers bearer(const std::string& token,
                                       const std::string& content_type = "application/json") {
        return {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}};
    }
    static std::string token(const std::string& role, std::chrono::seconds ttl = 1h,
                             const sales::auth::SigningKey& key = Stack::signing_key()) {
        return sales::auth::mint(
            key, {"user-" + role, {role}, {"*"}, std::chrono::system_clock::now() + ttl});
    }
    static sales::http::ClientResponse post(const std::string& body,
                                            const sales::http::Headers& headers) {
        return client().request("POST", "/api/v1/projects", body, headers);
    }
    // Rows of every table a refused request must leave untouched.
    static std::map<std::string, std::int64_t> rows() {
        return stack_->row_counts("inventory", {"projects", "outbox"});
    }

    static inline Stack* stack_ = nullptr;
};

TEST_F(ProjectsApi, HealthRoutesNeedNoToken) {
    EXPECT_EQ(client().get("/healthz").status, 200);
    EXPECT_EQ(client().get("/readyz").status, 200);
    EXPECT_EQ(client().get("/metrics").status, 200);
}

TEST_F(ProjectsApi, EveryOtherRouteNeedsAValidToken) {
    const auto before = rows();
    const std::string body = R"({"code":"AA01","name":"n","city":"c"})";
    expect_error(client().get("/api/v1/projects"), 401, "unauthenticated");
    expect_error(post(body, {{"Content-Type", "application/json"}}), 401, "unauthenticated");
    expect_error(post(body, bearer("not.a.token")), 401, "unauthenticated");
    expect_error(client().get("/api/v1/projects", bearer(token("admin", -10s))), 401,
                 "unauthenticated");
    // A key the service does not know, under the stack's kid and under another.
    const auto foreign = token("admin", 1h, sales::auth::generate_signing_key("test-1"));
    expect_error(client().get("/api/v1/projects", bearer(foreign)), 401, "unauthenticated");
    const auto unknown_kid = token("admin", 1h, sales::auth::generate_signing_key("test-9"));
    expect_error(client().get("/api/v1/projects", bearer(unknown_kid)), 401, "unauthenticated");
    EXPECT_EQ(client().get("/api/v1/projects", bearer(token("admin"))).status, 200);
    EXPECT_EQ(rows(), before);
}

TEST_F(ProjectsApi, CreatingNeedsProjectManagePermission) {
    const auto before = rows();
    expect_error(post(R"({"code":"AB01","name":"n","city":"c"})", Stack::auth("sales_rep")), 403,
                 "forbidden");
    EXPECT_EQ(rows(), before);
}

TEST_F(ProjectsApi, BadInputIsA4xxAndWritesNothing) {
    const auto before = rows();
    const auto admin = Stack::auth("admin");
    expect_error(post("{not json", admin), 400, "invalid_json");
    expect_error(post("[1,2]", admin), 400, "invalid_json");
    expect_error(
        post(R"({"code":"AC01","name":"n","city":"c"})", bearer(token("admin"), "text/plain")), 415,
        "unsupported_media_type");
    expect_error(post(R"({"code":7,"name":"n","city":"c"})", admin), 400, "validation_failed");
    expect_error(post(R"({"code":"AC01","name":"n"})", admin), 400, "validation_failed");
    expect_error(post(R"({"code":"ac01","name":"n","city":"c"})", admin), 400, "validation_failed");
    expect_error(post(R"({"code":"AC01","name":"n","city":"c","price_fen":1.5})", admin), 400,
                 "validation_failed");
    expect_error(
        post(R"({"code":"AC01","name":")" + std::string(101, 'x') + R"(","city":"c"})", admin), 400,
        "validation_failed");
    expect_error(
        post(R"({"code":"AC01","name":"n","city":"c","pad":")" + std::string(2 << 20, 'x') + "\"}",
             admin),
        413, "payload_too_large");
    expect_error(client().get("/api/v1/projects?limit=abc", admin), 400, "validation_failed");
    expect_error(client().get("/api/v1/projects/not-a-uuid", admin), 404, "project_not_found");
    EXPECT_EQ(rows(), before);
}

TEST_F(ProjectsApi, CreateReadAndDuplicateCode) {
    const auto admin = Stack::auth("admin");
    const auto created = post(R"({"code":"AD01","name":"华熙府","city":"成都"})", admin);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto project = created.json();
    EXPECT_EQ(project["code"], "AD01");
    EXPECT_EQ(project["name"], "华熙府");
    EXPECT_EQ(created.headers.at("Location"),
              "/api/v1/projects/" + project["id"].get<std::string>());

    const auto fetched =
        client().get("/api/v1/projects/" + project["id"].get<std::string>(), admin);
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.json()["id"], project["id"]);

    // Project scope: a user of another project does not see it.
    expect_error(client().get("/api/v1/projects/" + project["id"].get<std::string>(),
                              Stack::auth("sales_rep", {sales::new_uuid()})),
                 404, "project_not_found");

    const auto before = rows();
    expect_error(post(R"({"code":"AD01","name":"again","city":"成都"})", admin), 409,
                 "project_code_taken");
    EXPECT_EQ(rows(), before) << "a rejected write must not emit an event";
}

}  // namespace
