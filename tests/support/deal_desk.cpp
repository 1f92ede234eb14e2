#include "deal_desk.hpp"

#include <gtest/gtest.h>

#include "sales/ids.hpp"

namespace sales::test {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;
const char* const kAuditRoles[] = {"sales_supervisor", "sales_manager", "finance_supervisor",
                                   "finance_director"};
}  // namespace

std::string DealDesk::new_customer_id() {
    return new_uuid();
}

json DealDesk::ok(const std::string& method, const std::string& path, const json& body,
                  const std::string& role, int status) {
    return stack_.ok("gateway", method, path, body, role, status);
}

http::ClientResponse DealDesk::pay(const json& target, const std::string& category,
                                   std::int64_t amount_fen, const json& extra) {
    json body = target;
    body.update({{"category", category},
                 {"method", "transfer"},
                 {"payer", "王先生"},
                 {"amount_fen", amount_fen},
                 {"receipt_no", "R-" + new_uuid().substr(0, 12)}});
    body.update(extra);
    return stack_.call("gateway", "POST", "/api/v1/payments", body, Stack::auth("cashier"));
}

DealDesk::Deal DealDesk::confirmed_subscription(const std::string& unit_id,
                                                const std::string& customer_id) {
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
    deal.subscription_id = sub.value("id", "");
    deal.price_fen = sub.value("price_fen", std::int64_t{0});
    deal.project_id = sub.value("project_id", "");
    http::ClientResponse deposit;
    // Finance learns of the subscription from contract.subscription.created: 404 until then.
    EXPECT_TRUE(eventually([&] {
        deposit = pay({{"subscription_id", deal.subscription_id}}, "deposit", deal.deposit_fen);
        return deposit.status != 404;
    })) << deposit.body;
    EXPECT_EQ(deposit.status, 201) << deposit.body;
    EXPECT_TRUE(eventually([&] {
        return ok("GET", "/api/v1/subscriptions/" + deal.subscription_id, nullptr,
                  "sales_rep")["status"] == "confirmed";
    })) << "the deposit never confirmed subscription "
        << deal.subscription_id;
    return deal;
}

DealDesk::Deal DealDesk::stamped_deal(const std::string& unit_id, const std::string& customer_id) {
    auto deal = confirmed_subscription(unit_id, customer_id);
    deal.contract_id = ok("POST", "/api/v1/subscriptions/" + deal.subscription_id + "/sign",
                          {{"plan", {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}}}},
                          "sales_rep", 201)
                           .value("id", "");
    for (const char* role : kAuditRoles) {
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/audit/approve",
           {{"note", std::string("审核通过 ") + role}}, role);
    }
    ok("POST", "/api/v1/contracts/" + deal.contract_id + "/stamp",
       {{"stamped_on", Stack::date_in_days(0)}, {"stamp_no", "STAMP-" + deal.contract_id}}, "gm");
    EXPECT_TRUE(eventually([&] {
        return stack_
                   .call("gateway", "GET", "/api/v1/contracts/" + deal.contract_id + "/balance",
                         nullptr, Stack::auth("cashier"))
                   .status == 200;
    })) << "finance never built the schedule of "
        << deal.contract_id;
    return deal;
}

std::string DealDesk::pay_instalment(const Deal& deal, std::int64_t amount_fen) {
    const auto paid = pay({{"contract_id", deal.contract_id}}, "instalment", amount_fen);
    EXPECT_EQ(paid.status, 201) << paid.body;
    return paid.status == 201 ? paid.json().value("id", "") : "";
}

void DealDesk::reverse(const std::string& entry_id, const std::string& reason) {
    ok("POST", "/api/v1/entries/" + entry_id + "/reverse", {{"reason", reason}}, "cashier", 201);
}

void DealDesk::cancel(const Deal& deal, std::int64_t refund_fen, const std::string& reason) {
    ok("POST", "/api/v1/contracts/" + deal.contract_id + "/cancellation",
       {{"refund_fen", refund_fen}, {"reason", reason}}, "sales_control");
    ok("POST", "/api/v1/contracts/" + deal.contract_id + "/cancellation/approve",
       {{"note", "同意退款"}}, "finance_director");
    // Finance holds the director's approval (from contract.cancellation.approved).
    std::string approval_id;
    json approvals;
    EXPECT_TRUE(eventually([&] {
        approvals =
            ok("GET", "/api/v1/refund-approvals?unpaid_only=true&project_id=" + deal.project_id,
               nullptr, "cashier")["items"];
        for (const auto& a : approvals) {
            if (a["contract_id"] == json(deal.contract_id))
                approval_id = a["id"].get<std::string>();
        }
        return !approval_id.empty();
    })) << "finance never received the approval of "
        << deal.contract_id << ": " << approvals;
    const auto refund = pay({{"contract_id", deal.contract_id}}, "refund", refund_fen,
                            {{"approval_ref", approval_id}});
    EXPECT_EQ(refund.status, 201) << refund.body;
    EXPECT_TRUE(eventually([&] {
        return ok("GET", "/api/v1/contracts/" + deal.contract_id, nullptr,
                  "sales_manager")["status"] == "cancelled";
    })) << "contract "
        << deal.contract_id << " never cancelled";
}

void DealDesk::swap(Deal& deal, const std::string& new_unit_id, const std::string& reason) {
    const auto swapped = ok("POST", "/api/v1/subscriptions/" + deal.subscription_id + "/swap",
                            {{"new_unit_id", new_unit_id}, {"reason", reason}}, "sales_supervisor");
    deal.unit_id = new_unit_id;
    deal.price_fen = swapped.value("price_fen", deal.price_fen);
}

void DealDesk::change_unit(Deal& deal, const std::string& new_unit_id, const std::string& reason) {
    const auto amendment =
        ok("POST", "/api/v1/contracts/" + deal.contract_id + "/amendments",
           {{"new_unit_id", new_unit_id}, {"reason", reason}}, "sales_supervisor", 201);
    const std::string amendment_id = amendment.value("id", "");
    for (const char* role : kAuditRoles) {
        ok("POST", "/api/v1/amendments/" + amendment_id + "/audit/approve",
           {{"note", std::string("同意换房 ") + role}}, role);
    }
    deal.unit_id = new_unit_id;
    deal.price_fen = amendment["new_terms"].value("price_fen", deal.price_fen);
    EXPECT_TRUE(eventually(
        [&] {
            return ok("GET", "/api/v1/units/" + new_unit_id, nullptr, "sales_rep")["status"] ==
                   "signed";
        },
        20s, 250ms))
        << "inventory never sold unit " << new_unit_id;
}

}  // namespace sales::test
