// SEC-2: no committed write without its audit row. A service writes the audit_trail row of an
// authenticated write inside the transaction of the write itself, whichever way the request
// arrived (through the gateway or on the service's own port); a refused request writes none;
// when the audit row cannot be written, the business change is rolled back with it.
#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::expect_error;
using sales::test::Stack;

class AuditTrail : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { stack_ = new Stack("audit_trail", {"inventory", "gateway"}); }
    static void TearDownTestSuite() { delete stack_; }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    static json new_project_body() {
        static int made = 0;
        const auto code = "AT" + std::to_string(++made);
        return {{"code", code}, {"name", "审计" + code}, {"city", "成都"}};
    }
    static sales::http::Headers with_request_id(sales::http::Headers headers,
                                                const std::string& request_id) {
        headers["X-Request-Id"] = request_id;
        return headers;
    }
    static std::int64_t trail_rows(const std::string& service, const std::string& request_id) {
        return stack_->count(service, "SELECT count(*) FROM audit_trail WHERE request_id = $1",
                             {request_id});
    }

    static Stack* stack_;
};
Stack* AuditTrail::stack_ = nullptr;

TEST_F(AuditTrail, AWriteOnTheServicesOwnPortIsAuditedInItsTransaction) {
    const auto request_id = "audit-direct-" + sales::new_uuid();
    const auto response =
        stack_->call("inventory", "POST", "/api/v1/projects", new_project_body(),
                     with_request_id(Stack::as("user-audit-1", {"admin"}), request_id));
    ASSERT_EQ(response.status, 201) << response.body;
    const auto row = stack_->db("inventory").transaction([&](sales::db::Tx& tx) {
        return tx.exec_one(
            "SELECT user_id, roles, method, route, path FROM audit_trail WHERE request_id = $1",
            {request_id});
    });
    EXPECT_EQ(row.text("user_id"), "user-audit-1");
    EXPECT_EQ(row.text("roles"), "admin");
    EXPECT_EQ(row.text("method"), "POST");
    EXPECT_EQ(row.text("route"), "/api/v1/projects");
    EXPECT_EQ(row.text("path"), "/api/v1/projects");
}

TEST_F(AuditTrail, AWriteThroughTheGatewayIsAuditedByTheServiceThatCommittedIt) {
    const auto request_id = "audit-gateway-" + sales::new_uuid();
    const auto response =
        stack_->call("gateway", "POST", "/api/v1/projects", new_project_body(),
                     with_request_id(Stack::as("user-audit-2", {"admin"}), request_id));
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(trail_rows("inventory", request_id), 1);
    // The gateway keeps the access log of the request, not a second business audit row.
    EXPECT_EQ(trail_rows("gateway", request_id), 0);
}

TEST_F(AuditTrail, TheReasonOfAWriteIsRecorded) {
    const auto project = stack_->released_project(1, 1);
    const auto request_id = "audit-reason-" + sales::new_uuid();
    const auto response =
        stack_->call("inventory", "POST", "/api/v1/units:withdraw",
                     {{"unit_ids", {project.unit_ids.front()}}, {"reason", "价格调整，暂停销售"}},
                     with_request_id(Stack::auth("sales_control"), request_id));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(stack_->count("inventory",
                            "SELECT count(*) FROM audit_trail WHERE request_id = $1 "
                            "AND reason = '价格调整，暂停销售'",
                            {request_id}),
              1);
}

TEST_F(AuditTrail, ARefusedWriteLeavesNoAuditRow) {
    const auto request_id = "audit-refused-" + sales::new_uuid();
    const auto response =
        stack_->call("inventory", "POST", "/api/v1/projects", {{"code", 12}},
                     with_request_id(Stack::as("user-audit-3", {"admin"}), request_id));
    expect_error(response, 400, "validation_failed");
    EXPECT_EQ(trail_rows("inventory", request_id), 0);
}

TEST_F(AuditTrail, AReadLeavesNoAuditRow) {
    const auto request_id = "audit-read-" + sales::new_uuid();
    const auto response =
        stack_->call("inventory", "GET", "/api/v1/projects", nullptr,
                     with_request_id(Stack::as("user-audit-4", {"admin"}), request_id));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(trail_rows("inventory", request_id), 0);
}

// The audit row is part of the write: if it cannot be stored, nothing is.
TEST_F(AuditTrail, AWriteWhoseAuditRowFailsIsRolledBack) {
    stack_->db("inventory").transaction([](sales::db::Tx& tx) {
        tx.exec(
            "ALTER TABLE audit_trail ADD CONSTRAINT test_refuses_blocked_user "
            "CHECK (user_id <> 'user-audit-blocked')");
    });
    const auto projects_before = stack_->count("inventory", "SELECT count(*) FROM projects");
    const auto response = stack_->call("inventory", "POST", "/api/v1/projects", new_project_body(),
                                       Stack::as("user-audit-blocked", {"admin"}));
    EXPECT_GE(response.status, 500) << response.body;
    EXPECT_EQ(stack_->count("inventory", "SELECT count(*) FROM projects"), projects_before);
    stack_->db("inventory").transaction([](sales::db::Tx& tx) {
        tx.exec("ALTER TABLE audit_trail DROP CONSTRAINT test_refuses_blocked_user");
    });
}

TEST_F(AuditTrail, TheTrailIsAppendOnly) {
    ASSERT_EQ(stack_
                  ->call("inventory", "POST", "/api/v1/projects", new_project_body(),
                         Stack::auth("admin"))
                  .status,
              201);
    ASSERT_GT(stack_->count("inventory", "SELECT count(*) FROM audit_trail"), 0);
    EXPECT_THROW(stack_->db("inventory").transaction([](sales::db::Tx& tx) {
        tx.exec("DELETE FROM audit_trail");
    }),
                 sales::db::Error);
    EXPECT_THROW(stack_->db("inventory").transaction([](sales::db::Tx& tx) {
        tx.exec("UPDATE audit_trail SET user_id = 'someone-else'");
    }),
                 sales::db::Error);
}

}  // namespace
