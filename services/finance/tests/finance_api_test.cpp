// The finance service end to end: the real service with a real PostgreSQL and a private
// nats-server. Contract is stood in for by publishing its events (contract.subscription.created,
// contract.signed) into the CONTRACT stream, as it would. After every test the ledger is checked
// against the balances: for every contract, the sum of its ledger entries equals the paid amount
// of GET /contracts/{id}/balance, and every ledger fen is either in a contract's balance or on a
// subscription without a contract.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "sales/bus.hpp"
#include "sales/calendar.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "sales/sheet.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::eventually;
using sales::test::expect_error;
using sales::test::Stack;

std::string day_offset(int days) {
    return Stack::date_in_days(days);
}

class FinanceApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("fin_api", {"finance"},
                           {{"SALES_FINANCE_IO_THREADS", "4"},
                            {"SALES_FINANCE_ACK_WAIT", "2s"},
                            {"SALES_FINANCE_NAK_DELAY", "100ms"},
                            {"SALES_FINANCE_DUNNING_INTERVAL", "200ms"}});
    }
    static void TearDownTestSuite() {
        delete stack_;
        stack_ = nullptr;
    }
    void TearDown() override {
        expect_ledger_equals_balances();
        if (HasFailure())
            std::cerr << "---- finance log ----\n" << stack_->log("finance") << "\n";
    }

    // ---- the money invariant, checked in every test --------------------------------------
    void expect_ledger_equals_balances() {
        const auto contracts = stack_->db("finance").transaction([](sales::db::Tx& tx) {
            std::vector<std::pair<std::string, std::int64_t>> out;
            for (const auto& r : tx.exec(
                     "SELECT c.contract_id::text AS id, coalesce((SELECT sum(e.amount_fen) FROM "
                     "ledger_entries e WHERE e.contract_id = c.contract_id OR (e.contract_id IS "
                     "NULL AND e.subscription_id = c.subscription_id)), 0) AS ledger FROM "
                     "contracts c ORDER BY c.contract_id"))
                out.emplace_back(r.text("id"), r.int64("ledger"));
            return out;
        });
        std::int64_t in_balances = 0;
        for (const auto& [id, ledger] : contracts) {
            const auto b = balance(id);
            ASSERT_EQ(b.value("paid_fen", std::int64_t{-1}), ledger) << "contract " << id;
            in_balances += ledger;
        }
        const auto all = rows("ledger_entries", "true", {}, "coalesce(sum(amount_fen), 0)");
        const auto unattributed = rows("ledger_entries e",
                                       "e.contract_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
                                       "contracts c WHERE c.subscription_id = e.subscription_id)",
                                       {}, "coalesce(sum(amount_fen), 0)");
        EXPECT_EQ(all, in_balances + unattributed) << "ledger fen not in any balance";
    }

    // ---- helpers ---------------------------------------------------------------------------
    static sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                            const std::string& role, const std::string& body = "") {
        return stack_->http("finance").request(method, path, body, Stack::auth(role));
    }
    static json balance(const std::string& contract_id, const std::string& as_of = "") {
        const auto r = call("GET",
                            "/api/v1/contracts/" + contract_id + "/balance" +
                                (as_of.empty() ? "" : "?as_of=" + as_of),
                            "finance_director");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.json() : json::object();
    }
    // `what` (count(*) unless given) over the rows of `table` matching `where`.
    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {},
                             const std::string& what = "count(*)") {
        return stack_->count("finance", "SELECT " + what + " FROM " + table + " WHERE " + where,
                             params);
    }
    static std::map<std::string, std::int64_t> counts() {
        return stack_->row_counts("finance",
                                  {"ledger_entries", "outbox", "refund_approvals", "contracts"});
    }
    static std::int64_t events(const std::string& type, const std::string& field,
                               const std::string& value) {
        return rows("outbox", "subject = $1 AND (payload::jsonb -> 'data' ->> $2) = $3",
                    {type, field, value});
    }
    // Returns once the CONTRACT stream has stored the event.
    static void publish(const sales::bus::Event& event) { stack_->publish(event); }
    static std::string subscription(const std::string& project_id) {
        const auto id = sales::new_uuid();
        publish(sales::bus::make_event("contract", "contract.subscription.created", id, 1,
                                       {{"subscription_id", id},
                                        {"project_id", project_id},
                                        {"unit_id", sales::new_uuid()},
                                        {"customer_id", sales::new_uuid()},
                                        {"rep_id", "u-rep-1"},
                                        {"status", "pending_deposit"},
                                        {"price_fen", 1'000'000},
                                        {"deposit_fen", 50'000},
                                        {"version", 1}}));
        EXPECT_TRUE(eventually([&] {
            return rows("subscriptions", "subscription_id = $1::uuid", {id}) == 1;
        })) << "subscription not learned";
        return id;
    }
    static sales::bus::Event signed_event(const std::string& contract_id,
                                          const std::string& subscription_id,
                                          const std::string& project_id, std::int64_t price,
                                          std::int64_t deposit, const json& plan,
                                          std::int64_t bp = 5) {
        return sales::bus::make_event(
            "contract", "contract.signed", contract_id, 1,
            {{"contract_id", contract_id},
             {"contract_no", "2026-HX01-" + contract_id.substr(0, 6)},
             {"subscription_id", subscription_id},
             {"project_id", project_id},
             {"unit_id", sales::new_uuid()},
             {"customer_id", sales::new_uuid()},
             {"rep_id", "u-rep-1"},
             {"signed_at", sales::to_rfc3339(std::chrono::system_clock::now())},
             {"list_total_fen", price},
             {"discount_fen", 0},
             {"price_fen", price},
             {"deposit_paid_fen", deposit},
             {"penalty_bp_per_day", bp},
             {"payment_plan", plan["kind"]},
             {"plan", plan},
             {"version", 1}});
    }
    // Publishes contract.signed and waits for the schedule.
    static std::string sign(const std::string& subscription_id, const std::string& project_id,
                            std::int64_t price, std::int64_t deposit, const json& plan,
                            std::int64_t bp = 5) {
        const auto contract_id = sales::new_uuid();
        publish(signed_event(contract_id, subscription_id, project_id, price, deposit, plan, bp));
        EXPECT_TRUE(eventually([&] {
            return rows("contracts", "contract_id = $1::uuid", {contract_id}) == 1;
        })) << "schedule not built";
        return contract_id;
    }
    static std::string receipt() {
        static std::atomic<int> n{0};
        return "R" + sales::new_uuid().substr(0, 8) + "-" + std::to_string(++n);
    }
    static sales::http::ClientResponse pay(const json& target, const std::string& category,
                                           std::int64_t amount, const std::string& receipt_no,
                                           json extra = json::object()) {
        json body = target;
        body["category"] = category;
        body["method"] = "transfer";
        body["payer"] = "王先生";
        body["amount_fen"] = amount;
        body["receipt_no"] = receipt_no;
        body.update(extra);
        return call("POST", "/api/v1/payments", "cashier", body.dump());
    }
    static json paid(const json& target, const std::string& category, std::int64_t amount) {
        const auto r = pay(target, category, amount, receipt());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json() : json::object();
    }
    static json one_off(const std::string& due) { return {{"kind", "one_off"}, {"due_date", due}}; }

    static sales::bus::Event contract_event(const std::string& type, const std::string& subject,
                                            std::int64_t sequence, const json& data) {
        return sales::bus::make_event("contract", type, subject, sequence, data);
    }
    // The schedule as "kind amount" in order, e.g. "one_off 100000, fee 2000".
    static std::string schedule_amounts(const std::string& contract) {
        std::string out;
        const auto b = balance(contract);
        for (const auto& item : b["items"]) {
            out += (out.empty() ? "" : ", ") + item["kind"].get<std::string>() + " " +
                   std::to_string(item["amount_fen"].get<std::int64_t>());
        }
        return out;
    }

    static inline Stack* stack_ = nullptr;
};

