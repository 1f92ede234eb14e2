// The reports against the sources of truth, through the real services: a history of deals with
// payments, reversals (红冲), cancellations refunded (CON-6), unit changes before signing (CON-2)
// and after (CON-5) and first contacts is made through the gateway; the reporting service learns
// it only from the events. Every report total then equals, to the fen, what finance's ledger,
// contract's contracts, inventory's units and customer's customers hold; the CSV and the xlsx
// carry the same totals (the xlsx read back by a Python reader); and the read model rebuilt from an
// empty database by replaying the streams gives identical reports.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "deal_desk.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/sheet.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::DealDesk;
using sales::test::eventually;
using sales::test::Stack;
using namespace std::chrono_literals;

// A history of hundreds of deals (about 25 s through the real services on two cores).
constexpr int kDeals = 200;
constexpr int kSwaps = 4;  // subscriptions moved to another unit before signing (CON-2)
// Units: one per deal, per swapped subscription and per unit moved to, by swap or amendment.
constexpr int kUnits = kDeals + 2 * kSwaps + kDeals / 50;

// The standard output of `command` (a reader of the xlsx).
std::string run_command(const std::string& command) {
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
            out.append(buffer, n);
        ::pclose(pipe);
    }
    return out;
}

class Reporting : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("reporting",
                           {"inventory", "contract", "customer", "finance", "reporting", "gateway"},
                           {{"SALES_GATEWAY_RATE_USER_BURST", "1000000"},
                            {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1000000"},
                            {"SALES_GATEWAY_RATE_IP_BURST", "1000000"},
                            {"SALES_GATEWAY_RATE_IP_PER_SECOND", "1000000"},
                            {"SALES_REPORTING_PACK_INTERVAL", "500ms"}});
        project_ = new Stack::Project(stack_->released_project((kUnits + 7) / 8, 8));
    }
    static void TearDownTestSuite() {
        delete project_;
        delete stack_;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    static json report(const std::string& path, const std::string& role = "sales_manager") {
        return stack_->ok("gateway", "GET", path, nullptr, role);
    }
    static std::string in_project(const std::string& path) {
        return path + (path.find('?') == std::string::npos ? "?" : "&") +
               "project_id=" + project_->id;
    }
    static std::int64_t total(const json& r, const std::string& key) {
        return r["totals"].value(key, std::int64_t{-1});
    }
    static std::int64_t scalar(const std::string& service, const std::string& sql) {
        return stack_->count(service, sql, {project_->id});
    }

    // The history (made once for the suite): kDeals signed deals each paying part of the rest;
    // every 5th payment reversed, every 6th deal cancelled with a refund, every 50th moved to
    // another unit by amendment; kSwaps subscriptions moved before signing; four first contacts.
    static void make_history() {
        if (made_)
            return;
        made_ = true;
        DealDesk desk(*stack_);
        const auto& units = project_->unit_ids;
        std::size_t spare = kDeals + kSwaps;
        for (int i = 0; i < kDeals; ++i) {
            auto deal = desk.stamped_deal(units[i]);
            const auto entry = desk.pay_instalment(deal, (deal.price_fen - deal.deposit_fen) / 2);
            if (i % 5 == 0)
                desk.reverse(entry, "收据金额录入错误");
            if (i % 6 == 5)
                desk.cancel(deal, deal.deposit_fen, "客户家庭原因退房");
            if (i % 50 == 2)
                desk.change_unit(deal, units[spare++], "客户换房（CON-5）");
        }
        for (int i = 0; i < kSwaps; ++i) {
            auto deal = desk.confirmed_subscription(units[kDeals + i]);
            desk.swap(deal, units[spare++], "客户换房（认购）");
        }
        for (int i = 0; i < 4; ++i) {
            const json body = {{"project_id", project_->id},
                               {"name", "客户" + std::to_string(i)},
                               {"phone", "1370000" + std::to_string(1000 + i)},
                               {"channel", i % 2 == 0 ? "visit" : "call"},
                               {"first_event", {{"kind", i % 2 == 0 ? "visit" : "call_in"}}}};
            stack_->ok("gateway", "POST", "/api/v1/customers", body, "sales_rep", 201);
        }
        ASSERT_TRUE(eventually([] { return caught_up(); }, 60s, 200ms))
            << "the read model never caught up with the services";
    }

    // The read model holds what the services hold (compared by counts and sums).
    static bool caught_up() {
        const auto same = [](const std::string& a_service, const std::string& a_sql,
                             const std::string& b_sql) {
            return scalar(a_service, a_sql) == scalar("reporting", b_sql);
        };
        const std::string ledger =
            "SELECT count(*) * 1000000000000 + coalesce(sum(amount_fen), 0) FROM ledger_entries "
            "WHERE project_id = $1::uuid";
        const std::string contracts =
            "SELECT count(*) * 1000 + count(*) FILTER (WHERE status = 'cancelled') FROM "
            "contracts WHERE project_id = $1::uuid";
        const std::string prices =
            "SELECT coalesce(sum(price_fen), 0) FROM contracts WHERE project_id = $1::uuid";
        const std::string signed_units =
            "SELECT count(*) * 1000 + count(*) FILTER (WHERE "
            "status IN ('signed', 'subscribed')) FROM units WHERE "
            "project_id = $1::uuid";
        const std::string customers = "SELECT count(*) FROM customers WHERE project_id = $1::uuid";
        return same("finance", ledger, ledger) && same("contract", contracts, contracts) &&
               same("contract", prices, prices) && same("inventory", signed_units, signed_units) &&
               same("customer", customers, customers) &&
               scalar("reporting",
                      "SELECT count(*) FROM unit_changes WHERE project_id = "
                      "$1::uuid") == kSwaps + kDeals / 50;
    }

    // Every report of the project, all rows, as the API answers.
    static std::map<std::string, json> every_report() {
        std::map<std::string, json> out;
        for (const char* path :
             {"/api/v1/reports/sales?limit=500", "/api/v1/reports/sales-summary?group=month",
              "/api/v1/reports/sales-summary?group=week",
              "/api/v1/reports/sales-summary?group=building",
              "/api/v1/reports/sales-summary?group=layout",
              "/api/v1/reports/sales-summary?group=channel",
              "/api/v1/reports/sales-summary?group=rep", "/api/v1/reports/sales-summary?group=plan",
              "/api/v1/reports/cancellations?limit=500", "/api/v1/reports/unit-changes?limit=500",
              "/api/v1/reports/payments?limit=500", "/api/v1/reports/payments-summary?group=day",
              "/api/v1/reports/payments-summary?group=quarter", "/api/v1/reports/sales-control",
              "/api/v1/reports/conversion?group=month", "/api/v1/reports/mortgages?limit=500"})
            out[path] = report(in_project(path));
        return out;
    }

    static inline Stack* stack_ = nullptr;
    static inline Stack::Project* project_ = nullptr;
    static inline bool made_ = false;
};

