// Contracts end to end (CON-3 … CON-9): the real contract service with a real PostgreSQL and a
// private nats-server. Inventory is stood in for by a minimal hold responder (signing never
// talks to inventory); finance is stood in for by publishing finance.deposit.received and
// finance.contract.cleared / uncleared into the FINANCE stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "domain/calendar.hpp"
#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::eventually;
using sales::test::expect_error;
using sales::test::Stack;

constexpr std::int64_t kList = 200'000'000;
constexpr std::int64_t kDiscount = 1'000'000;  // 0.5%: within the standard 3%
constexpr std::int64_t kPrice = kList - kDiscount;
constexpr std::int64_t kDeposit = 5'000'000;
// The units the fake inventory holds: 133.33 m² gross, 108.88 m² internal.
constexpr std::int64_t kGrossArea = 13'333;
constexpr std::int64_t kInternalArea = 10'888;

class ContractsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("con_contracts", {"contract"},
                           {{"SALES_CONTRACT_IO_THREADS", "4"},
                            {"SALES_CONTRACT_DB_POOL", "12"},
                            {"SALES_CONTRACT_NAK_DELAY", "100ms"}});
        // Inventory's hold: every unit this test made is available once (the project is in the
        // unit id's registry).
        stack_->nats().serve("rpc.inventory.hold", "inventory", [](const std::string& text) {
            const auto r = json::parse(text);
            std::lock_guard lock(mutex_);
            const auto it = units_.find(r.at("unit_id").get<std::string>());
            if (it == units_.end())
                return json{{"result", "not_found"}}.dump();
            return json{{"result", "held"},
                        {"unit",
                         {{"unit_id", it->first},
                          {"project_id", it->second},
                          {"list_total_fen", kList},
                          {"gross_area_centi_m2", kGrossArea},
                          {"internal_area_centi_m2", kInternalArea}}}}
                .dump();
        });
        project_ = new std::string(new_project("HX01"));
    }
    static void TearDownTestSuite() {
        delete stack_;
        delete project_;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << "---- contract log ----\n" << stack_->log("contract") << "\n";
    }

    static std::string new_project(const std::string& code) {
        const auto id = sales::new_uuid();
        stack_->publish(sales::bus::make_event("inventory", "inventory.project.created", id, 1,
                                               {{"id", id},
                                                {"code", code},
                                                {"name", "项目 " + code},
                                                {"version", 1},
                                                {"settings", {{"signing_deadline_days", 30}}}}));
        EXPECT_TRUE(
            eventually([&] { return rows("project_refs", "project_id = $1::uuid", {id}) == 1; }));
        return id;
    }
    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {}) {
        return stack_->count("contract", "SELECT count(*) FROM " + table + " WHERE " + where,
                             params);
    }
    static void sql(const std::string& statement, const sales::db::Params& params) {
        stack_->db("contract").transaction([&](sales::db::Tx& tx) { tx.exec(statement, params); });
    }
    // Envelopes of every outbox event of `type` about `subject`, oldest first.
    static std::vector<json> events(const std::string& type, const std::string& subject) {
        return stack_->db("contract").transaction([&](sales::db::Tx& tx) {
            std::vector<json> out;
            for (const auto& row : tx.exec("SELECT payload FROM outbox WHERE subject = $1 AND "
                                           "payload::jsonb->>'subject' = $2 ORDER BY id",
                                           {type, subject}))
                out.push_back(json::parse(row.text(0)));
            return out;
        });
    }
    static std::map<std::string, std::int64_t> counts() {
        auto out = stack_->row_counts(
            "contract",
            {"contracts", "contract_counters", "contract_history", "contract_audits", "amendments",
             "approvals", "outbox", "contract_refund_requests", "handover_eligibility_history"});
        out["versions"] =
            stack_->count("contract", "SELECT coalesce(sum(version), 0) FROM contracts");
        return out;
    }

    static sales::http::Headers auth(const std::string& role,
                                     std::vector<std::string> projects = {"*"}) {
        return Stack::auth(role, std::move(projects));
    }
    sales::http::ClientResponse post(const std::string& path, const json& body,
                                     const std::string& role) {
        return stack_->call("contract", "POST", path, body, auth(role));
    }
    json ok(const sales::http::ClientResponse& r, int status = 200) {
        EXPECT_EQ(r.status, status) << r.body;
        return r.status == status ? r.json() : json::object();
    }
    json contract(const std::string& id, const std::string& role = "sales_rep") {
        return ok(client_.get("/api/v1/contracts/" + id, auth(role)));
    }

    static std::string in_days(int days) {
        return contract::domain::to_string(
            contract::domain::shanghai_date(sales::SystemClock().now() + days * 24h));
    }
    static json mortgage_plan(std::int64_t price = kPrice) {
        return {{"kind", "mortgage"},
                {"down_payment_fen", price - 140'000'000},
                {"down_payment_due_date", in_days(10)},
                {"loan_fen", 140'000'000},
                {"loan_expected_date", in_days(60)}};
    }

    // A confirmed subscription (deposit paid) in `project`; returns its id.
    std::string confirmed_subscription(const std::string& project,
                                       std::int64_t discount = kDiscount,
                                       sales::http::Client* client = nullptr) {
        const auto unit = sales::new_uuid();
        {
            std::lock_guard lock(mutex_);
            units_[unit] = project;
        }
        auto& c = client ? *client : client_;
        const auto r = c.request("POST", "/api/v1/subscriptions",
                                 json{{"unit_id", unit},
                                      {"customer_id", sales::new_uuid()},
                                      {"discount_fen", discount},
                                      {"payment_plan", "mortgage"},
                                      {"deposit_fen", kDeposit},
                                      {"signing_deadline", in_days(30)}}
                                     .dump(),
                                 auth("sales_rep"));
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string id = r.json()["id"];
        stack_->publish(
            sales::bus::make_event("finance", "finance.deposit.received", id, 1,
                                   {{"subscription_id", id},
                                    {"amount_fen", kDeposit},
                                    {"receipt_no", "R-" + id},
                                    {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}}));
        EXPECT_TRUE(eventually([&] {
            return rows("subscriptions", "id = $1::uuid AND status = 'confirmed'", {id}) == 1;
        }));
        return id;
    }
    sales::http::ClientResponse sign(const std::string& subscription_id,
                                     json extra = json::object(),
                                     const std::string& role = "sales_rep") {
        json body = {{"plan", mortgage_plan()}};
        if (extra.is_object())
            body.update(extra);
        return post("/api/v1/subscriptions/" + subscription_id + "/sign", body, role);
    }
    json signed_contract(const std::string& project) {
        return ok(sign(confirmed_subscription(project)), 201);
    }
    sales::http::ClientResponse audit(const std::string& id, const std::string& role,
                                      bool approve = true, const std::string& kind = "contracts") {
        return post("/api/v1/" + kind + "/" + id + "/audit/" + (approve ? "approve" : "reject"),
                    {{"note", "审核意见 " + role}}, role);
    }
    void review(const std::string& id, const std::string& kind = "contracts") {
        for (const char* role :
             {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"})
            ok(audit(id, role, true, kind));
    }
    json stamped_contract() {
        const auto c = signed_contract(*project_);
        review(c["id"]);
        return ok(post("/api/v1/contracts/" + c["id"].get<std::string>() + "/stamp",
                       {{"stamped_on", in_days(0)}, {"stamp_no", "STAMP-1"}}, "gm"));
    }
    void finance(const std::string& type, const std::string& contract_id,
                 const std::string& event_id = "") {
        auto event = sales::bus::make_event(
            "finance", type, contract_id, 1,
            {{"contract_id", contract_id},
             {"project_id", *project_},
             {type == "finance.contract.cleared" ? "cleared_at" : "uncleared_at",
              sales::to_rfc3339(sales::SystemClock().now())},
             {"due_fen", kPrice},
             {"paid_fen", kPrice},
             {"reason", "reversal"},
             {"balance_fen", 100}});
        if (!event_id.empty())
            event.id = event_id;
        stack_->publish(event);
    }
    bool applied(const std::string& event_id) {
        return eventually([&] { return rows("inbox", "event_id = $1::uuid", {event_id}) == 1; });
    }
    std::set<std::string> listed(const std::string& list, const std::string& query = "") {
        const auto r =
            client_.get("/api/v1/contracts/" + list + "?limit=500" + query, auth("sales_manager"));
        std::set<std::string> out;
        const auto page = ok(r);
        for (const auto& item : page["items"])
            out.insert((item.contains("contract_id") ? item["contract_id"] : item["id"])
                           .get<std::string>());
        return out;
    }

    static inline Stack* stack_ = nullptr;
    static inline std::string* project_ = nullptr;
    static inline std::mutex mutex_;
    static inline std::map<std::string, std::string> units_;  // unit id → project id
    sales::http::Client& client_ = stack_->http("contract");
};

TEST_F(ContractsApi, SigningWritesContractNumberAuditStepAndContractSignedPerTheSpec) {
    const auto sub = confirmed_subscription(*project_);
    const auto r = sign(sub);
    const auto c = ok(r, 201);
    const std::string id = c["id"];
    EXPECT_EQ(r.headers.at("Location"), "/api/v1/contracts/" + id);
    const auto year = in_days(0).substr(0, 4);
    EXPECT_EQ(c["contract_no"].get<std::string>().substr(0, 10), year + "-HX01-");
    EXPECT_EQ(c["contract_no"].get<std::string>().size(), 16u);
    EXPECT_EQ(c["status"], "in_audit");
    EXPECT_EQ(c["price_fen"], kPrice);  // copied from the subscription (CON-3)
    EXPECT_EQ(rows("subscriptions", "id = $1::uuid AND status = 'signed'", {sub}), 1);
    EXPECT_EQ(events("contract.subscription.signed", sub).size(), 1u);

    const auto emitted = events("contract.signed", id);
    ASSERT_EQ(emitted.size(), 1u);
    EXPECT_EQ(emitted[0]["sequence"], 1);
    const auto& d = emitted[0]["data"];
    std::set<std::string> keys;
    for (const auto& [k, v] : d.items())
        keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"contract_id",
                                           "contract_no",
                                           "subscription_id",
                                           "project_id",
                                           "unit_id",
                                           "customer_id",
                                           "rep_id",
                                           "signed_at",
                                           "list_total_fen",
                                           "discount_fen",
                                           "price_fen",
                                           "deposit_paid_fen",
                                           "penalty_bp_per_day",
                                           "payment_plan",
                                           "plan",
                                           "version",
                                           "pricing_basis",
                                           "contract_gross_area_centi_m2",
                                           "contract_internal_area_centi_m2",
                                           "referrer_customer_id"}));
    EXPECT_TRUE(d["referrer_customer_id"].is_null());
    EXPECT_EQ(d["contract_no"], c["contract_no"]);
    EXPECT_EQ(d["subscription_id"], sub);
    EXPECT_EQ(d["list_total_fen"], kList);
    EXPECT_EQ(d["discount_fen"], kDiscount);
    EXPECT_EQ(d["price_fen"], kPrice);
    EXPECT_EQ(d["deposit_paid_fen"], kDeposit);
    EXPECT_EQ(d["penalty_bp_per_day"], 5);
    EXPECT_EQ(d["payment_plan"], "mortgage");
    EXPECT_EQ(d["plan"], mortgage_plan());
    EXPECT_EQ(d["rep_id"], "user-sales_rep");
    EXPECT_TRUE(sales::is_rfc3339(d["signed_at"].get<std::string>()));
    EXPECT_EQ(d["version"], 1);
    // Issue 14 item 1 (CON-10): the price terms REG-1 settles against, fixed at signing.
    EXPECT_EQ(d["pricing_basis"], "gross");
    EXPECT_EQ(d["contract_gross_area_centi_m2"], kGrossArea);
    EXPECT_EQ(d["contract_internal_area_centi_m2"], kInternalArea);

    const auto full = contract(id);
    EXPECT_EQ(full["pricing_basis"], "gross");
    EXPECT_EQ(full["contract_gross_area_centi_m2"], kGrossArea);
    EXPECT_EQ(full["contract_internal_area_centi_m2"], kInternalArea);
    // 199,000,000 fen ÷ 133.33 m² = 1,492,537.31… fen/m², rounded half up.
    EXPECT_EQ(full["unit_price_fen_per_m2"], 1'492'537);
    ASSERT_EQ(full["audits"].size(), 1u);
    EXPECT_EQ(full["audits"][0]["step"], 1);
    EXPECT_EQ(full["audits"][0]["role"], "sales_supervisor");
    EXPECT_EQ(full["audits"][0]["due_on"],
              contract::domain::to_string(sales::add_working_days(
                  contract::domain::shanghai_date(sales::SystemClock().now()), 2)));
    // Signing twice: the subscription is signed now.
    expect_error(sign(sub), 409, "invalid_transition");
}

