// Report volume benchmark: the reporting service's read model filled with a large office's
// history (--contracts contracts over 10 projects, --entries ledger entries, their units,
// subscriptions, first contacts, mortgage files and unit changes; generated in SQL straight
// into the read model), then each report's first JSON page and each summary asked through
// HTTP, --runs times each, for one project (a sales manager of it) and for every project (a
// manager with scope "*"). Baseline in the same run: GET /readyz of the same service (HTTP and a
// database round trip). Nothing is asserted; figures go to stdout and to --out (JSON).
//
// Run it with tests/load/report_volume.sh (a private PostgreSQL and nats-server).
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "load_stats.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::Stack;

struct Options {
    int contracts = 100'000;
    int entries = 1'000'000;
    int runs = 5;
    std::string out;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--contracts")
            o.contracts = std::stoi(value());
        else if (arg == "--entries")
            o.entries = std::stoi(value());
        else if (arg == "--runs")
            o.runs = std::stoi(value());
        else if (arg == "--out")
            o.out = value();
        else
            throw std::invalid_argument("unknown flag " + arg +
                                        " (flags: --contracts N --entries N --runs N --out FILE)");
    }
    if (o.contracts < 1000 || o.entries < o.contracts || o.runs < 1)
        throw std::invalid_argument("--contracts ≥ 1000, --entries ≥ --contracts, --runs ≥ 1");
    return o;
}

