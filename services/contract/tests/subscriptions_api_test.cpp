// Subscriptions end to end: the real contract service with a real PostgreSQL and a private
// nats-server. Inventory is stood in for by FakeInventory (in this process): it answers
// rpc.inventory.hold/release/swap as inventory does (INV-4) and consumes
// contract.subscription.* from the CONTRACT stream through its own inbox, like the real one.
// Finance is stood in for by publishing finance.deposit.received into the FINANCE stream.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
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
using sales::test::Stack;

// Unit state as inventory keeps it (INV-4), in memory.
class FakeInventory {
  public:
    struct Unit {
        std::string project_id;
        std::int64_t list_total_fen = 0;
        std::string status = "available";
        std::string holder;  // subscription id while held / subscribed
    };

    FakeInventory(sales::bus::Nats& nats, const std::string& inbox_db)
        : nats_(nats), pool_({inbox_db, 2}) {
        sales::db::migrate(pool_, {{"bus", sales::bus::migrations_directory()}});
        serve("rpc.inventory.hold", [this](const json& r) { return hold(r); });
        serve("rpc.inventory.release", [this](const json& r) { return release(r); });
        serve("rpc.inventory.swap", [this](const json& r) { return swap(r); });
        sales::bus::InboxOptions options;
        options.consumer = {"CONTRACT", "fake_inventory", "contract.subscription.>"};
        options.fetch_wait = 100ms;
        consumer_ = std::make_unique<sales::bus::InboxConsumer>(
            pool_, nats_, options,
            [this](sales::db::Tx&, const sales::bus::Event& e) { on_event(e); });
        consumer_->start();
    }
    ~FakeInventory() { shut_down(); }

    // Stops consuming and waits for the requests being answered (a stalled one sleeps): after
    // this, and once the connection is closed, nothing runs on this object any more.
    void shut_down() {
        if (consumer_) {
            consumer_->stop();
            consumer_.reset();
        }
        std::unique_lock lock(mutex_);
        idle_.wait_for(lock, 10s, [this] { return in_flight_ == 0; });
    }

    void add_unit(const std::string& unit_id, const std::string& project_id,
                  std::int64_t list_total_fen) {
        std::lock_guard lock(mutex_);
        units_[unit_id] = Unit{project_id, list_total_fen, "available", ""};
    }
    Unit unit(const std::string& unit_id) {
        std::lock_guard lock(mutex_);
        return units_.at(unit_id);
    }
    bool is(const std::string& unit_id, const std::string& status, const std::string& holder = "") {
        const auto u = unit(unit_id);
        return u.status == status && u.holder == holder;
    }
    // Requests for this unit are answered only after the contract service gave up waiting.
    void make_slow(const std::string& unit_id) {
        std::lock_guard lock(mutex_);
        slow_.insert(unit_id);
    }
    int requests(const std::string& subject) {
        std::lock_guard lock(mutex_);
        return request_counts_[subject];
    }

  private:
    void serve(const std::string& subject, std::function<json(const json&)> handler) {
        nats_.serve(subject, "inventory", [this, subject, handler](const std::string& text) {
            const auto request = json::parse(text);
            bool slow = false;
            {
                std::lock_guard lock(mutex_);
                ++request_counts_[subject];
                ++in_flight_;
                slow = request.contains("unit_id") && slow_.contains(request["unit_id"]);
            }
            if (slow)
                std::this_thread::sleep_for(2500ms);  // simulates a stalled inventory
            std::lock_guard lock(mutex_);
            auto reply = handler(request).dump();
            if (--in_flight_ == 0)
                idle_.notify_all();
            return reply;
        });
    }

