// The mortgage desk 按揭 end to end in the contract service (CON-8): the real service with a real
// PostgreSQL and a private nats-server. Inventory is stood in for by a minimal hold responder;
// finance by publishing its events (finance.deposit.received, finance.payment.recorded of a
// loan_disbursement, finance.entry.reversed) into the FINANCE stream.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "domain/calendar.hpp"
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

constexpr std::int64_t kPrice = 200'000'000;
constexpr std::int64_t kLoan = 140'000'000;
constexpr std::int64_t kDeposit = 5'000'000;

const char* const kCommercialDocuments[] = {
    "id_card",        "household_register",   "marriage_certificate", "income_proof",
    "bank_statement", "credit_authorization", "purchase_contract",    "down_payment_receipt"};

class MortgagesApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("con_mortgages", {"contract"}, {{"SALES_CONTRACT_NAK_DELAY", "200ms"}});
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
                          {"list_total_fen", kPrice},
                          {"gross_area_centi_m2", 12'000},
                          {"internal_area_centi_m2", 9'800}}}}
                .dump();
        });
        project_ = new std::string(new_project("MG01"));
        other_project_ = new std::string(new_project("MG02"));
    }
    static void TearDownTestSuite() {
        delete stack_;
        delete project_;
        delete other_project_;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << "---- contract log ----\n" << stack_->log("contract") << "\n";
    }

    static std::string new_project(const std::string& code) {
        const auto id = sales::new_uuid();
        stack_->publish(sales::bus::make_event(
            "inventory", "inventory.project.created", id, 1,
            {{"id", id}, {"code", code}, {"name", "项目 " + code}, {"version", 1}}));
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
    static std::string in_days(int days) {
        return contract::domain::to_string(
            contract::domain::shanghai_date(sales::SystemClock().now() + days * 24h));
    }

    sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                     const json& body, const std::string& role,
                                     std::vector<std::string> projects = {"*"}) {
        return stack_->call("contract", method, path, body, Stack::auth(role, projects));
    }
    json ok(const sales::http::ClientResponse& r, int status = 200) {
        EXPECT_EQ(r.status, status) << r.body;
        return r.status == status ? r.json() : json::object();
    }
    json step(const std::string& id, const std::string& verb, const json& body,
              const std::string& role = "mortgage_clerk") {
        return ok(call("POST", "/api/v1/mortgages/" + id + "/" + verb, body, role));
    }
    json file(const std::string& id, const std::string& role = "mortgage_clerk") {
        return ok(call("GET", "/api/v1/mortgages/" + id, nullptr, role));
    }

    // A contract signed with `plan` in `project`; returns its document.
    json signed_contract(const std::string& project, const json& plan) {
        const auto unit = sales::new_uuid();
        {
            std::lock_guard lock(mutex_);
            units_[unit] = project;
        }
        const auto sub = ok(call("POST", "/api/v1/subscriptions",
                                 {{"unit_id", unit},
                                  {"customer_id", sales::new_uuid()},
                                  {"discount_fen", 0},
                                  {"payment_plan", plan["kind"]},
                                  {"deposit_fen", kDeposit},
                                  {"signing_deadline", in_days(30)}},
                                 "sales_rep"),
                            201);
        const std::string id = sub["id"];
        stack_->publish(
            sales::bus::make_event("finance", "finance.deposit.received", id, 1,
                                   {{"subscription_id", id},
                                    {"amount_fen", kDeposit},
                                    {"receipt_no", "R-" + id},
                                    {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}}));
        EXPECT_TRUE(eventually([&] {
            return rows("subscriptions", "id = $1::uuid AND status = 'confirmed'", {id}) == 1;
        }));
        return ok(
            call("POST", "/api/v1/subscriptions/" + id + "/sign", {{"plan", plan}}, "sales_rep"),
            201);
    }
    static json mortgage_plan() {
        return {{"kind", "mortgage"},
                {"down_payment_fen", kPrice - kLoan},
                {"down_payment_due_date", in_days(10)},
                {"loan_fen", kLoan},
                {"loan_expected_date", in_days(60)}};
    }
    // A signed mortgage contract's file id (from GET /contracts/{id}).
    std::string mortgage_of(const json& contract) {
        const auto c = ok(call("GET", "/api/v1/contracts/" + contract["id"].get<std::string>(),
                               nullptr, "sales_rep"));
        EXPECT_TRUE(c["mortgage"].is_object()) << c.dump();
        return c["mortgage"].value("id", "");
    }
    std::string new_file(const std::string& project = "") {
        return mortgage_of(signed_contract(project.empty() ? *project_ : project, mortgage_plan()));
    }
    json all_documents() {
        json out = json::array();
        for (const auto* d : kCommercialDocuments)
            out.push_back({{"kind", d}, {"received", true}});
        return out;
    }
    json approved_file(const std::string& id) {
        step(id, "documents", {{"documents", all_documents()}});
        step(id, "submit", {{"bank_name", "中国建设银行"}, {"submitted_on", in_days(0)}});
        return step(id, "approve", {{"approved_fen", kLoan}, {"approved_on", in_days(0)}});
    }

    // finance.payment.recorded as finance emits it; returns the event id.
    std::string disbursement(const std::string& contract_id, const std::string& entry_id,
                             std::int64_t amount, const std::string& category = "loan_disbursement",
                             const std::string& event_id = "") {
        auto event =
            sales::bus::make_event("finance", "finance.payment.recorded", entry_id, 1,
                                   {{"entry_id", entry_id},
                                    {"project_id", *project_},
                                    {"contract_id", contract_id},
                                    {"subscription_id", sales::new_uuid()},
                                    {"category", category},
                                    {"amount_fen", amount},
                                    {"receipt_no", "FK-" + entry_id.substr(0, 8)},
                                    {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}});
        if (!event_id.empty())
            event.id = event_id;
        stack_->publish(event);
        return event.id;
    }
    std::string reversal(const std::string& contract_id, const std::string& reversed_entry,
                         std::int64_t amount) {
        const auto id = sales::new_uuid();
        auto event = sales::bus::make_event("finance", "finance.entry.reversed", id, 1,
                                            {{"entry_id", id},
                                             {"reverses_entry_id", reversed_entry},
                                             {"project_id", *project_},
                                             {"contract_id", contract_id},
                                             {"subscription_id", sales::new_uuid()},
                                             {"reversed_category", "loan_disbursement"},
                                             {"amount_fen", -amount}});
        stack_->publish(event);
        return event.id;
    }
    bool applied(const std::string& event_id) {
        return eventually([&] { return rows("inbox", "event_id = $1::uuid", {event_id}) == 1; });
    }
    json list(const std::string& query, const std::string& role = "mortgage_clerk") {
        return ok(call("GET", "/api/v1/mortgages?project_id=" + *project_ + query, nullptr, role));
    }

    static inline Stack* stack_ = nullptr;
    static inline std::string* project_ = nullptr;
    static inline std::string* other_project_ = nullptr;
    static inline std::mutex mutex_;
    static inline std::map<std::string, std::string> units_;
};

