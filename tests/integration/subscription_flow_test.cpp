// Opening-day flows across the real inventory and contract services (ARCHITECTURE.md steps 1–2):
// real PostgreSQL, a private nats-server, both service processes. Finance does not exist yet, so
// the test publishes finance.deposit.received as finance will.
//
// What must hold (INV-4, CON-1, CON-2, REG-2): a unit is never sold twice, however many buyers
// arrive at once; an unpaid subscription expires and frees its unit; a swap never leaves the
// subscription holding two units or none; a deposit confirms and the unit becomes subscribed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <set>
#include <thread>
#include <tuple>

#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::eventually;

struct Outcomes {
    std::atomic<int> created{0}, refused{0}, other{0};
    std::mutex mutex;
    std::vector<std::string> winners;  // subscription ids answered 201
    std::vector<std::string> unexpected;
    void add(const sales::http::ClientResponse& r) {
        if (r.status == 201) {
            ++created;
            std::lock_guard lock(mutex);
            winners.push_back(r.json()["id"]);
        } else if (r.status == 409 && r.json()["error"]["code"] == "unit_not_available") {
            ++refused;
        } else {
            ++other;
            std::lock_guard lock(mutex);
            unexpected.push_back(std::to_string(r.status) + " " + r.body);
        }
    }
};

class SubscriptionFlow : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new sales::test::Stack("subscription_flow", {"inventory", "contract"},
                                        {{"SALES_INVENTORY_IO_THREADS", "4"},
                                         {"SALES_CONTRACT_IO_THREADS", "8"},
                                         {"SALES_INVENTORY_SWEEP_INTERVAL", "200ms"},
                                         {"SALES_CONTRACT_SWEEP_INTERVAL", "100ms"},
                                         {"SALES_CONTRACT_RPC_TIMEOUT", "10s"}});
        contract_port_ = stack_->port("contract");
    }
    static void TearDownTestSuite() { delete stack_; }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    static sales::http::Headers auth(const std::string& role,
                                     std::vector<std::string> projects = {"*"}) {
        return sales::test::Stack::auth(role, std::move(projects));
    }
    static std::int64_t count(const std::string& service, const std::string& sql,
                              const sales::db::Params& params = {}) {
        return stack_->count(service, sql, params);
    }
    // A released project of floors × positions units that the contract service knows, with its
    // deposit deadline; returns the unit ids in board order.
    std::vector<std::string> released_project(std::int64_t floors, std::int64_t positions,
                                              std::int64_t deposit_deadline_seconds = 43'200) {
        const auto settings = deposit_deadline_seconds == 43'200
                                  ? json::object()
                                  : json{{"deposit_deadline_seconds", deposit_deadline_seconds}};
        return stack_->released_project(floors, positions, settings).unit_ids;
    }

    static json subscription_body(const std::string& unit_id) {
        return {
            {"unit_id", unit_id},       {"customer_id", sales::new_uuid()},
            {"discount_fen", 0},        {"payment_plan", "mortgage"},
            {"deposit_fen", 5'000'000}, {"signing_deadline", sales::test::Stack::date_in_days(30)}};
    }
    sales::http::ClientResponse subscribe(const std::string& unit_id) {
        return stack_->http("contract")
            .request("POST", "/api/v1/subscriptions", subscription_body(unit_id).dump(),
                     auth("sales_rep"));
    }
    json subscription(const std::string& id) {
        return stack_->ok("contract", "GET", "/api/v1/subscriptions/" + id, nullptr, "sales_rep");
    }
    json unit(const std::string& id) {
        return stack_->ok("inventory", "GET", "/api/v1/units/" + id, nullptr, "sales_rep");
    }

    // `requests` buyers released at once, each on its own connection, for `unit_id`.
    static void rush(const std::string& unit_id, int requests, Outcomes& outcomes) {
        std::latch start(requests);
        std::vector<std::thread> buyers;
        for (int i = 0; i < requests; ++i) {
            buyers.emplace_back([&] {
                sales::http::Client client("127.0.0.1", contract_port_);
                const auto body = subscription_body(unit_id).dump();
                const auto headers = auth("sales_rep");
                start.arrive_and_wait();
                try {
                    outcomes.add(client.request("POST", "/api/v1/subscriptions", body, headers));
                } catch (const sales::http::ClientError& e) {
                    ++outcomes.other;
                    std::lock_guard lock(outcomes.mutex);
                    outcomes.unexpected.push_back(std::string("transport: ") + e.what());
                }
            });
        }
        for (auto& b : buyers)
            b.join();
    }

    // Units inventory says `subscription_id` holds (held or subscribed), in one snapshot.
    static std::int64_t units_held_by(const std::string& subscription_id) {
        return count("inventory",
                     "SELECT count(*) FROM units WHERE hold_subscription_id = $1::uuid",
                     {subscription_id});
    }

    static inline sales::test::Stack* stack_ = nullptr;
    static inline std::uint16_t contract_port_ = 0;
};

