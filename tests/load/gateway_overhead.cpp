// Gateway overhead benchmark: the same GET and the same kind of POST, at the same
// concurrency for the same time, sent directly to inventory and through the gateway (token check,
// route table, project scope, proxy over keep-alive, audit row for the POST). Reports req/s and
// p50/p99 of each, the throughput ratio and the added latency; then the latency of one client
// loading the board of a 2,000-unit project, gzip and plain. Nothing is asserted.
// Needs the PostgreSQL of a scripts/test.sh-style environment; run tests/load/gateway_overhead.sh.
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "load_stats.hpp"
#include "stack.hpp"

namespace {
using nlohmann::json;
using sales::test::Stack;

struct Options {
    int workers = 16;
    int seconds = 10;
    std::string out;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            throw std::invalid_argument(arg + " needs a value");
        const std::string value = argv[++i];
        if (arg == "--workers")
            o.workers = std::stoi(value);
        else if (arg == "--seconds")
            o.seconds = std::stoi(value);
        else if (arg == "--out")
            o.out = value;
        else
            throw std::invalid_argument("unknown flag " + arg +
                                        " (flags: --workers N --seconds N --out FILE)");
    }
    if (o.workers < 1 || o.seconds < 1)
        throw std::invalid_argument("--workers and --seconds must be ≥ 1");
    return o;
}

// `clients` keep-alive clients send `make_request` back to back to `port` for `seconds`.
json measure(std::uint16_t port, const Options& options,
             const std::function<sales::http::ClientResponse(sales::http::Client&)>& send,
             int clients) {
    sales::load::Recorder all;
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int w = 0; w < clients; ++w) {
        workers.emplace_back([&] {
            sales::http::Client client("127.0.0.1", port);
            sales::load::Recorder own;
            while (!stop) {
                const auto started = std::chrono::steady_clock::now();
                int status = 0;
                try {
                    status = send(client).status;
                } catch (const sales::http::ClientError&) {
                    status = -1;
                }
                own.record(status, std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - started));
            }
            std::lock_guard lock(mutex);
            all.merge(own);
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(options.seconds));  // the measuring window
    stop = true;
    for (auto& w : workers)
        w.join();
    auto summary = all.latency_summary();
    summary["requests_per_second"] = static_cast<double>(all.count()) / options.seconds;
    summary["statuses"] = all.statuses();
    return summary;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto options = parse(argc, argv);
        // Rate limits raised: the benchmark is one user on one address.
        Stack stack("gateway_bench", {"inventory", "gateway"},
                    {{"SALES_LOG_LEVEL", "warn"},
                     {"SALES_GATEWAY_RATE_USER_BURST", "1000000"},
                     {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1000000"},
                     {"SALES_GATEWAY_RATE_IP_BURST", "1000000"},
                     {"SALES_GATEWAY_RATE_IP_PER_SECOND", "1000000"}});
        const auto project = stack.released_project(10, 8);
        const auto unit_path = "/api/v1/units/" + project.unit_ids.front();
        const auto reader = Stack::auth("sales_rep");
        const auto creator = Stack::auth("admin");
        std::atomic<int> serial{0};
        const auto get = [&](sales::http::Client& c) { return c.get(unit_path, reader); };
        const auto post = [&](sales::http::Client& c) {
            const auto code = "B" + std::to_string(++serial);
            return c.request("POST", "/api/v1/projects",
                             json{{"code", code}, {"name", "压测项目"}, {"city", "成都"}}.dump(),
                             creator);
        };
        json result = {{"workers", options.workers}, {"seconds_per_run", options.seconds}};
        for (const auto& [name, send] : std::vector<std::pair<
                 std::string, std::function<sales::http::ClientResponse(sales::http::Client&)>>>{
                 {"get", get}, {"post", post}}) {
            const auto direct = measure(stack.port("inventory"), options, send, options.workers);
            const auto gateway = measure(stack.port("gateway"), options, send, options.workers);
            result[name] = {
                {"direct", direct},
                {"gateway", gateway},
                {"throughput_ratio_gateway_vs_direct",
                 gateway["requests_per_second"].get<double>() /
                     direct["requests_per_second"].get<double>()},
                {"added_p50_ms", gateway["p50"].get<double>() - direct["p50"].get<double>()},
                {"added_p99_ms", gateway["p99"].get<double>() - direct["p99"].get<double>()}};
        }
        // INV-5 board of a 2,000-unit project as a rep's screen loads it (one client at a time,
        // gzip accepted as by every browser), and without gzip for comparison.
        const auto big = stack.released_project(50, 40);
        const auto board_path = "/api/v1/projects/" + big.id + "/board";
        auto gzip_reader = reader;
        gzip_reader["Accept-Encoding"] = "gzip, deflate, br";
        const auto board_gzip = [&](sales::http::Client& c) {
            return c.get(board_path, gzip_reader);
        };
        const auto board_plain = [&](sales::http::Client& c) { return c.get(board_path, reader); };
        result["board_2000_units"] = {
            {"units", big.unit_ids.size()},
            {"direct_gzip", measure(stack.port("inventory"), options, board_gzip, 1)},
            {"gateway_gzip", measure(stack.port("gateway"), options, board_gzip, 1)},
            {"gateway_plain", measure(stack.port("gateway"), options, board_plain, 1)}};
        std::cout << result.dump(2) << "\n";
        if (!options.out.empty())
            std::ofstream(options.out) << result.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "gateway_overhead: " << e.what() << "\n";
        return 2;
    }
}
