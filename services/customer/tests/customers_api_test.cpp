// The customer service end to end: the real service with a real PostgreSQL and a private
// nats-server. Inventory and contract are stood in for by publishing their events
// (inventory.project.created, contract.subscription.created, contract.signed) into their
// streams, as they would.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "sales/bus.hpp"
#include "sales/calendar.hpp"
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

class CustomersApi : public sales::test::StackSuite<CustomersApi> {
  protected:
    static void SetUpTestSuite() {
        stack_ =
            new Stack("cus_api", {"customer"},
                      {{"SALES_CUSTOMER_IO_THREADS", "4"}, {"SALES_CUSTOMER_NAK_DELAY", "100ms"}});
        project_ = new std::string(stack_->announce_project("customer", "HX01", "华熙府一期"));
    }
    static void TearDownTestSuite() {
        delete project_;
        StackSuite::TearDownTestSuite();
    }

    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {}) {
        return stack_->count("customer", "SELECT count(*) FROM " + table + " WHERE " + where,
                             params);
    }
    static std::map<std::string, std::int64_t> counts() {
        return stack_->row_counts("customer", {"customers", "customer_events", "collisions",
                                               "outbox", "ownership_history", "stage_history",
                                               "complaints", "corrections", "departures", "deals"});
    }
    // A request as `user` holding `role` (all projects); `body` null sends none.
    static sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                            const std::string& user, const std::string& role,
                                            const json& body = nullptr) {
        return stack_->call("customer", method, path, body, Stack::as(user, {role}));
    }
    static sales::http::ClientResponse post(const std::string& path, const json& body,
                                            const std::string& user, const std::string& role) {
        return call("POST", path, user, role, body);
    }
    static std::string unique_mobile() {
        static std::atomic<int> n{0};
        const auto tail = std::to_string(10'000'000 + (std::rand() % 80'000'000) + (++n));
        return "139" + tail.substr(tail.size() - 8);
    }
    static std::string ago(int hours) {
        return sales::to_rfc3339(std::chrono::system_clock::now() - std::chrono::hours(hours));
    }
    json new_customer(const std::string& phone, json overrides = json::object()) {
        json body = {{"project_id", *project_},
                     {"name", "王先生"},
                     {"gender", "male"},
                     {"birth_year", 1986},
                     {"phone", phone},
                     {"id_number", "51010419860307123X"},
                     {"address", "四川省成都市高新区天府大道北段1700号"},
                     {"channel", "visit"},
                     {"type", "upgrade"},
                     {"needs", {{"budget_max_fen", 300'000'000}, {"layout", "3室2厅2卫"}}},
                     {"first_event", {{"kind", "visit"}, {"note", "首次来访"}}}};
        body.update(overrides);
        return body;
    }
    // Records a customer as `rep` and returns it (asserting 201).
    json created(const std::string& rep, const std::string& phone,
                 json overrides = json::object()) {
        const auto r =
            post("/api/v1/customers", new_customer(phone, std::move(overrides)), rep, "sales_rep");
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json() : json::object();
    }
    std::string stage_of(const std::string& customer_id) {
        return stack_->db("customer").transaction([&](sales::db::Tx& tx) {
            return tx.exec_one("SELECT stage FROM customers WHERE id = $1::uuid", {customer_id})
                .text(0);
        });
    }
    static sales::bus::Event subscription_event(const std::string& type,
                                                const std::string& subscription_id,
                                                const std::string& customer_id,
                                                const std::string& rep) {
        return sales::bus::make_event("contract", type, subscription_id, 1,
                                      {{"subscription_id", subscription_id},
                                       {"project_id", *project_},
                                       {"unit_id", sales::new_uuid()},
                                       {"customer_id", customer_id},
                                       {"rep_id", rep},
                                       {"status", "pending_deposit"}});
    }
    // The contract.signed payload this service consumes (docs/events.md).
    static sales::bus::Event signed_event(const std::string& contract_id,
                                          const std::string& subscription_id,
                                          const std::string& customer_id, const std::string& rep) {
        return sales::bus::make_event(
            "contract", "contract.signed", contract_id, 1,
            {{"contract_id", contract_id},
             {"subscription_id", subscription_id},
             {"customer_id", customer_id},
             {"project_id", *project_},
             {"rep_id", rep},
             {"signed_at", sales::to_rfc3339(std::chrono::system_clock::now())}});
    }
    // A member of a response's JSON body, by value (safe as a range-for initializer).
    static json member(const sales::http::ClientResponse& r, const std::string& name) {
        return r.json().at(name);
    }
    static bool in_inbox(const std::string& event_id) {
        return rows("inbox", "event_id = $1::uuid", {event_id}) == 1;
    }

    static inline std::string* project_ = nullptr;
};