TEST_F(ContractsApi, BadSigningInputIsA4xxAndWritesNothing) {
    const auto sub = confirmed_subscription(*project_);
    const auto before = counts();
    auto short_plan = mortgage_plan();
    short_plan["loan_fen"] = 139'999'999;
    expect_error(sign(sub, {{"plan", short_plan}}), 422, "plan_does_not_sum_to_price");
    expect_error(sign(sub, {{"plan", {{"kind", "one_off"}, {"due_date", in_days(5)}}}}), 422,
                 "plan_kind_mismatch");
    expect_error(sign(sub, {{"plan", {{"kind", "mortgage"}}}}), 400, "validation_failed");
    expect_error(sign(sub, {{"plan", "mortgage"}}), 400, "validation_failed");
    auto past = mortgage_plan();
    past["down_payment_due_date"] = in_days(-3);
    expect_error(sign(sub, {{"plan", past}}), 400, "validation_failed");
    auto fractional = mortgage_plan();
    fractional["loan_fen"] = 1.5;
    expect_error(sign(sub, {{"plan", fractional}}), 400, "validation_failed");
    expect_error(sign(sub, {{"price_fen", 1}}), 400, "validation_failed");
    expect_error(sign(sub, {{"discount_slip_id", "slip-1"}}), 400, "validation_failed");
    expect_error(post("/api/v1/subscriptions/" + sub + "/sign", json::object(), "sales_rep"), 400,
                 "validation_failed");
    expect_error(client_.request("POST", "/api/v1/subscriptions/" + sub + "/sign", "{nope",
                                 auth("sales_rep")),
                 400, "invalid_json");
    expect_error(sign(sales::new_uuid()), 404, "subscription_not_found");
    expect_error(sign("not-a-uuid"), 404, "subscription_not_found");
    expect_error(sign(sub, {}, "sales_supervisor"), 403, "forbidden");
    expect_error(sign(sub, {}, "cashier"), 403, "forbidden");
    // A rep of another project does not see the subscription.
    expect_error(client_.request("POST", "/api/v1/subscriptions/" + sub + "/sign",
                                 json{{"plan", mortgage_plan()}}.dump(),
                                 auth("sales_rep", {sales::new_uuid()})),
                 404, "subscription_not_found");
    EXPECT_EQ(counts(), before);
    EXPECT_EQ(rows("subscriptions", "id = $1::uuid AND status = 'confirmed'", {sub}), 1);
    // A subscription still waiting for its deposit is not signed (CON-3).
    const auto unit = sales::new_uuid();
    {
        std::lock_guard lock(mutex_);
        units_[unit] = *project_;
    }
    const auto pending = ok(post("/api/v1/subscriptions",
                                 {{"unit_id", unit},
                                  {"customer_id", sales::new_uuid()},
                                  {"discount_fen", kDiscount},
                                  {"payment_plan", "mortgage"},
                                  {"deposit_fen", kDeposit},
                                  {"signing_deadline", in_days(30)}},
                                 "sales_rep"),
                            201);
    const auto after_create = counts();
    expect_error(sign(pending["id"]), 409, "invalid_transition");
    EXPECT_EQ(counts(), after_create);
}