// INV-4: 200 buyers for one unit → 1 × 201, 199 × 409 unit_not_available, no 5xx, no deadlock;
// the unit is held by the winner, in inventory and in contract alike. Repeated over 5 units.
TEST_F(SubscriptionFlow, TwoHundredBuyersForOneUnitHaveExactlyOneWinner) {
    const auto units = released_project(5, 1);
    for (const auto& unit_id : units) {
        Outcomes outcomes;
        rush(unit_id, 200, outcomes);
        EXPECT_EQ(outcomes.created, 1) << unit_id;
        EXPECT_EQ(outcomes.refused, 199) << unit_id;
        EXPECT_EQ(outcomes.other, 0)
            << (outcomes.unexpected.empty() ? "" : outcomes.unexpected.front());
        ASSERT_EQ(outcomes.winners.size(), 1u);
        const auto& winner = outcomes.winners.front();
        const auto held = unit(unit_id);
        EXPECT_EQ(held["status"], "held");
        EXPECT_EQ(held["hold_subscription_id"], winner);
        EXPECT_EQ(subscription(winner)["unit_id"], unit_id);
        EXPECT_EQ(count("contract", "SELECT count(*) FROM subscriptions WHERE unit_id = $1::uuid",
                        {unit_id}),
                  1);
        // Losers leave no trace: one hold in the unit's history, one created event.
        EXPECT_EQ(count("inventory",
                        "SELECT count(*) FROM unit_history WHERE unit_id = $1::uuid AND "
                        "to_status = 'held'",
                        {unit_id}),
                  1);
    }
    EXPECT_EQ(count("contract",
                    "SELECT count(*) FROM outbox WHERE subject = 'contract.subscription.created'"),
              count("contract", "SELECT count(*) FROM subscriptions"));
}

// CON-1: no deposit by the project's deadline (2 s here) → cancelled by the sweeper, the
// cancellation event sent, and inventory returns the unit to available.
TEST_F(SubscriptionFlow, UnpaidSubscriptionExpiresAndTheUnitIsAvailableAgain) {
    const auto units = released_project(1, 2, /*deposit_deadline_seconds=*/2);
    const auto r = subscribe(units[0]);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id = r.json()["id"];
    EXPECT_EQ(unit(units[0])["status"], "held");

    ASSERT_TRUE(eventually([&] { return subscription(id)["status"] == "cancelled"; }, 15s));
    const auto cancelled = subscription(id);
    EXPECT_EQ(cancelled["cancellation_reason"], "deposit_deadline_passed");
    EXPECT_EQ(count("contract",
                    "SELECT count(*) FROM outbox WHERE subject = 'contract.subscription.cancelled' "
                    "AND payload::jsonb ->> 'subject' = $1",
                    {id}),
              1);
    ASSERT_TRUE(eventually([&] { return unit(units[0])["status"] == "available"; }, 15s));
    EXPECT_TRUE(unit(units[0])["hold_subscription_id"].is_null());
    // The freed unit can be sold again.
    EXPECT_EQ(subscribe(units[0]).status, 201);
}