// CUS-1/2: a customer is recorded with its first event; the phone is normalised; the owner sees
// everything; customer.created carries no PII.
TEST_F(CustomersApi, RecordsCustomerWithFirstEventCus1Cus2) {
    const auto phone = unique_mobile();
    const auto spaced =
        "+86 " + phone.substr(0, 3) + " " + phone.substr(3, 4) + " " + phone.substr(7);
    const auto c = created("rep-cus2", spaced);
    ASSERT_TRUE(c.contains("id"));
    EXPECT_EQ(c["phone"], phone);
    EXPECT_EQ(c["phone_kind"], "mobile");
    EXPECT_EQ(c["owner_id"], "rep-cus2");
    EXPECT_EQ(c["stage"], "potential");
    EXPECT_EQ(c["event_count"], 1);
    EXPECT_EQ(c["pii_masked"], false);
    EXPECT_EQ(c["entered_late"], false);
    const auto events = call("GET", "/api/v1/customers/" + c["id"].get<std::string>() + "/events",
                             "rep-cus2", "sales_rep");
    ASSERT_EQ(events.status, 200) << events.body;
    ASSERT_EQ(events.json()["items"].size(), 1u);
    EXPECT_EQ(events.json()["items"][0]["kind"], "visit");
    EXPECT_EQ(events.json()["items"][0]["channel"], "visit");  // defaults to the source channel
    const auto outbox = stack_->db("customer").transaction([&](sales::db::Tx& tx) {
        return tx
            .exec_one(
                "SELECT payload FROM outbox WHERE subject = 'customer.created' AND "
                "payload::jsonb->>'subject' = $1",
                {c["id"].get<std::string>()})
            .text(0);
    });
    EXPECT_EQ(outbox.find(phone), std::string::npos) << outbox;
    EXPECT_EQ(outbox.find("5101041986"), std::string::npos) << outbox;
}

// Bad input: invalid phone, unknown enum values, over-long fields, wrong types, unknown fields
// → 400 validation_failed naming the field; nothing is written.
TEST_F(CustomersApi, BadInputIsRejectedAndNothingWritten) {
    const auto before = counts();
    const auto phone = unique_mobile();
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"phone", "12345"}}, "phone"},
        {{{"phone", "138-1234-567a"}}, "phone"},
        {{{"phone", "+1 415 555 0100"}}, "phone"},
        {{{"phone", 13812345678LL}}, "phone"},
        {{{"channel", "walk_in"}}, "channel"},
        {{{"type", "luxury"}}, "type"},
        {{{"gender", "x"}}, "gender"},
        {{{"first_event", {{"kind", "dance"}}}}, "first_event.kind"},
        {{{"first_event", {{"kind", "visit"}, {"channel", "fax"}}}}, "first_event.channel"},
        {{{"first_event", {{"kind", "complaint"}}}}, "first_event.kind"},
        {{{"first_event", {{"kind", "survey"}}}}, "first_event.satisfaction"},
        {{{"first_event", {{"kind", "visit"}, {"occurred_at", "yesterday"}}}},
         "first_event.occurred_at"},
        {{{"first_event", {{"kind", "visit"}, {"occurred_at", "2999-01-01T00:00:00Z"}}}},
         "first_event.occurred_at"},
        {{{"first_event", nullptr}}, "first_event"},
        {{{"name", std::string(51, 'a')}}, "name"},
        {{{"name", ""}}, "name"},
        {{{"address", std::string(201, 'x')}}, "address"},
        {{{"first_event", {{"kind", "visit"}, {"note", std::string(1001, 'n')}}}},
         "first_event.note"},
        {{{"birth_year", "1986"}}, "birth_year"},
        {{{"birth_year", 1986.5}}, "birth_year"},
        {{{"birth_year", 1800}}, "birth_year"},
        {{{"needs", {{"budget_max_fen", 3000000.5}}}}, "needs.budget_max_fen"},
        {{{"needs", {{"budget_min_fen", 10}, {"budget_max_fen", 5}}}}, "needs.budget_min_fen"},
        {{{"needs", {{"purchase_horizon", "someday"}}}}, "needs.purchase_horizon"},
        {{{"id_number", "5101-0419"}}, "id_number"},
        {{{"project_id", "not-a-uuid"}}, "project_id"},
        {{{"surprise", true}}, "surprise"},
        {{{"name", 42}}, "name"},
    };
    for (const auto& [overrides, field] : cases) {
        const auto r =
            post("/api/v1/customers", new_customer(phone, overrides), "rep-bad", "sales_rep");
        auto error = expect_error(r, 400, "validation_failed");
        ASSERT_TRUE(error.is_object()) << overrides.dump();
        EXPECT_EQ(error["details"]["field"], field) << overrides.dump();
    }
    expect_error(
        stack_->http("customer")
            .request("POST", "/api/v1/customers", "{not json", Stack::as("rep-bad", {"sales_rep"})),
        400, "invalid_json");
    expect_error(post("/api/v1/customers", new_customer(phone, {{"project_id", sales::new_uuid()}}),
                      "rep-bad", "sales_rep"),
                 404, "project_not_found");
    expect_error(call("GET", "/api/v1/customers?stage=won", "rep-bad", "sales_rep"), 400,
                 "validation_failed");
    expect_error(call("GET", "/api/v1/customers?limit=0", "rep-bad", "sales_rep"), 400,
                 "validation_failed");
    expect_error(call("GET", "/api/v1/customers?colour=red", "rep-bad", "sales_rep"), 400,
                 "validation_failed");
    expect_error(post("/api/v1/customers", new_customer(phone), "cashier-1", "cashier"), 403,
                 "forbidden");
    EXPECT_EQ(counts(), before);
}

