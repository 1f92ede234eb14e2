// Contract search 合同查询 (GET /api/v1/contracts) and the CON-7 registration deadline
// (registration_due_on, GET /api/v1/contracts/awaiting-registration, one registration number per
// project): the real contract service with a real PostgreSQL and a private nats-server. Inventory
// is stood in for by a hold responder that names each unit's building and number; finance by
// publishing finance.deposit.received.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <vector>

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

constexpr std::int64_t kList = 150'000'000;
constexpr std::int64_t kDeposit = 5'000'000;

struct Unit {
    std::string project_id;
    std::string building_id;
    std::string number;
};

struct Deal {
    std::string rep = "rep-1";
    std::string building;  // "" = building_a()
    std::string number = "0101";
    std::string customer = sales::new_uuid();
    std::string plan = "mortgage";  // or one_off
};

Deal deal(std::string rep, std::string building, std::string number, std::string plan = "mortgage",
          std::string customer = sales::new_uuid()) {
    Deal d;
    d.rep = std::move(rep);
    d.building = std::move(building);
    d.number = std::move(number);
    d.plan = std::move(plan);
    d.customer = std::move(customer);
    return d;
}

class ContractSearchApi : public sales::test::StackSuite<ContractSearchApi> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("con_search", {"contract"},
                           {{"SALES_CONTRACT_IO_THREADS", "4"}, {"SALES_CONTRACT_DB_POOL", "10"}});
        stack_->nats().serve("rpc.inventory.hold", "inventory", [](const std::string& text) {
            const auto r = json::parse(text);
            std::lock_guard lock(mutex_);
            const auto it = units_.find(r.at("unit_id").get<std::string>());
            if (it == units_.end())
                return json{{"result", "not_found"}}.dump();
            return json{{"result", "held"},
                        {"unit",
                         {{"unit_id", it->first},
                          {"project_id", it->second.project_id},
                          {"building_id", it->second.building_id},
                          {"unit_number", it->second.number},
                          {"list_total_fen", kList},
                          {"gross_area_centi_m2", 10'000},
                          {"internal_area_centi_m2", 8'000}}}}
                .dump();
        });
        project_ = new std::string(stack_->announce_project("contract", "SQ01", "查询一期"));
    }
    static void TearDownTestSuite() {
        delete project_;
        StackSuite::TearDownTestSuite();
    }

    static std::int64_t rows(const std::string& table, const std::string& where = "true",
                             const sales::db::Params& params = {}) {
        return stack_->count("contract", "SELECT count(*) FROM " + table + " WHERE " + where,
                             params);
    }
    static sales::http::ClientResponse get(const std::string& path, const std::string& role,
                                           std::vector<std::string> projects = {"*"}) {
        return stack_->call("contract", "GET", path, nullptr,
                            Stack::as("user-" + role, {role}, std::move(projects)));
    }
    static sales::http::ClientResponse post(const std::string& path, const json& body,
                                            const std::string& role, const std::string& user = "") {
        return stack_->call("contract", "POST", path, body,
                            Stack::as(user.empty() ? "user-" + role : user, {role}));
    }
    static json ok(const sales::http::ClientResponse& r, int status = 200) {
        EXPECT_EQ(r.status, status) << r.body;
        return r.status == status ? r.json() : json::object();
    }
    static json plan_of(const std::string& kind) {
        if (kind == "one_off")
            return {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}};
        return {{"kind", "mortgage"},
                {"down_payment_fen", kList - 100'000'000},
                {"down_payment_due_date", Stack::date_in_days(10)},
                {"loan_fen", 100'000'000},
                {"loan_expected_date", Stack::date_in_days(60)}};
    }

    // A signed contract of `deal` in `project` (deposit paid, signed by the deal's rep).
    static json signed_contract(const std::string& project, const Deal& deal = {}) {
        const auto unit = sales::new_uuid();
        {
            std::lock_guard lock(mutex_);
            units_[unit] = {project, deal.building.empty() ? building_a() : deal.building,
                            deal.number};
        }
        const auto sub = ok(stack_->call("contract", "POST", "/api/v1/subscriptions",
                                         json{{"unit_id", unit},
                                              {"customer_id", deal.customer},
                                              {"payment_plan", deal.plan},
                                              {"deposit_fen", kDeposit},
                                              {"signing_deadline", Stack::date_in_days(30)}},
                                         Stack::as(deal.rep, {"sales_rep"})),
                            201);
        const std::string id = sub.value("id", "");
        stack_->publish(
            sales::bus::make_event("finance", "finance.deposit.received", id, 1,
                                   {{"subscription_id", id},
                                    {"amount_fen", kDeposit},
                                    {"receipt_no", "R-" + id},
                                    {"paid_at", sales::to_rfc3339(sales::SystemClock().now())}}));
        EXPECT_TRUE(eventually([&] {
            return rows("subscriptions", "id = $1::uuid AND status = 'confirmed'", {id}) == 1;
        }));
        return ok(post("/api/v1/subscriptions/" + id + "/sign", {{"plan", plan_of(deal.plan)}},
                       "sales_rep", deal.rep),
                  201);
    }
    static void review(const std::string& id) {
        for (const char* role :
             {"sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"}) {
            ok(post("/api/v1/contracts/" + id + "/audit/approve", {{"note", "同意"}}, role));
        }
    }
    static json stamp(const std::string& id, const std::string& stamped_on) {
        return ok(post("/api/v1/contracts/" + id + "/stamp",
                       {{"stamped_on", stamped_on}, {"stamp_no", "GZ-" + id.substr(0, 8)}}, "gm"));
    }
    static json stamped_contract(const std::string& project, const std::string& stamped_on,
                                 const Deal& deal = {}) {
        const auto c = signed_contract(project, deal);
        review(c["id"]);
        return stamp(c["id"], stamped_on);
    }
    static sales::http::ClientResponse register_as(const std::string& id,
                                                   const std::string& number) {
        return post("/api/v1/contracts/" + id + "/registration",
                    {{"filed_at", sales::to_rfc3339(sales::SystemClock().now() - 1h)},
                     {"registration_date", Stack::date_in_days(0)},
                     {"registration_no", number}},
                    "sales_manager");
    }
    static std::vector<std::string> ids_of(const json& page, const char* key = "id") {
        std::vector<std::string> out;
        for (const auto& item : page["items"])
            out.push_back(item[key].get<std::string>());
        return out;
    }
    static std::string working_days_after(const std::string& day, std::int64_t days) {
        return sales::to_string(sales::add_working_days(*sales::parse_date(day), days));
    }

    static const std::string& building_a() {
        static const std::string id = sales::new_uuid();
        return id;
    }
    static const std::string& building_b() {
        static const std::string id = sales::new_uuid();
        return id;
    }

    static inline std::string* project_ = nullptr;
    static inline std::mutex mutex_;
    static inline std::map<std::string, Unit> units_;
};

// Every filter narrows to exactly the contracts it names; paging walks one stable order (newest
// signing first) with the total of the whole result.
TEST_F(ContractSearchApi, EveryFilterNarrowsAndPagingWalksOneStableOrder) {
    const auto project = stack_->announce_project("contract", "SQ02", "查询二期");
    const auto customer = sales::new_uuid();
    const auto a1 =
        signed_contract(project, deal("rep-1", building_a(), "0101", "mortgage", customer));
    const auto a2 = signed_contract(project, deal("rep-2", building_a(), "0102", "one_off"));
    const auto b1 =
        signed_contract(project, deal("rep-1", building_b(), "1201", "mortgage", customer));
    const auto b2 = signed_contract(project, deal("rep-2", building_b(), "1202", "one_off"));
    review(b1["id"]);
    stamp(b1["id"], Stack::date_in_days(0));
    review(b2["id"]);
    stamp(b2["id"], Stack::date_in_days(0));
    ok(register_as(b2["id"], "WQ-SQ02-1"));
    const std::string base = "/api/v1/contracts?project_id=" + project;
    const auto ids = [&](const std::string& query) {
        const auto ids = ids_of(ok(get(base + query, "sales_manager")));
        return std::set<std::string>(ids.begin(), ids.end());
    };
    const std::string A1 = a1["id"], A2 = a2["id"], B1 = b1["id"], B2 = b2["id"];

    // Newest first: signed in the order a1, a2, b1, b2.
    const auto all = ok(get(base, "sales_manager"));
    EXPECT_EQ(ids_of(all), (std::vector<std::string>{B2, B1, A2, A1}));
    EXPECT_EQ(all["total"], 4);
    EXPECT_EQ(all["limit"], 50);
    EXPECT_EQ(all["offset"], 0);
    const auto& item = all["items"][1];  // b1
    EXPECT_EQ(item["contract_no"], b1["contract_no"]);
    EXPECT_EQ(item["project_id"], project);
    EXPECT_EQ(item["building_id"], building_b());
    EXPECT_EQ(item["unit_number"], "1201");
    EXPECT_EQ(item["unit_id"], b1["unit_id"]);
    EXPECT_EQ(item["customer_id"], customer);
    EXPECT_EQ(item["rep_id"], "rep-1");
    EXPECT_EQ(item["status"], "stamped");
    EXPECT_EQ(item["payment_plan"], "mortgage");
    EXPECT_EQ(item["price_fen"], kList);
    EXPECT_EQ(item["signed_at"], b1["signed_at"]);
    EXPECT_EQ(item["stamped_on"], Stack::date_in_days(0));
    EXPECT_EQ(item["registration_due_on"], working_days_after(Stack::date_in_days(0), 2));
    EXPECT_TRUE(item["registration_no"].is_null());
    EXPECT_EQ(item["handover_state"], "not_eligible");
    EXPECT_EQ(all["items"][0]["registration_no"], "WQ-SQ02-1");
    // No customer PII in contract's answers (CUS-8 is the customer service's).
    for (const auto& i : all["items"]) {
        EXPECT_FALSE(i.contains("customer_name") || i.contains("phone")) << i.dump();
    }

    EXPECT_EQ(ids("&building_id=" + building_a()), (std::set<std::string>{A1, A2}));
    EXPECT_EQ(ids("&status=in_audit"), (std::set<std::string>{A1, A2}));
    EXPECT_EQ(ids("&status=stamped,registered"), (std::set<std::string>{B1, B2}));
    EXPECT_EQ(ids("&status=cancelled"), std::set<std::string>{});
    EXPECT_EQ(ids("&rep_id=rep-2"), (std::set<std::string>{A2, B2}));
    EXPECT_EQ(ids("&payment_plan=one_off"), (std::set<std::string>{A2, B2}));
    EXPECT_EQ(ids("&customer_id=" + customer), (std::set<std::string>{A1, B1}));
    EXPECT_EQ(ids("&contract_no=" + b2["contract_no"].get<std::string>()),
              std::set<std::string>{B2});
    const auto year = Stack::date_in_days(0).substr(0, 4);
    EXPECT_EQ(ids("&contract_no=" + year + "-SQ02-"), (std::set<std::string>{A1, A2, B1, B2}));
    EXPECT_EQ(ids("&contract_no=" + year + "-SQ0_-"), std::set<std::string>{});  // no wildcard
    EXPECT_EQ(ids("&contract_no=SQ02"), std::set<std::string>{});                // a prefix
    EXPECT_EQ(ids("&building_id=" + building_b() + "&status=stamped&rep_id=rep-1"),
              std::set<std::string>{B1});
    EXPECT_EQ(ids("&handover_state=not_eligible").size(), 4u);
    EXPECT_EQ(ids("&handover_state=eligible"), std::set<std::string>{});
    // Signing days in Asia/Shanghai, both ends inclusive.
    const auto today = Stack::date_in_days(0);
    EXPECT_EQ(ids("&signed_from=" + today + "&signed_to=" + today).size(), 4u);
    EXPECT_EQ(ids("&signed_to=" + Stack::date_in_days(-1)), std::set<std::string>{});
    EXPECT_EQ(ids("&signed_from=" + Stack::date_in_days(1)), std::set<std::string>{});
    EXPECT_EQ(ids("&signed_from=" + Stack::date_in_days(-30)).size(), 4u);

    // Paging: one order, pages that do not overlap, the total of the whole result.
    std::vector<std::string> walked;
    for (int offset = 0; offset < 5; offset += 2) {
        const auto page = ok(get(base + "&limit=2&offset=" + std::to_string(offset), "gm"));
        EXPECT_EQ(page["total"], 4);
        EXPECT_EQ(page["limit"], 2);
        EXPECT_EQ(page["offset"], offset);
        for (const auto& id : ids_of(page))
            walked.push_back(id);
    }
    EXPECT_EQ(walked, ids_of(all));
    const auto past_the_end = ok(get(base + "&offset=10", "gm"));
    EXPECT_TRUE(past_the_end["items"].empty());
    EXPECT_EQ(past_the_end["total"], 4);

    // The contract itself names its building and unit (楼栋/房号) and its registration due day.
    const auto full = ok(get("/api/v1/contracts/" + B1, "sales_rep"));
    EXPECT_EQ(full["building_id"], building_b());
    EXPECT_EQ(full["unit_number"], "1201");
    EXPECT_EQ(full["registration_due_on"], working_days_after(today, 2));
}

// Whoever reads contracts may search (subscription.read or handover.manage); others get 403;
// a caller sees only their projects' contracts (SEC-1), whatever the filter says.
TEST_F(ContractSearchApi, ReadersSearchOnlyTheirProjectsOthersAre403) {
    const auto mine = stack_->announce_project("contract", "SQ03", "查询三期");
    const auto c = signed_contract(mine);
    const std::string query =
        "/api/v1/contracts?contract_no=" + c["contract_no"].get<std::string>();
    for (const char* role : {"sales_rep", "sales_control", "sales_supervisor", "sales_manager",
                             "cashier", "finance_supervisor", "finance_director", "gm",
                             "handover_clerk", "sales_service", "executive", "admin"}) {
        const auto page = ok(get(query, role, {mine}));
        EXPECT_EQ(ids_of(page), std::vector<std::string>{c["id"].get<std::string>()}) << role;
    }
    for (const char* role : {"operator", "mortgage_clerk"})
        expect_error(get(query, role), 403, "forbidden");
    const auto elsewhere = sales::new_uuid();
    auto page = ok(get(query, "sales_manager", {elsewhere}));
    EXPECT_TRUE(page["items"].empty());
    EXPECT_EQ(page["total"], 0);
    page = ok(get(query + "&project_id=" + mine, "sales_manager", {elsewhere}));
    EXPECT_EQ(page["total"], 0);
    page = ok(get(query, "sales_manager", {elsewhere, *project_, mine}));
    EXPECT_EQ(page["total"], 1);
    page = ok(get(query, "sales_manager", {"not-a-project"}));
    EXPECT_EQ(page["total"], 0);
}

TEST_F(ContractSearchApi, BadSearchInputIsA400) {
    const std::string base = "/api/v1/contracts?";
    for (const char* query :
         {"status=signed", "status=stamped,", "status=", "signed_from=2026-02-30",
          "signed_from=2026-05-02&signed_to=2026-05-01", "limit=0", "limit=201", "offset=-1",
          "building_id=x", "project_id=1", "customer_id=abc", "payment_plan=cash",
          "handover_state=done", "contract_no=", "colour=red",
          "contract_no=123456789012345678901234567890123"}) {
        expect_error(get(base + query, "sales_manager"), 400, "validation_failed");
    }
    EXPECT_EQ(ok(get(base + "limit=200", "sales_manager"))["limit"], 200);
}

// CON-7: stamping records the filing's due day, 2 working days after the stamping day by
// default, the project's setting otherwise; a contract stamped before the due day was recorded
// gets it when the service starts.
TEST_F(ContractSearchApi, StampingRecordsTheRegistrationDueDayInWorkingDaysCon7) {
    const auto stamped_on = Stack::date_in_days(-1);
    const auto c = stamped_contract(*project_, stamped_on);
    EXPECT_EQ(c["registration_due_on"], working_days_after(stamped_on, 2));

    const auto project = stack_->announce_project("contract", "SQ04", "查询四期");
    expect_error(
        stack_->call("contract", "PATCH", "/api/v1/projects/" + project + "/contract-settings",
                     json{{"registration_deadline_working_days", 0}}, Stack::auth("sales_manager")),
        400, "validation_failed");
    expect_error(
        stack_->call("contract", "PATCH", "/api/v1/projects/" + project + "/contract-settings",
                     json{{"registration_deadline_working_days", 5}}, Stack::auth("gm")),
        403, "forbidden");
    const auto settings = ok(stack_->call(
        "contract", "PATCH", "/api/v1/projects/" + project + "/contract-settings",
        json{{"registration_deadline_working_days", 5}}, Stack::auth("sales_manager")));
    EXPECT_EQ(settings["registration_deadline_working_days"], 5);
    EXPECT_EQ(settings["audit_deadline_working_days"], 2);
    const auto five = stamped_contract(project, stamped_on);
    EXPECT_EQ(five["registration_due_on"], working_days_after(stamped_on, 5));

    // Stamped before the due day existed: filled in at start, from the project's setting.
    stack_->db("contract").transaction([&](sales::db::Tx& tx) {
        tx.exec("UPDATE contracts SET registration_due_on = NULL WHERE id = ANY($1::uuid[])",
                {sales::db::param(std::vector<std::string>{c["id"].get<std::string>(),
                                                           five["id"].get<std::string>()})});
    });
    stack_->kill_and_restart("contract");
    EXPECT_EQ(
        ok(get("/api/v1/contracts/" + c["id"].get<std::string>(), "gm"))["registration_due_on"],
        working_days_after(stamped_on, 2));
    EXPECT_EQ(
        ok(get("/api/v1/contracts/" + five["id"].get<std::string>(), "gm"))["registration_due_on"],
        working_days_after(stamped_on, 5));
}

// CON-7: stamped and not yet registered, due first, overdue flagged (after the due day);
// `overdue=true` keeps the overdue ones; a registration takes the contract off the list.
TEST_F(ContractSearchApi, AwaitingRegistrationListsStampedContractsDueFirstCon7) {
    const auto project = stack_->announce_project("contract", "SQ05", "查询五期");
    const auto today = Stack::date_in_days(0);
    const auto late_day = Stack::date_in_days(-14);  // due 2 working days later: long past
    const auto late = stamped_contract(project, late_day, deal("rep-1", building_b(), "0808"));
    const auto fresh = stamped_contract(project, today);
    const auto unstamped = signed_contract(project);
    const std::string list = "/api/v1/contracts/awaiting-registration?project_id=" + project;

    const auto page = ok(get(list, "sales_manager"));
    const std::string late_id = late["id"], fresh_id = fresh["id"];
    EXPECT_EQ(ids_of(page, "contract_id"),
              (std::vector<std::string>{late_id, fresh_id}));  // due first
    EXPECT_EQ(page["total"], 2);
    const auto& first = page["items"][0];
    EXPECT_EQ(first["id"], late["id"]);
    EXPECT_EQ(first["contract_no"], late["contract_no"]);
    EXPECT_EQ(first["stamped_on"], late_day);
    EXPECT_EQ(first["due_on"], working_days_after(late_day, 2));
    EXPECT_EQ(first["registration_due_on"], first["due_on"]);
    EXPECT_EQ(first["overdue"], true);
    EXPECT_EQ(first["building_id"], building_b());
    EXPECT_EQ(first["unit_number"], "0808");
    EXPECT_EQ(page["items"][1]["overdue"], false);  // due in 2 working days
    EXPECT_EQ(page["items"][1]["due_on"], working_days_after(today, 2));

    EXPECT_EQ(ids_of(ok(get(list + "&overdue=true", "gm")), "contract_id"),
              std::vector<std::string>{late_id});
    const auto paged = ok(get(list + "&limit=1&offset=1", "handover_clerk"));
    EXPECT_EQ(ids_of(paged, "contract_id"), std::vector<std::string>{fresh_id});
    EXPECT_EQ(paged["total"], 2);

    ok(register_as(late["id"], "WQ-SQ05-1"));
    EXPECT_EQ(ids_of(ok(get(list, "sales_manager")), "contract_id"),
              std::vector<std::string>{fresh_id});
    EXPECT_TRUE(ok(get(list + "&overdue=true", "sales_manager"))["items"].empty());

    // Readers of contracts only, within their projects.
    for (const char* role : {"sales_rep", "cashier", "executive", "handover_clerk"})
        EXPECT_EQ(ok(get(list, role, {project}))["total"], 1) << role;
    for (const char* role : {"operator", "mortgage_clerk"})
        expect_error(get(list, role), 403, "forbidden");
    EXPECT_EQ(ok(get(list, "sales_manager", {sales::new_uuid()}))["total"], 0);
    EXPECT_EQ(ok(get("/api/v1/contracts/awaiting-registration", "sales_manager",
                     {sales::new_uuid()}))["total"],
              0);
    expect_error(get(list + "&overdue=maybe", "gm"), 400, "validation_failed");
    expect_error(get(list + "&project_id=x", "gm"), 400, "validation_failed");
    expect_error(get(list + "&limit=501", "gm"), 400, "validation_failed");
    (void)unstamped;
}

// CON-7: a registration number names one contract of a project: a second contract under the
// same number (spaces around it do not make another) is 409 registration_no_taken and nothing
// is written; another project may use it; of two concurrent registrations under one number,
// one wins.
TEST_F(ContractSearchApi, RegistrationNumberIsUniquePerProjectCon7) {
    const auto project = stack_->announce_project("contract", "SQ06", "查询六期");
    const auto first = stamped_contract(project, Stack::date_in_days(0));
    const auto second = stamped_contract(project, Stack::date_in_days(0));
    const std::string second_id = second["id"];
    const auto registered = ok(register_as(first["id"], " WQ-2026-000123 "));
    EXPECT_EQ(registered["registration_no"], "WQ-2026-000123");  // stored without the spaces

    const auto counts = [&] {
        return stack_->row_counts("contract", {"contract_history", "outbox"});
    };
    const auto before = counts();
    for (const char* number : {"WQ-2026-000123", "WQ-2026-000123\t"}) {
        const auto error =
            expect_error(register_as(second_id, number), 409, "registration_no_taken");
        EXPECT_EQ(error["details"]["field"], "registration_no");
        EXPECT_EQ(error["details"]["registration_no"], "WQ-2026-000123");
        EXPECT_EQ(error["details"]["contract_no"], first["contract_no"]);
    }
    EXPECT_EQ(counts(), before);
    const auto still = ok(get("/api/v1/contracts/" + second_id, "gm"));
    EXPECT_EQ(still["status"], "stamped");
    EXPECT_TRUE(still["registration_no"].is_null());
    EXPECT_TRUE(still["filed_at"].is_null());

    // Another number works; the same number in another project too.
    EXPECT_EQ(ok(register_as(second_id, "WQ-2026-000124"))["status"], "registered");
    const auto elsewhere = stamped_contract(*project_, Stack::date_in_days(0));
    EXPECT_EQ(ok(register_as(elsewhere["id"], "WQ-2026-000123"))["status"], "registered");

    // Two contracts, one number, at once: exactly one is registered.
    const auto x = stamped_contract(project, Stack::date_in_days(0));
    const auto y = stamped_contract(project, Stack::date_in_days(0));
    const auto number = "WQ-RACE-" + sales::new_uuid();
    auto racing = std::async(std::launch::async, [&] {
        sales::http::Client client("127.0.0.1", stack_->port("contract"));
        return client.request("POST",
                              "/api/v1/contracts/" + x["id"].get<std::string>() + "/registration",
                              json{{"filed_at", sales::to_rfc3339(sales::SystemClock().now() - 1h)},
                                   {"registration_date", Stack::date_in_days(0)},
                                   {"registration_no", number}}
                                  .dump(),
                              Stack::auth("sales_manager"));
    });
    const auto ry = register_as(y["id"], number);
    const auto rx = racing.get();
    EXPECT_EQ((rx.status == 200) + (ry.status == 200), 1) << rx.body << " / " << ry.body;
    expect_error(rx.status == 200 ? ry : rx, 409, "registration_no_taken");
    EXPECT_EQ(rows("contracts", "project_id = $1::uuid AND status = 'registered'", {project}), 3);
}

}  // namespace
