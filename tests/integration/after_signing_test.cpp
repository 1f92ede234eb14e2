// The second half of a deal end to end through the gateway, across inventory, contract and
// finance: the surveyed title area settles the contract (REG-1) through a supplementary agreement
// that finance books and settles before the invoice is recorded (CON-10); an approved amendment
// that changes the plan rebuilds finance's schedule (CON-5); a unit change after signing 换房
// holds the new unit through the amendment's audit, then sells it and frees the old one, or
// releases it when rejected (CON-5, INV-4); a cancellation after review is approved once,
// refunded by the cashier and only then releases the unit (CON-6); a member's referral recorded
// at signing, confirmed by the cashier, is redeemable exactly when the buyer has paid 80% of the
// price (CON-11).
#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::eventually;
using sales::test::Stack;

class AfterSigning : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("after_signing", {"inventory", "contract", "finance", "gateway"});
        project_ = new Stack::Project(stack_->released_project(6, 2));
    }
    static void TearDownTestSuite() {
        delete project_;
        delete stack_;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    // Every call goes through the gateway (routing, RBAC, project scope).
    static json ok(const std::string& method, const std::string& path, const json& body,
                   const std::string& role, int status = 200) {
        return stack_->ok("gateway", method, path, body, role, status);
    }
    static json unit(const std::string& id) {
        return ok("GET", "/api/v1/units/" + id, nullptr, "sales_rep");
    }
    static json contract(const std::string& id) {
        return ok("GET", "/api/v1/contracts/" + id, nullptr, "sales_manager");
    }
    static json balance(const std::string& contract_id) {
        return ok("GET", "/api/v1/contracts/" + contract_id + "/balance", nullptr, "cashier");
    }
    static sales::http::ClientResponse pay(const json& target, const std::string& category,
                                           std::int64_t amount_fen, json extra = json::object()) {
        json body = target;
        body.update({{"category", category},
                     {"method", "transfer"},
                     {"payer", "王先生"},
                     {"amount_fen", amount_fen},
                     {"receipt_no", "R-" + sales::new_uuid().substr(0, 12)}});
        body.update(extra);
        return stack_->call("gateway", "POST", "/api/v1/payments", body, Stack::auth("cashier"));
    }
    // Another buyer subscribes `unit_id` (one-off, no discount).
    static sales::http::ClientResponse subscribe(const std::string& unit_id) {
        return stack_->call("gateway", "POST", "/api/v1/subscriptions",
                            {{"unit_id", unit_id},
                             {"customer_id", sales::new_uuid()},
                             {"discount_fen", 0},
                             {"payment_plan", "one_off"},
                             {"deposit_fen", 5'000'000},
                             {"signing_deadline", Stack::date_in_days(30)}},
                            Stack::auth("sales_rep"));
    }
    static std::string handover_state(const std::string& contract_id) {
        return contract(contract_id)["handover_state"];
    }

    struct Deal {
        std::string subscription_id;
        std::string contract_id;
        std::string unit_id;
        std::int64_t price_fen = 0;
        std::int64_t deposit_fen = 5'000'000;
    };
    // A subscription (one-off) whose deposit is paid: confirmed, ready to sign.
    static Deal confirmed_subscription(const std::string& unit_id, const std::string& customer_id) {
        Deal deal;
        deal.unit_id = unit_id;
        const auto sub = ok("POST", "/api/v1/subscriptions",
                            {{"unit_id", unit_id},
                             {"customer_id", customer_id},
                             {"discount_fen", 0},
                             {"payment_plan", "one_off"},
                             {"deposit_fen", deal.deposit_fen},
                             {"signing_deadline", Stack::date_in_days(30)}},
                            "sales_rep", 201);
        deal.subscription_id = sub["id"];
        deal.price_fen = sub["price_fen"];
        sales::http::ClientResponse deposit;
        EXPECT_TRUE(eventually([&] {
            deposit = pay({{"subscription_id", deal.subscription_id}}, "deposit", deal.deposit_fen);
            return deposit.status != 404;
        })) << deposit.body;
        EXPECT_EQ(deposit.status, 201) << deposit.body;
        EXPECT_TRUE(eventually([&] {
            return ok("GET", "/api/v1/subscriptions/" + deal.subscription_id, nullptr,
                      "sales_rep")["status"] == "confirmed";
        }));
        return deal;
    }
    // Subscription, deposit, signing (one-off, with `signing_extra` in the body), the four audits
    // and the stamp.
    static Deal stamped_deal(const std::string& unit_id,
                             const std::string& customer_id = sales::new_uuid(),
                             const json& signing_extra = json::object()) {
        auto deal = confirmed_subscription(unit_id, customer_id);
        json signing = {{"plan", {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}}}};
        signing.update(signing_extra);
        deal.contract_id = ok("POST", "/api/v1/subscriptions/" + deal.subscription_id + "/sign",
                              signing, "sales_rep", 201)["id"];
        for (const char* role :
             {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
            ok("POST", "/api/v1/contracts/" + deal.contract_id + "/audit/approve",
               {{"note", std::string("审核通过 ") + role}}, role);
        }
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/stamp",
           {{"stamped_on", Stack::date_in_days(0)}, {"stamp_no", "STAMP-" + deal.contract_id}},
           "gm");
        EXPECT_TRUE(eventually([&] {
            return stack_
                       ->call("gateway", "GET",
                              "/api/v1/contracts/" + deal.contract_id + "/balance", nullptr,
                              Stack::auth("cashier"))
                       .status == 200;
        })) << "finance never built the schedule";
        return deal;
    }
    static std::int64_t finance_events(const std::string& type, const std::string& field,
                                       const std::string& value) {
        return stack_->count("finance",
                             "SELECT count(*) FROM outbox WHERE subject = $1 AND "
                             "payload::jsonb -> 'data' ->> $2 = $3",
                             {type, field, value});
    }

    static inline Stack* stack_ = nullptr;
    static inline Stack::Project* project_ = nullptr;
};