TEST_F(ContractsApi, DiscountBeyondTheStandardNeedsAnApprovedSlip) {
    const auto sub = confirmed_subscription(*project_, 20'000'000);  // 10% > 3%
    const auto plan = mortgage_plan(kList - 20'000'000);
    expect_error(sign(sub, {{"plan", plan}}), 422, "discount_slip_required");
    expect_error(post("/api/v1/discount-slips",
                      {{"subscription_id", sub}, {"discount_fen", 20'000'000}, {"reason", "x"}},
                      "sales_rep"),
                 403, "forbidden");
    const auto slip =
        ok(post("/api/v1/discount-slips",
                {{"subscription_id", sub}, {"discount_fen", 20'000'000}, {"reason", "老业主优惠"}},
                "sales_manager"),
           201);
    EXPECT_EQ(slip["status"], "requested");
    const std::string slip_id = slip["id"];
    expect_error(sign(sub, {{"plan", plan}, {"discount_slip_id", slip_id}}), 422,
                 "approval_not_usable");
    expect_error(
        post("/api/v1/discount-slips/" + slip_id + "/approve", {{"note", "ok"}}, "sales_manager"),
        403, "forbidden");
    EXPECT_EQ(ok(post("/api/v1/discount-slips/" + slip_id + "/approve", {{"note", "同意"}},
                      "gm"))["status"],
              "approved");
    expect_error(post("/api/v1/discount-slips/" + slip_id + "/reject", {{"note", "no"}}, "gm"), 409,
                 "invalid_transition");
    const auto c = ok(sign(sub, {{"plan", plan}, {"discount_slip_id", slip_id}}), 201);
    EXPECT_EQ(c["discount_slip_id"], slip_id);
    EXPECT_EQ(c["discount_fen"], 20'000'000);
    // The slip is spent: another subscription cannot use it.
    const auto other = confirmed_subscription(*project_, 20'000'000);
    expect_error(sign(other, {{"plan", plan}, {"discount_slip_id", slip_id}}), 422,
                 "approval_not_usable");
}

TEST_F(ContractsApi, SigningLaterThanTheDelayNeedsTheGmsApproval) {
    const auto sub = confirmed_subscription(*project_);
    // The subscription was made 31 days ago (CON-3: signing within 30 days).
    sql("UPDATE subscriptions SET created_at = now() - interval '31 days' WHERE id = $1::uuid",
        {sub});
    expect_error(sign(sub), 422, "late_signing_approval_required");
    const auto approval =
        ok(post("/api/v1/late-signing-approvals",
                {{"subscription_id", sub}, {"reason", "客户出差"}}, "sales_manager"),
           201);
    const std::string id = approval["id"];
    expect_error(sign(sub, {{"late_signing_approval_id", id}}), 422, "approval_not_usable");
    expect_error(post("/api/v1/late-signing-approvals/" + id + "/approve", {{"note", "ok"}},
                      "finance_director"),
                 403, "forbidden");
    ok(post("/api/v1/late-signing-approvals/" + id + "/approve", {{"note", "同意延期签约"}}, "gm"));
    const auto c = ok(sign(sub, {{"late_signing_approval_id", id}}), 201);
    EXPECT_EQ(c["late_signing_approval_id"], id);
}