    json held(const std::string& unit_id) {
        const auto& u = units_.at(unit_id);
        return {{"result", "held"},
                {"unit",
                 {{"unit_id", unit_id},
                  {"project_id", u.project_id},
                  {"building_id", "b-1"},
                  {"unit_number", "0101"},
                  // ¥15,000 per m² of gross area; internal = 80% of gross
                  {"gross_area_centi_m2", u.list_total_fen / 15'000},
                  {"internal_area_centi_m2", u.list_total_fen / 15'000 * 8 / 10},
                  {"list_unit_price_fen_per_m2", u.list_total_fen / 100},
                  {"list_total_fen", u.list_total_fen},
                  {"price_list_id", nullptr}}}};
    }

    json hold(const json& r) {
        const std::string id = r.at("unit_id"), sub = r.at("subscription_id");
        // hold_until is optional (contract sends none on create: inventory holds briefly).
        if ((r.contains("hold_until") && !r.at("hold_until").is_string()) ||
            !r.at("actor").is_string())
            return {{"result", "invalid"}, {"message", "actor is required"}};
        const auto it = units_.find(id);
        if (it == units_.end())
            return {{"result", "not_found"}};
        auto& u = it->second;
        if (u.status == "held" && u.holder == sub)
            return held(id);  // idempotent on the subscription id
        if (u.status != "available")
            return {{"result", "conflict"}, {"status", u.status}};
        u.status = "held";
        u.holder = sub;
        return held(id);
    }

    json release(const json& r) {
        auto& u = units_.at(r.at("unit_id"));
        if (u.holder != r.at("subscription_id").get<std::string>())
            return {{"result", "not_held"}};
        u.status = "available";
        u.holder.clear();
        return {{"result", "released"}};
    }

    json swap(const json& r) {
        const std::string sub = r.at("subscription_id"), from = r.at("old_unit_id"),
                          to = r.at("new_unit_id");
        if (!units_.contains(to) || !units_.contains(from))
            return {{"result", "not_found"}};
        auto &old_unit = units_.at(from), &new_unit = units_.at(to);
        if (new_unit.holder == sub && old_unit.holder != sub)
            return held(to);  // already swapped
        if (new_unit.status != "available" || old_unit.holder != sub)
            return {{"result", "conflict"}, {"status", new_unit.status}};
        new_unit.status = old_unit.status;  // held → held, subscribed → subscribed
        new_unit.holder = sub;
        old_unit.status = "available";
        old_unit.holder.clear();
        return held(to);
    }

    void on_event(const sales::bus::Event& e) {
        std::lock_guard lock(mutex_);
        const std::string sub = e.data.at("subscription_id"), unit_id = e.data.at("unit_id");
        const auto it = units_.find(unit_id);
        if (it == units_.end() || it->second.holder != sub)
            return;
        if (e.type == "contract.subscription.confirmed" && it->second.status == "held")
            it->second.status = "subscribed";
        if (e.type == "contract.subscription.cancelled") {
            it->second.status = "available";
            it->second.holder.clear();
        }
    }

    std::mutex mutex_;
    std::condition_variable idle_;
    int in_flight_ = 0;
    std::map<std::string, Unit> units_;
    std::set<std::string> slow_;
    std::map<std::string, int> request_counts_;
    sales::bus::Nats& nats_;
    sales::db::Pool pool_;
    std::unique_ptr<sales::bus::InboxConsumer> consumer_;
};

class SubscriptionsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ =
            new Stack("con_api", {"contract"},
                      {{"SALES_CONTRACT_IO_THREADS", "4"}, {"SALES_CONTRACT_NAK_DELAY", "100ms"}});
        inventory_ = new FakeInventory(
            stack_->nats(),
            sales::test::fresh_database("t_con_fakeinv_" + sales::new_uuid().substr(0, 8)));
        project_ = new std::string(sales::new_uuid());
        fast_project_ = new std::string(sales::new_uuid());
        publish_project(*project_, "HX01", 3600);
        publish_project(*fast_project_, "HX02", 2);  // CON-1 deadline shortened for the test
        ASSERT_TRUE(eventually([] { return rows("project_refs") == 2; }))
            << "project events not applied; log:\n"
            << stack_->log("contract");
    }
    static void TearDownTestSuite() {
        // The fake answers on the stack's connection: drain it, close the connection (with the
        // stack), then the fake goes.
        inventory_->shut_down();
        delete stack_;
        delete inventory_;
        for (auto* s : {project_, fast_project_})
            delete s;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << "---- contract log ----\n" << stack_->log("contract") << "\n";
    }

