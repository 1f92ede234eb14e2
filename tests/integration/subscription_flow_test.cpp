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

#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "test_support.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::eventually;

const std::string kSecret = "subscription-flow-secret-0123456789abcdef01";

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
        const auto suffix = sales::new_uuid().substr(0, 8);
        nats_server_ = new sales::test::NatsServer();
        inventory_db_ = new std::string(sales::test::fresh_database("flow_inv_" + suffix));
        contract_db_ = new std::string(sales::test::fresh_database("flow_con_" + suffix));
        const auto logs = sales::test::temp_dir("subscription-flow");
        const std::map<std::string, std::string> common = {
            {"SALES_NATS_URL", nats_server_->url()},     {"SALES_JWT_SECRET", kSecret},
            {"SALES_INVENTORY_DB", *inventory_db_},      {"SALES_CONTRACT_DB", *contract_db_},
            {"SALES_INVENTORY_IO_THREADS", "4"},         {"SALES_CONTRACT_IO_THREADS", "8"},
            {"SALES_INVENTORY_SWEEP_INTERVAL", "200ms"}, {"SALES_CONTRACT_SWEEP_INTERVAL", "100ms"},
            {"SALES_CONTRACT_RPC_TIMEOUT", "10s"}};
        inventory_port_ = sales::test::free_port();
        contract_port_ = sales::test::free_port();
        inventory_ = sales::test::start_service("inventory", inventory_port_, common,
                                                logs + "/inventory.log")
                         .release();
        contract_ =
            sales::test::start_service("contract", contract_port_, common, logs + "/contract.log")
                .release();
        inventory_pool_ = new sales::db::Pool({*inventory_db_, 4});
        contract_pool_ = new sales::db::Pool({*contract_db_, 4});
        nats_ = new sales::bus::Nats({nats_server_->url(), "subscription-flow-test"});
    }
    static void TearDownTestSuite() {
        delete nats_;
        delete contract_pool_;
        delete inventory_pool_;
        delete contract_;
        delete inventory_;
        delete contract_db_;
        delete inventory_db_;
        delete nats_server_;
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << "---- inventory log ----\n" << inventory_->log() << "\n";
            std::cerr << "---- contract log ----\n" << contract_->log() << "\n";
        }
    }

    static sales::http::Headers auth(const std::string& role,
                                     std::vector<std::string> projects = {"*"}) {
        const auto token = sales::auth::mint(
            {kSecret},
            {"user-" + role, {role}, std::move(projects), std::chrono::system_clock::now() + 1h});
        return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    }
    static json ok(sales::http::Client& client, const std::string& method, const std::string& path,
                   const json& body, const std::string& role, int status = 200) {
        const auto r = client.request(method, path, body.is_null() ? "" : body.dump(), auth(role));
        EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.body;
        return r.json();
    }
    static std::int64_t count(sales::db::Pool& pool, const std::string& sql,
                              const sales::db::Params& params = {}) {
        return pool.transaction(
            [&](sales::db::Tx& tx) { return tx.exec_one(sql, params).int64(0); });
    }

    // A released project of floors × positions units that the contract service knows, with its
    // deposit deadline; returns the unit ids in board order.
    std::vector<std::string> released_project(std::int64_t floors, std::int64_t positions,
                                              std::int64_t deposit_deadline_seconds = 43'200) {
        const std::string code = "F" + std::to_string(++projects_made_);
        const std::string project =
            ok(inventory_http_, "POST", "/api/v1/projects",
               {{"code", code}, {"name", "项目" + code}, {"city", "成都"}}, "admin", 201)["id"];
        if (deposit_deadline_seconds != 43'200) {
            ok(inventory_http_, "PATCH", "/api/v1/projects/" + project + "/settings",
               {{"deposit_deadline_seconds", deposit_deadline_seconds}}, "admin");
        }
        const std::string building =
            ok(inventory_http_, "POST", "/api/v1/projects/" + project + "/buildings",
               {{"name", "1栋"}, {"floors", floors}}, "operator", 201)["id"];
        json templates = json::array();
        for (std::int64_t p = 1; p <= positions; ++p) {
            templates.push_back({{"position", p},
                                 {"floors", {{"from", 1}, {"to", floors}}},
                                 {"layout", "3室2厅2卫"},
                                 {"orientation", "south"},
                                 {"decoration", "bare"},
                                 {"internal_area_centi_m2", 9'000 + p * 100},
                                 {"shared_area_centi_m2", 1'850},
                                 {"list_unit_price_fen_per_m2", 1'500'000}});
        }
        const auto created =
            ok(inventory_http_, "POST", "/api/v1/buildings/" + building + "/units:bulk",
               {{"templates", templates}}, "operator", 201);
        ok(inventory_http_, "POST", "/api/v1/units:release", {{"building_id", building}},
           "sales_control");
        // The contract service learns projects and their settings from inventory's events.
        EXPECT_TRUE(eventually([&] {
            return count(*contract_pool_,
                         "SELECT count(*) FROM project_refs WHERE project_id = $1::uuid AND "
                         "deposit_deadline_seconds = $2",
                         {project, deposit_deadline_seconds}) == 1;
        })) << "contract never learned project "
            << code;
        std::vector<std::string> ids;
        for (const auto& unit : created["units"])
            ids.push_back(unit["id"]);
        return ids;
    }

    static json subscription_body(const std::string& unit_id) {
        const auto in_30_days =
            std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + 30 * 24h);
        const std::chrono::year_month_day date{in_30_days};
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
        return {{"unit_id", unit_id},       {"customer_id", sales::new_uuid()},
                {"discount_fen", 0},        {"payment_plan", "mortgage"},
                {"deposit_fen", 5'000'000}, {"signing_deadline", text}};
    }
    sales::http::ClientResponse subscribe(const std::string& unit_id) {
        return contract_http_.request("POST", "/api/v1/subscriptions",
                                      subscription_body(unit_id).dump(), auth("sales_rep"));
    }
    json subscription(const std::string& id) {
        return ok(contract_http_, "GET", "/api/v1/subscriptions/" + id, nullptr, "sales_rep");
    }
    json unit(const std::string& id) {
        return ok(inventory_http_, "GET", "/api/v1/units/" + id, nullptr, "sales_rep");
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
        return count(*inventory_pool_,
                     "SELECT count(*) FROM units WHERE hold_subscription_id = $1::uuid",
                     {subscription_id});
    }

    static inline sales::test::NatsServer* nats_server_ = nullptr;
    static inline std::string* inventory_db_ = nullptr;
    static inline std::string* contract_db_ = nullptr;
    static inline std::uint16_t inventory_port_ = 0;
    static inline std::uint16_t contract_port_ = 0;
    static inline sales::test::Process* inventory_ = nullptr;
    static inline sales::test::Process* contract_ = nullptr;
    static inline sales::db::Pool* inventory_pool_ = nullptr;
    static inline sales::db::Pool* contract_pool_ = nullptr;
    static inline sales::bus::Nats* nats_ = nullptr;
    static inline int projects_made_ = 0;
    sales::http::Client inventory_http_{"127.0.0.1", inventory_port_};
    sales::http::Client contract_http_{"127.0.0.1", contract_port_};
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
        EXPECT_EQ(count(*contract_pool_,
                        "SELECT count(*) FROM subscriptions WHERE unit_id = $1::uuid", {unit_id}),
                  1);
        // Losers leave no trace: one hold in the unit's history, one created event.
        EXPECT_EQ(count(*inventory_pool_,
                        "SELECT count(*) FROM unit_history WHERE unit_id = $1::uuid AND "
                        "to_status = 'held'",
                        {unit_id}),
                  1);
    }
    EXPECT_EQ(count(*contract_pool_,
                    "SELECT count(*) FROM outbox WHERE subject = 'contract.subscription.created'"),
              count(*contract_pool_, "SELECT count(*) FROM subscriptions"));
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
    EXPECT_EQ(count(*contract_pool_,
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
        nats_->publish("finance.deposit.received", sales::bus::to_json(event));
    };
    deposit(paid_id, "R-" + paid_id.substr(0, 8));
    ASSERT_TRUE(eventually([&] { return subscription(paid_id)["status"] == "confirmed"; }));
    ASSERT_TRUE(eventually([&] { return unit(units[0])["status"] == "subscribed"; }));
    EXPECT_EQ(unit(units[0])["hold_subscription_id"], paid_id);

    const std::string late_id = subscribe(units[1]).json()["id"];
    const auto cancel =
        contract_http_.request("POST", "/api/v1/subscriptions/" + late_id + "/cancel",
                               json{{"reason", "客户放弃"}}.dump(), auth("sales_control"));
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    ASSERT_TRUE(eventually([&] { return unit(units[1])["status"] == "available"; }));
    deposit(late_id, "R-" + late_id.substr(0, 8));
    ASSERT_TRUE(eventually([&] {
        return count(
                   *contract_pool_,
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
            EXPECT_EQ(count(*contract_pool_,
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
            count(*contract_pool_, "SELECT count(*) FROM subscriptions"),
            count(*contract_pool_, "SELECT count(*) FROM outbox"),
            count(*inventory_pool_, "SELECT count(*) FROM units WHERE status <> 'available'"),
            count(*inventory_pool_, "SELECT count(*) FROM unit_history WHERE to_status = 'held'")};
    };
    const auto before = snapshot();
    auto over_cap = subscription_body(units[0]);
    over_cap["deposit_fen"] = 100'000'000'000;  // far over 20% of the price (REG-2)
    const auto post = [&](const std::string& body) {
        return contract_http_.request("POST", "/api/v1/subscriptions", body, auth("sales_rep"));
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
        contract_http_.request("POST", "/api/v1/subscriptions", subscription_body(units[0]).dump(),
                               auth("sales_rep", {sales::new_uuid()}));
    EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
    EXPECT_EQ(elsewhere.json()["error"]["code"], "unit_not_found");
    // The hold taken for the over-cap request was given back (its history shows hold + release);
    // the other refusals never reached a hold.
    EXPECT_EQ(unit(units[0])["status"], "available");
    EXPECT_EQ(count(*inventory_pool_,
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
