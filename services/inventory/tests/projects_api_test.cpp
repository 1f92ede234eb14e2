// Inventory HTTP API against a real PostgreSQL and NATS: authentication, permissions, and
// bad input answered with a clear 4xx JSON error while nothing is written.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "sales/auth.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "test_support.hpp"

namespace {
using namespace std::chrono_literals;
const std::string kSecret = "inventory-api-test-secret-0123456789abcdef";

class ProjectsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        db_ = new std::string(
            sales::test::fresh_database("inv_api_" + sales::new_uuid().substr(0, 8)));
        port_ = sales::test::free_port();
        process_ = sales::test::start_service("inventory", port_,
                                              {{"SALES_INVENTORY_DB", *db_},
                                               {"SALES_NATS_URL", sales::test::nats_url()},
                                               {"SALES_JWT_SECRET", kSecret},
                                               {"SALES_INVENTORY_IO_THREADS", "2"}},
                                              sales::test::temp_dir("inv-api") + "/inventory.log")
                       .release();
    }
    static void TearDownTestSuite() {
        delete process_;
        delete db_;
    }

    static std::string token(std::vector<std::string> roles,
                             std::vector<std::string> projects = {"*"},
                             std::chrono::seconds ttl = 1h) {
        return sales::auth::mint({kSecret}, {"user-" + roles.front(), roles, projects,
                                             std::chrono::system_clock::now() + ttl});
    }

    sales::http::ClientResponse post(const std::string& body, const std::string& bearer,
                                     const std::string& content_type = "application/json") {
        sales::http::Headers headers{{"Content-Type", content_type}};
        if (!bearer.empty())
            headers["Authorization"] = "Bearer " + bearer;
        return client_.request("POST", "/api/v1/projects", body, headers);
    }

    std::int64_t rows(const std::string& table) {
        sales::db::Pool pool({*db_, 1});
        return pool.transaction([&](sales::db::Tx& tx) {
            return tx.exec_one("SELECT count(*) FROM " + table).int64(0);
        });
    }

    void expect_error(const sales::http::ClientResponse& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        const auto body = r.json();
        ASSERT_TRUE(body.contains("error")) << r.body;
        EXPECT_EQ(body["error"]["code"], code) << r.body;
        EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    }

    static inline std::string* db_ = nullptr;
    static inline std::uint16_t port_ = 0;
    static inline sales::test::Process* process_ = nullptr;
    sales::http::Client client_{"127.0.0.1", port_};
};

TEST_F(ProjectsApi, HealthRoutesNeedNoToken) {
    EXPECT_EQ(client_.get("/healthz").status, 200);
    EXPECT_EQ(client_.get("/readyz").status, 200);
    EXPECT_EQ(client_.get("/metrics").status, 200);
}

TEST_F(ProjectsApi, EveryOtherRouteNeedsAValidToken) {
    expect_error(client_.get("/api/v1/projects"), 401, "unauthenticated");
    expect_error(post(R"({"code":"AA01","name":"n","city":"c"})", ""), 401, "unauthenticated");
    expect_error(post(R"({"code":"AA01","name":"n","city":"c"})", "not.a.token"), 401,
                 "unauthenticated");
    const auto expired = token({"admin"}, {"*"}, -10s);
    expect_error(client_.get("/api/v1/projects", {{"Authorization", "Bearer " + expired}}), 401,
                 "unauthenticated");
    const auto foreign =
        sales::auth::mint({"another-key-another-key-another-key-0000"},
                          {"u", {"admin"}, {"*"}, std::chrono::system_clock::now() + 1h});
    expect_error(client_.get("/api/v1/projects", {{"Authorization", "Bearer " + foreign}}), 401,
                 "unauthenticated");
    EXPECT_EQ(rows("projects"), 0);
}

TEST_F(ProjectsApi, CreatingNeedsProjectManagePermission) {
    expect_error(post(R"({"code":"AB01","name":"n","city":"c"})", token({"sales_rep"})), 403,
                 "forbidden");
    EXPECT_EQ(rows("projects"), 0);
    EXPECT_EQ(rows("outbox"), 0);
}

TEST_F(ProjectsApi, BadInputIsA4xxAndWritesNothing) {
    const auto admin = token({"admin"});
    expect_error(post("{not json", admin), 400, "invalid_json");
    expect_error(post("[1,2]", admin), 400, "invalid_json");
    expect_error(post(R"({"code":"AC01","name":"n","city":"c"})", admin, "text/plain"), 415,
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
    expect_error(client_.get("/api/v1/projects?limit=abc", {{"Authorization", "Bearer " + admin}}),
                 400, "validation_failed");
    expect_error(client_.get("/api/v1/projects/not-a-uuid", {{"Authorization", "Bearer " + admin}}),
                 404, "project_not_found");
    EXPECT_EQ(rows("projects"), 0);
    EXPECT_EQ(rows("outbox"), 0);
}

TEST_F(ProjectsApi, CreateReadAndDuplicateCode) {
    const auto admin = token({"admin"});
    const auto created = post(R"({"code":"AD01","name":"华熙府","city":"成都"})", admin);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto project = created.json();
    EXPECT_EQ(project["code"], "AD01");
    EXPECT_EQ(project["name"], "华熙府");
    EXPECT_EQ(created.headers.at("Location"),
              "/api/v1/projects/" + project["id"].get<std::string>());

    const auto fetched = client_.get("/api/v1/projects/" + project["id"].get<std::string>(),
                                     {{"Authorization", "Bearer " + admin}});
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.json()["id"], project["id"]);

    // Project scope: a user of another project does not see it.
    const auto outsider = token({"sales_rep"}, {sales::new_uuid()});
    expect_error(client_.get("/api/v1/projects/" + project["id"].get<std::string>(),
                             {{"Authorization", "Bearer " + outsider}}),
                 404, "project_not_found");

    const auto before = rows("outbox");
    expect_error(post(R"({"code":"AD01","name":"again","city":"成都"})", admin), 409,
                 "project_code_taken");
    EXPECT_EQ(rows("outbox"), before) << "a rejected write must not emit an event";
}

}  // namespace