    static void publish_project(const std::string& id, const std::string& code,
                                std::int64_t deposit_deadline_seconds) {
        stack_->publish(sales::bus::make_event(
            "inventory", "inventory.project.created", id, 1,
            {{"id", id},
             {"code", code},
             {"name", "项目 " + code},
             {"city", "成都"},
             {"version", 1},
             {"settings", {{"deposit_deadline_seconds", deposit_deadline_seconds}}}}));
    }
    static sales::bus::Event deposit_event(const std::string& subscription_id,
                                           std::int64_t amount_fen, const std::string& receipt_no) {
        return sales::bus::make_event("finance", "finance.deposit.received", subscription_id, 1,
                                      {{"subscription_id", subscription_id},
                                       {"amount_fen", amount_fen},
                                       {"receipt_no", receipt_no},
                                       {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}});
    }

    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {}) {
        return stack_->count("contract", "SELECT count(*) FROM " + table + " WHERE " + where,
                             params);
    }
    // The data of every outbox event of `type` about `subscription_id`, oldest first.
    static std::vector<json> events(const std::string& type, const std::string& subscription_id) {
        return stack_->db("contract").transaction([&](sales::db::Tx& tx) {
            std::vector<json> out;
            for (const auto& row : tx.exec("SELECT payload FROM outbox WHERE subject = $1 AND "
                                           "payload::jsonb->>'subject' = $2 ORDER BY id",
                                           {type, subscription_id})) {
                const auto envelope = json::parse(row.text(0));
                EXPECT_EQ(envelope["subject"], subscription_id);
                out.push_back(envelope["data"]);
            }
            return out;
        });
    }
    static std::map<std::string, std::int64_t> counts() {
        return stack_->row_counts("contract", {"subscriptions", "subscription_history", "outbox",
                                               "idempotency_keys", "subscription_deposits"});
    }

    static sales::http::Headers auth(const std::string& role) { return Stack::auth(role); }

    static std::string in_days(int days) {
        return contract::domain::to_string(
            contract::domain::shanghai_date(sales::SystemClock().now() + days * 24h));
    }
    // A unit of `project` with this list total, known to the fake inventory.
    static std::string new_unit(std::int64_t list_total_fen = 200'000'000,
                                const std::string& project = "") {
        const auto id = sales::new_uuid();
        inventory_->add_unit(id, project.empty() ? *project_ : project, list_total_fen);
        return id;
    }
    static json body_for(const std::string& unit_id, json overrides = json::object()) {
        json body = {{"unit_id", unit_id},        {"customer_id", sales::new_uuid()},
                     {"discount_fen", 1'000'000}, {"payment_plan", "mortgage"},
                     {"deposit_fen", 5'000'000},  {"signing_deadline", in_days(30)}};
        body.update(overrides);
        return body;
    }

    sales::http::ClientResponse post(const std::string& path, const std::string& body,
                                     const std::string& role = "sales_rep",
                                     const std::string& idempotency_key = "") {
        auto headers = auth(role);
        if (!idempotency_key.empty())
            headers["Idempotency-Key"] = idempotency_key;
        return client_.request("POST", path, body, headers);
    }
    sales::http::ClientResponse create(const json& body, const std::string& key = "") {
        return post("/api/v1/subscriptions", body.dump(), "sales_rep", key);
    }
    // Creates a subscription and returns it (asserting 201).
    json created(const std::string& unit_id, json overrides = json::object()) {
        const auto r = create(body_for(unit_id, std::move(overrides)));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json() : json::object();
    }
    json get(const std::string& id, const std::string& role = "sales_rep") {
        const auto r = client_.get("/api/v1/subscriptions/" + id, auth(role));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    sales::http::ClientResponse act(const std::string& id, const std::string& verb,
                                    const json& body, const std::string& role) {
        return post("/api/v1/subscriptions/" + id + "/" + verb, body.dump(), role);
    }
    bool status_is(const std::string& id, const std::string& status) {
        return get(id)["status"] == status;
    }

    // The error envelope (sales::test::expect_error), with a message for people.
    static void expect_error(const sales::http::ClientResponse& r, int status,
                             const std::string& code) {
        const auto error = sales::test::expect_error(r, status, code);
        EXPECT_FALSE(error.value("message", "").empty()) << r.body;
    }

    static inline Stack* stack_ = nullptr;
    static inline FakeInventory* inventory_ = nullptr;
    static inline std::string* project_ = nullptr;
    static inline std::string* fast_project_ = nullptr;
    sales::http::Client& client_ = stack_->http("contract");
};