TEST_F(Reporting, EveryReportTotalEqualsTheSourceOfTruthToTheFen) {
    make_history();
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(stack_->count("reporting", "SELECT count(*) FROM dead_letter"), 0)
        << "the read model refused events";

    // 收退款明细表 = finance's ledger.
    const auto payments = report(in_project("/api/v1/reports/payments?limit=3"));
    EXPECT_EQ(payments["rows"].size(), 3u) << "a page";
    EXPECT_EQ(payments["total_rows"],
              scalar("finance", "SELECT count(*) FROM ledger_entries WHERE project_id = $1::uuid"));
    const auto ledger_sum = [](const std::string& condition) {
        return scalar("finance",
                      "SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE "
                      "project_id = $1::uuid AND " +
                          condition);
    };
    EXPECT_EQ(total(payments, "net_fen"), ledger_sum("true"));
    EXPECT_EQ(total(payments, "received_fen"),
              ledger_sum("category NOT IN ('refund', 'reversal')"));
    EXPECT_EQ(total(payments, "refunded_fen"), -ledger_sum("category = 'refund'"));
    EXPECT_EQ(total(payments, "reversed_fen"), ledger_sum("category = 'reversal'"));
    EXPECT_LT(total(payments, "reversed_fen"), 0) << "the history has reversals";
    EXPECT_GT(total(payments, "refunded_fen"), 0) << "the history has refunds";
    const auto by_day = report(in_project("/api/v1/reports/payments-summary?group=day"));
    std::int64_t net_by_day = 0;
    for (const auto& row : by_day["rows"])
        net_by_day += row["net_fen"].get<std::int64_t>();
    EXPECT_EQ(net_by_day, ledger_sum("true"));
    EXPECT_EQ(total(by_day, "entries"), payments["total_rows"]);

    // 销售明细分析表 and 销售汇总表 = contract's contracts.
    const auto contract_sum = [](const std::string& what, const std::string& condition) {
        return scalar("contract", "SELECT coalesce(" + what +
                                      ", 0) FROM contracts WHERE project_id = $1::uuid AND " +
                                      condition);
    };
    const auto sales = report(in_project("/api/v1/reports/sales?limit=500"));
    EXPECT_EQ(sales["total_rows"], kDeals);
    EXPECT_EQ(sales["total_rows"], contract_sum("count(*)", "true"));
    EXPECT_EQ(total(sales, "price_fen"), contract_sum("sum(price_fen)", "true"));
    EXPECT_EQ(total(sales, "list_total_fen"), contract_sum("sum(list_total_fen)", "true"));
    EXPECT_EQ(total(sales, "discount_fen"), contract_sum("sum(discount_fen)", "true"));
    EXPECT_EQ(sales["rows"][0]["status_label"].is_string(), true);
    for (const char* group : {"month", "building", "layout", "rep", "plan", "channel"}) {
        const auto summary =
            report(in_project("/api/v1/reports/sales-summary?group=" + std::string(group)));
        SCOPED_TRACE(group);
        EXPECT_EQ(total(summary, "signed_count"), kDeals);
        EXPECT_EQ(total(summary, "signed_amount_fen"), contract_sum("sum(price_fen)", "true"));
        EXPECT_EQ(total(summary, "cancelled_count"),
                  contract_sum("count(*)", "status = 'cancelled'"));
        EXPECT_EQ(total(summary, "cancelled_amount_fen"),
                  contract_sum("sum(price_fen)", "status = 'cancelled'"));
        EXPECT_EQ(total(summary, "net_amount_fen"),
                  contract_sum("sum(price_fen)", "status <> 'cancelled'"));
    }

    // 退房明细表: the cancelled contracts, refunded as finance paid them, with the approver.
    const auto cancellations = report(in_project("/api/v1/reports/cancellations?limit=500"));
    EXPECT_EQ(cancellations["total_rows"], contract_sum("count(*)", "status = 'cancelled'"));
    EXPECT_GT(cancellations["total_rows"].get<std::int64_t>(), 0);
    EXPECT_EQ(total(cancellations, "refund_fen"), -ledger_sum("category = 'refund'"));
    for (const auto& row : cancellations["rows"]) {
        EXPECT_EQ(row["approved_by"], "user-finance_director");
        EXPECT_EQ(row["reason"], "客户家庭原因退房");
    }

    // 换房明细表: kSwaps before signing, one in 50 deals after, each priced as contract holds it.
    const auto changes = report(in_project("/api/v1/reports/unit-changes?limit=500"));
    ASSERT_EQ(changes["total_rows"], kSwaps + kDeals / 50);
    int after_signing = 0;
    for (const auto& row : changes["rows"]) {
        if (row["stage"] == "contract") {
            ++after_signing;
            EXPECT_EQ(row["reason"], "客户换房（CON-5）");
            EXPECT_EQ(row["approved_by"], "user-finance_director");
            EXPECT_EQ(
                row["new_price_fen"],
                contract_sum("sum(price_fen)",
                             "contract_no = '" + row["contract_no"].get<std::string>() + "'"));
        }
        EXPECT_NE(row["old_unit"], row["new_unit"]);
    }
    EXPECT_EQ(after_signing, kDeals / 50);

    // 销控汇总表 = inventory's units; the amounts of the live contracts.
    const auto control = report(in_project("/api/v1/reports/sales-control"));
    const auto units = [](const std::string& condition) {
        return scalar("inventory",
                      "SELECT count(*) FROM units WHERE project_id = $1::uuid AND " + condition);
    };
    EXPECT_EQ(total(control, "total_units"), units("true"));
    for (const char* status : {"available", "held", "subscribed", "signed", "handed_over"})
        EXPECT_EQ(total(control, status), units("status = '" + std::string(status) + "'"))
            << status;
    EXPECT_EQ(total(control, "sold_units"),
              units("status IN ('subscribed', 'signed', 'handed_over')"));
    EXPECT_EQ(total(control, "contract_amount_fen"),
              contract_sum("sum(price_fen)", "status <> 'cancelled'"));
    const auto on_sale = units("status <> 'not_for_sale'");
    EXPECT_EQ(total(control, "sell_through_bp"),
              (total(control, "sold_units") * 10'000 * 2 + on_sale) / (2 * on_sale));

    // The conversion funnel counts what customer and contract recorded.
    const auto funnel = report(in_project("/api/v1/reports/conversion?group=month"));
    EXPECT_EQ(total(funnel, "customers"),
              scalar("customer", "SELECT count(*) FROM customers WHERE project_id = $1::uuid"));
    EXPECT_EQ(total(funnel, "subscriptions"),
              scalar("contract", "SELECT count(*) FROM subscriptions WHERE project_id = $1::uuid"));
    EXPECT_EQ(total(funnel, "contracts"), kDeals);
}

TEST_F(Reporting, CsvAndXlsxDownloadsCarryTheSameTotals) {
    make_history();
    ASSERT_FALSE(HasFailure());
    const auto payments = report(in_project("/api/v1/reports/payments?limit=1"));
    const auto csv =
        stack_->call("gateway", "GET", in_project("/api/v1/reports/payments?format=csv"), nullptr,
                     Stack::auth("finance_director"));
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.headers.at("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_NE(csv.headers.at("Content-Disposition").find("filename*=UTF-8''"), std::string::npos);
    ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM for Excel";
    EXPECT_NE(csv.body.find("收款(元)"), std::string::npos);
    const auto last_line = csv.body.substr(csv.body.rfind("\r\n", csv.body.size() - 3) + 2);
    EXPECT_EQ(last_line.rfind("合计", 0), 0u) << last_line;
    EXPECT_NE(last_line.find(sales::sheet::fixed2(total(payments, "net_fen"))), std::string::npos)
        << last_line;

    const auto sales = report(in_project("/api/v1/reports/sales?limit=1"));
    // The 置业顾问 column shows the rep's name from identity.user.created (the read model's
    // staff_names), not the user id.
    const std::string rep_id = sales["rows"][0]["rep_id"];
    stack_->publish(sales::bus::make_event("gateway", "identity.user.created", rep_id, 1,
                                           {{"user_id", rep_id},
                                            {"username", "wang.xm"},
                                            {"display_name", "王小明"},
                                            {"roles", {"sales_rep"}}}));
    ASSERT_TRUE(eventually([&] {
        return stack_->count("reporting", "SELECT count(*) FROM staff_names WHERE user_id = $1",
                             {rep_id}) == 1;
    })) << "reporting never recorded the rep's name";
    const auto xlsx =
        stack_->call("gateway", "GET", in_project("/api/v1/reports/sales?format=xlsx"), nullptr,
                     Stack::auth("sales_manager"));
    ASSERT_EQ(xlsx.status, 200) << xlsx.body;
    const auto file = sales::test::temp_dir("reporting-xlsx") + "/sales.xlsx";
    std::ofstream(file, std::ios::binary) << xlsx.body;
    const auto read = run_command("python3 " SALES_SHEET_READ_XLSX " " + file);
    const auto book = json::parse(read, nullptr, false);
    ASSERT_FALSE(book.is_discarded()) << read;
    ASSERT_EQ(book["sheets"].size(), 1u);
    const auto& sheet = book["sheets"][0];
    EXPECT_EQ(sheet["name"], "销售明细分析表");
    EXPECT_EQ(sheet["frozen_rows"], 1);
    const auto& rows = sheet["rows"];
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(kDeals) + 2) << "header, deals, totals";
    EXPECT_EQ(rows[0][0], "签约日期");
    EXPECT_EQ(rows[0][9], "成交总价(元)");
    EXPECT_EQ(rows.back()[0], "合计");
    EXPECT_EQ(rows[0][13], "置业顾问");
    for (std::size_t i = 1; i + 1 < rows.size(); ++i)
        EXPECT_EQ(rows[i][13], "王小明（wang.xm）") << "row " << i;
    // A money cell is a number in yuan shown with two decimals (the reader prints the number
    // as Excel stores it: without trailing zeros).
    auto yuan = sales::sheet::fixed2(total(sales, "price_fen"));
    while (yuan.back() == '0')
        yuan.pop_back();
    if (yuan.back() == '.')
        yuan.pop_back();
    EXPECT_EQ(rows.back()[9]["number"], yuan);
    EXPECT_EQ(rows.back()[9]["format"], "#,##0.00");
}

TEST_F(Reporting, ReportsNeedReportReadAndKeepToTheCallersProjects) {
    make_history();
    ASSERT_FALSE(HasFailure());
    sales::test::expect_error(
        stack_->call("gateway", "GET", "/api/v1/reports/sales", nullptr, Stack::auth("sales_rep")),
        403, "forbidden");
    // Another project's manager: the gateway refuses this project, and nothing of it is shown.
    const auto elsewhere = Stack::as("manager-elsewhere", {"sales_manager"}, {sales::new_uuid()});
    sales::test::expect_error(
        stack_->call("gateway", "GET", in_project("/api/v1/reports/sales"), nullptr, elsewhere),
        403, "project_forbidden");
    const auto theirs =
        stack_->call("gateway", "GET", "/api/v1/reports/payments", nullptr, elsewhere);
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    EXPECT_EQ(theirs.json()["total_rows"], 0);
    for (const char* bad :
         {"/api/v1/reports/sales-summary?group=fortnight", "/api/v1/reports/sales?from=2026-02-30",
          "/api/v1/reports/sales?from=2026-05-02&to=2026-05-01", "/api/v1/reports/sales?format=pdf",
          "/api/v1/reports/payments-summary?group=building", "/api/v1/reports/sales?limit=0",
          "/api/v1/reports/sales?colour=red", "/api/v1/reports/mortgages?status=lost"}) {
        SCOPED_TRACE(bad);
        sales::test::expect_error(
            stack_->call("gateway", "GET", bad, nullptr, Stack::auth("sales_manager")), 400,
            "validation_failed");
    }
}

TEST_F(Reporting, TheReadModelRebuiltByReplayGivesIdenticalReports) {
    make_history();
    ASSERT_FALSE(HasFailure());
    const auto before = every_report();
    // The operator's rebuild (docs/operations.md): the service stopped, `reporting
    // rebuild-read-model` empties the read model, its inbox and its consumers, and the service
    // started again replays every stream from its first event.
    ASSERT_EQ(stack_->process("reporting").terminate(), 0);
    std::string output;
    ASSERT_EQ(stack_->run_command("reporting", {"rebuild-read-model"}, &output), 0) << output;
    EXPECT_NE(output.find("reporting_contract__"), std::string::npos) << output;
    EXPECT_EQ(stack_->count("reporting",
                            "SELECT count(*) FROM inbox WHERE subject NOT LIKE "
                            "'identity.%'"),
              0);
    EXPECT_EQ(stack_->count("reporting", "SELECT count(*) FROM contracts"), 0);
    stack_->kill_and_restart("reporting");
    ASSERT_TRUE(eventually([] { return caught_up(); }, 60s, 200ms)) << "the replay never caught up";
    const auto after = every_report();
    for (const auto& [path, body] : before)
        EXPECT_EQ(after.at(path), body) << path;
}

// The event contract other departments rely on (docs/asyncapi.yaml): every event the services
// published for this history, read from their outboxes, validates against its message schema
// with every object closed (a field the code sends that the contract does not describe fails).
TEST_F(Reporting, EveryPublishedEventMatchesTheAsyncApiContract) {
    make_history();
    ASSERT_FALSE(HasFailure());
    const auto file = stack_->log_directory() + "/published-events.jsonl";
    std::ofstream out(file);
    std::size_t events = 0;
    for (const std::string service : {"inventory", "contract", "customer", "finance", "gateway"}) {
        const auto rows = stack_->db(service).transaction(
            [](sales::db::Tx& tx) { return tx.exec("SELECT payload FROM outbox ORDER BY id"); });
        for (const auto& row : rows) {
            out << row.text("payload") << "\n";
            ++events;
        }
    }
    out.close();
    ASSERT_GT(events, 200u);
    std::string output;
    const auto command =
        std::string("node '") + SALES_ASYNCAPI_SYNC + "' --events '" + file + "' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        output.append(buffer, n);
    const int status = ::pclose(pipe);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find(std::to_string(events)), std::string::npos) << output;
    std::cout << "[ figures  ] " << output;
}

// Report packs: the scheduled daily, weekly and monthly packs of the periods just ended appear
// for the project; one made on request for today holds a sheet per report whose rows are the
// reports' own; another project's manager cannot fetch it.
TEST_F(Reporting, ReportPacksAreMadeOnScheduleAndOnRequestWithASheetPerReport) {
    using namespace std::chrono;
    make_history();
    ASSERT_FALSE(HasFailure());
    const auto today = sales::shanghai_date(system_clock::now());
    const auto day = [](sys_days d) { return sales::to_string(sales::Date{d}); };
    const auto monday = sys_days(today) - (weekday(sys_days(today)) - Monday);
    const std::map<std::string, std::pair<std::string, std::string>> expected = {
        {"daily", {day(sys_days(today) - days(1)), day(sys_days(today) - days(1))}},
        {"weekly", {day(monday - days(7)), day(monday - days(1))}},
        {"monthly",
         {day(sys_days(sales::Date{(today.year() / today.month() / 1)} - months(1))),
          day(sys_days(sales::Date{today.year() / today.month() / 1}) - days(1))}}};
    ASSERT_TRUE(eventually(
        [&] {
            const auto packs = report(in_project("/api/v1/report-packs"));
            std::size_t found = 0;
            for (const auto& p : packs["items"]) {
                const auto it = expected.find(p["kind"]);
                found += it != expected.end() && p["period_from"] == it->second.first &&
                                 p["period_to"] == it->second.second &&
                                 p["generated_by"] == "schedule" && p["sheets"] == 9
                             ? 1
                             : 0;
            }
            return found == 3;
        },
        30s, 200ms))
        << report(in_project("/api/v1/report-packs")).dump();

    const auto made = stack_->ok(
        "gateway", "POST", "/api/v1/report-packs",
        {{"kind", "daily"}, {"date", sales::to_string(today)}, {"project_id", project_->id}},
        "sales_manager", 201);
    EXPECT_EQ(made["period_from"], sales::to_string(today));
    EXPECT_EQ(made["sheets"], 9);
    const std::string pack_id = made["id"];
    const auto file = stack_->call("gateway", "GET", "/api/v1/report-packs/" + pack_id, nullptr,
                                   Stack::auth("sales_manager"));
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(made["size_bytes"], static_cast<std::int64_t>(file.body.size()));
    const auto path = sales::test::temp_dir("reporting-pack") + "/pack.xlsx";
    std::ofstream(path, std::ios::binary) << file.body;
    const auto read = run_command("python3 " SALES_SHEET_READ_XLSX " " + path);
    const auto book = json::parse(read, nullptr, false);
    ASSERT_FALSE(book.is_discarded()) << read;
    ASSERT_EQ(book["sheets"].size(), 9u);
    std::vector<std::string> names;
    for (const auto& sheet : book["sheets"])
        names.push_back(sheet["name"]);
    EXPECT_EQ(names[0], "销售汇总表");
    EXPECT_EQ(names[1], "销售明细分析表");
    // The sales detail sheet: the day's contracts and the report's totals.
    const auto today_text = sales::to_string(today);
    const auto sales_today = report(
        in_project("/api/v1/reports/sales?limit=500&from=" + today_text + "&to=" + today_text));
    const auto& rows = book["sheets"][1]["rows"];
    ASSERT_EQ(rows.size(), sales_today["total_rows"].get<std::size_t>() + 2);
    EXPECT_EQ(rows.back()[0], "合计");
    EXPECT_GT(sales_today["total_rows"].get<int>(), 0);

    // Another project's manager: not theirs.
    const auto elsewhere = Stack::as("manager-elsewhere", {"sales_manager"}, {sales::new_uuid()});
    sales::test::expect_error(
        stack_->call("gateway", "GET", "/api/v1/report-packs/" + pack_id, nullptr, elsewhere), 404,
        "report_pack_not_found");
    sales::test::expect_error(
        stack_->call("gateway", "POST", "/api/v1/report-packs",
                     {{"kind", "daily"}, {"date", today_text}, {"project_id", project_->id}},
                     elsewhere),
        403, "project_forbidden");
    sales::test::expect_error(stack_->call("gateway", "POST", "/api/v1/report-packs",
                                           {{"kind", "daily"},
                                            {"date", day(sys_days(today) + days(1))},
                                            {"project_id", project_->id}},
                                           Stack::auth("sales_manager")),
                              400, "validation_failed");
}

}  // namespace
