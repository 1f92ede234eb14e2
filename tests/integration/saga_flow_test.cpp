// The product card's saga end to end (ARCHITECTURE.md steps 1–5) across the real inventory,
// contract and finance services: subscribe → deposit at the cashier → sign → the schedule is
// built → pay everything → eligible for handover → hand over → the unit is handed_over; and a
// red-ink reversal after clearance withdraws eligibility (FIN-3, FIN-7, CON-9).
// In every step, the ledger of a contract adds up to the paid amount of its balance.
#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::eventually;
using sales::test::Stack;

class SagaFlow : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("saga_flow", {"inventory", "contract", "finance"},
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

    static json ok(const std::string& service, const std::string& method, const std::string& path,
                   const json& body, const std::string& role, int status = 200) {
        return stack_->ok(service, method, path, body, role, status);
    }
    static json unit(const std::string& id) {
        return ok("inventory", "GET", "/api/v1/units/" + id, nullptr, "sales_rep");
    }
    static json contract(const std::string& id) {
        return ok("contract", "GET", "/api/v1/contracts/" + id, nullptr, "sales_manager");
    }
    static json subscription(const std::string& id) {
        return ok("contract", "GET", "/api/v1/subscriptions/" + id, nullptr, "sales_rep");
    }
    static json balance(const std::string& contract_id) {
        return ok("finance", "GET", "/api/v1/contracts/" + contract_id + "/balance", nullptr,
                  "cashier");
    }
    // A cashier's payment; `target` names the subscription or the contract.
    static sales::http::ClientResponse pay(const json& target, const std::string& category,
                                           std::int64_t amount_fen) {
        json body = target;
        body.update({{"category", category},
                     {"method", "transfer"},
                     {"payer", "王先生"},
                     {"amount_fen", amount_fen},
                     {"receipt_no", "R-" + sales::new_uuid().substr(0, 12)}});
        return stack_->http("finance").request("POST", "/api/v1/payments", body.dump(),
                                               Stack::auth("cashier"));
    }
    // FIN-2..4: what the ledger holds for the contract (its own entries and the deposit paid
    // against its subscription) is exactly what the balance counts as paid.
    static void expect_ledger_matches_balance(const std::string& contract_id,
                                              const std::string& subscription_id) {
        const auto ledger = stack_->count(
            "finance",
            "SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE contract_id = $1::uuid "
            "OR subscription_id = $2::uuid",
            {contract_id, subscription_id});
        EXPECT_EQ(ledger, balance(contract_id)["paid_fen"].get<std::int64_t>()) << contract_id;
    }

    struct Deal {
        std::string subscription_id;
        std::string contract_id;
        std::string unit_id;
        std::int64_t price_fen = 0;
        std::int64_t deposit_fen = 0;
    };
    // Steps 1–3: subscription, deposit at the cashier (finance.deposit.received confirms it),
    // signing with a one-off plan, the four audits and the stamp.
    static Deal signed_and_stamped(const std::string& unit_id) {
        Deal deal;
        deal.unit_id = unit_id;
        deal.deposit_fen = 5'000'000;
        const auto sub = ok("contract", "POST", "/api/v1/subscriptions",
                            {{"unit_id", unit_id},
                             {"customer_id", sales::new_uuid()},
                             {"discount_fen", 0},
                             {"payment_plan", "one_off"},
                             {"deposit_fen", deal.deposit_fen},
                             {"signing_deadline", Stack::date_in_days(30)}},
                            "sales_rep", 201);
        deal.subscription_id = sub["id"];
        deal.price_fen = sub["price_fen"];
        // Finance learns the subscription from contract.subscription.created.
        sales::http::ClientResponse deposit;
        EXPECT_TRUE(eventually([&] {
            deposit = pay({{"subscription_id", deal.subscription_id}}, "deposit", deal.deposit_fen);
            return deposit.status != 404;
        })) << deposit.body;
        EXPECT_EQ(deposit.status, 201) << deposit.body;
        EXPECT_TRUE(eventually(
            [&] { return subscription(deal.subscription_id)["status"] == "confirmed"; }));
        EXPECT_TRUE(eventually([&] { return unit(unit_id)["status"] == "subscribed"; }));

        const auto signed_contract =
            ok("contract", "POST", "/api/v1/subscriptions/" + deal.subscription_id + "/sign",
               {{"plan", {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}}}},
               "sales_rep", 201);
        deal.contract_id = signed_contract["id"];
        for (const char* role :
             {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
            ok("contract", "POST", "/api/v1/contracts/" + deal.contract_id + "/audit/approve",
               {{"note", std::string("审核通过 ") + role}}, role);
        }
        ok("contract", "POST", "/api/v1/contracts/" + deal.contract_id + "/stamp",
           {{"stamped_on", Stack::date_in_days(0)}, {"stamp_no", "STAMP-" + deal.contract_id}},
           "gm");
        return deal;
    }
    // FIN-1: finance built the schedule from contract.signed, the deposit credited.
    static void expect_schedule(const Deal& deal) {
        ASSERT_TRUE(eventually([&] {
            return stack_->http("finance")
                       .get("/api/v1/contracts/" + deal.contract_id + "/balance",
                            Stack::auth("cashier"))
                       .status == 200;
        })) << "finance never built the schedule of "
            << deal.contract_id;
        const auto b = balance(deal.contract_id);
        EXPECT_EQ(b["total_fen"], deal.price_fen);
        EXPECT_EQ(b["paid_fen"], deal.deposit_fen);
        EXPECT_EQ(b["cleared"], false);
        ASSERT_EQ(b["items"].size(), 1u);
        expect_ledger_matches_balance(deal.contract_id, deal.subscription_id);
    }
    static std::string handover_state(const std::string& contract_id) {
        return contract(contract_id)["handover_state"];
    }

    static inline Stack* stack_ = nullptr;
    static inline Stack::Project* project_ = nullptr;
};

