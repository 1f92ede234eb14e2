// The mortgage desk 按揭 end to end through the gateway (CON-8) across the real inventory,
// contract, finance and gateway services: a deal signed with a mortgage plan is listed at once →
// the sales rep and the mortgage clerk collect the documents → submitted to a named bank →
// approved → mortgage registration 抵押登记 → the cashier posts the down payment and the bank's
// loan disbursement (FIN-2) → the file is disbursed by finance's event → finance clears the
// contract (FIN-7) → eligible for handover (CON-9) → handed over. A red-ink reversal of the
// disbursement (FIN-3) puts the file back and withdraws the eligibility. And who may do what
// on the new routes (RBAC, project scope).
#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::eventually;
using sales::test::expect_error;
using sales::test::Stack;

constexpr std::int64_t kDeposit = 5'000'000;

class MortgageFlow : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("mortgage_flow", {"inventory", "contract", "finance", "gateway"},
                           {{"SALES_CONTRACT_IO_THREADS", "4"}});
        project_ = new Stack::Project(stack_->released_project(2, 2));
    }
    static void TearDownTestSuite() {
        delete project_;
        delete stack_;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    // Through the gateway as `role` (all projects unless `projects`).
    static sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                            const json& body, const std::string& role,
                                            std::vector<std::string> projects = {"*"}) {
        return stack_->call("gateway", method, path, body, Stack::auth(role, projects));
    }
    static json ok(const std::string& method, const std::string& path, const json& body,
                   const std::string& role, int status = 200) {
        const auto r = call(method, path, body, role);
        EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.body;
        return r.status == status ? r.json() : json::object();
    }
    static sales::http::ClientResponse pay(const json& target, const std::string& category,
                                           const std::string& method, std::int64_t amount_fen) {
        json body = target;
        body.update({{"category", category},
                     {"method", method},
                     {"payer", category == "loan_disbursement" ? "中国建设银行" : "王先生"},
                     {"amount_fen", amount_fen},
                     {"receipt_no", "R-" + sales::new_uuid().substr(0, 12)}});
        return call("POST", "/api/v1/payments", body, "cashier");
    }
    static json contract(const std::string& id) {
        return ok("GET", "/api/v1/contracts/" + id, nullptr, "sales_manager");
    }
    static json mortgage(const std::string& id) {
        return ok("GET", "/api/v1/mortgages/" + id, nullptr, "mortgage_clerk");
    }

    struct Deal {
        std::string subscription_id;
        std::string contract_id;
        std::string mortgage_id;
        std::string unit_id;
        std::int64_t price_fen = 0;
        std::int64_t down_payment_fen = 0;
        std::int64_t loan_fen = 0;
    };
    // Subscription, deposit at the cashier, signing with a mortgage plan (30% down), the four
    // audits and the stamp.
    static Deal signed_mortgage_deal(const std::string& unit_id) {
        Deal deal;
        deal.unit_id = unit_id;
        const auto sub = ok("POST", "/api/v1/subscriptions",
                            {{"unit_id", unit_id},
                             {"customer_id", sales::new_uuid()},
                             {"discount_fen", 0},
                             {"payment_plan", "mortgage"},
                             {"deposit_fen", kDeposit},
                             {"signing_deadline", Stack::date_in_days(30)}},
                            "sales_rep", 201);
        deal.subscription_id = sub["id"];
        deal.price_fen = sub["price_fen"];
        sales::http::ClientResponse deposit;
        EXPECT_TRUE(eventually([&] {
            deposit =
                pay({{"subscription_id", deal.subscription_id}}, "deposit", "transfer", kDeposit);
            return deposit.status != 404;
        })) << deposit.body;
        EXPECT_EQ(deposit.status, 201) << deposit.body;
        EXPECT_TRUE(eventually([&] {
            return ok("GET", "/api/v1/subscriptions/" + deal.subscription_id, nullptr,
                      "sales_rep")["status"] == "confirmed";
        }));
        deal.down_payment_fen = deal.price_fen * 3 / 10;
        deal.loan_fen = deal.price_fen - deal.down_payment_fen;
        const auto c = ok("POST", "/api/v1/subscriptions/" + deal.subscription_id + "/sign",
                          {{"plan",
                            {{"kind", "mortgage"},
                             {"down_payment_fen", deal.down_payment_fen},
                             {"down_payment_due_date", Stack::date_in_days(7)},
                             {"loan_fen", deal.loan_fen},
                             {"loan_expected_date", Stack::date_in_days(60)}}}},
                          "sales_rep", 201);
        deal.contract_id = c["id"];
        for (const char* role :
             {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
            ok("POST", "/api/v1/contracts/" + deal.contract_id + "/audit/approve",
               {{"note", std::string("审核通过 ") + role}}, role);
        }
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/stamp",
           {{"stamped_on", Stack::date_in_days(0)}, {"stamp_no", "STAMP-" + deal.contract_id}},
           "gm");
        const auto with_mortgage = contract(deal.contract_id);
        if (with_mortgage["mortgage"].is_object())
            deal.mortgage_id = with_mortgage["mortgage"]["id"];
        return deal;
    }
    static json all_documents(bool received = true) {
        json out = json::array();
        for (const char* d :
             {"household_register", "marriage_certificate", "income_proof", "bank_statement",
              "credit_authorization", "purchase_contract", "down_payment_receipt"})
            out.push_back({{"kind", d}, {"received", received}});
        return out;
    }
    // Documents, bank, approval, registration: the file ready for the bank's money.
    static void through_registration(const Deal& deal) {
        const auto path = "/api/v1/mortgages/" + deal.mortgage_id;
        ok("POST", path + "/documents",
           {{"documents", {{{"kind", "id_card"}, {"received", true}}}}}, "sales_rep");
        ok("POST", path + "/documents", {{"documents", all_documents()}}, "mortgage_clerk");
        ok("POST", path + "/submit",
           {{"bank_name", "中国建设银行"},
            {"bank_branch", "成都高新支行"},
            {"submitted_on", Stack::date_in_days(0)}},
           "mortgage_clerk");
        ok("POST", path + "/approve",
           {{"approved_fen", deal.loan_fen}, {"approved_on", Stack::date_in_days(0)}},
           "mortgage_clerk");
        ok("POST", path + "/registration",
           {{"registration_no", "川(2026)成都市不动产证明第0099001号"},
            {"registered_on", Stack::date_in_days(0)}},
           "mortgage_clerk");
    }
    static std::string handover_state(const std::string& contract_id) {
        return contract(contract_id)["handover_state"];
    }

    static inline Stack* stack_ = nullptr;
    static inline Stack::Project* project_ = nullptr;
};