TEST_F(MortgagesApi, AMortgageDealIsListedAtSigningAndOtherPlansAreNot) {
    const auto c = signed_contract(*project_, mortgage_plan());
    const std::string contract_id = c["id"];
    const auto id = mortgage_of(c);
    ASSERT_FALSE(id.empty());
    const auto m = file(id);
    EXPECT_EQ(m["status"], "documents_pending");
    EXPECT_EQ(m["contract_id"], contract_id);
    EXPECT_EQ(m["contract_no"], c["contract_no"]);
    EXPECT_EQ(m["loan_fen"], kLoan);
    EXPECT_EQ(m["loan_kind"], "commercial");
    EXPECT_EQ(m["documents_due_on"], in_days(15));
    EXPECT_EQ(m["due_on"], in_days(15));
    EXPECT_EQ(m["overdue"], false);
    EXPECT_EQ(m["missing_documents"].size(), 8u);
    ASSERT_EQ(m["history"].size(), 1u);
    EXPECT_EQ(m["history"][0]["action"], "open");
    EXPECT_EQ(m["history"][0]["actor"], "user-sales_rep");
    const auto opened = events("contract.mortgage.opened", id);
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0]["data"]["contract_id"], contract_id);
    EXPECT_EQ(opened[0]["sequence"], 1);

    bool found = false;
    const auto page = list("&limit=500");
    for (const auto& item : page["items"])
        found = found || item["id"] == id;
    EXPECT_TRUE(found) << page.dump();

    const auto one_off =
        signed_contract(*project_, {{"kind", "one_off"}, {"due_date", in_days(10)}});
    EXPECT_TRUE(ok(call("GET", "/api/v1/contracts/" + one_off["id"].get<std::string>(), nullptr,
                        "sales_rep"))["mortgage"]
                    .is_null());
    EXPECT_EQ(rows("mortgages", "contract_id = $1::uuid", {one_off["id"].get<std::string>()}), 0);
}