TEST_F(SagaFlow, SubscribeToHandoverThroughEveryService) {
    const auto deal = signed_and_stamped(project_->unit_ids[0]);
    ASSERT_FALSE(HasFailure());
    EXPECT_TRUE(eventually([&] { return unit(deal.unit_id)["status"] == "signed"; }));
    expect_schedule(deal);
    EXPECT_EQ(handover_state(deal.contract_id), "not_eligible");

    // Paying everything due clears the contract (FIN-7) and makes it eligible (CON-9).
    const auto rest =
        pay({{"contract_id", deal.contract_id}}, "instalment", deal.price_fen - deal.deposit_fen);
    ASSERT_EQ(rest.status, 201) << rest.body;
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));
    const auto cleared = balance(deal.contract_id);
    EXPECT_EQ(cleared["cleared"], true);
    EXPECT_EQ(cleared["balance_fen"], 0);
    expect_ledger_matches_balance(deal.contract_id, deal.subscription_id);

    ok("contract", "POST", "/api/v1/contracts/" + deal.contract_id + "/handover",
       {{"notice_date", Stack::date_in_days(-3)}, {"handed_over_on", Stack::date_in_days(0)}},
       "handover_clerk");
    const auto handed =
        ok("contract", "POST", "/api/v1/contracts/" + deal.contract_id + "/handover/approve",
           {{"note", "现场核实"}}, "sales_supervisor");
    EXPECT_EQ(handed["handover_state"], "handed_over");
    EXPECT_TRUE(eventually([&] { return unit(deal.unit_id)["status"] == "handed_over"; }));
    // Exactly one of each saga event for this contract.
    for (const char* type :
         {"contract.signed", "contract.handover.eligible", "contract.handed_over"}) {
        EXPECT_EQ(stack_->count("contract",
                                "SELECT count(*) FROM outbox WHERE subject = $1 AND "
                                "payload::jsonb ->> 'subject' = $2",
                                {std::string(type), deal.contract_id}),
                  1)
            << type;
    }
    EXPECT_EQ(
        stack_->count("finance",
                      "SELECT count(*) FROM outbox WHERE subject = 'finance.contract.cleared' "
                      "AND payload::jsonb ->> 'subject' = $1",
                      {deal.contract_id}),
        1);
}

TEST_F(SagaFlow, ReversalAfterClearanceWithdrawsEligibility) {
    const auto deal = signed_and_stamped(project_->unit_ids[1]);
    ASSERT_FALSE(HasFailure());
    expect_schedule(deal);
    const auto rest =
        pay({{"contract_id", deal.contract_id}}, "instalment", deal.price_fen - deal.deposit_fen);
    ASSERT_EQ(rest.status, 201) << rest.body;
    ASSERT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));

    // FIN-3: the payment was entered wrongly; the red-ink entry re-opens the balance.
    const std::string entry_id = rest.json()["id"];
    ok("finance", "POST", "/api/v1/entries/" + entry_id + "/reverse",
       {{"reason", "收据金额录入错误"}}, "cashier", 201);
    const auto reopened = balance(deal.contract_id);
    EXPECT_EQ(reopened["cleared"], false);
    EXPECT_EQ(reopened["paid_fen"], deal.deposit_fen);
    expect_ledger_matches_balance(deal.contract_id, deal.subscription_id);
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "not_eligible"; }));
    EXPECT_EQ(
        ok("contract", "POST", "/api/v1/contracts/" + deal.contract_id + "/handover",
           {{"notice_date", Stack::date_in_days(-3)}, {"handed_over_on", Stack::date_in_days(0)}},
           "handover_clerk", 422)["error"]["code"],
        "not_eligible_for_handover");
    EXPECT_EQ(unit(deal.unit_id)["status"], "signed");

    // Paid again correctly: eligible again.
    ASSERT_EQ(
        pay({{"contract_id", deal.contract_id}}, "instalment", deal.price_fen - deal.deposit_fen)
            .status,
        201);
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));
    expect_ledger_matches_balance(deal.contract_id, deal.subscription_id);
}

}  // namespace