TEST_F(ContractsApi, ThirtyConcurrentSigningsInOneProjectNumberOneToThirtyWithoutGaps) {
    const auto project = new_project("HX09");
    std::vector<std::string> subs;
    for (int i = 0; i < 30; ++i)
        subs.push_back(confirmed_subscription(project));
    std::vector<std::thread> threads;
    std::mutex m;
    std::vector<std::string> numbers;
    std::atomic<int> failures{0};
    for (const auto& sub : subs) {
        threads.emplace_back([&, sub] {
            sales::http::Client client("127.0.0.1", stack_->port("contract"));
            const auto r =
                client.request("POST", "/api/v1/subscriptions/" + sub + "/sign",
                               json{{"plan", mortgage_plan()}}.dump(), auth("sales_rep"));
            if (r.status != 201) {
                ++failures;
                return;
            }
            std::lock_guard lock(m);
            numbers.push_back(r.json()["contract_no"]);
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(failures, 0);
    std::set<std::string> expected;
    const auto year = in_days(0).substr(0, 4);
    for (int i = 1; i <= 30; ++i) {
        char serial[8];
        std::snprintf(serial, sizeof serial, "%06d", i);
        expected.insert(year + "-HX09-" + serial);
    }
    EXPECT_EQ(std::set<std::string>(numbers.begin(), numbers.end()), expected);
    EXPECT_EQ(numbers.size(), 30u);
    EXPECT_EQ(rows("contract_counters", "project_id = $1::uuid AND last_serial = 30", {project}),
              1);
}

TEST_F(ContractsApi, AuditChainInOrderThenStampAndRegistration) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"];
    expect_error(post("/api/v1/contracts/" + id + "/stamp",
                      {{"stamped_on", in_days(0)}, {"stamp_no", "S"}}, "gm"),
                 409, "invalid_transition");
    // Out of order: the sales manager and finance may not decide step 1.
    expect_error(audit(id, "sales_manager"), 422, "wrong_role");
    expect_error(audit(id, "finance_director"), 422, "wrong_role");
    expect_error(audit(id, "sales_rep"), 403, "forbidden");
    expect_error(
        post("/api/v1/contracts/" + id + "/audit/approve", json::object(), "sales_supervisor"), 400,
        "validation_failed");  // a note is required
    ok(audit(id, "sales_supervisor"));
    expect_error(audit(id, "finance_supervisor"), 422, "wrong_role");
    ok(audit(id, "sales_manager"));
    ok(audit(id, "finance_supervisor"));
    const auto reviewed = ok(audit(id, "finance_director"));
    EXPECT_EQ(reviewed["status"], "reviewed");
    expect_error(audit(id, "finance_director"), 409, "invalid_transition");
    const auto approvals = events("contract.audit.approved", id);
    ASSERT_EQ(approvals.size(), 4u);
    EXPECT_EQ(approvals[3]["data"]["complete"], true);
    EXPECT_EQ(approvals[3]["data"]["role"], "finance_director");

    expect_error(post("/api/v1/contracts/" + id + "/stamp",
                      {{"stamped_on", in_days(0)}, {"stamp_no", "S"}}, "sales_manager"),
                 403, "forbidden");
    expect_error(post("/api/v1/contracts/" + id + "/stamp",
                      {{"stamped_on", "2026-02-30"}, {"stamp_no", "S"}}, "gm"),
                 400, "validation_failed");
    expect_error(post("/api/v1/contracts/" + id + "/registration",
                      {{"filed_at", sales::to_rfc3339(sales::SystemClock().now())},
                       {"registration_date", in_days(0)},
                       {"registration_no", "R"}},
                      "sales_manager"),
                 409, "invalid_transition");  // CON-7: after stamping
    const auto stamped = ok(post("/api/v1/contracts/" + id + "/stamp",
                                 {{"stamped_on", in_days(0)}, {"stamp_no", "GZ-2026-001"}}, "gm"));
    EXPECT_EQ(stamped["status"], "stamped");
    EXPECT_EQ(stamped["stamp_no"], "GZ-2026-001");
    const auto filed = sales::to_rfc3339(sales::SystemClock().now() - 1h);
    const auto registered = ok(
        post("/api/v1/contracts/" + id + "/registration",
             {{"filed_at", filed}, {"registration_date", in_days(0)}, {"registration_no", "WQ-88"}},
             "sales_manager"));
    EXPECT_EQ(registered["status"], "registered");
    EXPECT_EQ(registered["registration_no"], "WQ-88");
    EXPECT_EQ(registered["registration_date"], in_days(0));
    EXPECT_EQ(events("contract.stamped", id).size(), 1u);
    EXPECT_EQ(events("contract.registered", id).size(), 1u);
    EXPECT_EQ(rows("contract_history", "contract_id = $1::uuid", {id}), 7);  // sign+4+stamp+reg
}

TEST_F(ContractsApi, ARejectionReturnsTheContractForCorrectionAndANewRoundStarts) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"];
    ok(audit(id, "sales_supervisor"));
    const auto rejected = ok(audit(id, "sales_manager", false));
    EXPECT_EQ(rejected["status"], "rejected");
    EXPECT_EQ(events("contract.audit.rejected", id).size(), 1u);
    expect_error(audit(id, "finance_supervisor"), 409, "invalid_transition");
    expect_error(audit(id, "sales_manager"), 409, "invalid_transition");
    expect_error(post("/api/v1/contracts/" + id + "/resubmit", {{"note", "x"}}, "cashier"), 403,
                 "forbidden");
    const auto again =
        ok(post("/api/v1/contracts/" + id + "/resubmit", {{"note", "已更正附件"}}, "sales_rep"));
    EXPECT_EQ(again["status"], "in_audit");
    EXPECT_EQ(again["audit_round"], 2);
    expect_error(post("/api/v1/contracts/" + id + "/resubmit", {{"note", "x"}}, "sales_rep"), 409,
                 "invalid_transition");
    // The new round starts at step 1 again.
    expect_error(audit(id, "finance_supervisor"), 422, "wrong_role");
    review(id);
    EXPECT_EQ(contract(id)["status"], "reviewed");
}

TEST_F(ContractsApi, AmendmentChangesTermsOnlyOnFinalApprovalAndARejectionLeavesThemAlone) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"];
    const json change = {{"discount_fen", 2'000'000},
                         {"plan", mortgage_plan(kList - 2'000'000)},
                         {"reason", "补充协议：价格调整"}};
    expect_error(post("/api/v1/contracts/" + id + "/amendments", change, "sales_manager"), 409,
                 "invalid_transition");  // CON-5: only a reviewed contract
    review(id);
    const auto before = contract(id);
    expect_error(
        post("/api/v1/contracts/" + id + "/amendments", {{"reason", "nothing"}}, "sales_manager"),
        422, "no_change");
    expect_error(post("/api/v1/contracts/" + id + "/amendments",
                      {{"discount_fen", 2'000'000}, {"reason", "no plan"}}, "sales_manager"),
                 422, "plan_required");
    expect_error(post("/api/v1/contracts/" + id + "/amendments", change, "sales_rep"), 403,
                 "forbidden");

    // Rejected at the finance review: the original is untouched.
    const auto first =
        ok(post("/api/v1/contracts/" + id + "/amendments", change, "sales_manager"), 201);
    expect_error(post("/api/v1/contracts/" + id + "/amendments", change, "sales_manager"), 409,
                 "amendment_open");
    const std::string a1 = first["id"];
    ok(audit(a1, "sales_supervisor", true, "amendments"));
    ok(audit(a1, "sales_manager", true, "amendments"));
    EXPECT_EQ(contract(id)["price_fen"], kPrice) << "the original is in force during the audit";
    EXPECT_EQ(ok(audit(a1, "finance_supervisor", false, "amendments"))["status"], "rejected");
    const auto after_reject = contract(id);
    EXPECT_EQ(after_reject["price_fen"], before["price_fen"]);
    EXPECT_EQ(after_reject["plan"], before["plan"]);
    EXPECT_EQ(after_reject["discount_fen"], before["discount_fen"]);
    EXPECT_EQ(events("contract.amendment.rejected", id).size(), 1u);
    expect_error(audit(a1, "finance_director", true, "amendments"), 409, "invalid_transition");

    // Approved by all four: the terms change and finance is told the new terms.
    const auto second =
        ok(post("/api/v1/contracts/" + id + "/amendments", change, "sales_manager"), 201);
    const std::string a2 = second["id"];
    review(a2, "amendments");
    const auto amended = contract(id);
    EXPECT_EQ(amended["price_fen"], kList - 2'000'000);
    EXPECT_EQ(amended["discount_fen"], 2'000'000);
    EXPECT_EQ(amended["plan"], mortgage_plan(kList - 2'000'000));
    // The unit price follows the amended price; the areas stay as signed.
    EXPECT_EQ(amended["unit_price_fen_per_m2"], 1'485'037);  // 198,000,000 ÷ 133.33 = 1,485,037.13
    EXPECT_EQ(amended["contract_gross_area_centi_m2"], kGrossArea);
    EXPECT_EQ(amended["status"], "reviewed");
    const auto approved = events("contract.amendment.approved", id);
    ASSERT_EQ(approved.size(), 1u);
    EXPECT_EQ(approved[0]["data"]["terms"]["price_fen"], kList - 2'000'000);
    EXPECT_EQ(approved[0]["data"]["amendment_id"], a2);
    EXPECT_EQ(events("contract.amendment.requested", id).size(), 2u);
}