TEST_F(AfterSigning, Con10TitleAreaSettlementAgreementFinanceSettlesInvoice) {
    const auto deal = stamped_deal(project_->unit_ids[0]);
    ASSERT_FALSE(HasFailure());
    ASSERT_EQ(
        pay({{"contract_id", deal.contract_id}}, "instalment", deal.price_fen - deal.deposit_fen)
            .status,
        201);
    ASSERT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));

    // The handover clerk records the surveyed areas (+1.00 m²), the sales manager approves.
    const auto u = unit(deal.unit_id);
    const std::int64_t gross = u["gross_area_centi_m2"];
    const std::int64_t internal = u["internal_area_centi_m2"];
    const std::string survey = ok(
        "POST", "/api/v1/buildings/" + u["building_id"].get<std::string>() + "/title-area-surveys",
        {{"note", "产权处核定面积表"},
         {"items",
          {{{"unit_id", deal.unit_id},
            {"gross_area_centi_m2", gross + 100},
            {"internal_area_centi_m2", internal + 100}}}}},
        "handover_clerk", 201)["id"];
    ok("POST", "/api/v1/title-area-surveys/" + survey + "/approve", {{"note", "已核对"}},
       "sales_manager");
    ASSERT_TRUE(
        eventually([&] { return contract(deal.contract_id)["area_settlements"].size() == 1u; }));
    const auto computed = contract(deal.contract_id)["area_settlements"][0];
    EXPECT_EQ(computed["status"], "to_settle");
    const std::string sid = computed["id"];
    const std::int64_t buyer_pays = computed["gross"]["buyer_pays_fen"];
    // REG-1: price × 1.00 m² ÷ the contract area, rounded half up.
    EXPECT_EQ(buyer_pays, (2 * deal.price_fen * 100 + gross) / (2 * gross));

    // The supplementary agreement: finance owes the buyer's payment → no longer cleared.
    const auto agreed = ok("POST", "/api/v1/area-settlements/" + sid + "/agreement",
                           {{"agreement_no", "BC-" + sid.substr(0, 8)},
                            {"signed_on", Stack::date_in_days(0)},
                            {"payment_due_date", Stack::date_in_days(15)}},
                           "handover_clerk");
    EXPECT_EQ(agreed["status"], "agreed");
    ASSERT_TRUE(eventually([&] { return balance(deal.contract_id)["cleared"] == false; }));
    EXPECT_EQ(balance(deal.contract_id)["total_fen"], deal.price_fen + buyer_pays);
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "not_eligible"; }));
    ok("POST", "/api/v1/area-settlements/" + sid + "/invoice",
       {{"invoice_no", "FP-1"}, {"invoice_date", Stack::date_in_days(0)}}, "cashier", 409);

    // The cashier takes the settlement payment: finance settles it, the contract clears again.
    ASSERT_EQ(pay({{"contract_id", deal.contract_id}}, "area_settlement", buyer_pays).status, 201);
    ASSERT_TRUE(eventually(
        [&] { return contract(deal.contract_id)["area_settlements"][0]["status"] == "settled"; }));
    EXPECT_TRUE(eventually([&] { return handover_state(deal.contract_id) == "eligible"; }));
    const auto invoiced =
        ok("POST", "/api/v1/area-settlements/" + sid + "/invoice",
           {{"invoice_no", "FP-" + sid.substr(0, 8)}, {"invoice_date", Stack::date_in_days(0)}},
           "cashier");
    EXPECT_EQ(invoiced["status"], "invoiced");
    EXPECT_EQ(invoiced["settled_how"], "received");
    EXPECT_EQ(finance_events("finance.area_settlement.settled", "settlement_id", sid), 1);
}