TEST_F(MortgageFlow, SignedToHandedOverThroughTheMortgageDesk) {
    const auto deal = signed_mortgage_deal(project_->unit_ids[0]);
    ASSERT_FALSE(HasFailure());
    ASSERT_FALSE(deal.mortgage_id.empty()) << "the signed mortgage deal has no mortgage file";

    // CON-8: listed at once on the 按揭情况列表 of the project.
    const auto listed =
        ok("GET", "/api/v1/mortgages?project_id=" + project_->id, nullptr, "mortgage_clerk");
    bool found = false;
    for (const auto& item : listed["items"])
        found = found || (item["id"] == deal.mortgage_id && item["status"] == "documents_pending");
    EXPECT_TRUE(found) << listed.dump();
    EXPECT_GE(listed["totals"]["documents_pending"].get<int>(), 1);

    // Submission is refused while a document is missing.
    const auto path = "/api/v1/mortgages/" + deal.mortgage_id;
    ok("POST", path + "/documents", {{"documents", all_documents()}}, "mortgage_clerk");
    const auto refused =
        expect_error(call("POST", path + "/submit",
                          {{"bank_name", "中国建设银行"}, {"submitted_on", Stack::date_in_days(0)}},
                          "mortgage_clerk"),
                     422, "mortgage_documents_incomplete");
    EXPECT_EQ(refused["details"]["missing"], json({"id_card"}));
    through_registration(deal);
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(mortgage(deal.mortgage_id)["status"], "registered");

    // Finance built the schedule; the cashier takes the rest of the down payment.
    ASSERT_TRUE(eventually([&] {
        return call("GET", "/api/v1/contracts/" + deal.contract_id + "/balance", nullptr, "cashier")
                   .status == 200;
    }));
    const auto down = pay({{"contract_id", deal.contract_id}}, "down_payment", "transfer",
                          deal.down_payment_fen - kDeposit);
    ASSERT_EQ(down.status, 201) << down.body;
    EXPECT_EQ(handover_state(deal.contract_id), "not_eligible");

    // The bank's loan arrives: the cashier posts it; the file follows finance's event.
    const auto loan =
        pay({{"contract_id", deal.contract_id}}, "loan_disbursement", "bank_loan", deal.loan_fen);
    ASSERT_EQ(loan.status, 201) << loan.body;
    const std::string entry_id = loan.json()["id"];
    ASSERT_TRUE(eventually([&] { return mortgage(deal.mortgage_id)["status"] == "disbursed"; }));
    const auto disbursed = mortgage(deal.mortgage_id);
    EXPECT_EQ(disbursed["disbursed_fen"], deal.loan_fen);
    ASSERT_EQ(disbursed["disbursements"].size(), 1u);
    EXPECT_EQ(disbursed["disbursements"][0]["entry_id"], entry_id);

    // FIN-7 / CON-9: everything paid → cleared → eligible → handed over.
    ASSERT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));
    EXPECT_EQ(contract(deal.contract_id)["mortgage"]["status"], "disbursed");
    ok("POST", "/api/v1/contracts/" + deal.contract_id + "/handover",
       {{"notice_date", Stack::date_in_days(-1)}, {"handed_over_on", Stack::date_in_days(0)}},
       "handover_clerk");
    const auto handed = ok("POST", "/api/v1/contracts/" + deal.contract_id + "/handover/approve",
                           {{"note", "现场核实"}}, "sales_supervisor");
    EXPECT_EQ(handed["handover_state"], "handed_over");
    EXPECT_TRUE(eventually([&] {
        return ok("GET", "/api/v1/units/" + deal.unit_id, nullptr, "sales_rep")["status"] ==
               "handed_over";
    }));

    // One event per step of the file, in order.
    std::vector<std::string> types;
    stack_->db("contract").transaction([&](sales::db::Tx& tx) {
        for (const auto& r : tx.exec("SELECT subject FROM outbox WHERE payload::jsonb ->> "
                                     "'subject' = $1 ORDER BY id",
                                     {deal.mortgage_id}))
            types.push_back(r.text(0));
    });
    EXPECT_EQ(types,
              (std::vector<std::string>{
                  "contract.mortgage.opened", "contract.mortgage.documents_recorded",
                  "contract.mortgage.documents_recorded", "contract.mortgage.documents_recorded",
                  "contract.mortgage.submitted", "contract.mortgage.approved",
                  "contract.mortgage.registered", "contract.mortgage.disbursed"}));
}