TEST_F(ContractsApi, CancellationAfterReviewNeedsTheFinanceDirectorAndReleasesTheUnit) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"];
    const json request = {{"refund_fen", kDeposit}, {"reason", "客户退房"}};
    expect_error(post("/api/v1/contracts/" + id + "/cancellation", request, "sales_control"), 409,
                 "invalid_transition");  // CON-6: after review only
    review(id);
    expect_error(post("/api/v1/contracts/" + id + "/cancellation", request, "sales_rep"), 403,
                 "forbidden");
    expect_error(post("/api/v1/contracts/" + id + "/cancellation",
                      {{"refund_fen", -1}, {"reason", "x"}}, "sales_control"),
                 400, "validation_failed");
    ok(post("/api/v1/contracts/" + id + "/cancellation", request, "sales_control"));
    expect_error(post("/api/v1/contracts/" + id + "/cancellation", request, "sales_control"), 409,
                 "refund_request_open");
    expect_error(post("/api/v1/contracts/" + id + "/cancellation/approve", {{"note", "x"}},
                      "finance_supervisor"),
                 403, "forbidden");
    // Rejected: still in force.
    EXPECT_EQ(ok(post("/api/v1/contracts/" + id + "/cancellation/reject", {{"note", "继续履约"}},
                      "finance_director"))["status"],
              "reviewed");
    ok(post("/api/v1/contracts/" + id + "/cancellation", request, "sales_control"));
    // CON-6: one approval; finance pays the refund under it, then the contract is cancelled.
    const auto approved = ok(post("/api/v1/contracts/" + id + "/cancellation/approve",
                                  {{"note", "同意退款"}}, "finance_director"));
    EXPECT_EQ(approved["status"], "cancelling");
    EXPECT_TRUE(events("contract.cancelled", id).empty());
    const auto approval_events = events("contract.cancellation.approved", id);
    ASSERT_EQ(approval_events.size(), 1u);
    const auto& a = approval_events[0]["data"];
    EXPECT_EQ(a["refund_fen"], kDeposit);
    EXPECT_EQ(a["approved_by"], "user-finance_director");
    const std::string request_id = a["refund_request_id"];
    expect_error(post("/api/v1/contracts/" + id + "/cancellation/approve", {{"note", "x"}},
                      "finance_director"),
                 409, "no_refund_request");
    expect_error(post("/api/v1/contracts/" + id + "/stamp",
                      {{"stamped_on", in_days(0)}, {"stamp_no", "S-2"}}, "gm"),
                 409, "invalid_transition");

    const auto finance_approval = sales::new_uuid();
    const auto paid = sales::bus::make_event("finance", "finance.refund.paid", finance_approval, 1,
                                             {{"approval_id", finance_approval},
                                              {"contract_id", id},
                                              {"project_id", *project_},
                                              {"purpose", "contract_cancellation"},
                                              {"source_id", request_id},
                                              {"amount_fen", kDeposit}});
    stack_->publish(paid);
    ASSERT_TRUE(eventually([&] { return contract(id)["status"] == "cancelled"; }));
    auto again = paid;
    again.id = sales::new_uuid();  // the same news under another id changes nothing
    stack_->publish(again);
    ASSERT_TRUE(applied(again.id));
    const auto emitted = events("contract.cancelled", id);
    ASSERT_EQ(emitted.size(), 1u);
    const auto& d = emitted[0]["data"];
    EXPECT_EQ(d["contract_id"], id);
    EXPECT_EQ(d["subscription_id"], c["subscription_id"]);
    EXPECT_EQ(d["unit_id"], c["unit_id"]);
    EXPECT_EQ(d["project_id"], *project_);
    EXPECT_EQ(d["reason"], "客户退房");
    EXPECT_EQ(d["refund_fen"], kDeposit);
    EXPECT_EQ(d["refund_request_id"], request_id);
    EXPECT_EQ(d["refund_approval_id"], finance_approval);
}