// Finance's deposit confirms the subscription and inventory marks the unit subscribed; a deposit
// that arrives after cancellation is flagged for refund, not lost.
TEST_F(SubscriptionFlow, DepositConfirmsAndALateDepositIsFlaggedForRefund) {
    const auto units = released_project(1, 2);
    const auto paid = subscribe(units[0]).json();
    const std::string paid_id = paid["id"];
    const auto deposit = [&](const std::string& subscription_id, const std::string& receipt) {
        const auto event =
            sales::bus::make_event("finance", "finance.deposit.received", subscription_id, 1,
                                   {{"subscription_id", subscription_id},
                                    {"amount_fen", 5'000'000},
                                    {"receipt_no", receipt},
                                    {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}});
        stack_->nats().publish("finance.deposit.received", sales::bus::to_json(event));
    };
    deposit(paid_id, "R-" + paid_id.substr(0, 8));
    ASSERT_TRUE(eventually([&] { return subscription(paid_id)["status"] == "confirmed"; }));
    ASSERT_TRUE(eventually([&] { return unit(units[0])["status"] == "subscribed"; }));
    EXPECT_EQ(unit(units[0])["hold_subscription_id"], paid_id);

    const std::string late_id = subscribe(units[1]).json()["id"];
    const auto cancel = stack_->http("contract")
                            .request("POST", "/api/v1/subscriptions/" + late_id + "/cancel",
                                     json{{"reason", "客户放弃"}}.dump(), auth("sales_control"));
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    ASSERT_TRUE(eventually([&] { return unit(units[1])["status"] == "available"; }));
    deposit(late_id, "R-" + late_id.substr(0, 8));
    ASSERT_TRUE(eventually([&] {
        return count(
                   "contract",
                   "SELECT count(*) FROM outbox WHERE subject = "
                   "'contract.subscription.deposit_orphaned' AND payload::jsonb ->> 'subject' = $1",
                   {late_id}) == 1;
    }));
    EXPECT_EQ(subscription(late_id)["refund_due_fen"], 5'000'000);
    EXPECT_EQ(unit(units[1])["status"], "available");
}

// CON-2: concurrent swaps of one subscription, with other buyers competing for the same units,
// never leave it holding two units or none — checked on snapshots taken throughout — and at the
// end inventory and contract agree on which unit it has.
TEST_F(SubscriptionFlow, SwapsUnderConcurrencyNeverHoldTwoUnitsOrNone) {
    const auto units = released_project(4, 4);  // 16 units
    const std::string start = units[0];
    const auto first = subscribe(start);
    ASSERT_EQ(first.status, 201) << first.body;
    const std::string id = first.json()["id"];

    std::atomic<bool> done{false};
    std::atomic<int> snapshots{0}, bad_snapshots{0};
    std::thread watcher([&] {
        while (!done) {
            if (units_held_by(id) != 1)
                ++bad_snapshots;
            ++snapshots;
        }
    });

    std::atomic<int> server_errors{0}, swaps_done{0};
    Outcomes competitors;
    std::vector<std::thread> threads;
    for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 1; i < units.size(); ++i) {
            threads.emplace_back([&, target = units[i]] {
                sales::http::Client client("127.0.0.1", contract_port_);
                const auto r =
                    client.request("POST", "/api/v1/subscriptions/" + id + "/swap",
                                   json{{"new_unit_id", target}, {"reason", "客户换房"}}.dump(),
                                   auth("sales_supervisor"));
                if (r.status >= 500)
                    ++server_errors;
                if (r.status == 200)
                    ++swaps_done;
            });
        }
    }
    for (std::size_t i = 1; i < units.size(); i += 3) {
        threads.emplace_back([&, target = units[i]] {
            sales::http::Client client("127.0.0.1", contract_port_);
            competitors.add(client.request("POST", "/api/v1/subscriptions",
                                           subscription_body(target).dump(), auth("sales_rep")));
        });
    }
    for (auto& t : threads)
        t.join();
    done = true;
    watcher.join();

    EXPECT_EQ(server_errors, 0);
    EXPECT_EQ(competitors.other, 0)
        << (competitors.unexpected.empty() ? "" : competitors.unexpected.front());
    EXPECT_GT(swaps_done, 0);
    EXPECT_GT(snapshots, 10);
    EXPECT_EQ(bad_snapshots, 0) << "of " << snapshots << " snapshots";

    const std::string final_unit = subscription(id)["unit_id"];
    EXPECT_EQ(unit(final_unit)["hold_subscription_id"], id);
    EXPECT_EQ(units_held_by(id), 1);
    // Every unit is either free or held by exactly one live subscription that contract knows
    // to be on that unit.
    for (const auto& u : units) {
        const auto state = unit(u);
        if (state["status"] == "available") {
            EXPECT_EQ(count("contract",
                            "SELECT count(*) FROM subscriptions WHERE unit_id = $1::uuid AND "
                            "status <> 'cancelled'",
                            {u}),
                      0)
                << u;
            continue;
        }
        ASSERT_EQ(state["status"], "held") << u;
        const std::string holder = state["hold_subscription_id"];
        EXPECT_EQ(subscription(holder)["unit_id"], u);
    }
}