TEST_F(MortgageFlow, AReversedDisbursementPutsTheFileBackAndWithdrawsEligibility) {
    const auto deal = signed_mortgage_deal(project_->unit_ids[1]);
    ASSERT_FALSE(HasFailure());
    ASSERT_FALSE(deal.mortgage_id.empty());
    through_registration(deal);
    ASSERT_TRUE(eventually([&] {
        return call("GET", "/api/v1/contracts/" + deal.contract_id + "/balance", nullptr, "cashier")
                   .status == 200;
    }));
    ASSERT_EQ(pay({{"contract_id", deal.contract_id}}, "down_payment", "transfer",
                  deal.down_payment_fen - kDeposit)
                  .status,
              201);
    const auto loan =
        pay({{"contract_id", deal.contract_id}}, "loan_disbursement", "bank_loan", deal.loan_fen);
    ASSERT_EQ(loan.status, 201) << loan.body;
    ASSERT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));
    ASSERT_TRUE(eventually([&] { return mortgage(deal.mortgage_id)["status"] == "disbursed"; }));

    // FIN-3: the disbursement was posted on the wrong contract; red-ink entry.
    ok("POST", "/api/v1/entries/" + loan.json()["id"].get<std::string>() + "/reverse",
       {{"reason", "放款入错合同，红冲"}}, "cashier", 201);
    EXPECT_TRUE(eventually([&] { return mortgage(deal.mortgage_id)["status"] == "registered"; }));
    EXPECT_EQ(mortgage(deal.mortgage_id)["disbursed_fen"], 0);
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "not_eligible"; }));
}

