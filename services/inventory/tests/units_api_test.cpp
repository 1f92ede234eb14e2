// Inventory units against a real PostgreSQL and a private NATS server (so that no other test's
// service shares our durable consumers): bulk creation (INV-1), bad input that writes nothing,
// release/withdraw, reservations (INV-4), price lists and change requests (INV-2), the
// sales-control board (INV-5), the hold/release/swap RPCs including 200 concurrent holds, the
// hold expiry sweeper and the contract events inventory consumes.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::expect_error;
using sales::test::Stack;

class UnitsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack(
            "inv_units", {"inventory"},
            {{"SALES_INVENTORY_IO_THREADS", "4"}, {"SALES_INVENTORY_SWEEP_INTERVAL", "100ms"}});
        stack_->nats().ensure_stream({"CONTRACT", {"contract.>"}});
    }
    static void TearDownTestSuite() {
        delete stack_;
        stack_ = nullptr;
    }

    static sales::bus::Nats& nats() { return stack_->nats(); }
    sales::http::ClientResponse call(const std::string& method, const std::string& path,
                                     const std::string& body = "",
                                     const std::string& role = "admin",
                                     std::vector<std::string> projects = {"*"}) {
        return stack_->http("inventory")
            .request(method, path, body, Stack::auth(role, std::move(projects)));
    }
    json ok(const std::string& method, const std::string& path, const json& body = nullptr,
            const std::string& role = "admin", int status = 200) {
        return stack_->ok("inventory", method, path, body, role, status);
    }

    std::int64_t count(const std::string& sql, const sales::db::Params& params = {}) {
        return stack_->count("inventory", sql, params);
    }
    // Row counts of every table a rejected request must leave untouched, and the versions.
    std::map<std::string, std::int64_t> snapshot() {
        auto out = stack_->row_counts(
            "inventory", {"projects", "phases", "buildings", "units", "unit_history", "unit_prices",
                          "price_lists", "price_list_items", "change_requests", "outbox",
                          "title_area_surveys", "title_area_items"});
        out["units.version"] = count("SELECT coalesce(sum(version), 0) FROM units");
        out["projects.version"] = count("SELECT coalesce(sum(version), 0) FROM projects");
        return out;
    }
    std::int64_t events_for(const std::string& unit_id) {
        return count(
            "SELECT count(*) FROM outbox WHERE subject = 'inventory.unit.status_changed' AND "
            "payload::jsonb -> 'data' ->> 'unit_id' = $1",
            {unit_id});
    }

    std::string new_project() {
        const std::string code = "T" + std::to_string(++projects_made_);
        const auto p =
            ok("POST", "/api/v1/projects",
               {{"code", code}, {"name", "项目" + code}, {"city", "成都"}}, "admin", 201);
        return p["id"];
    }
    std::string new_building(const std::string& project, const std::string& name,
                             std::int64_t floors) {
        return ok("POST", "/api/v1/projects/" + project + "/buildings",
                  {{"name", name}, {"floors", floors}}, "operator", 201)["id"];
    }
    static json templates(std::int64_t floors, std::int64_t positions) {
        json list = json::array();
        for (std::int64_t p = 1; p <= positions; ++p) {
            list.push_back({{"position", p},
                            {"floors", {{"from", 1}, {"to", floors}}},
                            {"layout", p % 2 ? "3室2厅2卫" : "2室2厅1卫"},
                            {"orientation", p <= positions / 2 ? "south" : "north_south"},
                            {"decoration", "bare"},
                            {"internal_area_centi_m2", 9'000 + p * 100},
                            {"shared_area_centi_m2", 1'850},
                            {"list_unit_price_fen_per_m2", 1'500'000},
                            {"floor_price_step_fen_per_m2", 5'000}});
        }
        return {{"templates", list}};
    }
    // A project with one released building; returns the building's units (board order).
    std::vector<json> released_units(std::int64_t floors = 3, std::int64_t positions = 2,
                                     std::string* project_out = nullptr) {
        const auto project = new_project();
        const auto building = new_building(project, "1栋", floors);
        const auto created = ok("POST", "/api/v1/buildings/" + building + "/units:bulk",
                                templates(floors, positions), "operator", 201);
        ok("POST", "/api/v1/units:release", {{"building_id", building}}, "sales_control");
        if (project_out != nullptr)
            *project_out = project;
        return created["units"].get<std::vector<json>>();
    }
    json unit(const std::string& id) { return ok("GET", "/api/v1/units/" + id); }

    json rpc(const std::string& subject, const json& request) {
        const auto reply = nats().request(subject, request.dump(), 5s);
        EXPECT_TRUE(reply.has_value()) << subject << " timed out";
        return reply ? json::parse(*reply) : json::object();
    }
    static std::string in(std::chrono::milliseconds d) {
        return sales::to_rfc3339(std::chrono::system_clock::now() + d);
    }
    json hold(const std::string& unit_id, const std::string& subscription,
              std::chrono::milliseconds for_ = 1h, json extra = json::object()) {
        json request = {{"unit_id", unit_id},
                        {"subscription_id", subscription},
                        {"hold_until", in(for_)},
                        {"actor", "contract-test"}};
        request.update(extra);
        return rpc("rpc.inventory.hold", request);
    }
    // Publishes into the CONTRACT stream as the contract service would; returns the event id.
    std::string publish_contract_event(const std::string& type, const json& data) {
        const auto event = sales::bus::make_event(
            "contract", type, data["subscription_id"].get<std::string>(), 2, data);
        stack_->publish(event);
        return event.id;
    }
    bool status_becomes(const std::string& unit_id, const std::string& status) {
        return sales::test::eventually([&] { return unit(unit_id)["status"] == status; });
    }

    static inline Stack* stack_ = nullptr;
    static inline int projects_made_ = 0;
};

TEST_F(UnitsApi, BulkCreatesAThirtyFloorSixUnitBuildingInOneRequest) {
    const auto project = new_project();
    const auto building = new_building(project, "1栋", 30);
    const auto before = count("SELECT count(*) FROM units");
    const auto started = std::chrono::steady_clock::now();
    const auto created = ok("POST", "/api/v1/buildings/" + building + "/units:bulk",
                            templates(30, 6), "operator", 201);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::printf("[ bulk     ] 180 units created in %lld ms\n", static_cast<long long>(ms));
    RecordProperty("bulk_180_ms", std::to_string(ms));
    EXPECT_EQ(created["created"], 180);
    EXPECT_EQ(count("SELECT count(*) FROM units") - before, 180);
    EXPECT_EQ(count("SELECT count(*) FROM unit_history WHERE action = 'create' AND project_id = "
                    "$1::uuid",
                    {project}),
              180);
    EXPECT_EQ(count("SELECT count(*) FROM units WHERE project_id = $1::uuid AND status = "
                    "'not_for_sale'",
                    {project}),
              180);

    // INV-1: gross = internal + shared and list total computed from it, never from input.
    const auto top = unit(created["units"][0]["id"]);
    EXPECT_EQ(top["unit_number"], "3001");
    EXPECT_EQ(top["gross_area_centi_m2"], 9'100 + 1'850);
    EXPECT_EQ(top["list_unit_price_fen_per_m2"], 1'500'000 + 29 * 5'000);
    EXPECT_EQ(top["list_total_fen"], 10'950LL * 1'645'000 / 100);
    EXPECT_EQ(top["orientation"], "south");

    // Same numbers again: all or nothing.
    const auto snap = snapshot();
    expect_error(call("POST", "/api/v1/buildings/" + building + "/units:bulk",
                      templates(30, 6).dump(), "operator"),
                 409, "unit_exists");
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(UnitsApi, BadInputIsA4xxAndWritesNothing) {
    const auto project = new_project();
    const auto building = new_building(project, "A", 10);
    const auto bulk = "/api/v1/buildings/" + building + "/units:bulk";
    ok("POST", bulk, templates(10, 2), "operator", 201);
    const auto other = new_project();
    const auto snap = snapshot();

    auto with = [](const std::string& field, const json& value) {
        auto body = templates(10, 1);
        body["templates"][0][field] = value;
        return body.dump();
    };
    expect_error(call("POST", bulk, "{not json", "operator"), 400, "invalid_json");
    expect_error(call("POST", bulk, with("list_unit_price_fen_per_m2", 1.5), "operator"), 400,
                 "validation_failed");
    expect_error(call("POST", bulk, with("list_unit_price_fen_per_m2", -1'500'000), "operator"),
                 400, "validation_failed");
    expect_error(call("POST", bulk, with("internal_area_centi_m2", "9000"), "operator"), 400,
                 "validation_failed");
    expect_error(call("POST", bulk, with("orientation", "upwards"), "operator"), 400,
                 "validation_failed");
    expect_error(call("POST", bulk, with("decoration", 3), "operator"), 400, "validation_failed");
    expect_error(call("POST", bulk, with("gross_area_centi_m2", 1), "operator"), 400,
                 "validation_failed");
    expect_error(call("POST", bulk, with("colour", "red"), "operator"), 400, "validation_failed");
    expect_error(call("POST", bulk, with("floors", json{{"from", 1}, {"to", 11}}), "operator"), 400,
                 "validation_failed");
    expect_error(call("POST", bulk, R"({"templates":[]})", "operator"), 400, "validation_failed");
    const auto problems = call("POST", bulk, with("shared_area_centi_m2", -5), "operator").json();
    EXPECT_EQ(problems["error"]["details"]["problems"][0]["field"],
              "templates[0].shared_area_centi_m2");

    expect_error(call("POST", bulk, templates(10, 2).dump(), "sales_rep"), 403, "forbidden");
    expect_error(call("POST", bulk, templates(10, 2).dump(), "operator", {other}), 404,
                 "building_not_found");
    expect_error(call("POST", "/api/v1/buildings/" + sales::new_uuid() + "/units:bulk",
                      templates(10, 2).dump(), "operator"),
                 404, "building_not_found");
    expect_error(call("POST", "/api/v1/projects/" + project + "/buildings",
                      R"({"name":"B","floors":2.5})", "operator"),
                 400, "validation_failed");
    expect_error(call("POST", "/api/v1/projects/" + project + "/buildings",
                      R"({"name":"A","floors":5})", "operator"),
                 409, "building_name_taken");

    expect_error(call("POST", "/api/v1/units:release",
                      json{{"unit_ids", {sales::new_uuid()}}}.dump(), "sales_control"),
                 404, "unit_not_found");
    expect_error(call("POST", "/api/v1/units:release", R"({"unit_ids":["nope"]})", "sales_control"),
                 400, "validation_failed");
    expect_error(call("POST", "/api/v1/units:release",
                      json{{"building_id", building}, {"unit_ids", {sales::new_uuid()}}}.dump(),
                      "sales_control"),
                 400, "validation_failed");
    expect_error(
        call("POST", "/api/v1/units:release", json{{"building_id", building}}.dump(), "operator"),
        403, "forbidden");

    expect_error(call("PATCH", "/api/v1/projects/" + project + "/settings",
                      R"({"deposit_cap_percent":25})", "admin"),
                 400, "validation_failed");  // REG-2
    expect_error(call("PATCH", "/api/v1/projects/" + project + "/settings",
                      R"({"deposit_deadline_seconds":"5"})", "admin"),
                 400, "validation_failed");
    expect_error(call("PATCH", "/api/v1/projects/" + project + "/settings", R"({})", "admin"), 400,
                 "validation_failed");
    expect_error(call("GET", "/api/v1/units/not-a-uuid"), 404, "unit_not_found");
    expect_error(call("GET", "/api/v1/units/" + sales::new_uuid()), 404, "unit_not_found");

    const auto board = call("GET", "/api/v1/buildings/" + building + "/board", "", "sales_rep");
    const auto unit_id = board.json()["floors"][0]["units"][0]["unit_id"].get<std::string>();
    expect_error(call("PATCH", "/api/v1/units/" + unit_id, R"({"list_unit_price_fen_per_m2":0})",
                      "operator"),
                 400, "validation_failed");
    expect_error(call("PATCH", "/api/v1/units/" + unit_id, R"({"status":"available"})", "operator"),
                 400, "validation_failed");
    expect_error(call("POST", "/api/v1/projects/" + project + "/price-lists",
                      json{{"name", "一期"},
                           {"items", {{{"unit_id", unit_id}, {"unit_price_fen_per_m2", 1.5}}}}}
                          .dump(),
                      "operator"),
                 400, "validation_failed");
    expect_error(
        call("POST", "/api/v1/projects/" + project + "/price-lists",
             json{{"name", "一期"},
                  {"items", {{{"unit_id", sales::new_uuid()}, {"unit_price_fen_per_m2", 100}}}}}
                 .dump(),
             "operator"),
        404, "unit_not_found");
    expect_error(call("POST", "/api/v1/units/" + unit_id + "/reservation",
                      R"({"reason":"x","expires_at":"tomorrow"})", "sales_manager"),
                 400, "validation_failed");
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(UnitsApi, ReleaseAndWithdrawReportSkippedUnitsAndOpenTheProject) {
    const auto project = new_project();
    const auto building = new_building(project, "2栋", 4);
    const auto units = ok("POST", "/api/v1/buildings/" + building + "/units:bulk", templates(4, 3),
                          "operator", 201)["units"];
    EXPECT_TRUE(ok("GET", "/api/v1/projects/" + project)["opened_at"].is_null());

    const auto released =
        ok("POST", "/api/v1/units:release", {{"building_id", building}}, "sales_control");
    EXPECT_EQ(released["changed"], 12);
    EXPECT_TRUE(released["skipped"].empty());
    const auto opened = ok("GET", "/api/v1/projects/" + project);
    EXPECT_FALSE(opened["opened_at"].is_null());  // INV-4 opening week starts
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE subject = "
                    "'inventory.project.settings_changed' AND payload::jsonb ->> 'subject' = $1",
                    {project}),
              1);

    const std::string a = units[0]["id"], b = units[1]["id"];
    ASSERT_EQ(hold(b, sales::new_uuid())["result"], "held");
    const auto withdrawn =
        ok("POST", "/api/v1/units:withdraw", {{"unit_ids", {a, b}}}, "sales_manager");
    EXPECT_EQ(withdrawn["changed"], 1);
    ASSERT_EQ(withdrawn["skipped"].size(), 1u);
    EXPECT_EQ(withdrawn["skipped"][0]["unit_id"], b);
    EXPECT_EQ(withdrawn["skipped"][0]["status"], "held");
    EXPECT_EQ(unit(a)["status"], "not_for_sale");

    const auto again =
        ok("POST", "/api/v1/units:release", {{"building_id", building}}, "sales_control");
    EXPECT_EQ(again["changed"], 1);
    EXPECT_EQ(again["skipped"].size(), 11u);
    EXPECT_EQ(ok("GET", "/api/v1/projects/" + project)["opened_at"], opened["opened_at"]);

    // Every status change: history row and outbox event (INV-4).
    const auto history = ok("GET", "/api/v1/units/" + a + "/history")["items"];
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[0]["action"], "create");
    EXPECT_EQ(history[1]["to"], "available");
    EXPECT_EQ(history[2]["action"], "withdraw");
    EXPECT_EQ(history[2]["actor"], "user-sales_manager");
    EXPECT_EQ(history[3]["action"], "release");
    EXPECT_EQ(events_for(a), 3);
    EXPECT_EQ(unit(a)["version"], 4);
}

TEST_F(UnitsApi, ReservationsFollowTheOpeningWeekRuleAndExpire) {
    std::string project;
    const auto units = released_units(2, 2, &project);
    const std::string u0 = units[0]["id"], u1 = units[1]["id"], u2 = units[2]["id"];
    const json body = {{"reason", "VIP 客户 王先生"}, {"expires_at", in(24h)}};
    const auto path = "/api/v1/units/" + u0 + "/reservation";

    // INV-4: the project opened just now, so only the sales manager may reserve.
    expect_error(call("POST", path, body.dump(), "sales_control"), 403, "reservation_manager_only");
    expect_error(call("POST", path, body.dump(), "sales_rep"), 403, "forbidden");
    const auto reserved = ok("POST", path, body, "sales_manager");
    EXPECT_EQ(reserved["status"], "reserved");
    EXPECT_EQ(reserved["reservation"]["reserved_by"], "user-sales_manager");
    EXPECT_EQ(reserved["reservation"]["reserved_for"], "VIP 客户 王先生");
    expect_error(call("POST", path, body.dump(), "sales_manager"), 409, "invalid_transition");

    // A reserved unit is held only by the request naming its reservation.
    const auto subscription = sales::new_uuid();
    const auto refused = hold(u0, subscription);
    EXPECT_EQ(refused["result"], "conflict");
    EXPECT_EQ(refused["status"], "reserved");
    EXPECT_EQ(hold(u0, subscription, 1h, {{"reservation_id", sales::new_uuid()}})["result"],
              "conflict");
    const auto held =
        hold(u0, subscription, 1h, {{"reservation_id", reserved["reservation"]["reservation_id"]}});
    EXPECT_EQ(held["result"], "held");
    EXPECT_TRUE(unit(u0)["reservation"].is_null());

    // Per-project setting: no manager-only week → sales control may reserve too.
    ok("PATCH", "/api/v1/projects/" + project + "/settings", {{"reservation_manager_only_days", 0}},
       "operator");
    ok("POST", "/api/v1/units/" + u1 + "/reservation", body, "sales_control");
    EXPECT_EQ(
        ok("DELETE", "/api/v1/units/" + u1 + "/reservation", nullptr, "sales_control")["status"],
        "available");
    expect_error(call("DELETE", "/api/v1/units/" + u1 + "/reservation", "", "sales_control"), 409,
                 "invalid_transition");

    // Expiry sweeper.
    ok("POST", "/api/v1/units/" + u2 + "/reservation",
       {{"reason", "short"}, {"expires_at", in(300ms)}}, "sales_manager");
    ASSERT_TRUE(status_becomes(u2, "available"));
    const auto history = ok("GET", "/api/v1/units/" + u2 + "/history")["items"];
    EXPECT_EQ(history.back()["action"], "end_reservation");
    EXPECT_EQ(history.back()["actor"], "system:reservation-expiry");
}

TEST_F(UnitsApi, PriceListLocksMasterDataAndChangeRequestsKeepHistory) {
    const auto project = new_project();
    const auto building = new_building(project, "3栋", 2);
    const auto units = ok("POST", "/api/v1/buildings/" + building + "/units:bulk", templates(2, 2),
                          "operator", 201)["units"];
    const std::string u0 = units[0]["id"], u1 = units[1]["id"];

    // Before the lock, direct edits are allowed; the total is recomputed (INV-1).
    const auto edited = ok("PATCH", "/api/v1/units/" + u0,
                           {{"layout", "4室2厅2卫"}, {"shared_area_centi_m2", 2'000}}, "operator");
    EXPECT_EQ(edited["gross_area_centi_m2"], 9'100 + 2'000);
    EXPECT_EQ(edited["list_total_fen"], 11'100LL * 1'505'000 / 100);

    json items = json::array();
    for (const auto& u : units)
        items.push_back({{"unit_id", u["id"]}, {"unit_price_fen_per_m2", 1'600'000}});
    const auto draft = ok("POST", "/api/v1/projects/" + project + "/price-lists",
                          {{"name", "首开价目表"}, {"items", items}}, "operator", 201);
    EXPECT_EQ(draft["status"], "draft");
    EXPECT_EQ(unit(u0)["list_unit_price_fen_per_m2"], 1'505'000);  // not applied yet
    const auto approve = "/api/v1/price-lists/" + draft["id"].get<std::string>() + "/approve";
    expect_error(call("POST", approve, "", "operator"), 403, "forbidden");

    const auto approved = ok("POST", approve, nullptr, "finance_supervisor");
    EXPECT_EQ(approved["status"], "approved");
    const auto priced = unit(u0);
    EXPECT_EQ(priced["list_unit_price_fen_per_m2"], 1'600'000);
    EXPECT_EQ(priced["list_total_fen"], 11'100LL * 1'600'000 / 100);
    EXPECT_EQ(priced["price_list_id"], draft["id"]);
    EXPECT_TRUE(priced["master_data_locked"]);

    // INV-2: locked.
    const auto snap = snapshot();
    expect_error(call("PATCH", "/api/v1/units/" + u0, R"({"layout":"5室"})", "operator"), 409,
                 "master_data_locked");
    expect_error(call("POST", approve, "", "finance_director"), 409, "invalid_transition");
    expect_error(call("POST", "/api/v1/projects/" + project + "/price-lists",
                      json{{"name", "again"}, {"items", items}}.dump(), "operator"),
                 409, "master_data_locked");
    expect_error(call("POST", "/api/v1/buildings/" + building + "/units:bulk",
                      templates(2, 3).dump(), "operator"),
                 409, "master_data_locked");
    EXPECT_EQ(snapshot(), snap);

    // A deal made before the change keeps its price.
    ok("POST", "/api/v1/units:release", {{"unit_ids", {u0}}}, "sales_control");
    const auto subscription = sales::new_uuid();
    const auto held = hold(u0, subscription, 1h, {{"deal_price_fen", 177'000'000}});
    ASSERT_EQ(held["result"], "held");
    EXPECT_EQ(held["unit"]["list_total_fen"], 177'600'000);
    EXPECT_EQ(held["unit"]["list_unit_price_fen_per_m2"], 1'600'000);
    EXPECT_EQ(held["unit"]["price_list_id"], draft["id"]);
    // The areas contract fixes on the deal (CON-10): gross as edited above, internal 91 m².
    EXPECT_EQ(held["unit"]["gross_area_centi_m2"], 9'100 + 2'000);
    EXPECT_EQ(held["unit"]["internal_area_centi_m2"], 9'100);

    const auto cr =
        ok("POST", "/api/v1/units/" + u0 + "/change-requests",
           {{"list_unit_price_fen_per_m2", 1'650'000}, {"reason", "市场调价"}}, "operator", 201);
    EXPECT_EQ(cr["status"], "pending");
    expect_error(call("POST", "/api/v1/units/" + u0 + "/change-requests", R"({"reason":"nothing"})",
                      "operator"),
                 400, "validation_failed");
    expect_error(call("POST", "/api/v1/units/" + u0 + "/change-requests",
                      R"({"reason":"x","layout":"1室"})", "operator"),
                 400, "validation_failed");
    const auto cr_path = "/api/v1/change-requests/" + cr["id"].get<std::string>();
    expect_error(call("POST", cr_path + "/approve", "", "finance_supervisor"), 403, "forbidden");
    EXPECT_EQ(unit(u0)["list_unit_price_fen_per_m2"], 1'600'000);  // pending changes nothing

    const auto decided = ok("POST", cr_path + "/approve", {{"note", "同意"}}, "finance_director");
    EXPECT_EQ(decided["status"], "approved");
    EXPECT_EQ(decided["unit"]["list_unit_price_fen_per_m2"], 1'650'000);
    EXPECT_EQ(decided["unit"]["list_total_fen"], 11'100LL * 1'650'000 / 100);
    EXPECT_EQ(decided["unit"]["deal_price_fen"], 177'000'000);  // the deal keeps its price
    expect_error(call("POST", cr_path + "/reject", "", "gm"), 409, "invalid_transition");

    const auto prices = ok("GET", "/api/v1/units/" + u0 + "/prices")["items"];
    ASSERT_EQ(prices.size(), 4u);  // initial, edit, price list, change request
    EXPECT_EQ(prices[0]["source"], "initial");
    EXPECT_EQ(prices[1]["source"], "edit");
    EXPECT_EQ(prices[2]["source"], "price_list");
    EXPECT_EQ(prices[3]["source"], "change_request");
    EXPECT_EQ(prices[3]["list_unit_price_fen_per_m2"], 1'650'000);
    EXPECT_EQ(prices[3]["effective_from"], decided["decided_at"]);  // from the approval time
    EXPECT_LE(prices[2]["effective_from"].get<std::string>(),
              prices[3]["effective_from"].get<std::string>());

    // Rejected: nothing changes.
    const auto area_cr =
        ok("POST", "/api/v1/units/" + u1 + "/change-requests",
           {{"internal_area_centi_m2", 9'999}, {"reason", "实测"}}, "operator", 201);
    const auto before = unit(u1);
    EXPECT_EQ(ok("POST", "/api/v1/change-requests/" + area_cr["id"].get<std::string>() + "/reject",
                 nullptr, "gm")["status"],
              "rejected");
    EXPECT_EQ(unit(u1)["version"], before["version"]);
}

TEST_F(UnitsApi, BoardsListFloorsDescendingWithDealPriceOnlyWhenSold) {
    std::string project;
    const auto units = released_units(3, 2, &project);
    const auto building = unit(units[0]["id"])["building_id"].get<std::string>();
    const auto second = new_building(project, "9栋", 1);
    ok("POST", "/api/v1/buildings/" + second + "/units:bulk", templates(1, 2), "operator", 201);

    const std::string sold = units[0]["id"], held_only = units[1]["id"];
    const auto s1 = sales::new_uuid(), s2 = sales::new_uuid();
    ASSERT_EQ(hold(sold, s1, 1h, {{"deal_price_fen", 150'000'000}})["result"], "held");
    ASSERT_EQ(hold(held_only, s2, 1h, {{"deal_price_fen", 140'000'000}})["result"], "held");
    publish_contract_event(
        "contract.subscription.confirmed",
        {{"subscription_id", s1}, {"unit_id", sold}, {"price_fen", 149'000'000}});
    ASSERT_TRUE(status_becomes(sold, "subscribed"));

    const auto board = ok("GET", "/api/v1/buildings/" + building + "/board", nullptr, "sales_rep");
    EXPECT_EQ(board["project_id"], project);
    ASSERT_EQ(board["floors"].size(), 3u);
    EXPECT_EQ(board["floors"][0]["floor"], 3);
    EXPECT_EQ(board["floors"][2]["floor"], 1);
    for (const auto& floor : board["floors"]) {
        ASSERT_EQ(floor["units"].size(), 2u);
        EXPECT_EQ(floor["units"][0]["position"], 1);
        for (const auto& u : floor["units"]) {
            for (const char* key :
                 {"unit_id", "unit_number", "position", "status", "gross_area_centi_m2",
                  "list_total_fen", "deal_price_fen", "layout"}) {
                EXPECT_TRUE(u.contains(key)) << key;
            }
            if (u["unit_id"] == sold) {
                EXPECT_EQ(u["status"], "subscribed");
                EXPECT_EQ(u["deal_price_fen"], 149'000'000);
            } else {
                EXPECT_TRUE(u["deal_price_fen"].is_null()) << u.dump();
            }
        }
    }
    EXPECT_EQ(board["counts"]["available"], 4);

    const auto whole = ok("GET", "/api/v1/projects/" + project + "/board", nullptr, "executive");
    ASSERT_EQ(whole["buildings"].size(), 2u);
    EXPECT_EQ(whole["counts"]["available"], 4);
    EXPECT_EQ(whole["counts"]["not_for_sale"], 2);
    EXPECT_EQ(whole["counts"]["held"], 1);
    EXPECT_EQ(whole["counts"]["subscribed"], 1);
    // Issue 13 item 6: the project board is kept between requests and rebuilt on any change of
    // its units: a new hold shows at once.
    ASSERT_EQ(hold(units[2]["id"], sales::new_uuid())["result"], "held");
    const auto after = ok("GET", "/api/v1/projects/" + project + "/board", nullptr, "executive");
    EXPECT_EQ(after["counts"]["held"], 2);
    EXPECT_EQ(after["counts"]["available"], 3);
    expect_error(
        call("GET", "/api/v1/projects/" + project + "/board", "", "sales_rep", {sales::new_uuid()}),
        404, "project_not_found");
}

TEST_F(UnitsApi, HoldAndReleaseRpcsAreIdempotent) {
    const auto units = released_units(1, 2);
    const std::string u = units[0]["id"];
    const auto s = sales::new_uuid(), other = sales::new_uuid();

    const auto held = hold(u, s);
    ASSERT_EQ(held["result"], "held") << held.dump();
    EXPECT_EQ(held["unit"]["unit_id"], u);
    for (const char* key : {"project_id", "building_id", "unit_number", "gross_area_centi_m2",
                            "list_unit_price_fen_per_m2", "list_total_fen", "price_list_id"}) {
        EXPECT_TRUE(held["unit"].contains(key)) << key;
    }
    EXPECT_EQ(hold(u, s), held);  // same subscription → same reply
    EXPECT_EQ(hold(u, other), (json{{"result", "conflict"}, {"status", "held"}}));
    EXPECT_EQ(hold(sales::new_uuid(), s)["result"], "not_found");
    EXPECT_EQ(hold(u, s, -1s)["result"], "invalid");
    EXPECT_EQ(rpc("rpc.inventory.hold", {{"unit_id", u}})["result"], "invalid");
    EXPECT_EQ(json::parse(*nats().request("rpc.inventory.hold", "{oops", 5s))["result"], "invalid");
    EXPECT_EQ(events_for(u), 2);  // release + hold, nothing for the refused ones

    const json release = {{"unit_id", u},
                          {"subscription_id", other},
                          {"actor", "t"},
                          {"reason", "customer changed mind"}};
    EXPECT_EQ(rpc("rpc.inventory.release", release)["result"], "not_held");
    auto mine = release;
    mine["subscription_id"] = s;
    EXPECT_EQ(rpc("rpc.inventory.release", mine)["result"], "released");
    EXPECT_EQ(rpc("rpc.inventory.release", mine)["result"], "not_held");
    mine["unit_id"] = sales::new_uuid();
    EXPECT_EQ(rpc("rpc.inventory.release", mine)["result"], "not_found");
    const auto after = unit(u);
    EXPECT_EQ(after["status"], "available");
    EXPECT_TRUE(after["hold_subscription_id"].is_null());
    const auto history = ok("GET", "/api/v1/units/" + u + "/history")["items"];
    EXPECT_EQ(history.back()["action"], "release_deal");
    EXPECT_EQ(history.back()["reason"], "customer changed mind");
    EXPECT_EQ(history.back()["subscription_id"], s);
}

TEST_F(UnitsApi, SwapMovesTheDealInOneStep) {
    const auto units = released_units(2, 2);
    const std::string a = units[0]["id"], b = units[1]["id"], c = units[2]["id"];
    const auto s = sales::new_uuid();
    auto swap = [&](const std::string& from, const std::string& to) {
        return rpc("rpc.inventory.swap", {{"subscription_id", s},
                                          {"old_unit_id", from},
                                          {"new_unit_id", to},
                                          {"hold_until", in(1h)},
                                          {"actor", "supervisor"}});
    };
    ASSERT_EQ(hold(a, s, 1h, {{"deal_price_fen", 100}})["result"], "held");
    ASSERT_EQ(hold(c, sales::new_uuid())["result"], "held");

    const auto swapped = swap(a, b);
    ASSERT_EQ(swapped["result"], "held") << swapped.dump();
    EXPECT_EQ(swapped["unit"]["unit_id"], b);
    EXPECT_EQ(unit(a)["status"], "available");
    EXPECT_EQ(unit(b)["status"], "held");
    EXPECT_EQ(unit(b)["deal_price_fen"], 100);
    EXPECT_EQ(swap(a, b)["result"], "held");  // idempotent
    EXPECT_EQ(swap(b, c), (json{{"result", "conflict"}, {"status", "held"}}));
    EXPECT_EQ(unit(b)["status"], "held");  // nothing moved
    EXPECT_EQ(swap(b, b)["result"], "invalid");
    EXPECT_EQ(swap(b, sales::new_uuid())["result"], "not_found");

    // A confirmed subscription moves as subscribed.
    publish_contract_event("contract.subscription.confirmed",
                           {{"subscription_id", s}, {"unit_id", b}});
    ASSERT_TRUE(status_becomes(b, "subscribed"));
    ASSERT_EQ(swap(b, a)["result"], "held");
    EXPECT_EQ(unit(a)["status"], "subscribed");
    EXPECT_TRUE(unit(a)["hold_until"].is_null());
    EXPECT_EQ(unit(b)["status"], "available");
}

TEST_F(UnitsApi, TwoHundredConcurrentHoldsOfOneUnitYieldExactlyOneHeld) {
    const auto units = released_units(1, 3);
    for (const auto& u : units) {
        const std::string unit_id = u["id"];
        std::atomic<int> held{0}, conflicts{0}, other{0};
        std::vector<std::thread> threads;
        std::string winner;
        std::mutex winner_mutex;
        for (int i = 0; i < 200; ++i) {
            threads.emplace_back([&] {
                const auto s = sales::new_uuid();
                const auto reply = hold(unit_id, s, 1h);
                if (reply["result"] == "held") {
                    ++held;
                    std::lock_guard lock(winner_mutex);
                    winner = s;
                } else if (reply["result"] == "conflict" && reply["status"] == "held") {
                    ++conflicts;
                } else {
                    ++other;
                }
            });
        }
        for (auto& t : threads)
            t.join();
        EXPECT_EQ(held, 1);
        EXPECT_EQ(conflicts, 199);
        EXPECT_EQ(other, 0);
        EXPECT_EQ(unit(unit_id)["hold_subscription_id"], winner);
        EXPECT_EQ(events_for(unit_id), 2);
    }
}

TEST_F(UnitsApi, ExpiredHoldsReturnToAvailable) {
    const auto units = released_units(1, 1);
    const std::string u = units[0]["id"];
    const auto s = sales::new_uuid();
    ASSERT_EQ(hold(u, s, 800ms)["result"], "held");
    EXPECT_EQ(unit(u)["status"], "held");
    ASSERT_TRUE(status_becomes(u, "available"));
    const auto history = ok("GET", "/api/v1/units/" + u + "/history")["items"];
    EXPECT_EQ(history.back()["action"], "expire_hold");
    EXPECT_EQ(history.back()["actor"], "system:hold-expiry");
    EXPECT_EQ(history.back()["subscription_id"], s);
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE subject = 'inventory.unit.status_changed' "
                    "AND payload::jsonb -> 'data' ->> 'unit_id' = $1 AND "
                    "payload::jsonb -> 'data' ->> 'to' = 'available' AND "
                    "payload::jsonb -> 'data' ->> 'from' = 'held'",
                    {u}),
              1);
    // A confirmation after the hold expired (contract took the deposit as paid on time, CON-1
    // judged by the money): the unit, still free, is the subscription's again.
    const auto late = publish_contract_event("contract.subscription.confirmed",
                                             {{"subscription_id", s}, {"unit_id", u}});
    EXPECT_TRUE(sales::test::eventually([&] {
        return count("SELECT count(*) FROM inbox WHERE event_id = $1::uuid", {late}) == 1;
    }));
    EXPECT_EQ(unit(u)["status"], "subscribed");
    EXPECT_EQ(unit(u)["hold_subscription_id"], s);
}

TEST_F(UnitsApi, ContractEventsConfirmAndCancelOnce) {
    const auto units = released_units(1, 2);
    const std::string u = units[0]["id"], v = units[1]["id"];
    const auto s = sales::new_uuid();
    ASSERT_EQ(hold(u, s)["result"], "held");
    ASSERT_EQ(hold(v, sales::new_uuid())["result"], "held");

    const json data = {{"subscription_id", s}, {"unit_id", u}};
    const auto confirmed =
        sales::bus::make_event("contract", "contract.subscription.confirmed", s, 2, data);
    stack_->publish(confirmed);
    stack_->publish(confirmed);  // redelivered duplicate
    ASSERT_TRUE(status_becomes(u, "subscribed"));
    EXPECT_TRUE(unit(u)["hold_until"].is_null());

    // Someone else's cancellation does not touch v; ours releases u.
    publish_contract_event(
        "contract.subscription.cancelled",
        {{"subscription_id", sales::new_uuid()}, {"unit_id", v}, {"reason", "x"}});
    publish_contract_event(
        "contract.subscription.cancelled",
        {{"subscription_id", s}, {"unit_id", u}, {"reason", "deposit_deadline_passed"}});
    ASSERT_TRUE(status_becomes(u, "available"));
    EXPECT_EQ(unit(v)["status"], "held");
    const auto history = ok("GET", "/api/v1/units/" + u + "/history")["items"];
    std::vector<std::string> actions;
    for (const auto& h : history)
        actions.push_back(h["action"]);
    EXPECT_EQ(actions,
              (std::vector<std::string>{"create", "release", "hold", "confirm", "release_deal"}));
    EXPECT_EQ(history.back()["reason"], "subscription cancelled: deposit_deadline_passed");
}

// CON-2: a swap can reach inventory before the confirmation that contract committed earlier;
// the deposit still secures the subscription's unit (the new one), and the swapped event gives
// that unit the repriced deal price.
TEST_F(UnitsApi, ConfirmationCrossingASwapSecuresTheNewUnitAndTheSwapReprices) {
    const auto units = released_units(1, 2);
    const std::string a = units[0]["id"], b = units[1]["id"];
    const auto s = sales::new_uuid();
    ASSERT_EQ(hold(a, s, 1h, {{"deal_price_fen", 100}})["result"], "held");
    ASSERT_EQ(rpc("rpc.inventory.swap", {{"subscription_id", s},
                                         {"old_unit_id", a},
                                         {"new_unit_id", b},
                                         {"hold_until", in(1h)},
                                         {"actor", "supervisor"}})["result"],
              "held");
    publish_contract_event("contract.subscription.confirmed",
                           {{"subscription_id", s}, {"unit_id", a}, {"price_fen", 100}});
    ASSERT_TRUE(status_becomes(b, "subscribed"));
    EXPECT_EQ(unit(a)["status"], "available");
    publish_contract_event("contract.subscription.swapped",
                           {{"subscription_id", s}, {"unit_id", b}, {"price_fen", 130}});
    EXPECT_TRUE(sales::test::eventually([&] { return unit(b)["deal_price_fen"] == 130; }));
    EXPECT_EQ(unit(b)["status"], "subscribed");
}

// SEC-1: a hold limited to the caller's projects never touches a unit elsewhere.
TEST_F(UnitsApi, HoldOutsideTheCallersProjectsIsNotFoundAndHoldsNothing) {
    std::string project;
    const auto units = released_units(1, 1, &project);
    const std::string u = units[0]["id"];
    const auto before = snapshot();
    EXPECT_EQ(hold(u, sales::new_uuid(), 1h, {{"project_ids", {sales::new_uuid()}}})["result"],
              "not_found");
    EXPECT_EQ(unit(u)["status"], "available");
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(hold(u, sales::new_uuid(), 1h, {{"project_ids", json::array()}})["result"],
              "invalid");
    EXPECT_EQ(hold(u, sales::new_uuid(), 1h, {{"project_ids", {project}}})["result"], "held");
}

// Not a test of speed (nothing is asserted about time): prints the board latency for a
// 2,000-unit project so the figure can be reported.
TEST_F(UnitsApi, BoardOfATwoThousandUnitProject) {
    const auto project = new_project();
    std::string first_building;
    for (int b = 0; b < 10; ++b) {
        const auto building = new_building(project, std::to_string(b + 1) + "号楼", 25);
        if (b == 0)
            first_building = building;
        ok("POST", "/api/v1/buildings/" + building + "/units:bulk", templates(25, 8), "operator",
           201);
    }
    auto measure = [&](const std::string& path, std::size_t expect_units) {
        std::vector<double> ms;
        std::size_t bytes = 0;
        for (int i = 0; i < 30; ++i) {
            const auto started = std::chrono::steady_clock::now();
            const auto r = call("GET", path, "", "sales_rep");
            ms.push_back(std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - started)
                             .count());
            EXPECT_EQ(r.status, 200);
            bytes = r.body.size();
        }
        std::sort(ms.begin(), ms.end());
        std::printf("[ board    ] %zu units, %zu bytes: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
                    expect_units, bytes, ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms.back());
    };
    measure("/api/v1/projects/" + project + "/board", 2000);
    measure("/api/v1/buildings/" + first_building + "/board", 200);
    const auto board = ok("GET", "/api/v1/projects/" + project + "/board");
    EXPECT_EQ(board["counts"]["not_for_sale"], 2000);

    // What a browser gets: the same board, compressed once per change of the project.
    auto headers = Stack::auth("sales_rep");
    headers["Accept-Encoding"] = "gzip, deflate, br";
    const auto plain = call("GET", "/api/v1/projects/" + project + "/board", "", "sales_rep");
    const auto packed =
        stack_->http("inventory").get("/api/v1/projects/" + project + "/board", headers);
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
    EXPECT_EQ(packed.headers.at("Vary"), "Accept-Encoding");
    EXPECT_EQ(plain.headers.count("Content-Encoding"), 0u);
    EXPECT_LT(packed.body.size() * 5, plain.body.size());
    EXPECT_EQ(sales::http::gunzip(packed.body), plain.body);
}

}  // namespace

namespace {
// CON-3/6/9: contract events through the same single consumer (contract.>): signed sells the
// unit at the contract price, handed_over completes it, cancelled (after review) releases it.
TEST_F(UnitsApi, ContractSignedHandedOverAndCancelledMoveTheUnitOnce) {
    const auto units = released_units(1, 2);
    const std::string u = units[0]["id"], v = units[1]["id"];
    const auto s = sales::new_uuid(), t = sales::new_uuid();
    ASSERT_EQ(hold(u, s)["result"], "held");
    ASSERT_EQ(hold(v, t)["result"], "held");
    for (const auto& [unit_id, sub] : {std::pair{u, s}, std::pair{v, t}}) {
        publish_contract_event("contract.subscription.confirmed",
                               {{"subscription_id", sub}, {"unit_id", unit_id}});
        ASSERT_TRUE(status_becomes(unit_id, "subscribed"));
    }

    const json signed_data = {{"contract_id", sales::new_uuid()},
                              {"contract_no", "2026-T1-000001"},
                              {"subscription_id", s},
                              {"unit_id", u},
                              {"price_fen", 123'456'789}};
    const auto signed_event = sales::bus::make_event("contract", "contract.signed",
                                                     signed_data["contract_id"], 1, signed_data);
    stack_->publish(signed_event);
    stack_->publish(signed_event);  // duplicate
    ASSERT_TRUE(status_becomes(u, "signed"));
    EXPECT_EQ(unit(u)["deal_price_fen"], 123'456'789);

    publish_contract_event("contract.handed_over", {{"contract_id", signed_data["contract_id"]},
                                                    {"subscription_id", s},
                                                    {"unit_id", u},
                                                    {"notice_date", "2026-05-01"},
                                                    {"handed_over_on", "2026-05-10"},
                                                    {"confirmed_by", "sup-1"}});
    ASSERT_TRUE(status_becomes(u, "handed_over"));

    // v: signed, then cancelled after review (CON-6) → available, the deal cleared.
    publish_contract_event("contract.signed", {{"contract_id", sales::new_uuid()},
                                               {"subscription_id", t},
                                               {"unit_id", v},
                                               {"price_fen", 5'000}});
    ASSERT_TRUE(status_becomes(v, "signed"));
    publish_contract_event("contract.cancelled", {{"contract_id", sales::new_uuid()},
                                                  {"subscription_id", t},
                                                  {"unit_id", v},
                                                  {"reason", "贷款未批"},
                                                  {"refund_fen", 0},
                                                  {"refund_approval_id", sales::new_uuid()}});
    ASSERT_TRUE(status_becomes(v, "available"));
    EXPECT_TRUE(unit(v)["deal_price_fen"].is_null());

    // A late handover for a cancelled deal changes nothing (v is available now).
    const auto late = publish_contract_event(
        "contract.handed_over", {{"subscription_id", t}, {"unit_id", v}, {"handed_over_on", "x"}});
    ASSERT_TRUE(sales::test::eventually([&] {
        return count("SELECT count(*) FROM inbox WHERE event_id = $1::uuid", {late}) == 1;
    }));
    EXPECT_EQ(unit(v)["status"], "available");

    const auto actions_of = [&](const std::string& id) {
        std::vector<std::string> actions;
        const auto history = ok("GET", "/api/v1/units/" + id + "/history");
        for (const auto& h : history["items"])
            actions.push_back(h["action"]);
        return actions;
    };
    EXPECT_EQ(actions_of(u), (std::vector<std::string>{"create", "release", "hold", "confirm",
                                                       "sign", "hand_over"}));
    EXPECT_EQ(actions_of(v), (std::vector<std::string>{"create", "release", "hold", "confirm",
                                                       "sign", "release_contract"}));
}

TEST_F(UnitsApi, MalformedContractSignedIsDeadLettered) {
    const auto before = count("SELECT count(*) FROM dead_letter");
    publish_contract_event("contract.signed", {{"subscription_id", sales::new_uuid()},
                                               {"unit_id", sales::new_uuid()},
                                               {"price_fen", "lots"}});
    EXPECT_TRUE(sales::test::eventually(
        [&] { return count("SELECT count(*) FROM dead_letter") == before + 1; }));
}

// CON-10 title areas: the handover clerk records a survey batch for a building, the sales manager
// checks it (four eyes), and only then are the areas fixed on the units, one event each.
// Refused batches write nothing.
TEST_F(UnitsApi, TitleAreaSurveyIsRecordedCheckedByAnotherThenFixedOnTheUnits) {
    std::string project;
    const auto units = released_units(2, 2, &project);
    const std::string u0 = units[0]["id"], u1 = units[1]["id"];
    const auto unit0_sold = unit(u0), unit1_sold = unit(u1);
    const std::string building = unit0_sold["building_id"];
    const std::int64_t g0 = unit0_sold["gross_area_centi_m2"];
    const std::int64_t i0 = unit0_sold["internal_area_centi_m2"];
    const std::int64_t g1 = unit1_sold["gross_area_centi_m2"];
    const std::int64_t i1 = unit1_sold["internal_area_centi_m2"];
    const auto path = "/api/v1/buildings/" + building + "/title-area-surveys";
    const json items = {
        {{"unit_id", u0}, {"gross_area_centi_m2", g0 + 350}, {"internal_area_centi_m2", i0 + 300}},
        {{"unit_id", u1}, {"gross_area_centi_m2", g1 - 120}, {"internal_area_centi_m2", i1}}};
    const json batch = {{"note", "产权处核定面积表 2026-12"}, {"items", items}};

    expect_error(call("POST", path, batch.dump(), "sales_rep"), 403, "forbidden");
    auto with = [&](json changed_items) {
        return json{{"note", "x"}, {"items", std::move(changed_items)}}.dump();
    };
    auto item = [](const std::string& unit, std::int64_t gross, std::int64_t internal) {
        return json{{"unit_id", unit},
                    {"gross_area_centi_m2", gross},
                    {"internal_area_centi_m2", internal}};
    };
    const std::string other_building_unit = released_units(1, 1)[0]["id"];
    const auto before = snapshot();
    for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
             {with(json::array()), "items"},
             {with({item(u0, g0, g0 + 1)}), "items[0].internal_area_centi_m2"},
             {with({item(u0, g0, i0), item(u0, g0, i0)}), "items[1].unit_id"},
             {with({item(other_building_unit, g0, i0)}), "items[0].unit_id"},
             {with({item(u0, g0 * 10, i0)}), "items[0].gross_area_centi_m2"},  // a typing error
             {with({item(u0, 0, i0)}), "items[0].gross_area_centi_m2"},
             {json{{"items", items}}.dump(), "note"}}) {
        const auto r = call("POST", path, body, "handover_clerk");
        expect_error(r, 400, "validation_failed");
        EXPECT_EQ(r.json()["error"]["details"]["field"], field) << body;
    }
    EXPECT_EQ(snapshot(), before);

    const auto survey = ok("POST", path, batch, "handover_clerk", 201);
    const std::string id = survey["id"];
    EXPECT_EQ(survey["status"], "draft");
    EXPECT_EQ(survey["recorded_by"], "user-handover_clerk");
    ASSERT_EQ(survey["items"].size(), 2u);
    EXPECT_EQ(survey["items"][0]["gross_difference_centi_m2"], 350);
    EXPECT_EQ(survey["items"][1]["gross_difference_centi_m2"], -120);
    EXPECT_EQ(survey["items"][1]["internal_difference_centi_m2"], 0);
    // A draft changes no unit and says nothing to other services.
    EXPECT_TRUE(ok("GET", "/api/v1/units/" + u0)["title_area"].is_null());
    const auto recorded_events = [&] {
        return count(
            "SELECT count(*) FROM outbox WHERE subject = 'inventory.unit.title_area_recorded'");
    };
    EXPECT_EQ(recorded_events(), 0);

    const auto approve = "/api/v1/title-area-surveys/" + id + "/approve";
    expect_error(call("POST", approve, "", "handover_clerk"), 403, "forbidden");
    // Four eyes: whoever recorded a batch does not check it, not even an administrator.
    const std::string own = ok("POST", path, batch, "admin", 201)["id"];
    expect_error(call("POST", "/api/v1/title-area-surveys/" + own + "/approve", "", "admin"), 422,
                 "same_person");
    expect_error(
        call("POST", "/api/v1/title-area-surveys/" + own + "/reject", "{}", "sales_manager"), 400,
        "validation_failed");  // a rejection says why
    EXPECT_EQ(ok("POST", "/api/v1/title-area-surveys/" + own + "/reject",
                 {{"note", "与产权处表不符"}}, "sales_manager")["status"],
              "rejected");

    const auto approved = ok("POST", approve, {{"note", "已核对"}}, "sales_manager");
    EXPECT_EQ(approved["status"], "approved");
    EXPECT_EQ(approved["decided_by"], "user-sales_manager");
    expect_error(call("POST", approve, "", "sales_manager"), 409, "invalid_transition");
    const auto unit0 = ok("GET", "/api/v1/units/" + u0);
    EXPECT_EQ(unit0["title_area"]["gross_area_centi_m2"], g0 + 350);
    EXPECT_EQ(unit0["title_area"]["internal_area_centi_m2"], i0 + 300);
    EXPECT_EQ(unit0["title_area"]["survey_id"], id);
    EXPECT_EQ(unit0["gross_area_centi_m2"], g0) << "the area sold stays as sold";
    EXPECT_EQ(ok("GET", "/api/v1/units/" + u1)["title_area"]["gross_area_centi_m2"], g1 - 120);
    EXPECT_TRUE(
        ok("GET", "/api/v1/units/" + units[2]["id"].get<std::string>())["title_area"].is_null());

    EXPECT_EQ(recorded_events(), 2);
    const auto data = json::parse(stack_->db("inventory").transaction([&](sales::db::Tx& tx) {
        return tx
            .exec_one(
                "SELECT payload FROM outbox WHERE subject = "
                "'inventory.unit.title_area_recorded' AND payload::jsonb -> 'data' ->> "
                "'unit_id' = $1",
                {u0})
            .text(0);
    }))["data"];
    EXPECT_EQ(data["project_id"], project);
    EXPECT_EQ(data["survey_id"], id);
    EXPECT_EQ(data["title_gross_area_centi_m2"], g0 + 350);
    EXPECT_EQ(data["title_internal_area_centi_m2"], i0 + 300);
    EXPECT_EQ(data["gross_area_centi_m2"], g0);
    EXPECT_EQ(data["internal_area_centi_m2"], i0);

    const auto list = ok("GET", path)["items"];
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["item_count"], 2);
    // Another project's user sees neither the batches nor the building.
    expect_error(
        call("GET", "/api/v1/title-area-surveys/" + id, "", "sales_manager", {sales::new_uuid()}),
        404, "title_area_survey_not_found");
}

}  // namespace