// CUS-3 race: 50 reps record the same phone at the same moment → one owner, 49 collisions.
TEST_F(CustomersApi, FiftyRepsSamePhoneOneOwnerFortyNineCollisionsCus3) {
    const auto phone = unique_mobile();
    constexpr int kReps = 50;
    std::latch start(kReps);
    std::vector<int> statuses(kReps);
    std::vector<std::string> codes(kReps);
    std::vector<std::thread> threads;
    for (int i = 0; i < kReps; ++i) {
        threads.emplace_back([&, i] {
            sales::http::Client client("127.0.0.1", stack_->port("customer"));
            const auto body = new_customer(phone).dump();
            const auto headers = Stack::as("rep-race-" + std::to_string(i), {"sales_rep"});
            start.arrive_and_wait();
            const auto r = client.request("POST", "/api/v1/customers", body, headers);
            statuses[i] = r.status;
            const auto j = json::parse(r.body, nullptr, false);
            if (j.is_object() && j.contains("error"))
                codes[i] = j["error"]["code"];
        });
    }
    for (auto& t : threads)
        t.join();
    int created = 0, collided = 0;
    for (int i = 0; i < kReps; ++i) {
        if (statuses[i] == 201)
            ++created;
        if (statuses[i] == 409 && codes[i] == "ownership_collision")
            ++collided;
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(collided, 49);
    EXPECT_EQ(rows("customers", "phone = $1", {phone}), 1);
    const auto customer_id = stack_->db("customer").transaction([&](sales::db::Tx& tx) {
        return tx.exec_one("SELECT id::text, owner_id FROM customers WHERE phone = $1", {phone});
    });
    EXPECT_EQ(rows("collisions", "customer_id = $1::uuid", {customer_id.text(0)}), 49);
    EXPECT_EQ(rows("collisions", "customer_id = $1::uuid AND claimant_id = $2",
                   {customer_id.text(0), customer_id.text(1)}),
              0);
    EXPECT_EQ(rows("outbox",
                   "subject = 'customer.collision_recorded' AND payload::jsonb->'data'->>"
                   "'customer_id' = $1",
                   {customer_id.text(0)}),
              49);
    EXPECT_EQ(rows("customer_events", "customer_id = $1::uuid", {customer_id.text(0)}), 1);

    // The sales manager sees them, reassigns one collision to its claimant; the rest confirm.
    const auto list = call("GET", "/api/v1/collisions?project_id=" + *project_ + "&limit=500",
                           "mgr-1", "sales_manager");
    ASSERT_EQ(list.status, 200) << list.body;
    std::vector<json> mine;
    for (const auto& k : member(list, "items")) {
        if (k["customer_id"] == customer_id.text(0))
            mine.push_back(k);
    }
    ASSERT_EQ(mine.size(), 49u) << list.body.substr(0, 600);
    EXPECT_EQ(list.body.find(phone), std::string::npos);  // masked
    const auto target = mine[0]["id"].get<std::string>();
    const auto claimant = mine[0]["claimant_id"].get<std::string>();
    const auto r = post("/api/v1/collisions/" + target + "/reassign", {{"note", "客户指定"}},
                        "mgr-1", "sales_manager");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["owner_id"], claimant);
    expect_error(post("/api/v1/collisions/" + target + "/confirm", {{"note", "again"}}, "mgr-1",
                      "sales_manager"),
                 409, "collision_resolved");
    expect_error(call("GET", "/api/v1/collisions", "rep-race-1", "sales_rep"), 403, "forbidden");
    EXPECT_EQ(rows("customers", "id = $1::uuid AND owner_id = $2", {customer_id.text(0), claimant}),
              1);
}