TEST_F(MortgageFlow, WhoMayDoWhatOnTheMortgageDesk) {
    const auto deal = signed_mortgage_deal(project_->unit_ids[2]);
    ASSERT_FALSE(HasFailure());
    ASSERT_FALSE(deal.mortgage_id.empty());
    const auto path = "/api/v1/mortgages/" + deal.mortgage_id;
    const json doc = {{"documents", {{{"kind", "id_card"}, {"received", true}}}}};
    const json submit = {{"bank_name", "招商银行"}, {"submitted_on", Stack::date_in_days(0)}};

    // Reading: the clerk, the reps (documents) and the report readers; not the cashier.
    for (const char* role : {"mortgage_clerk", "sales_rep", "sales_manager", "executive"}) {
        EXPECT_EQ(call("GET", "/api/v1/mortgages?project_id=" + project_->id, nullptr, role).status,
                  200)
            << role;
        EXPECT_EQ(call("GET", path, nullptr, role).status, 200) << role;
    }
    for (const char* role : {"cashier", "handover_clerk", "operator"}) {
        expect_error(call("GET", "/api/v1/mortgages", nullptr, role), 403, "forbidden");
        expect_error(call("GET", path, nullptr, role), 403, "forbidden");
    }
    // Documents: the clerk and the reps (mortgage.documents); others 403.
    EXPECT_EQ(call("POST", path + "/documents", doc, "sales_rep").status, 200);
    EXPECT_EQ(call("POST", path + "/documents", doc, "mortgage_clerk").status, 200);
    expect_error(call("POST", path + "/documents", doc, "cashier"), 403, "forbidden");
    expect_error(call("POST", path + "/documents", doc, "executive"), 403, "forbidden");
    // The bank steps: the clerk only.
    for (const auto& [verb, body] : std::vector<std::pair<std::string, json>>{
             {"loan", {{"loan_kind", "commercial"}}},
             {"submit", submit},
             {"approve", {{"approved_fen", 1}, {"approved_on", Stack::date_in_days(0)}}},
             {"refuse", {{"refused_on", Stack::date_in_days(0)}, {"reason", "x"}}},
             {"registration",
              {{"registration_no", "R"}, {"registered_on", Stack::date_in_days(0)}}}}) {
        for (const char* role : {"sales_rep", "sales_manager", "cashier"})
            expect_error(call("POST", path + "/" + verb, body, role), 403, "forbidden");
    }
    EXPECT_EQ(call("POST", path + "/loan", {{"loan_kind", "commercial"}}, "mortgage_clerk").status,
              200);
    // Another project's clerk: the file does not exist for them.
    const auto elsewhere = sales::new_uuid();
    expect_error(call("GET", path, nullptr, "mortgage_clerk", {elsewhere}), 404,
                 "mortgage_not_found");
    expect_error(call("POST", path + "/documents", doc, "mortgage_clerk", {elsewhere}), 404,
                 "mortgage_not_found");
    EXPECT_EQ(call("GET", "/api/v1/mortgages?project_id=" + project_->id, nullptr, "mortgage_clerk",
                   {elsewhere})
                  .status,
              403);
    // Deadlines: read by the desk, set by the sales manager (contract.settings).
    const auto settings = "/api/v1/projects/" + project_->id + "/mortgage-settings";
    EXPECT_EQ(call("GET", settings, nullptr, "mortgage_clerk").status, 200);
    expect_error(call("PATCH", settings, {{"decision_due_days", 20}}, "mortgage_clerk"), 403,
                 "forbidden");
    EXPECT_EQ(call("PATCH", settings, {{"decision_due_days", 20}}, "sales_manager").status, 200);
    EXPECT_EQ(call("GET", settings, nullptr, "mortgage_clerk", {elsewhere}).status, 403);
}

}  // namespace