TEST_F(SubscriptionsApi, CreateHoldsTheUnitAndWritesRowHistoryAndEventTogether) {
    const auto unit = new_unit(200'000'000);
    const auto r = create(body_for(unit));
    ASSERT_EQ(r.status, 201) << r.body;
    const auto s = r.json();
    const std::string id = s["id"];
    EXPECT_EQ(r.headers.at("Location"), "/api/v1/subscriptions/" + id);
    EXPECT_EQ(s["status"], "pending_deposit");
    EXPECT_EQ(s["project_id"], *project_);
    EXPECT_EQ(s["list_total_fen"], 200'000'000);
    EXPECT_EQ(s["price_fen"], 199'000'000);    // list total − discount
    EXPECT_EQ(s["rep_id"], "user-sales_rep");  // defaults to the caller
    EXPECT_EQ(s["version"], 1);
    EXPECT_EQ(s["gross_area_centi_m2"], 13'333);  // the unit's, as inventory held it
    EXPECT_EQ(s["internal_area_centi_m2"], 10'666);
    EXPECT_TRUE(inventory_->is(unit, "held", id));

    const auto created_events = events("contract.subscription.created", id);
    ASSERT_EQ(created_events.size(), 1u);
    EXPECT_EQ(created_events[0]["unit_id"], unit);
    EXPECT_EQ(created_events[0]["status"], "pending_deposit");
    EXPECT_EQ(created_events[0]["version"], 1);
    EXPECT_EQ(
        rows("subscription_history", "subscription_id = $1::uuid AND action = 'create'", {id}), 1);
    EXPECT_EQ(get(id, "cashier"), s);
}

TEST_F(SubscriptionsApi, UnitTakenOrUnknownIsRefusedAndNothingIsWritten) {
    const auto unit = new_unit();
    const auto first = created(unit);
    const auto before = counts();
    const auto taken = create(body_for(unit));
    expect_error(taken, 409, "unit_not_available");
    EXPECT_EQ(taken.json()["error"]["details"]["status"], "held");
    expect_error(create(body_for(sales::new_uuid())), 404, "unit_not_found");
    EXPECT_EQ(counts(), before);
    EXPECT_TRUE(inventory_->is(unit, "held", first["id"]));
}

TEST_F(SubscriptionsApi, DepositOverTheCapIs422AndTheHoldIsReleased) {
    const auto unit = new_unit(100'000'000);
    const auto before = counts();
    // price 99,000,000 fen → REG-2 cap 19,800,000 fen.
    const auto r = create(body_for(unit, {{"deposit_fen", 19'800'001}}));
    expect_error(r, 422, "deposit_exceeds_cap");
    const auto details = r.json()["error"]["details"];
    EXPECT_EQ(details["cap_percent"], 20);
    EXPECT_EQ(details["max_deposit_fen"], 19'800'000);
    EXPECT_EQ(details["price_fen"], 99'000'000);
    EXPECT_TRUE(inventory_->is(unit, "available"));
    expect_error(create(body_for(unit, {{"discount_fen", 100'000'001}})), 422,
                 "discount_exceeds_list_total");
    EXPECT_TRUE(inventory_->is(unit, "available"));
    EXPECT_EQ(counts(), before);
    // Exactly at the cap is allowed.
    EXPECT_EQ(create(body_for(unit, {{"deposit_fen", 19'800'000}})).status, 201);
}

TEST_F(SubscriptionsApi, IdempotencyKeyReplaysTheSameRequestAndRefusesAnother) {
    const auto unit = new_unit();
    const auto body = body_for(unit);
    const auto key = "idem-" + sales::new_uuid();
    const auto first = create(body, key);
    ASSERT_EQ(first.status, 201) << first.body;
    const auto before = counts();

    const auto again = create(body, key);
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.json(), first.json());
    EXPECT_EQ(again.headers.at("Idempotent-Replayed"), "true");
    EXPECT_EQ(again.headers.at("Location"), first.headers.at("Location"));
    EXPECT_EQ(counts(), before) << "a replay writes nothing";

    auto other = body;
    other["deposit_fen"] = 4'000'000;
    expect_error(create(other, key), 422, "idempotency_key_reused");
    // The same key for another caller is another key.
    auto headers = auth("sales_control");
    headers["Idempotency-Key"] = key;
    expect_error(client_.request("POST", "/api/v1/subscriptions", body.dump(), headers), 409,
                 "unit_not_available");
    // A refusal is replayed too: same key, same request, same answer.
    expect_error(client_.request("POST", "/api/v1/subscriptions", body.dump(), headers), 409,
                 "unit_not_available");
    EXPECT_EQ(rows("subscriptions", "unit_id = $1::uuid", {unit}), 1);
    expect_error(create(body, "bad key with spaces"), 400, "validation_failed");
}

TEST_F(SubscriptionsApi, BadInputIsA4xxJsonErrorAndWritesNothing) {
    const auto unit = new_unit();
    const auto before = counts();
    const auto holds = inventory_->requests("rpc.inventory.hold");
    const auto bad = [&](json overrides) { return create(body_for(unit, std::move(overrides))); };

    expect_error(post("/api/v1/subscriptions", "{not json"), 400, "invalid_json");
    expect_error(post("/api/v1/subscriptions", "[1,2]"), 400, "invalid_json");
    expect_error(bad({{"unit_id", 7}}), 400, "validation_failed");
    expect_error(bad({{"unit_id", "unit-7"}}), 400, "validation_failed");
    expect_error(bad({{"customer_id", nullptr}}), 400, "validation_failed");
    expect_error(bad({{"deposit_fen", -1}}), 400, "validation_failed");
    expect_error(bad({{"deposit_fen", 0}}), 400, "validation_failed");
    expect_error(bad({{"deposit_fen", 1.5}}), 400, "validation_failed");
    expect_error(bad({{"deposit_fen", "5000000"}}), 400, "validation_failed");
    expect_error(bad({{"discount_fen", -100}}), 400, "validation_failed");
    expect_error(bad({{"discount_fen", 10.0}}), 400, "validation_failed");
    expect_error(bad({{"deposit_fen", 18446744073709551615ULL}}), 400, "validation_failed");
    expect_error(bad({{"payment_plan", "cash"}}), 400, "validation_failed");
    expect_error(bad({{"signing_deadline", "2026-02-30"}}), 400, "validation_failed");
    expect_error(bad({{"signing_deadline", in_days(-1)}}), 400, "validation_failed");
    expect_error(bad({{"price_fen", 1}}), 400, "validation_failed");  // unknown field
    auto missing = body_for(unit);
    missing.erase("payment_plan");
    expect_error(create(missing), 400, "validation_failed");

    const auto admin = auth("admin");
    for (const char* query :
         {"?status=sold", "?status=", "?project_id=HX01", "?limit=0", "?limit=x",
          "?from=2026-13-01", "?from=2026-12-02&to=2026-12-01", "?stauts=confirmed"}) {
        expect_error(client_.get(std::string("/api/v1/subscriptions") + query, admin), 400,
                     "validation_failed");
    }
    expect_error(client_.get("/api/v1/subscriptions/not-a-uuid", admin), 404,
                 "subscription_not_found");
    expect_error(client_.get("/api/v1/subscriptions/" + sales::new_uuid(), admin), 404,
                 "subscription_not_found");
    expect_error(act(sales::new_uuid(), "cancel", {{"reason", "x"}}, "sales_control"), 404,
                 "subscription_not_found");

    EXPECT_EQ(counts(), before);
    EXPECT_EQ(inventory_->requests("rpc.inventory.hold"), holds) << "bad input never holds";
    EXPECT_TRUE(inventory_->is(unit, "available"));
}

TEST_F(SubscriptionsApi, PermissionsAndProjectScope) {
    const auto unit = new_unit();
    expect_error(post("/api/v1/subscriptions", body_for(unit).dump(), "sales_supervisor"), 403,
                 "forbidden");
    expect_error(client_.get("/api/v1/subscriptions"), 401, "unauthenticated");
    EXPECT_TRUE(inventory_->is(unit, "available"));

    const auto s = created(unit);
    const std::string id = s["id"];
    const auto outsider = sales::http::Headers{
        {"Authorization", Stack::auth("sales_rep", {sales::new_uuid()}).at("Authorization")}};
    expect_error(client_.get("/api/v1/subscriptions/" + id, outsider), 404,
                 "subscription_not_found");
    const auto listed = client_.get("/api/v1/subscriptions?limit=500", outsider);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_TRUE(listed.json()["items"].empty());

    // A rep outside the unit's project cannot subscribe it (and the hold is given back).
    const auto other = new_unit();
    auto headers = outsider;
    headers["Content-Type"] = "application/json";
    expect_error(client_.request("POST", "/api/v1/subscriptions", body_for(other).dump(), headers),
                 404, "unit_not_found");
    EXPECT_TRUE(inventory_->is(other, "available"));

    expect_error(
        act(id, "rename", {{"customer_id", sales::new_uuid()}, {"reason", "x"}}, "sales_rep"), 403,
        "forbidden");
    expect_error(act(id, "cancellation/approve", {{"note", "x"}}, "sales_control"), 403,
                 "forbidden");
}

// Commission credit (issue 11): rep_id moves commission, so a sales rep credits only themself
// (or leaves it out); sales control names another rep by user id. A refusal holds nothing.
TEST_F(SubscriptionsApi, RepIdCreditsOnlyTheCallerUnlessTheirRoleAssignsReps) {
    const auto subscriptions = rows("subscriptions");
    const auto unit = new_unit();
    const std::string colleague = sales::new_uuid();
    expect_error(create(body_for(unit, {{"rep_id", colleague}})), 403, "rep_not_assignable");
    expect_error(create(body_for(unit, {{"rep_id", "user-sales_control"}})), 403,
                 "rep_not_assignable");
    EXPECT_TRUE(inventory_->is(unit, "available"));
    EXPECT_EQ(rows("subscriptions"), subscriptions);

    EXPECT_EQ(created(unit, {{"rep_id", "user-sales_rep"}})["rep_id"], "user-sales_rep");

    const auto other_unit = new_unit();
    expect_error(post("/api/v1/subscriptions",
                      body_for(other_unit, {{"rep_id", "not-a-user-id"}}).dump(), "sales_control"),
                 403, "rep_not_assignable");
    EXPECT_TRUE(inventory_->is(other_unit, "available"));
    const auto by_control =
        post("/api/v1/subscriptions", body_for(other_unit, {{"rep_id", colleague}}).dump(),
             "sales_control");
    ASSERT_EQ(by_control.status, 201) << by_control.body;
    EXPECT_EQ(by_control.json()["rep_id"], colleague);
    EXPECT_EQ(by_control.json()["created_by"], "user-sales_control");
}

TEST_F(SubscriptionsApi, ListFiltersByProjectStatusRepAndDate) {
    const auto a = created(new_unit());
    const std::string rep = sales::new_uuid();
    const auto by_control = post("/api/v1/subscriptions",
                                 body_for(new_unit(), {{"rep_id", rep}}).dump(), "sales_control");
    ASSERT_EQ(by_control.status, 201) << by_control.body;
    const auto b = by_control.json();
    const auto admin = auth("admin");
    const auto ids = [&](const std::string& query) {
        const auto r = client_.get("/api/v1/subscriptions?limit=500&" + query, admin);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        const auto page = r.json();
        for (const auto& item : page["items"])
            out.insert(item["id"].get<std::string>());
        return out;
    };
    EXPECT_EQ(ids("rep_id=" + rep), std::set<std::string>{b["id"]});
    const auto today = in_days(0);
    const auto mine =
        ids("project_id=" + *project_ + "&status=pending_deposit&from=" + today + "&to=" + today);
    EXPECT_TRUE(mine.contains(a["id"]) && mine.contains(b["id"]));
    EXPECT_TRUE(ids("project_id=" + *project_ + "&to=" + in_days(-1)).empty());
    EXPECT_FALSE(ids("status=cancelled").contains(a["id"]));
    const auto page = client_.get("/api/v1/subscriptions?limit=1&offset=0", admin).json();
    EXPECT_EQ(page["items"].size(), 1u);
    EXPECT_EQ(page["limit"], 1);
}

TEST_F(SubscriptionsApi, DepositDeadlinePassedCancelsReleasesAndEmits) {
    const auto unit = new_unit(200'000'000, *fast_project_);
    const auto s = created(unit);
    const std::string id = s["id"];
    EXPECT_TRUE(inventory_->is(unit, "held", id));
    ASSERT_TRUE(eventually([&] { return status_is(id, "cancelled"); }, 15s));
    const auto cancelled = get(id);
    EXPECT_EQ(cancelled["cancellation_reason"], "deposit_deadline_passed");
    EXPECT_EQ(cancelled["version"], 2);
    const auto emitted = events("contract.subscription.cancelled", id);
    ASSERT_EQ(emitted.size(), 1u);
    EXPECT_EQ(emitted[0]["reason"], "deposit_deadline_passed");
    EXPECT_EQ(emitted[0]["unit_id"], unit);
    EXPECT_TRUE(eventually([&] { return inventory_->is(unit, "available"); }))
        << "inventory releases the unit on contract.subscription.cancelled";
    EXPECT_EQ(rows("subscription_history", "subscription_id = $1::uuid AND actor = 'system'", {id}),
              1);
}

TEST_F(SubscriptionsApi, DepositReceivedConfirmsOnceEvenIfDeliveredTwice) {
    const auto unit = new_unit();
    const auto s = created(unit);
    const std::string id = s["id"];
    const auto event = deposit_event(id, 5'000'000, "R-" + sales::new_uuid().substr(0, 8));
    stack_->publish(event);
    stack_->publish(event);  // redelivered: same event id
    ASSERT_TRUE(eventually([&] { return status_is(id, "confirmed"); }));
    // The same receipt under a new event id (finance retried) is not counted again.
    auto resent = event;
    resent.id = sales::new_uuid();
    stack_->publish(resent);
    ASSERT_TRUE(eventually([&] { return rows("inbox", "event_id = $1::uuid", {resent.id}) == 1; }));
    EXPECT_TRUE(eventually([&] { return inventory_->is(unit, "subscribed", id); }));

    const auto confirmed = get(id);
    EXPECT_EQ(confirmed["deposit_paid_fen"], 5'000'000);
    EXPECT_EQ(confirmed["version"], 2);
    EXPECT_EQ(events("contract.subscription.confirmed", id).size(), 1u);
    EXPECT_EQ(rows("subscription_deposits", "subscription_id = $1::uuid", {id}), 1);
}

TEST_F(SubscriptionsApi, PartialDepositsAddUpToConfirmation) {
    const auto s = created(new_unit());
    const std::string id = s["id"];
    stack_->publish(deposit_event(id, 2'000'000, "P1-" + id.substr(0, 8)));
    ASSERT_TRUE(eventually([&] { return get(id)["deposit_paid_fen"] == 2'000'000; }));
    EXPECT_EQ(get(id)["status"], "pending_deposit");
    EXPECT_EQ(events("contract.subscription.deposit_recorded", id).size(), 1u);
    stack_->publish(deposit_event(id, 3'000'000, "P2-" + id.substr(0, 8)));
    ASSERT_TRUE(eventually([&] { return status_is(id, "confirmed"); }));
}

TEST_F(SubscriptionsApi, DepositAfterCancellationIsFlaggedForRefund) {
    const auto s = created(new_unit(200'000'000, *fast_project_));
    const std::string id = s["id"];
    ASSERT_TRUE(eventually([&] { return status_is(id, "cancelled"); }, 15s));
    stack_->publish(deposit_event(id, 5'000'000, "LATE-" + id.substr(0, 8)));
    ASSERT_TRUE(eventually(
        [&] { return events("contract.subscription.deposit_orphaned", id).size() == 1; }));
    const auto orphan = events("contract.subscription.deposit_orphaned", id)[0];
    EXPECT_EQ(orphan["amount_fen"], 5'000'000);
    EXPECT_EQ(orphan["receipt_no"], "LATE-" + id.substr(0, 8));
    const auto after = get(id);
    EXPECT_EQ(after["status"], "cancelled");
    EXPECT_EQ(after["refund_due_fen"], 5'000'000);
}

TEST_F(SubscriptionsApi, MalformedFinanceEventIsDeadLettered) {
    const auto before = rows("dead_letter");
    stack_->publish(sales::bus::make_event("finance", "finance.deposit.received", "x", 1,
                                           {{"subscription_id", sales::new_uuid()},
                                            {"amount_fen", 1.5},
                                            {"receipt_no", "R"},
                                            {"paid_at", "2026-11-22T00:00:00Z"}}));
    EXPECT_TRUE(eventually([&] { return rows("dead_letter") == before + 1; }));
}

TEST_F(SubscriptionsApi, RenameBySupervisor) {
    const auto s = created(new_unit());
    const std::string id = s["id"];
    const auto customer = sales::new_uuid();
    const auto r = act(id, "rename", {{"customer_id", customer}, {"reason", "更名：配偶"}},
                       "sales_supervisor");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["customer_id"], customer);
    EXPECT_EQ(r.json()["version"], 2);
    const auto renamed = events("contract.subscription.renamed", id);
    ASSERT_EQ(renamed.size(), 1u);
    EXPECT_EQ(renamed[0]["previous_customer_id"], s["customer_id"]);
    expect_error(
        act(id, "rename", {{"customer_id", customer}, {"reason", "again"}}, "sales_supervisor"),
        422, "no_change");
    expect_error(act(id, "rename", {{"customer_id", "c-1"}, {"reason", "x"}}, "sales_manager"), 400,
                 "validation_failed");
    expect_error(act(id, "rename", {{"customer_id", customer}}, "sales_manager"), 400,
                 "validation_failed");
}