// CUS-8: a non-owner without customer.pii.read never receives the unmasked phone, ID number or
// address from any endpoint (detail, list, search, events, collisions, export, stale, tasks).
TEST_F(CustomersApi, NonOwnerNeverSeesUnmaskedPiiCus8) {
    const auto phone = unique_mobile();
    const std::string id_number = "51010419860307123X";
    const std::string address = "四川省成都市高新区天府大道北段1700号";
    const auto c = created("rep-owner", phone,
                           {{"first_event", {{"kind", "call_in"}, {"occurred_at", ago(24 * 20)}}}});
    const auto id = c["id"].get<std::string>();
    const auto leaks = [&](const sales::http::ClientResponse& r) {
        return r.body.find(phone) != std::string::npos ||
               r.body.find(id_number) != std::string::npos ||
               r.body.find(address) != std::string::npos;
    };
    const auto other = [&](const std::string& path) {
        return call("GET", path, "rep-other", "sales_rep");
    };
    const std::vector<std::string> paths = {
        "/api/v1/customers/" + id,
        "/api/v1/customers?project_id=" + *project_ + "&limit=500",
        "/api/v1/customers?q=" + phone.substr(3, 6),
        "/api/v1/customers?q=" + phone,
        "/api/v1/customers?q=%E7%8E%8B",  // 王
        "/api/v1/customers/" + id + "/events",
        "/api/v1/customers/" + id + "/corrections",
        "/api/v1/reps/rep-owner/tasks",  // 403 for another rep
    };
    for (const auto& path : paths) {
        const auto r = other(path);
        EXPECT_TRUE(r.status == 200 || r.status == 403) << path << " " << r.body;
        EXPECT_FALSE(leaks(r)) << path << " " << r.body;
    }
    const auto detail = other("/api/v1/customers/" + id).json();
    EXPECT_EQ(detail["phone"], phone.substr(0, 3) + "****" + phone.substr(7));
    EXPECT_EQ(detail["id_number"], "510***********123X");
    EXPECT_EQ(detail["address"], "四川省成都市****");
    EXPECT_EQ(detail["pii_masked"], true);
    // A fragment finds only the reader's own customers; the whole number finds it, masked.
    const auto search = other("/api/v1/customers?q=" + phone.substr(3, 6)).json();
    EXPECT_EQ(search["total"], 0) << search.dump();
    const auto exact = other("/api/v1/customers?q=" + phone).json();
    ASSERT_EQ(exact["items"].size(), 1u) << exact.dump();
    EXPECT_EQ(exact["items"][0]["phone"], phone.substr(0, 3) + "****" + phone.substr(7));
    // Another rep without export/manager permissions is refused those routes outright.
    for (const auto& path :
         std::vector<std::string>{"/api/v1/customers:export?project_id=" + *project_,
                                  "/api/v1/customers:stale?project_id=" + *project_,
                                  std::string("/api/v1/collisions")}) {
        const auto r = other(path);
        EXPECT_EQ(r.status, 403) << path;
        EXPECT_FALSE(leaks(r)) << path;
    }
    // An executive (report.read, no customer permission) sees nothing either.
    EXPECT_EQ(call("GET", "/api/v1/customers/" + id, "exec-1", "executive").status, 403);

    // The manager's lists and the anonymised export are masked too; no log rows for lists.
    const auto logged_before = rows("pii_access_log", "customer_id = $1::uuid", {id});
    for (const auto& path : std::vector<std::string>{
             "/api/v1/customers?q=" + phone,
             "/api/v1/customers:stale?project_id=" + *project_ + "&limit=500",
             "/api/v1/customers:export?project_id=" + *project_ + "&limit=10000",
             "/api/v1/reps/rep-owner/tasks"}) {
        const auto r = call("GET", path, "mgr-2", "sales_manager");
        EXPECT_EQ(r.status, 200) << path << r.body;
        EXPECT_FALSE(leaks(r)) << path << " " << r.body;
    }
    EXPECT_EQ(rows("pii_access_log", "customer_id = $1::uuid", {id}), logged_before);
    // The export has no direct identifiers and stable pseudonyms.
    const auto e1 = call("GET", "/api/v1/customers:export?project_id=" + *project_ + "&limit=10000",
                         "mgr-2", "sales_manager")
                        .json();
    const auto e2 = call("GET", "/api/v1/customers:export?project_id=" + *project_ + "&limit=10000",
                         "mgr-2", "sales_manager")
                        .json();
    ASSERT_FALSE(e1["items"].empty());
    EXPECT_EQ(e1["items"], e2["items"]);
    for (const auto& item : e1["items"]) {
        for (const char* banned : {"name", "phone", "id_number", "address", "id", "owner_id",
                                   "birth_year", "occupation"}) {
            EXPECT_FALSE(item.contains(banned)) << banned;
        }
        EXPECT_EQ(item["pseudonym"].get<std::string>().size(), 34u);
    }
    EXPECT_EQ(e1.dump().find(id), std::string::npos);

    // The owner sees everything without an audit row; the manager's detail read is audit-logged.
    const auto own = call("GET", "/api/v1/customers/" + id, "rep-owner", "sales_rep");
    EXPECT_EQ(own.json()["phone"], phone);
    EXPECT_EQ(rows("pii_access_log", "customer_id = $1::uuid", {id}), logged_before);
    const auto mgr = call("GET", "/api/v1/customers/" + id, "mgr-2", "sales_manager");
    EXPECT_EQ(mgr.json()["phone"], phone);
    EXPECT_EQ(mgr.json()["id_number"], id_number);
    EXPECT_EQ(rows("pii_access_log", "customer_id = $1::uuid AND reader_id = 'mgr-2'", {id}),
              logged_before + 1);
}