TEST_F(MortgagesApi, SubmissionIsRefusedWhileDocumentsAreMissingThenGoesThroughTheBankSteps) {
    const auto id = new_file();
    // CON-8: the sales rep records documents, only the clerk submits.
    auto m =
        step(id, "documents",
             {{"documents", {{{"kind", "id_card"}, {"received", true}}}}, {"note", "原件已核对"}},
             "sales_rep");
    EXPECT_EQ(m["status"], "documents_pending");
    EXPECT_EQ(m["documents"][0]["recorded_by"], "user-sales_rep");
    EXPECT_EQ(m["missing_documents"].size(), 7u);
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/submit",
                      {{"bank_name", "中国建设银行"}, {"submitted_on", in_days(0)}}, "sales_rep"),
                 403, "forbidden");
    const auto before = rows("mortgage_history", "mortgage_id = $1::uuid", {id});
    const auto refused = expect_error(
        call("POST", "/api/v1/mortgages/" + id + "/submit",
             {{"bank_name", "中国建设银行"}, {"submitted_on", in_days(0)}}, "mortgage_clerk"),
        422, "mortgage_documents_incomplete");
    EXPECT_EQ(refused["details"]["missing"].size(), 7u);
    EXPECT_EQ(rows("mortgage_history", "mortgage_id = $1::uuid", {id}), before);
    expect_error(
        call("POST", "/api/v1/mortgages/" + id + "/documents",
             {{"documents", {{{"kind", "provident_fund_certificate"}, {"received", true}}}}},
             "mortgage_clerk"),
        422, "document_not_required");
    expect_error(
        call("POST", "/api/v1/mortgages/" + id + "/documents",
             {{"documents", {{{"kind", "passport"}, {"received", true}}}}}, "mortgage_clerk"),
        400, "validation_failed");

    m = step(id, "documents", {{"documents", all_documents()}});
    EXPECT_EQ(m["status"], "documents_complete");
    EXPECT_EQ(m["documents_complete"], true);
    m = step(id, "submit",
             {{"bank_name", "中国建设银行"},
              {"bank_branch", "成都高新支行"},
              {"submitted_on", in_days(0)}});
    EXPECT_EQ(m["status"], "submitted");
    EXPECT_EQ(m["decision_due_on"], in_days(30));
    EXPECT_EQ(m["due_on"], in_days(30));
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/refuse", {{"refused_on", in_days(0)}},
                      "mortgage_clerk"),
                 400, "validation_failed");
    m = step(id, "refuse", {{"refused_on", in_days(0)}, {"reason", "借款人征信不符合要求"}});
    EXPECT_EQ(m["status"], "refused");
    EXPECT_EQ(m["refusal_reason"], "借款人征信不符合要求");
    // Resubmitted to another bank.
    m = step(id, "submit", {{"bank_name", "招商银行"}, {"submitted_on", in_days(0)}});
    EXPECT_EQ(m["bank_name"], "招商银行");
    EXPECT_TRUE(m["bank_branch"].is_null());
    EXPECT_EQ(m["submissions"], 2);
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/approve",
                      {{"approved_fen", kLoan + 1}, {"approved_on", in_days(0)}}, "mortgage_clerk"),
                 422, "approved_amount_exceeds_loan");
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/approve",
                      {{"approved_fen", kLoan}, {"approved_on", in_days(1)}}, "mortgage_clerk"),
                 400, "validation_failed");
    m = step(id, "approve",
             {{"approved_fen", kLoan - 10'000'000}, {"approved_on", in_days(0)}, {"note", "批贷"}});
    EXPECT_EQ(m["status"], "approved");
    EXPECT_EQ(m["shortfall_fen"], 10'000'000);
    EXPECT_EQ(m["due_on"], in_days(60));
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/documents",
                      {{"documents", all_documents()}}, "mortgage_clerk"),
                 409, "invalid_transition");
    m = step(id, "registration",
             {{"registration_no", "川(2026)成都市不动产证明第0012345号"},
              {"registered_on", in_days(0)}});
    EXPECT_EQ(m["status"], "registered");
    EXPECT_EQ(m["registration_no"], "川(2026)成都市不动产证明第0012345号");

    const std::vector<std::string> actions = {"open",    "record_documents", "record_documents",
                                              "submit",  "refuse",           "submit",
                                              "approve", "register"};
    ASSERT_EQ(m["history"].size(), actions.size());
    for (std::size_t i = 0; i < actions.size(); ++i)
        EXPECT_EQ(m["history"][i]["action"], actions[i]) << i;
    EXPECT_EQ(m["history"][4]["reason"], "借款人征信不符合要求");
    for (const char* type : {"contract.mortgage.documents_recorded", "contract.mortgage.submitted",
                             "contract.mortgage.refused", "contract.mortgage.approved",
                             "contract.mortgage.registered"})
        EXPECT_FALSE(events(type, id).empty()) << type;
    const auto approved = events("contract.mortgage.approved", id);
    EXPECT_EQ(approved[0]["data"]["approved_fen"], kLoan - 10'000'000);
    EXPECT_EQ(approved[0]["data"]["bank_name"], "招商银行");
    EXPECT_EQ(approved[0]["sequence"], 7);
}