// REG-2 and bad input with the real inventory behind: refused with a 4xx JSON error, the unit
// left available, nothing written in either service.
TEST_F(SubscriptionFlow, RefusedRequestsLeaveBothServicesUntouched) {
    const auto units = released_project(1, 1);
    const auto snapshot = [&] {
        return std::vector<std::int64_t>{
            count("contract", "SELECT count(*) FROM subscriptions"),
            count("contract", "SELECT count(*) FROM outbox"),
            count("inventory", "SELECT count(*) FROM units WHERE status <> 'available'"),
            count("inventory", "SELECT count(*) FROM unit_history WHERE to_status = 'held'")};
    };
    const auto before = snapshot();
    auto over_cap = subscription_body(units[0]);
    over_cap["deposit_fen"] = 100'000'000'000;  // far over 20% of the price (REG-2)
    const auto post = [&](const std::string& body) {
        return stack_->http("contract")
            .request("POST", "/api/v1/subscriptions", body, auth("sales_rep"));
    };
    EXPECT_EQ(post(over_cap.dump()).status, 422);
    EXPECT_EQ(post(subscription_body(sales::new_uuid()).dump()).status, 404);
    auto float_money = subscription_body(units[0]);
    float_money["discount_fen"] = 10.5;
    EXPECT_EQ(post(float_money.dump()).status, 400);
    EXPECT_EQ(post("{\"unit_id\":").status, 400);
    auto unknown_plan = subscription_body(units[0]);
    unknown_plan["payment_plan"] = "barter";
    EXPECT_EQ(post(unknown_plan.dump()).status, 400);
    // SEC-1: a rep of another project learns nothing and holds nothing.
    const auto elsewhere =
        stack_->http("contract")
            .request("POST", "/api/v1/subscriptions", subscription_body(units[0]).dump(),
                     auth("sales_rep", {sales::new_uuid()}));
    EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
    EXPECT_EQ(elsewhere.json()["error"]["code"], "unit_not_found");
    // The hold taken for the over-cap request was given back (its history shows hold + release);
    // the other refusals never reached a hold.
    EXPECT_EQ(unit(units[0])["status"], "available");
    EXPECT_EQ(count("inventory",
                    "SELECT count(*) FROM unit_history WHERE unit_id = $1::uuid AND "
                    "to_status = 'held'",
                    {units[0]}),
              1);
    const auto after = snapshot();
    EXPECT_EQ(after[0], before[0]);
    EXPECT_EQ(after[1], before[1]);
    EXPECT_EQ(after[2], before[2]);
}

}  // namespace

// ---- CON-1 judged by the money (paid_at), FIN-3 reversals: issue 13 items 7 and 9 ----
// Finance is not in this stack: the tests publish its events as finance does, late where the
// point is that the event arrives after the deadline (as when NATS is down across it).