// contract.subscription.created → prospect; contract.signed → closed exactly once, even when the
// same event is delivered twice and a copy arrives under another event id.
TEST_F(CustomersApi, ContractSignedClosesExactlyOnceUnderRedelivery) {
    const auto c = created("rep-deal", unique_mobile());
    const auto id = c["id"].get<std::string>();
    const auto subscription_id = sales::new_uuid();
    const auto contract_id = sales::new_uuid();
    stack_->publish(
        subscription_event("contract.subscription.created", subscription_id, id, "rep-deal"));
    ASSERT_TRUE(eventually([&] { return stage_of(id) == "prospect"; }));

    const auto signed_ = signed_event(contract_id, subscription_id, id, "rep-deal");
    stack_->publish(signed_);
    stack_->publish(signed_);  // redelivery of the same event
    auto copy = signed_;
    copy.id = sales::new_uuid();  // the same fact under another event id
    stack_->publish(copy);
    ASSERT_TRUE(eventually([&] { return in_inbox(signed_.id) && in_inbox(copy.id); }));
    EXPECT_EQ(stage_of(id), "closed");
    EXPECT_EQ(rows("stage_history", "customer_id = $1::uuid AND to_stage = 'closed'", {id}), 1);
    EXPECT_EQ(rows("outbox",
                   "subject = 'customer.stage_changed' AND payload::jsonb->'data'->>'customer_id' "
                   "= $1 AND payload::jsonb->'data'->>'to_stage' = 'closed'",
                   {id}),
              1);
    // A late subscription event never reopens the closed customer.
    const auto late =
        subscription_event("contract.subscription.cancelled", subscription_id, id, "rep-deal");
    stack_->publish(late);
    ASSERT_TRUE(eventually([&] { return in_inbox(late.id); }));
    EXPECT_EQ(stage_of(id), "closed");
    // Closed is never set or left by hand.
    expect_error(
        post("/api/v1/customers/" + id + "/stage", {{"stage", "intent"}}, "rep-deal", "sales_rep"),
        409, "stage_closed_by_signing");
}

// CUS-7: fewer than 3 events → flagged unless a sales manager records an exception note.
TEST_F(CustomersApi, CommissionValidityPerDealCus7) {
    const auto thin = created("rep-com", unique_mobile())["id"].get<std::string>();
    const auto rich = created("rep-com", unique_mobile())["id"].get<std::string>();
    for (const char* kind : {"call_out", "follow_up"}) {
        const auto r =
            post("/api/v1/customers/" + rich + "/events",
                 {{"kind", kind}, {"channel", "call"}, {"note", "跟进"}}, "rep-com", "sales_rep");
        ASSERT_EQ(r.status, 201) << r.body;
    }
    const auto thin_deal = sales::new_uuid(), rich_deal = sales::new_uuid();
    const auto thin_contract = sales::new_uuid(), rich_contract = sales::new_uuid();
    const auto e1 = signed_event(thin_contract, thin_deal, thin, "rep-com");
    const auto e2 = signed_event(rich_contract, rich_deal, rich, "rep-com");
    stack_->publish(e1);
    stack_->publish(e2);
    ASSERT_TRUE(eventually([&] { return in_inbox(e1.id) && in_inbox(e2.id); }));

    auto v =
        call("GET", "/api/v1/deals/" + thin_contract + "/commission", "mgr-3", "sales_manager");
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.json()["event_count"], 1);
    EXPECT_EQ(v.json()["valid"], false);
    EXPECT_EQ(v.json()["flagged"], true);
    v = call("GET", "/api/v1/deals/" + rich_deal + "/commission", "rep-com", "sales_rep");
    EXPECT_EQ(v.json()["event_count"], 3);
    EXPECT_EQ(v.json()["valid"], true);
    const auto flagged =
        call("GET", "/api/v1/deals?flagged=true&project_id=" + *project_, "mgr-3", "sales_manager");
    std::set<std::string> ids;
    for (const auto& d : member(flagged, "items"))
        ids.insert(d["subscription_id"]);
    EXPECT_TRUE(ids.contains(thin_deal)) << flagged.body;
    EXPECT_FALSE(ids.contains(rich_deal));

    expect_error(post("/api/v1/deals/" + thin_deal + "/commission-exception",
                      {{"note", "客户出差"}}, "rep-com", "sales_rep"),
                 403, "forbidden");
    const auto ex =
        post("/api/v1/deals/" + thin_deal + "/commission-exception",
             {{"note", "客户长期在外地，电话沟通未全部登记"}}, "mgr-3", "sales_manager");
    ASSERT_EQ(ex.status, 200) << ex.body;
    EXPECT_EQ(ex.json()["valid"], true);
    EXPECT_EQ(ex.json()["flagged"], false);
}