TEST_F(MortgagesApi, LoanKindChangesTheChecklistAndACombinedLoanNeedsItsParts) {
    const auto id = new_file();
    step(id, "documents", {{"documents", all_documents()}});
    auto m = step(id, "loan", {{"loan_kind", "provident_fund"}});
    EXPECT_EQ(m["status"], "documents_pending");
    EXPECT_EQ(m["missing_documents"],
              json({"provident_fund_certificate", "provident_fund_application"}));
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/loan",
                      {{"loan_kind", "combined"}, {"provident_fund_fen", 1}}, "mortgage_clerk"),
                 422, "loan_parts_do_not_sum_to_loan");
    expect_error(
        call("POST", "/api/v1/mortgages/" + id + "/loan", {{"loan_kind", "combined"}}, "sales_rep"),
        403, "forbidden");
    m = step(id, "loan",
             {{"loan_kind", "combined"},
              {"provident_fund_fen", 60'000'000},
              {"commercial_fen", kLoan - 60'000'000}});
    EXPECT_EQ(m["loan_kind"], "combined");
    EXPECT_EQ(m["provident_fund_fen"], 60'000'000);
}

TEST_F(MortgagesApi, DisbursementFromFinanceMarksTheFileAndItsReversalPutsItBack) {
    const auto c = signed_contract(*project_, mortgage_plan());
    const std::string contract_id = c["id"];
    const auto id = mortgage_of(c);
    approved_file(id);
    step(id, "registration", {{"registration_no", "抵押-77"}, {"registered_on", in_days(0)}});

    // Another category changes nothing.
    const auto down = disbursement(contract_id, sales::new_uuid(), 60'000'000, "down_payment");
    ASSERT_TRUE(applied(down));
    EXPECT_EQ(file(id)["status"], "registered");

    const auto entry = sales::new_uuid();
    const auto first = disbursement(contract_id, entry, kLoan);
    ASSERT_TRUE(applied(first));
    auto m = file(id);
    EXPECT_EQ(m["status"], "disbursed");
    EXPECT_EQ(m["disbursed_fen"], kLoan);
    EXPECT_EQ(m["disbursed_on"], in_days(0));
    EXPECT_TRUE(m["due_on"].is_null());
    ASSERT_EQ(m["disbursements"].size(), 1u);
    EXPECT_EQ(m["disbursements"][0]["entry_id"], entry);
    EXPECT_EQ(m["history"].back()["actor"], "finance");
    const auto disbursed = events("contract.mortgage.disbursed", id);
    ASSERT_EQ(disbursed.size(), 1u);
    EXPECT_EQ(disbursed[0]["data"]["entry_id"], entry);
    EXPECT_EQ(disbursed[0]["data"]["amount_fen"], kLoan);
    // Re-sent under another event id: applied once.
    const auto resent = disbursement(contract_id, entry, kLoan, "loan_disbursement");
    ASSERT_TRUE(applied(resent));
    EXPECT_EQ(file(id)["disbursed_fen"], kLoan);
    // The contract shows its file.
    const auto contract_doc =
        ok(call("GET", "/api/v1/contracts/" + contract_id, nullptr, "sales_rep"));
    EXPECT_EQ(contract_doc["mortgage"]["status"], "disbursed");

    // FIN-3: the reversal puts the file back where it was.
    const auto back = reversal(contract_id, entry, kLoan);
    ASSERT_TRUE(applied(back));
    m = file(id);
    EXPECT_EQ(m["status"], "registered");
    EXPECT_EQ(m["disbursed_fen"], 0);
    EXPECT_FALSE(m["disbursements"][0]["reversed_by_entry_id"].is_null());
    EXPECT_EQ(events("contract.mortgage.disbursement_reversed", id).size(), 1u);
    // The same reversal again under another id: nothing more.
    const auto again = reversal(contract_id, entry, kLoan);
    ASSERT_TRUE(applied(again));
    EXPECT_EQ(events("contract.mortgage.disbursement_reversed", id).size(), 1u);
}