class LateDeposit : public SubscriptionFlow {
  protected:
    // finance.deposit.received for the whole deposit, paid at `paid_at`, as ledger entry
    // `entry_id`.
    static void deposit(const std::string& subscription_id, const std::string& paid_at,
                        const std::string& entry_id) {
        stack_->publish(sales::bus::make_event("finance", "finance.deposit.received",
                                               subscription_id, 1,
                                               {{"subscription_id", subscription_id},
                                                {"amount_fen", 5'000'000},
                                                {"receipt_no", "R-" + entry_id.substr(0, 8)},
                                                {"paid_at", paid_at},
                                                {"entry_id", entry_id}}));
    }
    static std::string now() { return sales::to_rfc3339(sales::SystemClock().now()); }
    // A subscription cancelled by the sweeper (2 s deadline) whose deposit was paid before the
    // deadline: returns {unit, subscription, paid_at}.
    std::tuple<std::string, std::string, std::string> swept_after_paying() {
        const auto units = released_project(1, 1, /*deposit_deadline_seconds=*/2);
        const auto r = subscribe(units[0]);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string id = r.json()["id"];
        const auto paid_at = now();  // the cashier takes the money now, before the deadline
        EXPECT_TRUE(eventually([&] { return subscription(id)["status"] == "cancelled"; }, 15s));
        EXPECT_EQ(subscription(id)["cancellation_reason"], "deposit_deadline_passed");
        EXPECT_TRUE(eventually([&] { return unit(units[0])["status"] == "available"; }, 15s));
        EXPECT_LE(paid_at,
                  sales::to_rfc3339(
                      sales::parse_rfc3339(subscription(id)["deposit_deadline"].get<std::string>())
                          .value()));
        return {units[0], id, paid_at};
    }
    json open_cases() {
        return stack_->ok("contract", "GET", "/api/v1/deposit-cases?state=open", nullptr,
                          "sales_control")["items"];
    }
    static std::int64_t open_cases_of(const std::string& subscription_id) {
        return count("contract",
                     "SELECT count(*) FROM deposit_cases WHERE subscription_id = $1::uuid AND "
                     "state = 'open'",
                     {subscription_id});
    }
};

// CON-1: paid before the deadline, delivered after the sweeper cancelled and freed the unit →
// the unit is re-taken and the subscription ends confirmed, the unit subscribed.
TEST_F(LateDeposit, PaidOnTimeDeliveredLateReTakesTheUnitAndConfirms) {
    const auto [unit_id, id, paid_at] = swept_after_paying();
    deposit(id, paid_at, sales::new_uuid());
    ASSERT_TRUE(eventually([&] { return subscription(id)["status"] == "confirmed"; }, 15s));
    ASSERT_TRUE(eventually([&] { return unit(unit_id)["status"] == "subscribed"; }, 15s));
    EXPECT_EQ(unit(unit_id)["hold_subscription_id"], id);
    const auto s = subscription(id);
    EXPECT_EQ(s["deposit_paid_fen"], 5'000'000);
    EXPECT_EQ(s["refund_due_fen"], 0);
    EXPECT_TRUE(s["cancellation_reason"].is_null());
    EXPECT_EQ(count("contract",
                    "SELECT count(*) FROM subscription_history WHERE subscription_id = $1::uuid "
                    "AND action = 'reinstate' AND from_status = 'cancelled' AND "
                    "to_status = 'confirmed'",
                    {id}),
              1);
    EXPECT_EQ(count("contract",
                    "SELECT count(*) FROM subscription_deposits WHERE subscription_id = $1::uuid "
                    "AND outcome = 'reinstated'",
                    {id}),
              1);
    EXPECT_EQ(open_cases_of(id), 0);
    EXPECT_EQ(units_held_by(id), 1);
}