TEST_F(AfterSigning, Con5AnAmendmentThatChangesThePlanRebuildsTheSchedule) {
    const auto deal = stamped_deal(project_->unit_ids[1]);
    ASSERT_FALSE(HasFailure());
    ASSERT_EQ(balance(deal.contract_id)["items"].size(), 1u);
    // One-off → two instalments at a 1% discount (within the standard 3%).
    const auto discount = deal.price_fen / 100;
    const auto price = deal.price_fen - discount;
    const auto half = price / 2;
    const std::string amendment =
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/amendments",
           {{"discount_fen", discount},
            {"plan",
             {{"kind", "instalments"},
              {"instalments",
               json::array(
                   {{{"due_date", Stack::date_in_days(10)}, {"amount_fen", half}},
                    {{"due_date", Stack::date_in_days(100)}, {"amount_fen", price - half}}})}}},
            {"reason", "客户改为分期付款并给予优惠"}},
           "sales_supervisor", 201)["id"];
    // The original stays in force until the last approval.
    EXPECT_EQ(balance(deal.contract_id)["total_fen"], deal.price_fen);
    for (const char* role :
         {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
        ok("POST", "/api/v1/amendments/" + amendment + "/audit/approve",
           {{"note", std::string("同意 ") + role}}, role);
    }
    EXPECT_EQ(contract(deal.contract_id)["payment_plan"], "instalments");
    ASSERT_TRUE(eventually([&] { return balance(deal.contract_id)["total_fen"] == price; }));
    const auto b = balance(deal.contract_id);
    ASSERT_EQ(b["items"].size(), 2u);
    EXPECT_EQ(b["items"][0]["kind"], "instalment");
    EXPECT_EQ(b["items"][0]["amount_fen"], half);
    EXPECT_EQ(b["items"][0]["paid_fen"], deal.deposit_fen);  // the deposit re-applied in order
    EXPECT_EQ(b["paid_fen"], deal.deposit_fen);
    EXPECT_EQ(finance_events("finance.schedule.changed", "contract_id", deal.contract_id), 1);
}