TEST_F(MortgagesApi, AReversalArrivingBeforeItsDisbursementWaitsForIt) {
    const auto c = signed_contract(*project_, mortgage_plan());
    const std::string contract_id = c["id"];
    const auto id = mortgage_of(c);
    approved_file(id);
    const auto entry = sales::new_uuid();
    const auto back = reversal(contract_id, entry, kLoan);
    EXPECT_TRUE(
        eventually([&] { return stack_->log("contract").find(entry) != std::string::npos; }));
    const auto paid = disbursement(contract_id, entry, kLoan);
    ASSERT_TRUE(applied(paid));
    ASSERT_TRUE(applied(back));
    const auto m = file(id);
    EXPECT_EQ(m["status"], "approved");
    EXPECT_EQ(m["disbursed_fen"], 0);
}

TEST_F(MortgagesApi, TheListFiltersByStatusBankAndOverdueWithTotalsAndPages) {
    const auto project = new_project("MG03");
    const auto a = new_file(project);
    const auto b = new_file(project);
    const auto c = new_file(project);
    step(b, "documents", {{"documents", all_documents()}});
    step(b, "submit", {{"bank_name", "中国农业银行"}, {"submitted_on", in_days(0)}});
    // File c's documents were due yesterday.
    sql("UPDATE mortgages SET documents_due_on = $2::date, due_on = $2::date WHERE id = $1::uuid",
        {c, in_days(-1)});
    const auto page = [&](const std::string& query) {
        return ok(call("GET", "/api/v1/mortgages?project_id=" + project + query, nullptr,
                       "mortgage_clerk"));
    };
    auto all = page("");
    EXPECT_EQ(all["total"], 3);
    EXPECT_EQ(all["totals"]["documents_pending"], 2);
    EXPECT_EQ(all["totals"]["submitted"], 1);
    EXPECT_EQ(all["totals"]["disbursed"], 0);
    EXPECT_EQ(all["overdue"], 1);
    EXPECT_EQ(all["items"][0]["id"], c);  // the earliest deadline first
    EXPECT_EQ(all["items"][0]["overdue"], true);

    auto overdue = page("&overdue_only=true");
    ASSERT_EQ(overdue["items"].size(), 1u);
    EXPECT_EQ(overdue["items"][0]["id"], c);
    auto by_bank = page("&bank=%E5%86%9C%E4%B8%9A");  // 农业
    ASSERT_EQ(by_bank["items"].size(), 1u);
    EXPECT_EQ(by_bank["items"][0]["id"], b);
    auto by_status = page("&status=documents_pending&limit=1");
    EXPECT_EQ(by_status["total"], 2);
    EXPECT_EQ(by_status["items"].size(), 1u);
    auto second = page("&status=documents_pending&limit=1&offset=1");
    EXPECT_EQ(second["items"].size(), 1u);
    EXPECT_NE(second["items"][0]["id"], by_status["items"][0]["id"]);
    EXPECT_NE(second["items"][0]["id"], b);
    (void)a;

    expect_error(call("GET", "/api/v1/mortgages?status=lost", nullptr, "mortgage_clerk"), 400,
                 "validation_failed");
    expect_error(call("GET", "/api/v1/mortgages?limit=0", nullptr, "mortgage_clerk"), 400,
                 "validation_failed");
    // Read by the manager's reports; not by the cashier.
    EXPECT_EQ(
        call("GET", "/api/v1/mortgages?project_id=" + project, nullptr, "sales_manager").status,
        200);
    expect_error(call("GET", "/api/v1/mortgages", nullptr, "cashier"), 403, "forbidden");
}