TEST_F(SubscriptionsApi, SwapMovesTheHoldAndRepricesInOneStep) {
    const auto old_unit = new_unit(200'000'000);
    const auto new_unit_id = new_unit(300'000'000);
    const auto s = created(old_unit);
    const std::string id = s["id"];
    const auto r = act(id, "swap", {{"new_unit_id", new_unit_id}, {"reason", "换房：楼层"}},
                       "sales_supervisor");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["unit_id"], new_unit_id);
    EXPECT_EQ(r.json()["price_fen"], 299'000'000);  // same discount
    EXPECT_EQ(r.json()["gross_area_centi_m2"], 20'000);  // the new unit's areas
    EXPECT_EQ(r.json()["internal_area_centi_m2"], 16'000);
    EXPECT_TRUE(inventory_->is(new_unit_id, "held", id));
    EXPECT_TRUE(inventory_->is(old_unit, "available"));
    const auto swapped = events("contract.subscription.swapped", id);
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0]["old_unit_id"], old_unit);
    EXPECT_EQ(swapped[0]["unit_id"], new_unit_id);

    // The unit taken by another subscription: 409, nothing moves.
    const auto taken = new_unit();
    created(taken);
    expect_error(act(id, "swap", {{"new_unit_id", taken}, {"reason", "x"}}, "sales_supervisor"),
                 409, "unit_not_available");
    expect_error(
        act(id, "swap", {{"new_unit_id", new_unit_id}, {"reason", "x"}}, "sales_supervisor"), 400,
        "validation_failed");
    EXPECT_TRUE(inventory_->is(new_unit_id, "held", id));
    EXPECT_EQ(get(id)["version"], 2);
}