// CON-5 unit change after signing 换房: request → the new unit held (a rival's subscription is
// refused while the amendment is in audit) → four approvals → the contract on the new unit at
// its price, the new unit sold, the old one available, finance's schedule rebuilt.
TEST_F(AfterSigning, Con5AUnitChangeHoldsTheNewUnitThenSellsItAndFreesTheOldOne) {
    const auto deal = stamped_deal(project_->unit_ids[3]);
    ASSERT_FALSE(HasFailure());
    const std::string new_unit_id = project_->unit_ids[4];
    const auto before = unit(new_unit_id);
    ASSERT_EQ(before["status"], "available");
    const std::int64_t new_price = before["list_total_fen"];  // discount 0 carries over
    ASSERT_NE(new_price, deal.price_fen);

    const auto amendment = ok("POST", "/api/v1/contracts/" + deal.contract_id + "/amendments",
                              {{"new_unit_id", new_unit_id}, {"reason", "客户换房（CON-5）"}},
                              "sales_supervisor", 201);
    const std::string amendment_id = amendment["id"];
    EXPECT_EQ(amendment["changes"]["old_unit_id"], deal.unit_id);
    EXPECT_EQ(amendment["changes"]["new_unit_id"], new_unit_id);
    EXPECT_EQ(amendment["new_terms"]["list_total_fen"], new_price);
    EXPECT_EQ(amendment["new_terms"]["price_fen"], new_price);
    EXPECT_EQ(amendment["new_terms"]["contract_gross_area_centi_m2"],
              before["gross_area_centi_m2"]);
    // The hold: the new unit is taken for the amendment at once, the old unit stays sold.
    EXPECT_EQ(unit(new_unit_id)["status"], "held");
    EXPECT_EQ(unit(deal.unit_id)["status"], "signed");

    // The race: someone else subscribes the new unit while the amendment is in audit.
    sales::test::expect_error(subscribe(new_unit_id), 409, "unit_not_available");
    // The original stays in force until the last approval (CON-5).
    EXPECT_EQ(contract(deal.contract_id)["unit_id"], deal.unit_id);
    EXPECT_EQ(balance(deal.contract_id)["total_fen"], deal.price_fen);
    for (const char* role :
         {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
        ok("POST", "/api/v1/amendments/" + amendment_id + "/audit/approve",
           {{"note", std::string("同意换房 ") + role}}, role);
    }
    const auto changed = contract(deal.contract_id);
    EXPECT_EQ(changed["unit_id"], new_unit_id);
    EXPECT_EQ(changed["unit_number"], before["unit_number"]);
    EXPECT_EQ(changed["list_total_fen"], new_price);
    EXPECT_EQ(changed["price_fen"], new_price);
    EXPECT_EQ(changed["contract_gross_area_centi_m2"], before["gross_area_centi_m2"]);
    EXPECT_EQ(changed["contract_internal_area_centi_m2"], before["internal_area_centi_m2"]);

    // INV-4: the new unit sold and the old one free, never both sold for the contract.
    ASSERT_TRUE(eventually(
        [&] {
            const std::string now_new = unit(new_unit_id)["status"];
            const std::string now_old = unit(deal.unit_id)["status"];
            EXPECT_FALSE(now_new == "signed" && now_old == "signed") << "both units sold";
            return now_new == "signed" && now_old == "available";
        },
        std::chrono::seconds(20),
        std::chrono::milliseconds(250)));  // within the gateway's rate limit
    EXPECT_EQ(unit(new_unit_id)["deal_price_fen"], new_price);
    // Finance rebuilt the schedule from the new price; the deposit still counts.
    ASSERT_TRUE(eventually([&] { return balance(deal.contract_id)["total_fen"] == new_price; }));
    EXPECT_EQ(balance(deal.contract_id)["paid_fen"], deal.deposit_fen);
    EXPECT_EQ(finance_events("finance.schedule.changed", "contract_id", deal.contract_id), 1);
    // The old unit can be sold again; the new one cannot (one live deal per unit).
    EXPECT_EQ(subscribe(deal.unit_id).status, 201);
}

// CON-5: a unit that cannot be held is refused with nothing written; a rejected unit change
// releases the hold and leaves the contract, its unit and finance as they were.
TEST_F(AfterSigning, Con5ARejectedUnitChangeReleasesTheHoldAndChangesNothing) {
    const auto deal = stamped_deal(project_->unit_ids[5]);
    ASSERT_FALSE(HasFailure());
    const auto path = "/api/v1/contracts/" + deal.contract_id + "/amendments";
    // Taken by another buyer's subscription: 409, no amendment, no hold.
    const std::string taken = project_->unit_ids[7];
    EXPECT_EQ(subscribe(taken).status, 201);
    sales::test::expect_error(
        stack_->call("gateway", "POST", path, {{"new_unit_id", taken}, {"reason", "换房"}},
                     Stack::auth("sales_supervisor")),
        409, "unit_not_available");
    sales::test::expect_error(
        stack_->call("gateway", "POST", path, {{"new_unit_id", deal.unit_id}, {"reason", "换房"}},
                     Stack::auth("sales_supervisor")),
        400, "validation_failed");
    EXPECT_EQ(contract(deal.contract_id)["amendments"].size(), 0u) << "nothing written";

    const std::string new_unit_id = project_->unit_ids[6];
    const std::string amendment_id =
        ok("POST", path, {{"new_unit_id", new_unit_id}, {"reason", "客户换房（CON-5）"}},
           "sales_supervisor", 201)["id"];
    EXPECT_EQ(unit(new_unit_id)["status"], "held");
    ok("POST", "/api/v1/amendments/" + amendment_id + "/audit/approve", {{"note", "同意"}},
       "sales_supervisor");
    const auto rejected = ok("POST", "/api/v1/amendments/" + amendment_id + "/audit/reject",
                             {{"note", "不同意换房"}}, "sales_manager");
    EXPECT_EQ(rejected["status"], "rejected");
    // The hold is released; everything else stays as it was.
    ASSERT_TRUE(eventually([&] { return unit(new_unit_id)["status"] == "available"; }));
    EXPECT_EQ(unit(deal.unit_id)["status"], "signed");
    const auto kept = contract(deal.contract_id);
    EXPECT_EQ(kept["unit_id"], deal.unit_id);
    EXPECT_EQ(kept["price_fen"], deal.price_fen);
    EXPECT_EQ(balance(deal.contract_id)["total_fen"], deal.price_fen);
    EXPECT_EQ(finance_events("finance.schedule.changed", "contract_id", deal.contract_id), 0);
    // The released unit is for sale again.
    EXPECT_EQ(subscribe(new_unit_id).status, 201);
}

TEST_F(AfterSigning, Con6ACancellationIsApprovedOnceRefundedThenTheUnitIsAvailable) {
    const auto deal = stamped_deal(project_->unit_ids[2]);
    ASSERT_FALSE(HasFailure());
    ok("POST", "/api/v1/contracts/" + deal.contract_id + "/cancellation",
       {{"refund_fen", deal.deposit_fen}, {"reason", "客户家庭原因退房"}}, "sales_control");
    const auto approved =
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/cancellation/approve",
           {{"note", "同意退款"}}, "finance_director");
    EXPECT_EQ(approved["status"], "cancelling");
    EXPECT_EQ(unit(deal.unit_id)["status"], "signed") << "released only once the refund is paid";

    // Finance holds the approval the director gave; the cashier pays against it.
    json waiting;
    ASSERT_TRUE(eventually([&] {
        waiting =
            ok("GET", "/api/v1/refund-approvals?project_id=" + project_->id + "&unpaid_only=true",
               nullptr, "cashier")["items"];
        return waiting.size() == 1u;
    }));
    EXPECT_EQ(waiting[0]["purpose"], "contract_cancellation");
    EXPECT_EQ(waiting[0]["approved_by"], "user-finance_director");
    EXPECT_EQ(waiting[0]["amount_fen"], deal.deposit_fen);
    const std::string approval = waiting[0]["id"];
    const auto refund = pay({{"contract_id", deal.contract_id}}, "refund", deal.deposit_fen,
                            {{"approval_ref", approval}});
    ASSERT_EQ(refund.status, 201) << refund.body;

    ASSERT_TRUE(eventually([&] { return contract(deal.contract_id)["status"] == "cancelled"; }));
    EXPECT_TRUE(eventually([&] { return unit(deal.unit_id)["status"] == "available"; }));
    EXPECT_TRUE(eventually([&] {
        return stack_->count("finance",
                             "SELECT count(*) FROM contracts WHERE contract_id = $1::uuid AND "
                             "cancelled_at IS NOT NULL",
                             {deal.contract_id}) == 1;
    }));
    EXPECT_EQ(ok("GET", "/api/v1/refund-approvals?project_id=" + project_->id + "&unpaid_only=true",
                 nullptr, "cashier")["items"]
                  .size(),
              0u);
    EXPECT_EQ(balance(deal.contract_id)["paid_fen"], 0);
}