// FIN-2: a deposit against a subscription is a ledger entry and emits finance.deposit.received
// (published to the FINANCE stream: the relay marks it sent after the JetStream ack).
TEST_F(FinanceApi, DepositAgainstSubscriptionEmitsDepositReceivedFin2) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    const auto r = pay({{"subscription_id", sub}}, "deposit", 50'000, "D-0001");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto entry = r.json();
    EXPECT_EQ(entry["amount_fen"], 50'000);
    EXPECT_EQ(entry["project_id"], project);
    EXPECT_EQ(entry["category"], "deposit");
    EXPECT_TRUE(entry["contract_id"].is_null());
    ASSERT_EQ(events("finance.deposit.received", "subscription_id", sub), 1);
    const auto payload = stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        return json::parse(tx.exec_one("SELECT payload FROM outbox WHERE subject = "
                                       "'finance.deposit.received' AND (payload::jsonb -> 'data' "
                                       "->> 'subscription_id') = $1",
                                       {sub})
                               .text(0));
    });
    EXPECT_EQ(payload["data"]["amount_fen"], 50'000);
    EXPECT_EQ(payload["data"]["receipt_no"], "D-0001");
    EXPECT_EQ(payload["data"]["project_id"], project);
    EXPECT_EQ(payload["data"]["entry_id"], entry["id"]);
    EXPECT_TRUE(sales::is_rfc3339(payload["data"]["paid_at"].get<std::string>()));
    // CON-1 judges the deposit deadline by paid_at: it is the database's clock when finance
    // records the money (the row's recorded_at, to the millisecond), never a client's time.
    EXPECT_EQ(stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        return tx
            .exec_one(
                "SELECT count(*) FROM ledger_entries WHERE id = $1::uuid AND "
                "abs(extract(epoch FROM paid_at - recorded_at)) < 0.001",
                {entry["id"].get<std::string>()})
            .int64(0);
    }),
              1);
    expect_error(pay({{"subscription_id", sub}}, "deposit", 50'000, "D-0002",
                     {{"paid_at", sales::to_rfc3339(std::chrono::system_clock::now() - 1h)}}),
                 422, "paid_at_not_accepted");
    EXPECT_EQ(payload["source"], "/sales/finance");
    EXPECT_EQ(events("finance.payment.recorded", "entry_id", entry["id"]), 1);
    EXPECT_TRUE(eventually([&] {
        return rows("outbox",
                    "subject = 'finance.deposit.received' AND sent_at IS NOT NULL AND "
                    "(payload::jsonb -> 'data' ->> 'subscription_id') = $1",
                    {sub}) == 1;
    })) << "deposit.received not published to the FINANCE stream";

    // Unknown subscription: 404, nothing written.
    const auto before = counts();
    expect_error(pay({{"subscription_id", sales::new_uuid()}}, "deposit", 50'000, receipt()), 404,
                 "subscription_not_found");
    EXPECT_EQ(counts(), before);
}