// CON-1: same, but another buyer took the unit meanwhile → no double sale: the money is flagged
// for refund and an open deposit case tells sales control; the case is resolved once refunded.
TEST_F(LateDeposit, PaidOnTimeButTheUnitWasTakenOpensADepositCase) {
    const auto [unit_id, id, paid_at] = swept_after_paying();
    const auto other = subscribe(unit_id);
    ASSERT_EQ(other.status, 201) << other.body;
    const std::string other_id = other.json()["id"];
    deposit(id, paid_at, sales::new_uuid());
    ASSERT_TRUE(eventually([&] { return open_cases_of(id) == 1; }, 15s));
    const auto s = subscription(id);
    EXPECT_EQ(s["status"], "cancelled");
    EXPECT_EQ(s["refund_due_fen"], 5'000'000);  // never lost, never silently kept
    EXPECT_EQ(unit(unit_id)["status"], "held");
    EXPECT_EQ(unit(unit_id)["hold_subscription_id"], other_id);
    EXPECT_EQ(units_held_by(id), 0);

    // The operator list (sales control), with what an operator needs to settle it.
    json the_case;
    for (const auto& c : open_cases())
        if (c["subscription_id"] == id)
            the_case = c;
    ASSERT_TRUE(the_case.is_object());
    EXPECT_EQ(the_case["kind"], "late_deposit");
    EXPECT_EQ(the_case["amount_fen"], 5'000'000);
    EXPECT_EQ(the_case["unit_id"], unit_id);
    EXPECT_EQ(the_case["state"], "open");
    EXPECT_NE(the_case["why"].get<std::string>().find("taken"), std::string::npos);
    EXPECT_FALSE(the_case["paid_at"].is_null());
    // Read-only for a rep; resolved once by sales control.
    EXPECT_EQ(
        stack_->call("contract", "GET", "/api/v1/deposit-cases", nullptr, auth("sales_rep")).status,
        403);
    const std::string path =
        "/api/v1/deposit-cases/" + the_case["id"].get<std::string>() + "/resolve";
    const auto resolved = stack_->ok("contract", "POST", path,
                                     {{"resolution", "refund approved and paid"}}, "sales_control");
    EXPECT_EQ(resolved["state"], "resolved");
    EXPECT_EQ(resolved["resolution"], "refund approved and paid");
    stack_->ok("contract", "POST", path, {{"resolution", "again"}}, "sales_control", 409);
    EXPECT_EQ(open_cases_of(id), 0);
}

// FIN-3: a reversed deposit moves the subscription back to pending_deposit (deadline as before)
// and the unit back to held; the same reversal again changes nothing.
TEST_F(LateDeposit, AReversedDepositMovesSubscriptionAndUnitBack) {
    const auto units = released_project(1, 1);
    const std::string id = subscribe(units[0]).json()["id"];
    const auto deadline = subscription(id)["deposit_deadline"];
    const auto entry_id = sales::new_uuid();
    deposit(id, now(), entry_id);
    ASSERT_TRUE(eventually([&] { return unit(units[0])["status"] == "subscribed"; }, 15s));
    ASSERT_EQ(subscription(id)["status"], "confirmed");

    // Publishes a reversal of the deposit; returns its event id.
    const auto reversal = [&] {
        const auto event = sales::bus::make_event("finance", "finance.entry.reversed", id, 1,
                                                  {{"entry_id", sales::new_uuid()},
                                                   {"reverses_entry_id", entry_id},
                                                   {"project_id", subscription(id)["project_id"]},
                                                   {"contract_id", nullptr},
                                                   {"subscription_id", id},
                                                   {"reversed_category", "deposit"},
                                                   {"amount_fen", -5'000'000}});
        stack_->publish(event);
        return event.id;
    };
    reversal();
    ASSERT_TRUE(eventually([&] { return subscription(id)["status"] == "pending_deposit"; }, 15s));
    auto s = subscription(id);
    EXPECT_EQ(s["deposit_paid_fen"], 0);
    EXPECT_EQ(s["deposit_deadline"], deadline);
    ASSERT_TRUE(eventually([&] { return unit(units[0])["status"] == "held"; }, 15s));
    EXPECT_EQ(unit(units[0])["hold_subscription_id"], id);
    // Held until the deadline plus the hold grace, as a new subscription.
    EXPECT_EQ(count("inventory",
                    "SELECT count(*) FROM units WHERE id = $1::uuid AND hold_until > "
                    "$2::timestamptz",
                    {units[0], deadline.get<std::string>()}),
              1);
    EXPECT_EQ(count("contract",
                    "SELECT count(*) FROM subscription_history WHERE subscription_id = $1::uuid "
                    "AND action = 'reverse_deposit'",
                    {id}),
              1);

    // Idempotent: finance re-sending the reversal (another event id) changes nothing.
    const auto version = s["version"];
    const auto again = reversal();
    ASSERT_TRUE(eventually([&] {
        return count("contract", "SELECT count(*) FROM inbox WHERE event_id = $1::uuid", {again}) ==
               1;
    }));
    EXPECT_EQ(subscription(id)["version"], version);
    EXPECT_EQ(open_cases_of(id), 0);
}