TEST_F(ContractsApi, Con10TheBuyerChoosesThenTheAgreementIsSettledByFinanceAndInvoiced) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"], unit = c["unit_id"];
    review(id);
    // Signed 100 days ago (REG-1 interest runs from signing).
    sql("UPDATE contracts SET signed_at = now() - interval '100 days' WHERE id = $1::uuid", {id});
    const auto survey = [&](std::int64_t gross) {
        stack_->publish(sales::bus::make_event("inventory", "inventory.unit.title_area_recorded",
                                               unit, 2,
                                               {{"unit_id", unit},
                                                {"project_id", *project_},
                                                {"survey_id", sales::new_uuid()},
                                                {"title_gross_area_centi_m2", gross},
                                                {"title_internal_area_centi_m2", kInternalArea},
                                                {"gross_area_centi_m2", kGrossArea},
                                                {"internal_area_centi_m2", kInternalArea}}));
    };
    survey(13'800);  // +3.5025%: beyond 3%
    ASSERT_TRUE(eventually([&] { return contract(id)["area_settlements"].size() == 1u; }));
    const std::string sid = contract(id)["area_settlements"][0]["id"];
    const auto step = [&](const std::string& verb, const json& body, const std::string& role) {
        return post("/api/v1/area-settlements/" + sid + "/" + verb, body, role);
    };
    const auto before = counts();

    // Refusals write nothing.
    expect_error(step("choice", {{"choice", "maybe"}, {"note", "x"}}, "handover_clerk"), 400,
                 "validation_failed");
    expect_error(
        step("choice", {{"choice", "keep"}, {"paid_fen", 1}, {"note", "x"}}, "handover_clerk"), 400,
        "validation_failed");
    expect_error(step("choice", {{"choice", "cancel"}, {"note", "x"}}, "handover_clerk"), 400,
                 "validation_failed");  // paid_fen missing
    expect_error(step("choice", {{"choice", "keep"}, {"note", "x"}}, "sales_rep"), 403,
                 "forbidden");
    expect_error(
        step("agreement", {{"agreement_no", "BC-1"}, {"signed_on", in_days(0)}}, "handover_clerk"),
        409, "invalid_transition");  // the buyer chooses first
    expect_error(step("invoice", {{"invoice_no", "FP-1"}, {"invoice_date", in_days(0)}}, "cashier"),
                 409, "invalid_transition");
    expect_error(post("/api/v1/area-settlements/" + sales::new_uuid() + "/choice",
                      {{"choice", "keep"}, {"note", "x"}}, "handover_clerk"),
                 404, "area_settlement_not_found");
    {
        const auto r = client_.request("POST", "/api/v1/area-settlements/" + sid + "/choice",
                                       json{{"choice", "keep"}, {"note", "x"}}.dump(),
                                       auth("handover_clerk", {sales::new_uuid()}));
        EXPECT_EQ(r.status, 404) << r.body;  // another project's settlement is not shown
    }
    EXPECT_EQ(counts(), before);

    // REG-1: the buyer cancels: a CON-6 refund request of everything paid plus interest
    // (500,000.00 yuan × 3% × 100 ÷ 365 = 4,109.59 yuan).
    const auto cancelled =
        ok(step("choice", {{"choice", "cancel"}, {"paid_fen", 50'000'000}, {"note", "面积差太大"}},
                "handover_clerk"));
    EXPECT_EQ(cancelled["status"], "buyer_cancelled");
    EXPECT_EQ(cancelled["refund_interest_fen"], 410'959);
    auto full = contract(id);
    ASSERT_EQ(full["refund_requests"].size(), 1u);
    EXPECT_EQ(full["refund_requests"][0]["refund_fen"], 50'000'000 + 410'959);
    EXPECT_EQ(full["refund_requests"][0]["status"], "requested");
    // The finance director refuses it: the buyer keeps the unit and settles.
    ok(post("/api/v1/contracts/" + id + "/cancellation/reject", {{"note", "买受人改为补差"}},
            "finance_director"));
    EXPECT_EQ(contract(id)["area_settlements"][0]["status"], "to_settle");

    // The supplementary agreement: the buyer pays the part up to 3%, so a due date is needed.
    expect_error(
        step("agreement", {{"agreement_no", "BC-1"}, {"signed_on", in_days(0)}}, "handover_clerk"),
        400, "validation_failed");
    expect_error(step("agreement",
                      {{"agreement_no", "BC-1"},
                       {"signed_on", in_days(1)},
                       {"payment_due_date", in_days(10)}},
                      "handover_clerk"),
                 400, "validation_failed");  // signed in the future
    const auto agreed = ok(step(
        "agreement",
        {{"agreement_no", "BC-1"}, {"signed_on", in_days(0)}, {"payment_due_date", in_days(15)}},
        "handover_clerk"));
    EXPECT_EQ(agreed["status"], "agreed");
    EXPECT_EQ(agreed["agreement_no"], "BC-1");
    const auto agreed_events = events("contract.area_settlement.agreed", sid);
    ASSERT_EQ(agreed_events.size(), 1u);
    const auto& d = agreed_events[0]["data"];
    EXPECT_EQ(d["contract_id"], id);
    EXPECT_EQ(d["buyer_pays_fen"], 5'970'000);
    EXPECT_EQ(d["developer_refunds_fen"], 0);
    EXPECT_EQ(d["payment_due_date"], in_days(15));
    EXPECT_EQ(d["settled_price_fen"], kPrice + 5'970'000);
    EXPECT_EQ(d["agreed_by"], "user-handover_clerk");
    // A later survey does not replace an agreed settlement.
    survey(13'400);
    EXPECT_FALSE(eventually([&] { return contract(id)["area_settlements"].size() > 1u; },
                            std::chrono::milliseconds(500)));

    // Finance settles it (the buyer paid), then the invoice is recorded.
    const auto settled_event =
        sales::bus::make_event("finance", "finance.area_settlement.settled", sid, 1,
                               {{"settlement_id", sid},
                                {"contract_id", id},
                                {"project_id", *project_},
                                {"how", "received"}});
    stack_->publish(settled_event);
    ASSERT_TRUE(
        eventually([&] { return contract(id)["area_settlements"][0]["status"] == "settled"; }));
    EXPECT_EQ(contract(id)["area_settlements"][0]["settled_how"], "received");
    EXPECT_EQ(events("contract.area_settlement.settled", sid).size(), 1u);
    const auto invoiced = ok(
        step("invoice", {{"invoice_no", "FP-20260001"}, {"invoice_date", in_days(0)}}, "cashier"));
    EXPECT_EQ(invoiced["status"], "invoiced");
    EXPECT_EQ(invoiced["invoice_no"], "FP-20260001");
    EXPECT_EQ(invoiced["invoice_date"], in_days(0));
    EXPECT_EQ(events("contract.area_settlement.invoiced", sid).size(), 1u);
}

TEST_F(ContractsApi, ClearedTwiceMakesEligibleOnceUnclearedWithdrawsAndHandoverCompletes) {
    const auto c = stamped_contract();
    const std::string id = c["id"];
    const auto first = sales::new_uuid();
    finance("finance.contract.cleared", id, first);
    finance("finance.contract.cleared", id, first);  // redelivered: same event id
    ASSERT_TRUE(applied(first));
    const auto resent = sales::new_uuid();
    finance("finance.contract.cleared", id, resent);  // finance said it again: another id
    ASSERT_TRUE(applied(resent));
    EXPECT_EQ(contract(id)["handover_state"], "eligible");
    EXPECT_EQ(events("contract.handover.eligible", id).size(), 1u);
    EXPECT_EQ(rows("handover_eligibility_history", "contract_id = $1::uuid", {id}), 1);
    EXPECT_TRUE(listed("handover-eligible", "&project_id=" + *project_).contains(id));

    const auto uncleared = sales::new_uuid();
    finance("finance.contract.uncleared", id, uncleared);
    ASSERT_TRUE(applied(uncleared));
    EXPECT_EQ(contract(id)["handover_state"], "not_eligible");
    const auto withdrawn = events("contract.handover.withdrawn", id);
    ASSERT_EQ(withdrawn.size(), 1u);
    EXPECT_EQ(withdrawn[0]["data"]["unit_id"], c["unit_id"]);
    EXPECT_FALSE(listed("handover-eligible").contains(id));
    const json handover = {{"notice_date", in_days(-5)}, {"handed_over_on", in_days(0)}};
    expect_error(post("/api/v1/contracts/" + id + "/handover", handover, "handover_clerk"), 422,
                 "not_eligible_for_handover");

    const auto again = sales::new_uuid();
    finance("finance.contract.cleared", id, again);
    ASSERT_TRUE(applied(again));
    EXPECT_EQ(events("contract.handover.eligible", id).size(), 2u);
    expect_error(post("/api/v1/contracts/" + id + "/handover", handover, "sales_rep"), 403,
                 "forbidden");
    expect_error(
        post("/api/v1/contracts/" + id + "/handover",
             {{"notice_date", in_days(0)}, {"handed_over_on", in_days(-1)}}, "handover_clerk"),
        400, "validation_failed");
    expect_error(
        post("/api/v1/contracts/" + id + "/handover",
             {{"notice_date", in_days(-5)}, {"handed_over_on", in_days(0)}, {"confirmed_by", "x"}},
             "handover_clerk"),
        400, "validation_failed");  // the supervisor confirms in person, not as text
    const auto recorded =
        ok(post("/api/v1/contracts/" + id + "/handover", handover, "handover_clerk"));
    EXPECT_EQ(recorded["handover_state"], "awaiting_confirmation");
    EXPECT_EQ(recorded["handover_recorded_by"], "user-handover_clerk");
    EXPECT_TRUE(events("contract.handed_over", id).empty());
    EXPECT_TRUE(listed("handover-to-confirm").contains(id));
    // CON-9: only a supervisor confirms, never the clerk who recorded it.
    expect_error(
        post("/api/v1/contracts/" + id + "/handover/approve", {{"note", "ok"}}, "handover_clerk"),
        403, "forbidden");
    {
        const auto r = client_.request(
            "POST", "/api/v1/contracts/" + id + "/handover/approve", json{{"note", "ok"}}.dump(),
            Stack::as("user-handover_clerk", {"handover_clerk", "sales_supervisor"}));
        EXPECT_EQ(r.status, 422) << r.body;  // same_person
    }
    const auto done = ok(post("/api/v1/contracts/" + id + "/handover/approve",
                              {{"note", "现场核实无误"}}, "sales_supervisor"));
    EXPECT_EQ(done["handover_state"], "handed_over");
    EXPECT_EQ(done["handed_over_on"], in_days(0));
    EXPECT_EQ(done["handover_confirmed_by"], "user-sales_supervisor");
    expect_error(
        post("/api/v1/contracts/" + id + "/handover/approve", {{"note", "x"}}, "sales_supervisor"),
        409, "invalid_transition");
    const auto handed = events("contract.handed_over", id);
    ASSERT_EQ(handed.size(), 1u);
    EXPECT_EQ(handed[0]["data"]["notice_date"], in_days(-5));
    EXPECT_EQ(handed[0]["data"]["subscription_id"], c["subscription_id"]);
    EXPECT_EQ(handed[0]["data"]["unit_id"], c["unit_id"]);
    EXPECT_EQ(handed[0]["data"]["recorded_by"], "user-handover_clerk");
    EXPECT_EQ(handed[0]["data"]["confirmed_by"], "user-sales_supervisor");
    EXPECT_TRUE(listed("handed-over").contains(id));
    EXPECT_FALSE(listed("handover-to-confirm").contains(id));

    // Uncleared after the handover changes nothing (CON-9).
    const auto late = sales::new_uuid();
    finance("finance.contract.uncleared", id, late);
    ASSERT_TRUE(applied(late));
    EXPECT_EQ(contract(id)["handover_state"], "handed_over");
    EXPECT_EQ(events("contract.handover.withdrawn", id).size(), 1u);
}

TEST_F(ContractsApi, EarlyHandoverIsApprovedByTheGmAndListedSeparately) {
    const auto c = stamped_contract();
    const std::string id = c["id"];
    const auto approval =
        ok(post("/api/v1/early-handover-approvals",
                {{"contract_id", id}, {"reason", "客户急需入住"}}, "handover_clerk"),
           201);
    expect_error(
        post("/api/v1/early-handover-approvals/" + approval["id"].get<std::string>() + "/approve",
             {{"note", "ok"}}, "handover_clerk"),
        403, "forbidden");
    ok(post("/api/v1/early-handover-approvals/" + approval["id"].get<std::string>() + "/approve",
            {{"note", "同意提前交房"}}, "gm"));
    EXPECT_EQ(contract(id)["handover_state"], "early_eligible");
    EXPECT_TRUE(listed("early-handover").contains(id));
    EXPECT_FALSE(listed("handover-eligible").contains(id));
    const auto eligible = events("contract.handover.eligible", id);
    ASSERT_EQ(eligible.size(), 1u);
    EXPECT_EQ(eligible[0]["data"]["early"], true);
    ok(post("/api/v1/contracts/" + id + "/handover",
            {{"notice_date", in_days(0)}, {"handed_over_on", in_days(0)}}, "handover_clerk"));
    ok(post("/api/v1/contracts/" + id + "/handover/approve", {{"note", "同意"}},
            "sales_supervisor"));
    EXPECT_TRUE(listed("handed-over").contains(id));
}

TEST_F(ContractsApi, AwaitingAuditListShowsTheOpenStepAndOverdueOnes) {
    const auto fresh = signed_contract(*project_);
    const auto late = signed_contract(*project_);
    sql("UPDATE contract_audits SET due_on = current_date - 3 WHERE contract_id = $1::uuid AND "
        "decision IS NULL",
        {late["id"].get<std::string>()});
    const auto all = listed("awaiting-audit", "&project_id=" + *project_);
    EXPECT_TRUE(all.contains(fresh["id"]) && all.contains(late["id"]));
    const auto overdue = listed("awaiting-audit", "&overdue=true");
    EXPECT_TRUE(overdue.contains(late["id"]));
    EXPECT_FALSE(overdue.contains(fresh["id"]));
    const auto page =
        ok(client_.get("/api/v1/contracts/awaiting-audit?overdue=true&limit=500", auth("gm")));
    const auto& items = page["items"];
    const auto item = std::find_if(items.begin(), items.end(),
                                   [&](const json& i) { return i["contract_id"] == late["id"]; });
    ASSERT_NE(item, items.end()) << "the overdue contract is not listed: " << page.dump();
    EXPECT_EQ((*item)["overdue"], true);
    EXPECT_EQ((*item)["role"], "sales_supervisor");
    expect_error(client_.get("/api/v1/contracts/awaiting-audit?overdue=maybe", auth("gm")), 400,
                 "validation_failed");
    expect_error(client_.get("/api/v1/contracts/handed-over?project_id=x", auth("gm")), 400,
                 "validation_failed");
    // Outside the caller's projects: nothing is listed and the contract is not found.
    const auto outsider = auth("sales_manager", {sales::new_uuid()});
    EXPECT_TRUE(ok(client_.get("/api/v1/contracts/awaiting-audit", outsider))["items"].empty());
    expect_error(client_.get("/api/v1/contracts/" + fresh["id"].get<std::string>(), outsider), 404,
                 "contract_not_found");
}

// CON-10 / REG-1: the unit's surveyed title areas settle its live contract on both areas, the
// pricing basis (gross) naming the one that applies; a later survey supersedes; a repeated event
// changes nothing; a unit without a contract is left alone; a malformed event is dead-lettered.
TEST_F(ContractsApi, TitleAreasSettleTheLiveContractByReg1) {
    const auto c = signed_contract(*project_);
    const std::string id = c["id"], unit = c["unit_id"];
    const auto recorded = [&](const std::string& unit_id, const std::string& survey,
                              std::int64_t gross, std::int64_t internal) {
        return sales::bus::make_event("inventory", "inventory.unit.title_area_recorded", unit_id, 2,
                                      {{"unit_id", unit_id},
                                       {"project_id", *project_},
                                       {"survey_id", survey},
                                       {"title_gross_area_centi_m2", gross},
                                       {"title_internal_area_centi_m2", internal},
                                       {"gross_area_centi_m2", kGrossArea},
                                       {"internal_area_centi_m2", kInternalArea}});
    };
    const auto settlements = [&] {
        return rows("area_settlements", "contract_id = $1::uuid", {id});
    };
    const auto dead_before = rows("dead_letter");

    // 133.33 → 138.00 m² gross (+3.5025%): beyond 3%, the buyer chooses first. Internal: equal.
    const auto first_survey = sales::new_uuid();
    const auto first = recorded(unit, first_survey, 13'800, kInternalArea);
    stack_->publish(first);
    stack_->publish(first);                                                         // a repeat
    stack_->publish(recorded(sales::new_uuid(), sales::new_uuid(), 9'000, 8'000));  // unsold unit
    ASSERT_TRUE(eventually([&] { return settlements() == 1; }));
    auto full = contract(id);
    ASSERT_EQ(full["area_settlements"].size(), 1u);
    auto s = full["area_settlements"][0];
    EXPECT_EQ(s["status"], "awaiting_buyer_choice");
    EXPECT_EQ(s["pricing_basis"], "gross");
    EXPECT_EQ(s["price_fen"], kPrice);
    EXPECT_EQ(s["survey_id"], first_survey);
    EXPECT_EQ(s["gross"]["difference_centi_m2"], 467);
    EXPECT_EQ(s["gross"]["ratio_ppm"], 35'025);
    EXPECT_EQ(s["gross"]["buyer_may_cancel"], true);
    EXPECT_EQ(s["gross"]["difference_price_fen"], 6'970'149);  // 199,000,000 × 467 ÷ 13,333
    EXPECT_EQ(s["gross"]["buyer_pays_fen"], 5'970'000);        // the part up to 3%
    EXPECT_EQ(s["gross"]["developer_bears_fen"], 1'000'149);   // the rest
    EXPECT_EQ(s["gross"]["settled_price_fen"], kPrice + 5'970'000);
    EXPECT_EQ(s["internal"]["difference_centi_m2"], 0);
    EXPECT_EQ(s["internal"]["settled_price_fen"], kPrice);
    const auto computed = events("contract.area_settlement.computed", id);
    ASSERT_EQ(computed.size(), 1u);
    EXPECT_EQ(computed[0]["data"]["applied"], s["gross"]);
    EXPECT_EQ(computed[0]["data"]["status"], "awaiting_buyer_choice");

    // A corrected survey: 134.00 m² (+0.5025%) is settled at the contract unit price; the first
    // settlement is superseded.
    stack_->publish(recorded(unit, sales::new_uuid(), 13'400, kInternalArea));
    ASSERT_TRUE(eventually([&] { return settlements() == 2; }));
    full = contract(id);
    s = full["area_settlements"][0];
    EXPECT_EQ(s["status"], "to_settle");
    EXPECT_EQ(s["gross"]["buyer_pays_fen"], 1'000'000);
    EXPECT_EQ(s["gross"]["developer_bears_fen"], 0);
    EXPECT_EQ(full["area_settlements"][1]["status"], "superseded");
    EXPECT_EQ(events("contract.area_settlement.computed", id).size(), 2u);
    EXPECT_EQ(contract(id)["price_fen"], kPrice) << "the price changes only by settling";

    stack_->publish(sales::bus::make_event("inventory", "inventory.unit.title_area_recorded", unit,
                                           3, {{"unit_id", unit}, {"survey_id", "x"}}));
    EXPECT_TRUE(eventually([&] { return rows("dead_letter") == dead_before + 1; }));
    EXPECT_EQ(settlements(), 2);
}

TEST_F(ContractsApi, MalformedOrUnknownFinanceEventIsDeadLettered) {
    const auto before = rows("dead_letter");
    finance("finance.contract.cleared", sales::new_uuid());
    stack_->publish(sales::bus::make_event("finance", "finance.contract.cleared", "x", 1,
                                           {{"contract_id", 7}}));
    EXPECT_TRUE(eventually([&] { return rows("dead_letter") == before + 2; }));
}

TEST_F(ContractsApi, ContractSettingsArePerProjectAndChangeTheRules) {
    const auto project = new_project("HX07");
    expect_error(client_.request("PATCH", "/api/v1/projects/" + project + "/contract-settings",
                                 json{{"max_standard_discount_bp", 100}}.dump(), auth("sales_rep")),
                 403, "forbidden");
    expect_error(
        client_.request("PATCH", "/api/v1/projects/" + project + "/contract-settings",
                        json{{"max_standard_discount_bp", 10'001}}.dump(), auth("sales_manager")),
        400, "validation_failed");
    const auto r =
        client_.request("PATCH", "/api/v1/projects/" + project + "/contract-settings",
                        json{{"max_standard_discount_bp", 0}, {"penalty_bp_per_day", 7}}.dump(),
                        auth("sales_manager"));
    const auto settings = ok(r);
    EXPECT_EQ(settings["penalty_bp_per_day"], 7);
    EXPECT_EQ(settings["audit_deadline_working_days"], 2);
    // Now any discount needs a slip in this project, and the penalty rate travels to finance.
    const auto sub = confirmed_subscription(project);
    expect_error(sign(sub), 422, "discount_slip_required");
    const auto no_discount = confirmed_subscription(project, 0);
    const auto c = ok(sign(no_discount, {{"plan", mortgage_plan(kList)}}), 201);
    EXPECT_EQ(events("contract.signed", c["id"])[0]["data"]["penalty_bp_per_day"], 7);
}

}  // namespace