// CUS-4/6: a customer without events for 14 days is stale (and was entered late); the manager
// reassigns it; CUS-5: a leaver's customers are reassigned in bulk and the departure closes.
TEST_F(CustomersApi, StaleReassignmentAndDepartureCus4Cus5Cus6) {
    const auto stale =
        created("rep-leaver", unique_mobile(),
                {{"first_event", {{"kind", "visit"}, {"occurred_at", ago(24 * 15)}}}});
    EXPECT_EQ(stale["entered_late"], true);  // CUS-6
    const auto fresh = created("rep-leaver", unique_mobile());
    const auto stale_id = stale["id"].get<std::string>();
    const auto fresh_id = fresh["id"].get<std::string>();

    const auto list = call("GET", "/api/v1/customers:stale?project_id=" + *project_ + "&limit=500",
                           "mgr-4", "sales_manager");
    ASSERT_EQ(list.status, 200) << list.body;
    std::set<std::string> ids;
    for (const auto& c : member(list, "items"))
        ids.insert(c["id"]);
    EXPECT_TRUE(ids.contains(stale_id)) << list.body;
    EXPECT_FALSE(ids.contains(fresh_id));
    const auto tasks = call("GET", "/api/v1/reps/rep-leaver/tasks", "rep-leaver", "sales_rep");
    ASSERT_EQ(tasks.status, 200) << tasks.body;
    EXPECT_EQ(tasks.json()["stale"].size(), 1u);
    EXPECT_GE(tasks.json()["late_entries"].size(), 1u);

    // A rep cannot reassign; a manager can.
    expect_error(post("/api/v1/customers/" + stale_id + "/reassign",
                      {{"to_rep_id", "rep-x"}, {"reason", "stale"}}, "rep-leaver", "sales_rep"),
                 403, "forbidden");
    const auto r =
        post("/api/v1/customers/" + stale_id + "/reassign",
             {{"to_rep_id", "rep-new"}, {"reason", "14 天未跟进"}}, "mgr-4", "sales_manager");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["owner_id"], "rep-new");
    EXPECT_EQ(
        rows("outbox",
             "subject = 'customer.reassigned' AND payload::jsonb->'data'->>'customer_id' = $1",
             {stale_id}),
        1);

    // CUS-5: departure of rep-leaver, who still owns `fresh`.
    const auto d = post("/api/v1/departures", {{"rep_id", "rep-leaver"}, {"reason", "离职"}},
                        "mgr-4", "sales_manager");
    ASSERT_EQ(d.status, 201) << d.body;
    EXPECT_EQ(d.json()["remaining_customers"], 1);
    expect_error(post("/api/v1/departures", {{"rep_id", "rep-leaver"}, {"reason", "again"}},
                      "mgr-4", "sales_manager"),
                 409, "departure_open");
    const auto departure_id = d.json()["id"].get<std::string>();
    auto open = call("GET", "/api/v1/departures", "mgr-4", "sales_manager").json();
    EXPECT_NE(open.dump().find(departure_id), std::string::npos);
    const auto done = post("/api/v1/departures/" + departure_id + "/reassign",
                           {{"to_rep_id", "rep-heir"}}, "mgr-4", "sales_manager");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["moved"], 1);
    EXPECT_EQ(done.json()["remaining_customers"], 0);
    EXPECT_TRUE(done.json()["completed_at"].is_string());
    open = call("GET", "/api/v1/departures", "mgr-4", "sales_manager").json();
    EXPECT_EQ(open.dump().find(departure_id), std::string::npos);  // listed until done
    EXPECT_EQ(rows("customers", "id = $1::uuid AND owner_id = 'rep-heir'", {fresh_id}), 1);
}