// The read model of 10 projects × 10 buildings; contract i (0-based) is project i % 10's, signed
// on one of 730 days, priced 1–3 million yuan; every 20th cancelled, every 5th handed over.
// Ids are md5-derived UUIDs of a letter and the number, so the statements can join on them.
void fill(sales::db::Pool& db, int contracts, int entries) {
    const auto run = [&](const std::string& sql) {
        db.transaction([&](sales::db::Tx& tx) {
            tx.exec("SET LOCAL statement_timeout = 0");  // the pool's limit is for requests
            tx.exec(sql, {});
        });
    };
    const auto id = [](const char* letter, const std::string& n) {
        return "md5('" + std::string(letter) + "' || " + n + ")::uuid";
    };
    const std::string n = std::to_string(contracts);
    run("INSERT INTO projects SELECT " + id("p", "g") +
        ", 'P' || g, '项目' || g, 1 "
        "FROM generate_series(0, 9) g");
    run("INSERT INTO buildings SELECT " + id("b", "g") + ", " + id("p", "g % 10") +
        ", (g / 10 + 1) || '栋' FROM generate_series(0, 99) g");
    // A tenth more units than contracts: the unsold ones are available or not for sale.
    run("INSERT INTO units SELECT " + id("u", "g") + ", " + id("p", "g % 10") + ", " +
        id("b", "g % 100") +
        ", (g / 100) || '', (ARRAY['2室2厅','3室2厅','4室2厅'])[1 + g % 3], "
        "CASE WHEN g < " +
        n +
        " THEN (CASE WHEN g % 5 = 0 THEN 'handed_over' WHEN g % 20 = 1 "
        "THEN 'available' ELSE 'signed' END) WHEN g % 2 = 0 THEN 'available' ELSE "
        "'not_for_sale' END, 9000 + g % 5000, 100000000 + (g % 200) * 1000000, 1, "
        "now() FROM generate_series(0, " +
        n + " * 11 / 10) g");
    run("INSERT INTO customers SELECT " + id("k", "g") + ", " + id("p", "g % 10") +
        ", 'rep-' || (g % 40), (ARRAY['visit','call','referral','online'])[1 + g % 4], "
        "date '2025-01-01' + (g % 730) FROM generate_series(0, " +
        n + " * 3) g");
    run("INSERT INTO subscriptions SELECT " + id("s", "g") + ", " + id("p", "g % 10") + ", " +
        id("u", "g") + ", " + id("k", "g * 3") +
        ", 'rep-' || (g % 40), 'signed', 100000000 + (g % 200) * 1000000, "
        "date '2025-01-01' + (g % 730), 1 FROM generate_series(0, " +
        n + " - 1) g");
    run("INSERT INTO contracts SELECT " + id("c", "g") + ", 'HT' || lpad(g::text, 8, '0'), " +
        id("s", "g") + ", " + id("p", "g % 10") + ", " + id("u", "g") + ", " + id("k", "g * 3") +
        ", 'rep-' || (g % 40), timestamptz '2025-01-01 10:00+08' + (g % 730) * interval '1 day', "
        "date '2025-01-01' + (g % 730), (ARRAY['one_off','instalments','mortgage'])[1 + g % 3], "
        "100000000 + (g % 200) * 1000000, g % 7 * 100000, 100000000 + (g % 200) * 1000000 - g % "
        "7 * 100000, 100000000 + (g % 200) * 1000000 - g % 7 * 100000, 9000 + g % 5000, "
        "CASE WHEN g % 20 = 1 THEN 'cancelled' WHEN g % 5 = 0 THEN 'handed_over' ELSE 'signed' "
        "END, CASE WHEN g % 5 = 0 THEN date '2025-01-01' + (g % 730) + 300 END, "
        "CASE WHEN g % 20 = 1 THEN timestamptz '2025-02-01 10:00+08' + (g % 700) * interval '1 "
        "day' END, CASE WHEN g % 20 = 1 THEN date '2025-02-01' + (g % 700) END, "
        "CASE WHEN g % 20 = 1 THEN '客户家庭原因退房' END, CASE WHEN g % 20 = 1 THEN "
        "'user-finance_director' END, CASE WHEN g % 20 = 1 THEN 5000000 END, 1 "
        "FROM generate_series(0, " +
        n + " - 1) g");
    // entries / contracts per contract: the deposit first, then instalments; every 50th entry a
    // reversal (红冲) of the one before.
    const std::string per = std::to_string(entries / contracts);
    run("INSERT INTO ledger_entries SELECT " + id("e", "g") + ", " +
        id("p", "(g / " + per + ") % 10") + ", " + id("c", "g / " + per) + ", " +
        id("s", "g / " + per) + ", CASE WHEN g % " + per +
        " = 0 THEN 'deposit' WHEN g % 50 = 49 THEN 'reversal' ELSE "
        "'instalment' END, CASE WHEN g % 50 = 49 THEN -1000000 ELSE 1000000 END, 'R' || g, "
        "timestamptz '2025-01-01 11:00+08' + ((g / " +
        per + ") % 730 + g % " + per + " * 7) * interval '1 day', date '2025-01-01' + ((g / " +
        per + ") % 730 + g % " + per + " * 7), CASE WHEN g % 50 = 49 THEN " + id("e", "g - 1") +
        " END, CASE WHEN g % 50 = 49 THEN 'instalment' END FROM generate_series(0, " +
        std::to_string(entries) + " - 1) g");
    run("INSERT INTO mortgages SELECT " + id("m", "g") + ", " + id("c", "g") + ", " +
        id("p", "g % 10") +
        ", 'HT' || lpad(g::text, 8, '0'), (ARRAY['documents_pending','submitted','approved',"
        "'registered','disbursed'])[1 + g % 5], 'commercial', 70000000, 70000000, CASE WHEN g % "
        "5 = 4 THEN 70000000 ELSE 0 END, '建设银行', date '2025-03-01' + (g % 700), g % 7 = 0, 1, "
        "now() FROM generate_series(0, " +
        n + " - 1, 3) g");
    run("INSERT INTO unit_changes SELECT 'chg-' || g, 'contract', " + id("p", "g % 10") + ", " +
        id("s", "g") + ", " + id("c", "g") + ", " + id("u", "g") + ", " + id("u", "g + 1") +
        ", 100000000, 101000000, '客户换房', 'user-sales_manager', now(), date '2025-01-01' + "
        "(g % 730) FROM generate_series(0, " +
        n + " - 1, 50) g");
    run("ANALYZE");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto options = parse(argc, argv);
        Stack stack("report_bench", {"reporting"}, {{"SALES_LOG_LEVEL", "warn"}});
        const auto filling = std::chrono::steady_clock::now();
        fill(stack.db("reporting"), options.contracts, options.entries);
        const double fill_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - filling).count();
        const auto project = stack.db("reporting").transaction([](sales::db::Tx& tx) {
            return tx.exec("SELECT md5('p' || 0)::uuid::text AS id")[0].text("id");
        });
        std::cout << "report_volume: " << options.contracts << " contracts, " << options.entries
                  << " ledger entries in " << fill_seconds << " s\n";

        auto& http = stack.http("reporting");
        const auto time_get = [&](const std::string& path, const sales::http::Headers& headers,
                                  sales::load::Recorder& recorder) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto r = http.get(path, headers);
            recorder.record(r.status, std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::steady_clock::now() - t0));
            if (r.status != 200)
                throw std::runtime_error(path + " answered " + std::to_string(r.status) + ": " +
                                         r.body.substr(0, 200));
        };
        sales::load::Recorder readyz;
        for (int i = 0; i < 20 * options.runs; ++i)
            time_get("/readyz", {}, readyz);

        const std::vector<std::string> reports = {
            "/api/v1/reports/sales",
            "/api/v1/reports/sales-summary?group=month",
            "/api/v1/reports/sales-summary?group=day",
            "/api/v1/reports/sales-summary?group=quarter",
            "/api/v1/reports/sales-summary?group=building",
            "/api/v1/reports/sales-summary?group=layout",
            "/api/v1/reports/sales-summary?group=channel",
            "/api/v1/reports/sales-summary?group=rep",
            "/api/v1/reports/cancellations",
            "/api/v1/reports/unit-changes",
            "/api/v1/reports/payments",
            "/api/v1/reports/payments-summary?group=day",
            "/api/v1/reports/payments-summary?group=month",
            "/api/v1/reports/sales-control",
            "/api/v1/reports/conversion?group=month",
            "/api/v1/reports/mortgages",
        };
        const auto one_project = Stack::auth("sales_manager", {project});
        const auto every_project = Stack::auth("sales_manager", {"*"});
        json results = json::object();
        double worst_ms = 0;
        for (const auto& path : reports) {
            sales::load::Recorder mine, all;
            const auto with_project =
                path + (path.find('?') == std::string::npos ? "?" : "&") + "project_id=" + project;
            for (int i = 0; i < options.runs; ++i) {
                time_get(with_project, one_project, mine);
                time_get(path, every_project, all);
            }
            worst_ms = std::max({worst_ms, mine.percentile_ms(100), all.percentile_ms(100)});
            results[path] = {{"one_project_ms", mine.latency_summary()},
                             {"every_project_ms", all.latency_summary()}};
            std::cout << path << ": one project p50 " << mine.percentile_ms(50)
                      << " ms, every project p50 " << all.percentile_ms(50) << " ms (max "
                      << std::max(mine.percentile_ms(100), all.percentile_ms(100)) << ")\n";
        }
        sales::load::Recorder xlsx;
        for (int i = 0; i < std::min(options.runs, 3); ++i)
            time_get("/api/v1/reports/sales?format=xlsx&project_id=" + project, one_project, xlsx);

        const json result = {
            {"contracts", options.contracts},
            {"ledger_entries", options.entries},
            {"fill_seconds", fill_seconds},
            {"runs", options.runs},
            {"baseline_readyz_ms", readyz.latency_summary()},
            {"reports", results},
            {"slowest_answer_ms", worst_ms},
            {"ratio_slowest_vs_readyz_p50",
             readyz.percentile_ms(50) > 0 ? worst_ms / readyz.percentile_ms(50) : 0.0},
            {"sales_detail_xlsx_one_project_ms", xlsx.latency_summary()}};
        std::cout << result.dump(2) << "\n";
        if (!options.out.empty())
            std::ofstream(options.out) << result.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "report_volume: " << e.what() << "\n";
        return 2;
    }
}