TEST_F(MortgagesApi, AFileOfAnotherProjectIsNotFoundAndACancelledContractTakesNoStep) {
    const auto c = signed_contract(*other_project_, mortgage_plan());
    const auto id = mortgage_of(c);
    expect_error(call("GET", "/api/v1/mortgages/" + id, nullptr, "mortgage_clerk", {*project_}),
                 404, "mortgage_not_found");
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/documents",
                      {{"documents", all_documents()}}, "mortgage_clerk", {*project_}),
                 404, "mortgage_not_found");
    expect_error(call("GET", "/api/v1/mortgages?project_id=" + *other_project_, nullptr,
                      "mortgage_clerk", {*project_}),
                 404, "project_not_found");
    const auto mine =
        ok(call("GET", "/api/v1/mortgages?limit=500", nullptr, "mortgage_clerk", {*project_}));
    for (const auto& item : mine["items"])
        EXPECT_EQ(item["project_id"], *project_);
    expect_error(call("GET", "/api/v1/mortgages/not-a-uuid", nullptr, "mortgage_clerk"), 404,
                 "mortgage_not_found");

    sql("UPDATE contracts SET status = 'cancelled' WHERE id = $1::uuid", {c["id"].get<std::string>()});
    expect_error(call("POST", "/api/v1/mortgages/" + id + "/documents",
                      {{"documents", all_documents()}}, "mortgage_clerk"),
                 409, "contract_cancelled");
    EXPECT_EQ(rows("mortgages", "id = $1::uuid AND version = 1", {id}), 1);
    for (const auto& item :
         ok(call("GET", "/api/v1/mortgages?limit=500&project_id=" + *other_project_, nullptr,
                 "mortgage_clerk"))["items"])
        EXPECT_NE(item["id"], id);
}

TEST_F(MortgagesApi, DeadlinesArePerProjectSettings) {
    const auto project = new_project("MG04");
    const auto path = "/api/v1/projects/" + project + "/mortgage-settings";
    auto s = ok(call("GET", path, nullptr, "mortgage_clerk"));
    EXPECT_EQ(s["documents_due_days"], 15);
    EXPECT_EQ(s["decision_due_days"], 30);
    expect_error(call("PATCH", path, {{"documents_due_days", 7}}, "mortgage_clerk"), 403,
                 "forbidden");
    expect_error(call("PATCH", path, {{"documents_due_days", 0}}, "sales_manager"), 400,
                 "validation_failed");
    expect_error(call("PATCH", path, json::object(), "sales_manager"), 400, "validation_failed");
    expect_error(call("PATCH", "/api/v1/projects/" + sales::new_uuid() + "/mortgage-settings",
                      {{"documents_due_days", 7}}, "sales_manager"),
                 404, "project_not_found");
    s = ok(call("PATCH", path, {{"documents_due_days", 7}, {"decision_due_days", 10}},
                "sales_manager"));
    EXPECT_EQ(s["documents_due_days"], 7);
    const auto id = new_file(project);
    auto m = file(id);
    EXPECT_EQ(m["documents_due_on"], in_days(7));
    step(id, "documents", {{"documents", all_documents()}});
    m = step(id, "submit", {{"bank_name", "工商银行"}, {"submitted_on", in_days(0)}});
    EXPECT_EQ(m["decision_due_on"], in_days(10));
}

TEST_F(MortgagesApi, ALoanDisbursementOfAnUnknownContractIsDeadLettered) {
    const auto before = rows("dead_letter");
    disbursement(sales::new_uuid(), sales::new_uuid(), kLoan);
    EXPECT_TRUE(eventually([&] { return rows("dead_letter") == before + 1; }));
}

}  // namespace