// CUS-10: complaint deadlines in working days per project, overdue list, surveys as events.
TEST_F(CustomersApi, ComplaintsDeadlinesAndOverdueCus10) {
    const auto c = created("rep-care", unique_mobile())["id"].get<std::string>();
    const auto today = sales::shanghai_date(std::chrono::system_clock::now());
    const auto received = sales::Date{std::chrono::sys_days{today} - std::chrono::days(21)};
    const auto r = post("/api/v1/customers/" + c + "/complaints",
                        {{"category", "quality"},
                         {"description", "样板间漏水"},
                         {"received_on", sales::to_string(received)}},
                        "rep-care", "sales_rep");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["first_response_due"],
              sales::to_string(sales::add_working_days(received, 1)));
    EXPECT_EQ(r.json()["final_due"], sales::to_string(sales::add_working_days(received, 10)));
    EXPECT_EQ(r.json()["overdue"], true);
    const auto id = r.json()["id"].get<std::string>();
    const auto overdue = call("GET", "/api/v1/complaints?overdue=true&project_id=" + *project_,
                              "mgr-5", "sales_manager");
    EXPECT_NE(overdue.body.find(id), std::string::npos) << overdue.body;
    expect_error(post("/api/v1/customers/" + c + "/complaints",
                      {{"category", "noise"}, {"description", "x"}}, "rep-care", "sales_rep"),
                 400, "validation_failed");
    const auto resolved = post("/api/v1/complaints/" + id + "/resolve", {{"result", "已维修"}},
                               "svc-1", "sales_service");
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(resolved.json()["status"], "resolved");
    EXPECT_EQ(resolved.json()["overdue"], false);
    expect_error(post("/api/v1/complaints/" + id + "/respond", {{"response", "x"}}, "svc-1",
                      "sales_service"),
                 409, "complaint_closed");
    // A satisfaction survey by customer service is a customer event.
    const auto survey = post("/api/v1/customers/" + c + "/events",
                             {{"kind", "survey"}, {"channel", "call"}, {"satisfaction", 4}},
                             "svc-1", "sales_service");
    EXPECT_EQ(survey.status, 201) << survey.body;
    EXPECT_EQ(rows("customer_events", "customer_id = $1::uuid", {c}),
              3);  // visit, complaint, survey
}

// CUS-9: corrections are logged; long-inactive records are archived with a backup copy and stay
// in the database; per-project settings are editable by the manager.
TEST_F(CustomersApi, CorrectionsSettingsAndArchiveCus9) {
    const auto phone = unique_mobile();
    const auto c = created("rep-arch", phone,
                           {{"first_event", {{"kind", "call_in"}, {"occurred_at", ago(24 * 40)}}}});
    const auto id = c["id"].get<std::string>();
    const auto corrected = post("/api/v1/customers/" + id + "/corrections",
                                {{"field", "name"}, {"value", "王大明"}, {"reason", "客户更正"}},
                                "rep-arch", "sales_rep");
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    EXPECT_EQ(corrected.json()["name"], "王大明");
    EXPECT_EQ(rows("corrections", "customer_id = $1::uuid AND old_value = '王先生'", {id}), 1);
    expect_error(
        post("/api/v1/customers/" + id + "/corrections",
             {{"field", "stage"}, {"value", "closed"}, {"reason", "x"}}, "rep-arch", "sales_rep"),
        400, "validation_failed");

    const auto settings_path = "/api/v1/projects/" + *project_ + "/customer-settings";
    expect_error(
        call("PATCH", settings_path, "rep-arch", "sales_rep", json{{"archive_after_days", 30}}),
        403, "forbidden");
    expect_error(
        call("PATCH", settings_path, "mgr-6", "sales_manager", json{{"archive_after_days", 5}}),
        400, "validation_failed");
    const auto patched =
        call("PATCH", settings_path, "mgr-6", "sales_manager", json{{"archive_after_days", 30}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["archive_after_days"], 30);
    EXPECT_EQ(patched.json()["stale_days"], 14);

    const auto archived =
        post("/api/v1/customers:archive", {{"project_id", *project_}, {"limit", 1000}}, "mgr-6",
             "sales_manager");
    ASSERT_EQ(archived.status, 200) << archived.body;
    EXPECT_NE(archived.body.find(id), std::string::npos);
    EXPECT_EQ(rows("customers", "id = $1::uuid AND archived_at IS NOT NULL", {id}), 1);
    EXPECT_EQ(rows("customer_archive",
                   "customer_id = $1::uuid AND snapshot->'customer'->>'phone' = $2", {id, phone}),
              1);
    // Archived records leave the live lists; the phone may be recorded afresh.
    const auto live = call("GET", "/api/v1/customers?q=" + phone, "rep-arch", "sales_rep").json();
    EXPECT_EQ(live["total"], 0);
    created("rep-arch", phone);
    // Put the default back for the other tests.
    EXPECT_EQ(
        call("PATCH", settings_path, "mgr-6", "sales_manager", json{{"archive_after_days", 730}})
            .status,
        200);
}

// Reports: calls and visits per day, rep and channel.
TEST_F(CustomersApi, CallsAndVisitsCountsPerDayRepChannel) {
    const auto c = created("rep-report", unique_mobile())["id"].get<std::string>();
    for (const char* kind : {"call_in", "call_out", "visit"}) {
        ASSERT_EQ(post("/api/v1/customers/" + c + "/events", {{"kind", kind}, {"channel", "call"}},
                       "rep-report", "sales_rep")
                      .status,
                  201);
    }
    const auto today = sales::to_string(sales::shanghai_date(std::chrono::system_clock::now()));
    const auto r =
        call("GET",
             "/api/v1/reports/contacts?project_id=" + *project_ + "&from=" + today + "&to=" + today,
             "mgr-7", "sales_manager");
    ASSERT_EQ(r.status, 200) << r.body;
    std::int64_t calls = -1, visits = -1, first_visits = -1;
    for (const auto& row : member(r, "rows")) {
        if (row["rep_id"] == "rep-report" && row["channel"] == "call") {
            calls = row["calls"];
            visits = row["visits"];
        }
        if (row["rep_id"] == "rep-report" && row["channel"] == "visit")
            first_visits = row["visits"];
    }
    EXPECT_EQ(calls, 2) << r.body;
    EXPECT_EQ(visits, 1);
    EXPECT_EQ(first_visits, 1);
    // 来电来访明细表 as a download: the same rows in Chinese, and a 合计 row.
    const auto range = "/api/v1/reports/contacts?project_id=" + *project_ + "&from=" + today +
                       "&to=" + today + "&format=";
    const auto csv = call("GET", range + "csv", "mgr-7", "sales_manager");
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.headers.at("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.headers.at("Content-Disposition").find("filename=\"contacts.csv\""),
              std::string::npos);
    std::vector<std::string> lines;
    std::istringstream text(csv.body);
    for (std::string line; std::getline(text, line);)
        lines.push_back(line);
    ASSERT_EQ(lines.size(), member(r, "rows").size() + 2) << csv.body;  // header, rows, 合计
    EXPECT_NE(lines[0].find("来电,来访,全部接触"), std::string::npos) << lines[0];
    EXPECT_NE(csv.body.find(today + ",rep-report,来电,2,1,"), std::string::npos) << csv.body;
    EXPECT_EQ(lines.back().rfind("合计,,," + std::to_string(member(r, "total_calls").get<int>()) +
                                     "," + std::to_string(member(r, "total_visits").get<int>()),
                                 0),
              0u)
        << lines.back();
    const auto xlsx = call("GET", range + "xlsx", "mgr-7", "sales_manager");
    ASSERT_EQ(xlsx.status, 200) << xlsx.body;
    EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u) << "an .xlsx is a zip archive";
    expect_error(call("GET", range + "pdf", "mgr-7", "sales_manager"), 400, "validation_failed");
    expect_error(call("GET", "/api/v1/reports/contacts?project_id=" + *project_ + "&from=" + today,
                      "mgr-7", "sales_manager"),
                 400, "validation_failed");
}