TEST_F(AfterSigning, Con11ReferralPointsAreRedeemableExactlyAtEightyPercentPaid) {
    // The member 会员 is an owner: the buyer of a signed contract.
    const auto member = sales::new_uuid();
    stamped_deal(project_->unit_ids[8], member);
    ASSERT_FALSE(HasFailure());

    // Only a member refers, and never the buyer: the signing is refused and writes nothing.
    const auto buyer = sales::new_uuid();
    const auto sub = confirmed_subscription(project_->unit_ids[9], buyer);
    ASSERT_FALSE(HasFailure());
    const json plan = {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}};
    for (const auto& [referrer, code] : {std::pair{sales::new_uuid(), "referrer_not_member"},
                                         std::pair{buyer, "referrer_is_buyer"}}) {
        const auto refused = stack_->call(
            "gateway", "POST", "/api/v1/subscriptions/" + sub.subscription_id + "/sign",
            {{"plan", plan}, {"referrer_customer_id", referrer}}, Stack::auth("sales_rep"));
        EXPECT_EQ(refused.status, 422) << refused.body;
        EXPECT_EQ(json::parse(refused.body)["error"]["code"], code) << refused.body;
    }
    EXPECT_EQ(
        ok("GET", "/api/v1/subscriptions/" + sub.subscription_id, nullptr, "sales_rep")["status"],
        "confirmed");

    // The referred deal: the rep records the member at signing (会员积分申请书).
    const auto deal =
        stamped_deal(project_->unit_ids[10], sales::new_uuid(), {{"referrer_customer_id", member}});
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(contract(deal.contract_id)["referrer_customer_id"], member);
    const auto referrals = [&] {
        return ok("GET", "/api/v1/referrals?project_id=" + project_->id, nullptr,
                  "cashier")["items"];
    };
    json referral;
    ASSERT_TRUE(eventually([&] {
        for (const auto& r : referrals()) {
            if (r["contract_id"] == deal.contract_id)
                referral = r;
        }
        return !referral.is_null();
    }));
    const std::int64_t points = deal.price_fen / 100'000;  // one per full ¥1,000
    EXPECT_EQ(referral["status"], "requested");
    EXPECT_EQ(referral["points"], points);
    EXPECT_EQ(referral["referrer_customer_id"], member);
    EXPECT_EQ(referral["price_fen"], deal.price_fen);
    EXPECT_EQ(referral["price_paid_fen"], deal.deposit_fen);

    // RBAC: the rep does not read the points; the finance supervisor does not confirm.
    EXPECT_EQ(stack_
                  ->call("gateway", "GET", "/api/v1/referrals?project_id=" + project_->id, nullptr,
                         Stack::auth("sales_rep"))
                  .status,
              403);
    const auto confirm_path = "/api/v1/referrals/" + deal.contract_id + "/confirm";
    EXPECT_EQ(stack_
                  ->call("gateway", "POST", confirm_path, json{{"note", "x"}},
                         Stack::auth("finance_supervisor"))
                  .status,
              403);
    const auto confirmed = ok("POST", confirm_path, {{"note", "申请书原件已收"}}, "cashier");
    EXPECT_EQ(confirmed["status"], "confirmed");
    EXPECT_EQ(confirmed["confirmed_by"], "user-cashier");
    EXPECT_EQ(stack_->call("gateway", "POST", confirm_path, json::object(), Stack::auth("cashier"))
                  .status,
              409);

    // One fen short of 80%: confirmed, nothing credited.
    const std::int64_t eighty = (deal.price_fen * 80 + 99) / 100;  // the least paid ≥ 80%
    ASSERT_EQ(pay({{"contract_id", deal.contract_id}}, "instalment", eighty - deal.deposit_fen - 1)
                  .status,
              201);
    const auto points_path =
        "/api/v1/referral-points?project_id=" + project_->id + "&referrer_customer_id=" + member;
    auto mine = ok("GET", points_path, nullptr, "finance_supervisor");
    EXPECT_EQ(mine["balance_points"], 0);
    EXPECT_EQ(mine["pending_points"], points);
    EXPECT_EQ(finance_events("finance.referral_points.credited", "contract_id", deal.contract_id),
              0);

    // The fen that makes 80%: credited once.
    ASSERT_EQ(pay({{"contract_id", deal.contract_id}}, "instalment", 1).status, 201);
    mine = ok("GET", points_path, nullptr, "finance_supervisor");
    EXPECT_EQ(mine["balance_points"], points);
    EXPECT_EQ(mine["credited_points"], points);
    EXPECT_EQ(mine["pending_points"], 0);
    ASSERT_EQ(mine["entries"].size(), 1u);
    EXPECT_EQ(mine["entries"][0]["kind"], "credit");
    EXPECT_EQ(mine["entries"][0]["contract_id"], deal.contract_id);
    EXPECT_EQ(finance_events("finance.referral_points.credited", "contract_id", deal.contract_id),
              1);
    for (const auto& r : referrals()) {
        if (r["contract_id"] == deal.contract_id) {
            EXPECT_EQ(r["status"], "redeemable");
        }
    }

    // Redemption against a 兑换单: within the balance, the voucher number once per project.
    const json redemption = {{"project_id", project_->id},
                             {"referrer_customer_id", member},
                             {"points", points},
                             {"voucher_no", "DH-" + deal.contract_id.substr(0, 8)}};
    json too_much = redemption;
    too_much["points"] = points + 1;
    const auto refused = stack_->call("gateway", "POST", "/api/v1/referral-points/redemptions",
                                      too_much, Stack::auth("finance_supervisor"));
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "insufficient_points");
    EXPECT_EQ(stack_
                  ->call("gateway", "POST", "/api/v1/referral-points/redemptions", redemption,
                         Stack::auth("cashier"))
                  .status,
              403);
    const auto redeemed =
        ok("POST", "/api/v1/referral-points/redemptions", redemption, "finance_supervisor", 201);
    EXPECT_EQ(redeemed["points"], -points);
    EXPECT_EQ(redeemed["balance_points"], 0);
    json again = redemption;
    again["points"] = 1;
    const auto duplicate = stack_->call("gateway", "POST", "/api/v1/referral-points/redemptions",
                                        again, Stack::auth("finance_supervisor"));
    EXPECT_EQ(duplicate.status, 409) << duplicate.body;
    mine = ok("GET", points_path, nullptr, "cashier");
    EXPECT_EQ(mine["redeemed_points"], points);
    EXPECT_EQ(mine["balance_points"], 0);
    EXPECT_EQ(mine["entries"].size(), 2u);

    // A wrong redemption is reversed (红冲) once, with a reason; a credit is not.
    const auto reverse = [&](const std::string& entry_id) {
        return stack_->call("gateway", "POST",
                            "/api/v1/referral-points/entries/" + entry_id + "/reverse",
                            {{"reason", "兑换单填错会员"}}, Stack::auth("finance_supervisor"));
    };
    const auto reversal = reverse(redeemed["id"]);
    ASSERT_EQ(reversal.status, 201) << reversal.body;
    EXPECT_EQ(json::parse(reversal.body)["points"], points);
    EXPECT_EQ(json::parse(reversal.body)["balance_points"], points);
    sales::test::expect_error(reverse(redeemed["id"]), 409, "already_reversed");
    sales::test::expect_error(reverse(mine["entries"][0]["id"]), 409, "invalid_transition");
    mine = ok("GET", points_path, nullptr, "finance_supervisor");
    EXPECT_EQ(mine["balance_points"], points);
    ASSERT_EQ(mine["entries"].size(), 3u);
    EXPECT_EQ(mine["entries"][1]["reversed_by_entry_id"], json::parse(reversal.body)["id"]);
    EXPECT_EQ(mine["entries"][2]["kind"], "reversal");
}

}  // namespace