// FIN-1: each plan becomes a schedule in due-date order; the ledger's deposit is credited to
// the first item(s); the balance counts the deposit as paid.
TEST_F(FinanceApi, SignedBuildsOneScheduleForEachPlanCreditingTheDepositFin1) {
    const auto project = sales::new_uuid();
    // Instalments, given out of order; deposit 150,000 > the first instalment.
    const auto sub = subscription(project);
    paid({{"subscription_id", sub}}, "deposit", 150'000);
    const json plan = {{"kind", "instalments"},
                       {"instalments",
                        {{{"due_date", day_offset(60)}, {"amount_fen", 500'000}},
                         {{"due_date", day_offset(10)}, {"amount_fen", 100'000}},
                         {{"due_date", day_offset(30)}, {"amount_fen", 400'000}}}}};
    const auto contract = sign(sub, project, 1'000'000, 150'000, plan);
    auto b = balance(contract);
    ASSERT_EQ(b["items"].size(), 3u);
    EXPECT_EQ(b["items"][0]["due_date"], day_offset(10));
    EXPECT_EQ(b["items"][0]["credited_fen"], 100'000);
    EXPECT_EQ(b["items"][1]["credited_fen"], 50'000);
    EXPECT_EQ(b["items"][2]["credited_fen"], 0);
    EXPECT_EQ(b["items"][1]["paid_fen"], 50'000);
    EXPECT_EQ(b["total_fen"], 1'000'000);
    EXPECT_EQ(b["paid_fen"], 150'000);
    EXPECT_EQ(b["balance_fen"], 850'000);
    EXPECT_EQ(b["cleared"], false);
    EXPECT_EQ(events("finance.schedule.created", "contract_id", contract), 1);

    // The same contract.signed again (another event id): still one schedule.
    publish(signed_event(contract, sub, project, 1'000'000, 150'000, plan));
    const auto marker = sign(subscription(project), project, 1'000, 0, one_off(day_offset(5)));
    EXPECT_EQ(rows("schedule_items", "contract_id = $1::uuid", {contract}), 3);
    EXPECT_EQ(events("finance.schedule.created", "contract_id", contract), 1);
    EXPECT_EQ(rows("schedule_items", "contract_id = $1::uuid", {marker}), 1);

    // Mortgage: down payment + loan.
    const auto sub2 = subscription(project);
    const auto mortgage = sign(sub2, project, 1'000'000, 0,
                               {{"kind", "mortgage"},
                                {"down_payment_fen", 300'000},
                                {"down_payment_due_date", day_offset(7)},
                                {"loan_fen", 700'000},
                                {"loan_expected_date", day_offset(90)}});
    b = balance(mortgage);
    ASSERT_EQ(b["items"].size(), 2u);
    EXPECT_EQ(b["items"][0]["kind"], "down_payment");
    EXPECT_EQ(b["items"][1]["kind"], "loan");
    EXPECT_EQ(b["items"][1]["amount_fen"], 700'000);

    // A plan that does not add up is dead-lettered; no schedule.
    const auto bad = sales::new_uuid();
    const auto bad_event = signed_event(bad, subscription(project), project, 1'000'000, 0,
                                        {{"kind", "mortgage"},
                                         {"down_payment_fen", 300'000},
                                         {"down_payment_due_date", day_offset(7)},
                                         {"loan_fen", 600'000},
                                         {"loan_expected_date", day_offset(90)}});
    publish(bad_event);
    EXPECT_TRUE(
        eventually([&] { return rows("dead_letter", "event_id = $1", {bad_event.id}) == 1; }));
    EXPECT_EQ(rows("contracts", "contract_id = $1::uuid", {bad}), 0);
}

// FIN-7: paying everything due clears the contract once; a reversal (FIN-3) re-opens it once;
// a reversal is never reversed and an entry is reversed once.
TEST_F(FinanceApi, PayAllClearsOnceAndReversalUnclearsOnceFin7Fin3) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    paid({{"subscription_id", sub}}, "deposit", 100'000);
    const auto contract = sign(sub, project, 1'000'000, 100'000, one_off(day_offset(3)));
    const json target = {{"contract_id", contract}};
    paid(target, "instalment", 400'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 0);
    const auto last = paid(target, "instalment", 500'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);
    auto b = balance(contract);
    EXPECT_EQ(b["cleared"], true);
    EXPECT_EQ(b["balance_fen"], 0);
    // A further receipt (a fee) changes nothing about clearance: still one event.
    paid(target, "fee", 2'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);

    // 红冲 the last instalment: one uncleared, with the re-opened balance.
    auto r = call("POST", "/api/v1/entries/" + last["id"].get<std::string>() + "/reverse",
                  "cashier", json{{"reason", "录入金额错误"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto reversal = r.json();
    EXPECT_EQ(reversal["amount_fen"], -500'000);
    EXPECT_EQ(reversal["category"], "reversal");
    EXPECT_EQ(reversal["reverses_entry_id"], last["id"]);
    EXPECT_EQ(events("finance.contract.uncleared", "contract_id", contract), 1);
    EXPECT_EQ(events("finance.entry.reversed", "reverses_entry_id", last["id"]), 1);
    b = balance(contract);
    EXPECT_EQ(b["cleared"], false);
    EXPECT_EQ(b["balance_fen"], 498'000);

    // Once only; never the reversal itself; nothing written by either refusal.
    const auto before = counts();
    expect_error(call("POST", "/api/v1/entries/" + last["id"].get<std::string>() + "/reverse",
                      "cashier", json{{"reason", "again"}}.dump()),
                 409, "already_reversed");
    expect_error(call("POST", "/api/v1/entries/" + reversal["id"].get<std::string>() + "/reverse",
                      "cashier", json{{"reason", "undo"}}.dump()),
                 409, "cannot_reverse_reversal");
    EXPECT_EQ(counts(), before);
    // The original stays in the ledger, marked as reversed (FIN-3: nothing is deleted).
    r = call("GET", "/api/v1/entries/" + last["id"].get<std::string>(), "cashier");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["reversed_by"], reversal["id"]);
    EXPECT_EQ(r.json()["amount_fen"], 500'000);

    // Re-entered correctly → cleared again: one event per state change.
    paid(target, "instalment", 498'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 2);
    EXPECT_EQ(events("finance.contract.uncleared", "contract_id", contract), 1);

    // FIN-3 at the database: ledger rows cannot be updated or deleted.
    EXPECT_THROW(stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        tx.exec("UPDATE ledger_entries SET amount_fen = 1 WHERE id = $1::uuid",
                {last["id"].get<std::string>()});
    }),
                 sales::db::Error);
}

// FIN-5 / CON-9: the late-payment penalty accrues per day at the contract's rate and must be
// paid before the contract clears.
TEST_F(FinanceApi, PenaltyAccruesAndMustBePaidBeforeClearanceFin5) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    // Due 10 days ago, 5 bp/day of 1,000,000 = 500 fen a day.
    const auto contract = sign(sub, project, 1'000'000, 0, one_off(day_offset(-10)), 5);
    auto b = balance(contract);
    EXPECT_EQ(b["overdue_fen"], 1'000'000);
    EXPECT_EQ(b["penalty_fen"], 10 * 500);
    EXPECT_EQ(b["items"][0]["overdue_days"], 10);
    EXPECT_EQ(balance(contract, day_offset(-10))["penalty_fen"], 0);  // due date: not late
    EXPECT_EQ(balance(contract, day_offset(-9))["penalty_fen"], 500);

    // Paid today: accrual stopped today (days −9..−1 were late).
    paid({{"contract_id", contract}}, "instalment", 1'000'000);
    b = balance(contract);
    EXPECT_EQ(b["penalty_fen"], 9 * 500);
    EXPECT_EQ(b["overdue_fen"], 0);
    EXPECT_EQ(b["cleared"], false);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 0);
    EXPECT_EQ(balance(contract, day_offset(30))["penalty_fen"], 9 * 500);  // no further accrual
    paid({{"contract_id", contract}}, "penalty", 9 * 500);
    EXPECT_EQ(balance(contract)["cleared"], true);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);
}

// FIN-2: a receipt number is unique per project; a duplicate is 409 and writes nothing. The same
// number in another project is fine.
TEST_F(FinanceApi, DuplicateReceiptIs409AndWritesNothingFin2) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    const auto contract = sign(sub, project, 1'000'000, 0, one_off(day_offset(3)));
    const auto no = receipt();
    ASSERT_EQ(pay({{"contract_id", contract}}, "instalment", 1'000, no).status, 201);
    const auto before = counts();
    expect_error(pay({{"contract_id", contract}}, "instalment", 1'000, no), 409,
                 "duplicate_receipt");
    expect_error(pay({{"subscription_id", sub}}, "deposit", 1'000, no), 409, "duplicate_receipt");
    EXPECT_EQ(counts(), before);
    const auto other = sales::new_uuid();
    EXPECT_EQ(pay({{"subscription_id", subscription(other)}}, "deposit", 1'000, no).status, 201);

    // Racing cashiers: the same new receipt number, and the same reversal, at once. The database
    // decides (unique index): one succeeds, every other answers 409 with the rule's code.
    // (Deposits on different subscriptions of one project: no row lock orders them.)
    constexpr int kRacers = 6;
    const auto race = [](const std::function<sales::http::ClientResponse(int)>& request,
                         const std::string& code) {
        std::vector<sales::http::ClientResponse> responses(kRacers);
        std::vector<std::thread> racers;
        for (int i = 0; i < kRacers; ++i)
            racers.emplace_back([&, i] { responses[i] = request(i); });
        for (auto& t : racers)
            t.join();
        int created = 0;
        for (const auto& r : responses) {
            if (r.status == 201)
                ++created;
            else
                expect_error(r, 409, code);
        }
        EXPECT_EQ(created, 1);
    };
    const auto raced = receipt();
    std::vector<std::string> subscriptions;
    for (int i = 0; i < kRacers; ++i)
        subscriptions.push_back(subscription(project));
    race(
        [&](int i) {
            return pay({{"subscription_id", subscriptions[i]}}, "deposit", 1'000, raced);
        },
        "duplicate_receipt");
    const auto entry = paid({{"contract_id", contract}}, "instalment", 2'000);
    race(
        [&](int) {
            return call("POST", "/api/v1/entries/" + entry["id"].get<std::string>() + "/reverse",
                        "cashier", json{{"reason", "重复录入"}}.dump());
        },
        "already_reversed");
}

// Bad input answers 4xx with the error envelope and writes nothing; never 500.
TEST_F(FinanceApi, BadInputIs4xxAndWritesNothing) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    const auto contract = sign(sub, project, 1'000'000, 0, one_off(day_offset(3)));
    const json target = {{"contract_id", contract}};
    const auto before = counts();
    const auto post = [](const std::string& body, const std::string& role = "cashier") {
        return call("POST", "/api/v1/payments", role, body);
    };
    expect_error(post("{not json"), 400, "invalid_json");
    expect_error(pay(target, "instalment", 1'000, receipt(), {{"colour", "red"}}), 400,
                 "validation_failed");
    expect_error(pay(target, "instalment", 0, receipt()), 400, "validation_failed");
    expect_error(pay(target, "instalment", -5, receipt()), 400, "validation_failed");
    expect_error(pay(target, "instalment", 1, receipt(), {{"amount_fen", 10.5}}), 400,
                 "validation_failed");
    expect_error(pay(target, "instalment", 1, receipt(), {{"amount_fen", "100"}}), 400,
                 "validation_failed");
    expect_error(pay(target, "gift", 1'000, receipt()), 400, "validation_failed");
    expect_error(pay(target, "reversal", 1'000, receipt()), 400, "validation_failed");
    expect_error(pay(target, "instalment", 1'000, receipt(), {{"method", "bitcoin"}}), 400,
                 "validation_failed");
    expect_error(pay(target, "instalment", 1'000, ""), 400, "validation_failed");
    expect_error(pay(json::object(), "instalment", 1'000, receipt()), 400, "validation_failed");
    expect_error(
        pay({{"contract_id", contract}, {"subscription_id", sub}}, "instalment", 1'000, receipt()),
        400, "validation_failed");
    expect_error(pay({{"contract_id", "not-a-uuid"}}, "instalment", 1'000, receipt()), 400,
                 "validation_failed");
    expect_error(pay(target, "instalment", 1'000, receipt(), {{"paid_at", "yesterday"}}), 400,
                 "validation_failed");
    expect_error(pay(target, "instalment", 1'000, receipt(),
                     {{"paid_at", sales::to_rfc3339(std::chrono::system_clock::now() - 72h)}}),
                 422, "late_entry");
    expect_error(pay(target, "deposit", 1'000, receipt()), 422, "deposit_needs_subscription");
    expect_error(pay({{"subscription_id", sub}}, "instalment", 1'000, receipt()), 422,
                 "payment_needs_contract");
    expect_error(pay(target, "refund", 1'000, receipt()), 422, "refund_needs_approval");
    expect_error(pay(target, "refund", 1'000, receipt(), {{"approval_ref", sales::new_uuid()}}),
                 404, "approval_not_found");
    expect_error(pay({{"contract_id", sales::new_uuid()}}, "instalment", 1'000, receipt()), 404,
                 "contract_not_found");
    expect_error(post(json{{"contract_id", contract},
                           {"category", "instalment"},
                           {"method", "cash"},
                           {"payer", "x"},
                           {"amount_fen", 1},
                           {"receipt_no", receipt()}}
                          .dump(),
                      "sales_rep"),
                 403, "forbidden");
    expect_error(call("POST", "/api/v1/entries/" + sales::new_uuid() + "/reverse", "cashier",
                      json{{"reason", "x"}}.dump()),
                 404, "entry_not_found");
    expect_error(call("POST", "/api/v1/entries/" + sales::new_uuid() + "/reverse", "cashier",
                      json::object().dump()),
                 400, "validation_failed");
    expect_error(call("GET", "/api/v1/reports/receipts?project_id=" + project + "&from=2026-13-01",
                      "finance_director"),
                 400, "validation_failed");
    expect_error(call("GET", "/api/v1/reports/arrears?project_id=x", "finance_director"), 400,
                 "validation_failed");
    expect_error(call("GET", "/api/v1/contracts/" + contract + "/balance?as_of=soon", "cashier"),
                 400, "validation_failed");
    expect_error(call("GET", "/api/v1/entries?limit=0", "cashier"), 400, "validation_failed");
    EXPECT_EQ(counts(), before);
}

// FIN-4: a refund needs the finance director's approval; the cashier records it against the
// approval; it cannot exceed the approval or what was paid; it re-opens a cleared contract.
TEST_F(FinanceApi, RefundNeedsDirectorApprovalAndReopensClearanceFin4) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    const auto contract = sign(sub, project, 100'000, 0, one_off(day_offset(1)));
    const json target = {{"contract_id", contract}};
    paid(target, "instalment", 120'000);  // overpaid by 20,000
    ASSERT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);
    const json approval_body = {
        {"contract_id", contract}, {"amount_fen", 30'000}, {"reason", "多收房款退还"}};
    expect_error(call("POST", "/api/v1/refund-approvals", "cashier", approval_body.dump()), 403,
                 "forbidden");
    auto r = call("POST", "/api/v1/refund-approvals", "finance_director", approval_body.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto approval = r.json()["id"].get<std::string>();

    const auto before = counts();
    expect_error(pay(target, "refund", 30'001, receipt(), {{"approval_ref", approval}}), 422,
                 "refund_exceeds_approval");
    expect_error(
        pay({{"subscription_id", sub}}, "refund", 1'000, receipt(), {{"approval_ref", approval}}),
        422, "approval_mismatch");
    EXPECT_EQ(counts(), before);

    r = pay(target, "refund", 20'000, receipt(), {{"approval_ref", approval}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["amount_fen"], -20'000);
    EXPECT_EQ(balance(contract)["paid_fen"], 100'000);
    EXPECT_EQ(events("finance.contract.uncleared", "contract_id", contract), 0);
    // The rest of the approval re-opens the balance → uncleared once.
    ASSERT_EQ(pay(target, "refund", 10'000, receipt(), {{"approval_ref", approval}}).status, 201);
    EXPECT_EQ(events("finance.contract.uncleared", "contract_id", contract), 1);
    EXPECT_EQ(balance(contract)["balance_fen"], 10'000);
    expect_error(pay(target, "refund", 1, receipt(), {{"approval_ref", approval}}), 422,
                 "refund_exceeds_approval");
}

// ---- After signing: amendments (CON-5), area settlements (CON-10), cancellations (CON-6) ----

TEST_F(FinanceApi, Con5AnApprovedAmendmentRebuildsTheScheduleAndPaidAmountsApplyInOrder) {
    const auto project = sales::new_uuid();
    const auto contract = sign(
        subscription(project), project, 90'000, 0,
        {{"kind", "instalments"},
         {"instalments", json::array({{{"due_date", day_offset(1)}, {"amount_fen", 30'000}},
                                      {{"due_date", day_offset(30)}, {"amount_fen", 30'000}},
                                      {{"due_date", day_offset(60)}, {"amount_fen", 30'000}}})}});
    paid({{"contract_id", contract}}, "instalment", 40'000);
    // A lower price (REG-2 was checked by contract) over two instalments.
    const auto amendment = [&](std::int64_t version, std::int64_t price) {
        return contract_event(
            "contract.amendment.approved", contract, version,
            {{"contract_id", contract},
             {"amendment_id", sales::new_uuid()},
             {"project_id", project},
             {"version", version},
             {"deposit_paid_fen", 0},
             {"terms",
              {{"customer_id", sales::new_uuid()},
               {"list_total_fen", 90'000},
               {"discount_fen", 90'000 - price},
               {"price_fen", price},
               {"payment_plan", "instalments"},
               {"plan",
                {{"kind", "instalments"},
                 {"instalments",
                  json::array({{{"due_date", day_offset(1)}, {"amount_fen", price / 2}},
                               {{"due_date", day_offset(90)}, {"amount_fen", price / 2}}})}}}}}});
    };
    publish(amendment(3, 80'000));
    ASSERT_TRUE(eventually(
        [&] { return events("finance.schedule.changed", "contract_id", contract) == 1; }));
    EXPECT_EQ(schedule_amounts(contract), "instalment 40000, instalment 40000");
    const auto b = balance(contract);
    EXPECT_EQ(b["total_fen"], 80'000);
    EXPECT_EQ(b["paid_fen"], 40'000);  // the 40,000 paid covers the new first instalment
    EXPECT_EQ(b["items"][0]["outstanding_fen"], 0);
    // An older version arriving late changes nothing.
    const auto stale = amendment(2, 60'000);
    publish(stale);
    ASSERT_TRUE(eventually([&] { return rows("inbox", "event_id = $1::uuid", {stale.id}) == 1; }));
    EXPECT_EQ(balance(contract)["total_fen"], 80'000);
    EXPECT_EQ(events("finance.schedule.changed", "contract_id", contract), 1);
    expect_ledger_equals_balances();
}

TEST_F(FinanceApi, Con10WhatTheBuyerPaysForMoreAreaIsOwedAndCountsForClearance) {
    const auto project = sales::new_uuid();
    const auto contract = sign(subscription(project), project, 100'000, 0, one_off(day_offset(1)));
    paid({{"contract_id", contract}}, "instalment", 100'000);
    ASSERT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);
    const auto settlement = sales::new_uuid();
    const auto agreed = contract_event("contract.area_settlement.agreed", settlement, 2,
                                       {{"settlement_id", settlement},
                                        {"contract_id", contract},
                                        {"project_id", project},
                                        {"agreement_no", "BC-" + settlement.substr(0, 8)},
                                        {"agreement_signed_on", day_offset(0)},
                                        {"payment_due_date", day_offset(15)},
                                        {"buyer_pays_fen", 5'000},
                                        {"developer_refunds_fen", 0},
                                        {"settled_price_fen", 105'000},
                                        {"agreed_by", "u-clerk"}});
    publish(agreed);
    publish(agreed);  // a repeat
    ASSERT_TRUE(eventually(
        [&] { return events("finance.contract.uncleared", "contract_id", contract) == 1; }));
    EXPECT_EQ(schedule_amounts(contract), "one_off 100000, area_settlement 5000");
    EXPECT_EQ(rows("receivable_adjustments", "contract_id = $1::uuid", {contract}), 1);
    EXPECT_EQ(events("finance.area_settlement.settled", "settlement_id", settlement), 0);

    paid({{"contract_id", contract}}, "area_settlement", 5'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 2);
    EXPECT_EQ(events("finance.area_settlement.settled", "settlement_id", settlement), 1);
    EXPECT_EQ(rows("outbox",
                   "subject = 'finance.area_settlement.settled' AND payload::jsonb -> 'data' ->> "
                   "'how' = 'received' AND payload::jsonb -> 'data' ->> 'settlement_id' = $1",
                   {settlement}),
              1);
    expect_ledger_equals_balances();
}

TEST_F(FinanceApi, Con10TheDevelopersRefundIsPaidUnderAnApprovalNamingTheSettlement) {
    const auto project = sales::new_uuid();
    const auto agreed = [&](const std::string& contract, const std::string& settlement,
                            std::int64_t refunds) {
        publish(contract_event("contract.area_settlement.agreed", settlement, 2,
                               {{"settlement_id", settlement},
                                {"contract_id", contract},
                                {"project_id", project},
                                {"agreement_no", "BC-" + settlement.substr(0, 8)},
                                {"agreement_signed_on", day_offset(0)},
                                {"payment_due_date", nullptr},
                                {"buyer_pays_fen", 0},
                                {"developer_refunds_fen", refunds},
                                {"settled_price_fen", 100'000 - refunds},
                                {"agreed_by", "u-clerk"}}));
    };
    // Paid in full: 3,000 is paid back.
    const auto paid_up = sign(subscription(project), project, 100'000, 0, one_off(day_offset(1)));
    paid({{"contract_id", paid_up}}, "instalment", 100'000);
    const auto s1 = sales::new_uuid();
    agreed(paid_up, s1, 3'000);
    ASSERT_TRUE(eventually([&] {
        return rows("area_settlements", "settlement_id = $1::uuid AND refund_due_fen = 3000",
                    {s1}) == 1;
    }));
    EXPECT_EQ(balance(paid_up)["balance_fen"], -3'000);  // a credit until it is paid back
    const auto approve = [&](const json& body) {
        return call("POST", "/api/v1/refund-approvals", "finance_director", body.dump());
    };
    const json body = {{"contract_id", paid_up},
                       {"amount_fen", 3'000},
                       {"reason", "面积补差退款"},
                       {"area_settlement_id", s1}};
    auto too_much = body;
    too_much["amount_fen"] = 3'001;
    expect_error(approve(too_much), 422, "refund_exceeds_settlement");
    auto no_contract = body;
    no_contract.erase("contract_id");
    no_contract["subscription_id"] = sales::new_uuid();
    expect_error(approve(no_contract), 400, "validation_failed");
    auto unknown = body;
    unknown["area_settlement_id"] = sales::new_uuid();
    expect_error(approve(unknown), 404, "area_settlement_not_found");
    const auto r = approve(body);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string approval = r.json()["id"];
    EXPECT_EQ(r.json()["area_settlement_id"], s1);
    expect_error(approve({{"contract_id", paid_up},
                          {"amount_fen", 1},
                          {"reason", "x"},
                          {"area_settlement_id", s1}}),
                 422, "refund_exceeds_settlement");  // approved in full already
    const auto unpaid = call(
        "GET", "/api/v1/refund-approvals?project_id=" + project + "&unpaid_only=true", "cashier");
    ASSERT_EQ(unpaid.status, 200) << unpaid.body;
    ASSERT_EQ(unpaid.json()["items"].size(), 1u);
    EXPECT_EQ(unpaid.json()["items"][0]["purpose"], "area_settlement");
    EXPECT_EQ(unpaid.json()["items"][0]["refunded_fen"], 0);
    ASSERT_EQ(
        pay({{"contract_id", paid_up}}, "refund", 3'000, receipt(), {{"approval_ref", approval}})
            .status,
        201);
    EXPECT_EQ(events("finance.area_settlement.settled", "settlement_id", s1), 1);
    EXPECT_EQ(balance(paid_up)["balance_fen"], 0);
    EXPECT_EQ(balance(paid_up)["cleared"], true);

    // Not yet paid in full: the refund only reduces what is owed, settled at once.
    const auto owing = sign(subscription(project), project, 100'000, 0, one_off(day_offset(1)));
    paid({{"contract_id", owing}}, "instalment", 50'000);
    const auto s2 = sales::new_uuid();
    agreed(owing, s2, 3'000);
    ASSERT_TRUE(eventually(
        [&] { return events("finance.area_settlement.settled", "settlement_id", s2) == 1; }));
    EXPECT_EQ(balance(owing)["total_fen"], 97'000);
    EXPECT_EQ(balance(owing)["balance_fen"], 47'000);
    expect_ledger_equals_balances();
}

TEST_F(FinanceApi, Con9HandoverFeesAreReceivablesThatCountForClearance) {
    const auto project = sales::new_uuid();
    const auto contract = sign(subscription(project), project, 100'000, 0, one_off(day_offset(1)));
    paid({{"contract_id", contract}}, "instalment", 100'000);
    ASSERT_EQ(events("finance.contract.cleared", "contract_id", contract), 1);
    const auto path = "/api/v1/contracts/" + contract + "/fees";
    const json fee = {{"kind", "maintenance_fund"},
                      {"amount_fen", 2'000},
                      {"due_date", day_offset(5)},
                      {"note", "按建筑面积计"}};
    const auto before = counts();
    expect_error(call("POST", path, "cashier", fee.dump()), 403, "forbidden");
    auto bad = fee;
    bad["kind"] = "parking";
    expect_error(call("POST", path, "handover_clerk", bad.dump()), 400, "validation_failed");
    bad = fee;
    bad["amount_fen"] = 0;
    expect_error(call("POST", path, "handover_clerk", bad.dump()), 400, "validation_failed");
    expect_error(call("POST", "/api/v1/contracts/" + sales::new_uuid() + "/fees", "handover_clerk",
                      fee.dump()),
                 404, "contract_not_found");
    EXPECT_EQ(counts(), before);

    const auto r = call("POST", path, "handover_clerk", fee.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["label"], "维修基金");
    EXPECT_EQ(r.json()["fee_kind"], "maintenance_fund");
    EXPECT_EQ(events("finance.contract.uncleared", "contract_id", contract), 1);
    EXPECT_EQ(schedule_amounts(contract), "one_off 100000, fee 2000");
    const auto listed = call("GET", path, "cashier");
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.json()["items"].size(), 1u);
    EXPECT_EQ(listed.json()["items"][0]["amount_fen"], 2'000);

    paid({{"contract_id", contract}}, "fee", 2'000);
    EXPECT_EQ(events("finance.contract.cleared", "contract_id", contract), 2);
    expect_ledger_equals_balances();
}

TEST_F(FinanceApi, Con6AnApprovedCancellationIsTheRefundsApprovalAndItsPaymentIsReported) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    const auto contract = sign(sub, project, 100'000, 0, one_off(day_offset(1)));
    paid({{"contract_id", contract}}, "instalment", 30'000);
    const auto request = sales::new_uuid();
    const auto approved = contract_event("contract.cancellation.approved", contract, 7,
                                         {{"contract_id", contract},
                                          {"subscription_id", sub},
                                          {"project_id", project},
                                          {"unit_id", sales::new_uuid()},
                                          {"reason", "客户退房"},
                                          {"refund_fen", 30'000},
                                          {"refund_request_id", request},
                                          {"approved_by", "u-fd"}});
    publish(approved);
    auto again = approved;
    again.id = sales::new_uuid();
    publish(again);  // the same decision under another event id: still one approval
    ASSERT_TRUE(eventually([&] { return rows("inbox", "event_id = $1::uuid", {again.id}) == 1; }));
    ASSERT_EQ(rows("refund_approvals", "source_id = $1::uuid", {request}), 1);
    const auto approval = stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        return tx.exec_one(
            "SELECT id::text, approved_by FROM refund_approvals WHERE source_id = "
            "$1::uuid",
            {request});
    });
    EXPECT_EQ(approval.text(1), "u-fd");  // no second approval by finance
    const auto approval_id = approval.text(0);
    ASSERT_EQ(pay({{"contract_id", contract}}, "refund", 10'000, receipt(),
                  {{"approval_ref", approval_id}})
                  .status,
              201);
    EXPECT_EQ(events("finance.refund.paid", "approval_id", approval_id), 0);  // partly paid
    ASSERT_EQ(pay({{"contract_id", contract}}, "refund", 20'000, receipt(),
                  {{"approval_ref", approval_id}})
                  .status,
              201);
    EXPECT_EQ(events("finance.refund.paid", "approval_id", approval_id), 1);
    EXPECT_EQ(rows("outbox",
                   "subject = 'finance.refund.paid' AND payload::jsonb -> 'data' ->> 'source_id' = "
                   "$1 AND payload::jsonb -> 'data' ->> 'purpose' = 'contract_cancellation'",
                   {request}),
              1);
    publish(contract_event("contract.cancelled", contract, 8,
                           {{"contract_id", contract},
                            {"subscription_id", sub},
                            {"project_id", project},
                            {"unit_id", sales::new_uuid()},
                            {"reason", "客户退房"},
                            {"refund_fen", 30'000}}));
    ASSERT_TRUE(eventually([&] {
        return rows("contracts", "contract_id = $1::uuid AND cancelled_at IS NOT NULL",
                    {contract}) == 1;
    }));
}

// FIN-5: an overdue item is announced once to the owning rep (by event) and closed when paid.
TEST_F(FinanceApi, Fin5AnOverdueItemIsAnnouncedOnceAndClosedWhenPaid) {
    const auto project = sales::new_uuid();
    const auto contract = sign(
        subscription(project), project, 90'000, 0,
        {{"kind", "instalments"},
         {"instalments", json::array({{{"due_date", day_offset(-3)}, {"amount_fen", 30'000}},
                                      {{"due_date", day_offset(30)}, {"amount_fen", 60'000}}})}});
    const auto overdue = [&] {
        return rows("outbox",
                    "subject = 'finance.instalment.overdue' AND payload::jsonb -> 'data' ->> "
                    "'contract_id' = $1",
                    {contract});
    };
    ASSERT_TRUE(eventually([&] { return overdue() == 1; }));
    const auto data = stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        return json::parse(tx.exec_one("SELECT payload::jsonb -> 'data' FROM outbox WHERE subject "
                                       "= 'finance.instalment.overdue' AND payload::jsonb -> "
                                       "'data' ->> 'contract_id' = $1",
                                       {contract})
                               .text(0));
    });
    EXPECT_EQ(data["seq"], 1);
    EXPECT_EQ(data["due_date"], day_offset(-3));
    EXPECT_EQ(data["outstanding_fen"], 30'000);
    EXPECT_EQ(data["overdue_days"], 3);
    EXPECT_EQ(data["rep_id"], "u-rep-1");
    // Later sweeps (every 200 ms here) announce nothing again; the item due later is not late.
    const auto settled = [&] {
        return rows("outbox",
                    "subject = 'finance.instalment.settled' AND payload::jsonb -> 'data' ->> "
                    "'contract_id' = $1",
                    {contract});
    };
    EXPECT_FALSE(eventually([&] { return overdue() > 1; }, std::chrono::milliseconds(800)));
    paid({{"contract_id", contract}}, "instalment", 20'000);  // part: still owed
    EXPECT_EQ(settled(), 0);
    paid({{"contract_id", contract}}, "instalment", 10'000);
    EXPECT_EQ(settled(), 1);  // in the payment's transaction
    EXPECT_FALSE(
        eventually([&] { return overdue() > 1 || settled() > 1; }, std::chrono::milliseconds(800)));
}

// FIN-6 / FIN-5: the receipts report and the arrears report add up to the ledger exactly.
TEST_F(FinanceApi, ReportsSumExactlyToTheLedgerFin5Fin6) {
    const auto project = sales::new_uuid();
    const auto sub = subscription(project);
    paid({{"subscription_id", sub}}, "deposit", 10'000);
    // Overdue by 3, 10, 20, 45 and 90 days, and one not yet due.
    json list = json::array();
    for (int days : {-3, -10, -20, -45, -90})
        list.push_back({{"due_date", day_offset(days)}, {"amount_fen", 100'000}});
    list.push_back({{"due_date", day_offset(30)}, {"amount_fen", 100'000}});
    const auto contract =
        sign(sub, project, 600'000, 10'000, {{"kind", "instalments"}, {"instalments", list}}, 0);
    const json target = {{"contract_id", contract}};
    paid(target, "instalment", 150'000);  // pays the 90-day item and 60,000 of the 45-day one
    const auto reversed = paid(target, "fee", 5'000);
    ASSERT_EQ(call("POST", "/api/v1/entries/" + reversed["id"].get<std::string>() + "/reverse",
                   "cashier", json{{"reason", "重复录入"}}.dump())
                  .status,
              201);
    auto r =
        call("POST", "/api/v1/refund-approvals", "finance_director",
             json{{"contract_id", contract}, {"amount_fen", 1'000}, {"reason", "退款"}}.dump());
    ASSERT_EQ(r.status, 201);
    ASSERT_EQ(pay(target, "refund", 1'000, receipt(), {{"approval_ref", r.json()["id"]}}).status,
              201);

    // Arrears as of today: paid 10,000 + 150,000 − 1,000 = 159,000 fills the oldest first.
    r = call("GET", "/api/v1/reports/arrears?project_id=" + project, "finance_director");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto arrears = r.json();
    EXPECT_EQ(arrears["buckets"]["over_60"], 0);
    EXPECT_EQ(arrears["buckets"]["d31_60"], 100'000 - 59'000);
    EXPECT_EQ(arrears["buckets"]["d15_30"], 100'000);
    EXPECT_EQ(arrears["buckets"]["d8_14"], 100'000);
    EXPECT_EQ(arrears["buckets"]["d1_7"], 100'000);
    std::int64_t bucket_sum = 0;
    for (const auto& [name, value] : arrears["buckets"].items())
        bucket_sum += value.get<std::int64_t>();
    const auto b = balance(contract);
    EXPECT_EQ(bucket_sum, arrears["overdue_fen"].get<std::int64_t>());
    EXPECT_EQ(bucket_sum, b["overdue_fen"].get<std::int64_t>());
    EXPECT_EQ(b["total_fen"].get<std::int64_t>() - b["paid_fen"].get<std::int64_t>(),
              bucket_sum + 100'000);  // + the item not yet due
    ASSERT_EQ(arrears["contracts"].size(), 1u);
    EXPECT_EQ(arrears["contracts"][0]["rep_id"], "u-rep-1");  // the owning rep
    // As a download: one row per overdue item with its rep and aging, and the 合计 row.
    r = call("GET", "/api/v1/reports/arrears?format=csv&project_id=" + project, "finance_director");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.headers["Content-Disposition"].find("filename*=UTF-8''"), std::string::npos);
    std::vector<std::string> lines;
    std::istringstream csv(r.body);
    for (std::string line; std::getline(csv, line);)
        lines.push_back(line);
    ASSERT_EQ(lines.size(), 6u) << r.body;  // header, four overdue items, 合计
    EXPECT_NE(lines[0].find("置业顾问"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("账龄"), std::string::npos);
    EXPECT_NE(lines[1].find("u-rep-1"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("31–60天"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[5].rfind("合计", 0), 0u) << lines[5];
    EXPECT_NE(lines[5].find(sales::sheet::fixed2(bucket_sum)), std::string::npos) << lines[5];
    expect_error(
        call("GET", "/api/v1/reports/arrears?format=pdf&project_id=" + project, "finance_director"),
        400, "validation_failed");
    // As of 40 days ago only the 90- and 45-day items were due (50 and 5 days late).
    r = call("GET", "/api/v1/reports/arrears?project_id=" + project + "&as_of=" + day_offset(-40),
             "finance_director");
    ASSERT_EQ(r.status, 200);
    // Nothing was paid by then (every entry is effective today): the as_of view ignores later
    // entries.
    EXPECT_EQ(r.json()["buckets"]["d31_60"], 100'000);
    EXPECT_EQ(r.json()["buckets"]["d1_7"], 100'000);

    // Receipts today: receipts, refunds and reversals by day add up to the ledger.
    const auto today = day_offset(0);
    r = call("GET",
             "/api/v1/reports/receipts?project_id=" + project + "&from=" + day_offset(-1) +
                 "&to=" + today,
             "cashier");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto report = r.json();
    const auto ledger = stack_->db("finance").transaction([&](sales::db::Tx& tx) {
        return tx
            .exec_one("SELECT sum(amount_fen) FROM ledger_entries WHERE project_id = $1::uuid",
                      {project})
            .int64(0);
    });
    EXPECT_EQ(report["totals"]["net_fen"], ledger);
    EXPECT_EQ(report["ledger_sum_fen"], ledger);
    EXPECT_EQ(report["totals"]["receipts_fen"], 10'000 + 150'000 + 5'000);
    EXPECT_EQ(report["totals"]["refunds_fen"], -1'000);
    EXPECT_EQ(report["totals"]["reversals_fen"], -5'000);
    EXPECT_EQ(report["totals"]["count"], 5);
    std::int64_t by_day = 0;
    for (const auto& d : report["days"])
        by_day += d["net_fen"].get<std::int64_t>();
    EXPECT_EQ(by_day, ledger);
    // Ledger listing with filters.
    r = call("GET", "/api/v1/entries?contract_id=" + contract + "&category=reversal", "cashier");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["total"], 1);
    EXPECT_EQ(r.json()["sum_fen"], -5'000);
    // The listing keeps to the caller's projects.
    const auto listed = [&](const std::string& scope) {
        const auto response =
            stack_->http("finance").request("GET", "/api/v1/entries?contract_id=" + contract, "",
                                            Stack::as("cashier-scoped", {"cashier"}, {scope}));
        EXPECT_EQ(response.status, 200) << response.body;
        return response.json().value("total", std::int64_t{-1});
    };
    EXPECT_EQ(listed(project), 4);
    EXPECT_EQ(listed(sales::new_uuid()), 0);
}

// Fault: finance is killed -9 several times while 300 contract.signed events (and some
// re-sends under new event ids) flow; after restarts every contract has exactly one schedule
// and one finance.schedule.created.
TEST_F(FinanceApi, KillMinus9WhileSignedEventsFlowGivesExactlyOneSchedulePerContract) {
    const auto project = sales::new_uuid();
    constexpr int kContracts = 300;
    std::vector<std::string> ids(kContracts);
    std::atomic<int> published{0};
    std::thread producer([&] {
        for (int i = 0; i < kContracts; ++i) {
            ids[i] = sales::new_uuid();
            const json plan = {{"kind", "instalments"},
                               {"instalments",
                                {{{"due_date", day_offset(10)}, {"amount_fen", 400'000}},
                                 {{"due_date", day_offset(40)}, {"amount_fen", 600'000}}}}};
            const auto sub = sales::new_uuid();
            auto event = signed_event(ids[i], sub, project, 1'000'000, 0, plan);
            publish(event);
            if (i % 10 == 0) {  // contract re-sends the same signing under a new event id
                event.id = sales::new_uuid();
                publish(event);
            }
            published = i + 1;
        }
    });
    for (int kill = 0; kill < 3; ++kill) {
        const int target = (kill + 1) * kContracts / 4;
        ASSERT_TRUE(eventually([&] { return published.load() >= target; }, 60s));
        stack_->kill_and_restart("finance");
    }
    producer.join();
    ASSERT_TRUE(eventually(
        [&] { return rows("contracts", "project_id = $1::uuid", {project}) == kContracts; }, 90s))
        << rows("contracts", "project_id = $1::uuid", {project});
    for (const auto& id : ids) {
        ASSERT_EQ(rows("schedule_items", "contract_id = $1::uuid", {id}), 2) << id;
        ASSERT_EQ(events("finance.schedule.created", "contract_id", id), 1) << id;
    }
    EXPECT_EQ(rows("schedule_items s JOIN contracts c USING (contract_id)",
                   "c.project_id = $1::uuid", {project}),
              2 * kContracts);
}

}  // namespace