// FIN-5: finance's overdue instalments are the owning rep's tasks until they are paid.
TEST_F(CustomersApi, OverdueInstalmentsAreTheOwningRepsTasksUntilPaid) {
    const auto contract = sales::new_uuid();
    const auto overdue = [&](int seq, const std::string& due) {
        return sales::bus::make_event("finance", "finance.instalment.overdue",
                                      contract + ":" + std::to_string(seq), 1,
                                      {{"contract_id", contract},
                                       {"contract_no", "2026-HX01-000777"},
                                       {"project_id", *project_},
                                       {"customer_id", sales::new_uuid()},
                                       {"rep_id", "rep-dun"},
                                       {"seq", seq},
                                       {"due_date", due},
                                       {"kind", "instalment"},
                                       {"amount_fen", 300'000},
                                       {"outstanding_fen", 250'000},
                                       {"overdue_days", 3}});
    };
    const auto tasks = [&] {
        const auto r = call("GET", "/api/v1/reps/rep-dun/tasks", "rep-dun", "sales_rep");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.json()["overdue_instalments"] : json::array();
    };
    const auto first = overdue(1, "2026-11-01");
    stack_->publish(first);
    stack_->publish(first);  // a repeat
    stack_->publish(overdue(2, "2026-11-15"));
    ASSERT_TRUE(eventually([&] { return tasks().size() == 2u; }));
    const auto listed = tasks();
    EXPECT_EQ(listed[0]["contract_no"], "2026-HX01-000777");
    EXPECT_EQ(listed[0]["due_date"], "2026-11-01");
    EXPECT_EQ(listed[0]["outstanding_fen"], 250'000);
    // Another rep does not see them; another project's caller neither.
    EXPECT_EQ(call("GET", "/api/v1/reps/rep-dun/tasks", "rep-other", "sales_rep").status, 403);

    stack_->publish(sales::bus::make_event("finance", "finance.instalment.settled", contract + ":1",
                                           2,
                                           {{"contract_id", contract},
                                            {"project_id", *project_},
                                            {"rep_id", "rep-dun"},
                                            {"seq", 1},
                                            {"due_date", "2026-11-01"}}));
    ASSERT_TRUE(eventually([&] { return tasks().size() == 1u; }));
    EXPECT_EQ(tasks()[0]["seq"], 2);
    const auto dead = rows("dead_letter");
    stack_->publish(sales::bus::make_event("finance", "finance.instalment.overdue", "x", 1,
                                           {{"contract_id", "not-a-uuid"}}));
    EXPECT_TRUE(eventually([&] { return rows("dead_letter") == dead + 1; }));
}

}  // namespace