TEST_F(SubscriptionsApi, SwapBreakingTheDepositCapIsUndone) {
    const auto unit = new_unit(100'000'000);
    const auto cheap = new_unit(20'000'000);
    const auto s = created(unit, {{"deposit_fen", 10'000'000}});
    const std::string id = s["id"];
    // Cheap unit: price 19,000,000 → cap 3,800,000 < deposit 10,000,000 (REG-2).
    const auto r = act(id, "swap", {{"new_unit_id", cheap}, {"reason", "x"}}, "sales_supervisor");
    expect_error(r, 422, "deposit_exceeds_cap");
    EXPECT_TRUE(inventory_->is(unit, "held", id)) << "swapped back";
    EXPECT_TRUE(inventory_->is(cheap, "available"));
    EXPECT_EQ(get(id)["unit_id"], unit);
    EXPECT_TRUE(events("contract.subscription.swapped", id).empty());
}

TEST_F(SubscriptionsApi, ConcurrentSwapsLeaveExactlyOneUnitHeld) {
    const auto start = new_unit();
    const auto s = created(start);
    const std::string id = s["id"];
    std::vector<std::string> targets;
    for (int i = 0; i < 6; ++i)
        targets.push_back(new_unit());
    std::vector<std::thread> threads;
    std::atomic<int> server_errors{0};
    for (const auto& target : targets) {
        threads.emplace_back([&, target] {
            sales::http::Client client("127.0.0.1", stack_->port("contract"));
            const auto r = client.request("POST", "/api/v1/subscriptions/" + id + "/swap",
                                          json{{"new_unit_id", target}, {"reason", "race"}}.dump(),
                                          auth("sales_supervisor"));
            if (r.status >= 500)
                ++server_errors;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(server_errors, 0);
    const std::string final_unit = get(id)["unit_id"];
    int held = 0;
    targets.push_back(start);
    for (const auto& u : targets) {
        const auto unit = inventory_->unit(u);
        if (unit.holder == id) {
            ++held;
            EXPECT_EQ(u, final_unit);
        } else {
            EXPECT_EQ(unit.status, "available") << u;
        }
    }
    EXPECT_EQ(held, 1);
}

TEST_F(SubscriptionsApi, ConcurrentRequestsForOneUnitHaveOneWinner) {
    const auto unit = new_unit();
    std::atomic<int> won{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i) {
        threads.emplace_back([&] {
            sales::http::Client client("127.0.0.1", stack_->port("contract"));
            const auto r = client.request("POST", "/api/v1/subscriptions", body_for(unit).dump(),
                                          auth("sales_rep"));
            (r.status == 201 ? won : r.status == 409 ? refused : other)++;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(refused, 39);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(rows("subscriptions", "unit_id = $1::uuid", {unit}), 1);
}

TEST_F(SubscriptionsApi, CancelBeforeDepositIsImmediate) {
    const auto unit = new_unit();
    const std::string id = created(unit)["id"];
    expect_error(act(id, "cancel", {{"reason", "x"}}, "sales_rep"), 403, "forbidden");
    const auto r = act(id, "cancel", {{"reason", "客户放弃"}}, "sales_control");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "cancelled");
    EXPECT_EQ(r.json()["cancellation_reason"], "cancelled_before_deposit");
    const auto emitted = events("contract.subscription.cancelled", id);
    ASSERT_EQ(emitted.size(), 1u);
    EXPECT_EQ(emitted[0]["reason"], "cancelled_before_deposit");
    EXPECT_TRUE(eventually([&] { return inventory_->is(unit, "available"); }));
    expect_error(act(id, "cancel", {{"reason", "again"}}, "sales_control"), 409,
                 "invalid_transition");
}

TEST_F(SubscriptionsApi, CancellationAfterDepositNeedsTheFinanceDirector) {
    const auto unit = new_unit();
    const std::string id = created(unit)["id"];
    expect_error(act(id, "cancellation/approve", {{"note", "x"}}, "finance_director"), 409,
                 "invalid_transition");
    stack_->publish(deposit_event(id, 5'000'000, "C-" + id.substr(0, 8)));
    ASSERT_TRUE(eventually([&] { return status_is(id, "confirmed"); }));

    auto r = act(id, "cancel", {{"reason", "贷款未批"}}, "sales_control");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "cancellation_requested");
    EXPECT_EQ(events("contract.subscription.cancellation_requested", id).size(), 1u);

    r = act(id, "cancellation/reject", {{"note", "按合同继续"}}, "finance_director");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "confirmed");
    EXPECT_EQ(events("contract.subscription.cancellation_rejected", id).size(), 1u);

    ASSERT_EQ(act(id, "cancel", {{"reason", "再次申请"}}, "sales_control").status, 200);
    r = act(id, "cancellation/approve", {{"note", "同意退定"}}, "finance_director");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "cancelled");
    EXPECT_EQ(r.json()["refund_due_fen"], 5'000'000);  // CON-2: the paid deposit
    EXPECT_EQ(r.json()["cancellation_decided_by"], "user-finance_director");
    const auto emitted = events("contract.subscription.cancelled", id);
    ASSERT_EQ(emitted.size(), 1u);
    EXPECT_EQ(emitted[0]["reason"], "cancellation_approved");
    EXPECT_TRUE(eventually([&] { return inventory_->is(unit, "available"); }));
    // create, confirm, request, reject, request again, approve.
    EXPECT_EQ(rows("subscription_history", "subscription_id = $1::uuid", {id}), 6);
}

TEST_F(SubscriptionsApi, ProjectSettingsChangedApplyToNewSubscriptions) {
    const auto project = sales::new_uuid();
    publish_project(project, "HX03", 3600);
    // A settings-only event (no code or name): the project's REG-2 cap lowered to 10%.
    stack_->publish(sales::bus::make_event(
        "inventory", "inventory.project.settings_changed", project, 2,
        {{"id", project}, {"version", 2}, {"settings", {{"deposit_cap_percent", 10}}}}));
    ASSERT_TRUE(eventually([&] {
        return rows("project_refs",
                    "project_id = $1::uuid AND version = 2 AND deposit_cap_percent = 10 AND "
                    "code = 'HX03' AND deposit_deadline_seconds = 3600",
                    {project}) == 1;
    }));
    const auto unit = new_unit(100'000'000, project);
    const auto r = create(body_for(unit, {{"discount_fen", 0}, {"deposit_fen", 10'000'001}}));
    expect_error(r, 422, "deposit_exceeds_cap");
    EXPECT_EQ(r.json()["error"]["details"]["cap_percent"], 10);
    EXPECT_EQ(create(body_for(unit, {{"discount_fen", 0}, {"deposit_fen", 10'000'000}})).status,
              201);
}

TEST_F(SubscriptionsApi, InventoryNotAnsweringIs503AndWritesNothing) {
    const auto unit = new_unit();
    inventory_->make_slow(unit);
    const auto before = counts();
    const auto key = "slow-" + sales::new_uuid();
    expect_error(create(body_for(unit), key), 503, "dependency_unavailable");
    EXPECT_EQ(counts(), before) << "a transient failure leaves no idempotency key either";
}

}  // namespace
