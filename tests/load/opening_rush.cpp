// Opening-day benchmark ("opening rush"): a released project of buildings × floors × positions
// units (default 10 × 25 × 8 = 2,000); N buyers (default 20,000) each try to subscribe to one unit
// of a popular subset (default 200 units, drawn with a seeded RNG) as fast as the system answers,
// over C worker threads (default 64), each buyer one POST /api/v1/subscriptions.
//
// Reports requests/s, p50/p95/p99/max latency, outcomes by status and error code, then checks
// against both databases that nothing was oversold:
//   - contract: no unit has more than one live subscription (pending_deposit, confirmed,
//     cancellation_requested);
//   - inventory ↔ contract: every unit held/subscribed/signed/handed_over is held by exactly the
//     live subscription of that unit, and every live subscription's unit is held by it;
//   - buyers: no unit was answered 201 twice, every 201 is a live subscription of a popular unit,
//     and successes = distinct popular units sold.
// Prints "oversold_units: N" and "mismatches: N"; exit code 1 when either is non-zero.
// Measures; asserts nothing about speed. Usage: opening_rush --help.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "load_stats.hpp"
#include "sales/auth.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kTransportError = 0;  // status recorded when no HTTP answer arrived
const char* const kLiveStatuses = "('pending_deposit', 'confirmed', 'cancellation_requested')";
const char* const kDealStatuses = "('held', 'subscribed', 'signed', 'handed_over')";

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
    std::string text() const { return host + ":" + std::to_string(port); }
};

struct Options {
    Endpoint contract{"127.0.0.1", 8082};
    Endpoint inventory{"127.0.0.1", 8081};
    std::string private_key_file;
    std::string contract_db;
    std::string inventory_db;
    std::int64_t buyers = 20'000;
    std::int64_t concurrency = 64;
    std::int64_t popular = 200;
    std::int64_t buildings = 10;
    std::int64_t floors = 25;
    std::int64_t positions = 8;
    std::uint64_t seed = 20'261'122;
    std::int64_t timeout_ms = 10'000;
    std::int64_t sync_timeout_s = 60;
    std::int64_t settle_ms = 3'000;
    std::string out;
};

void print_usage() {
    std::puts(
        "usage: opening_rush --private-key FILE --contract-db CONNINFO --inventory-db "
        "CONNINFO [options]\n"
        "  --contract HOST:PORT     contract service (127.0.0.1:8082)\n"
        "  --inventory HOST:PORT    inventory service (127.0.0.1:8081)\n"
        "  --private-key FILE       token signing key (sales-token keygen; its public key in\n"
        "                           the services' SALES_TOKEN_PUBLIC_KEYS)\n"
        "  --contract-db CONNINFO   libpq conninfo of the contract database (sync wait, checks)\n"
        "  --inventory-db CONNINFO  libpq conninfo of the inventory database (checks)\n"
        "  --buyers N               buyers, one POST /api/v1/subscriptions each (20000)\n"
        "  --concurrency C          worker threads, each one keep-alive connection (64)\n"
        "  --popular P              units the buyers want, drawn from the project (200)\n"
        "  --buildings B --floors F --positions K   project shape (10 x 25 x 8 = 2000 units)\n"
        "  --seed S                 RNG seed for the popular subset and the buyers' choices\n"
        "  --timeout-ms MS          client request timeout; an expiry counts as an error (10000)\n"
        "  --sync-timeout-s S       wait for contract to learn the project (60)\n"
        "  --settle-ms MS           pause after the run before checking the databases (3000)\n"
        "  --out FILE               write the results as JSON\n"
        "exit: 0 ok, 1 oversold or mismatches, 2 usage, 3 setup or check failure");
}

std::int64_t to_integer(const std::string& flag, const std::string& value, std::int64_t min,
                        std::int64_t max) {
    try {
        std::size_t used = 0;
        const auto v = std::stoll(value, &used);
        if (used == value.size() && v >= min && v <= max)
            return v;
    } catch (const std::exception&) {
        // reported below
    }
    throw UsageError(flag + ": expected an integer in [" + std::to_string(min) + ", " +
                     std::to_string(max) + "], got '" + value + "'");
}

Endpoint to_endpoint(const std::string& flag, const std::string& value) {
    const auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw UsageError(flag + ": expected HOST:PORT, got '" + value + "'");
    return {value.substr(0, colon),
            static_cast<std::uint16_t>(to_integer(flag, value.substr(colon + 1), 1, 65535))};
}

Options parse_args(int argc, char** argv) {
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i];
        std::string value;
        if (flag == "--help" || flag == "-h") {
            print_usage();
            std::exit(0);
        }
        if (const auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else {
            if (i + 1 >= args.size())
                throw UsageError(flag + ": missing value");
            value = args[++i];
        }
        if (flag == "--contract")
            o.contract = to_endpoint(flag, value);
        else if (flag == "--inventory")
            o.inventory = to_endpoint(flag, value);
        else if (flag == "--private-key")
            o.private_key_file = value;
        else if (flag == "--contract-db")
            o.contract_db = value;
        else if (flag == "--inventory-db")
            o.inventory_db = value;
        else if (flag == "--buyers")
            o.buyers = to_integer(flag, value, 1, 100'000'000);
        else if (flag == "--concurrency")
            o.concurrency = to_integer(flag, value, 1, 4096);
        else if (flag == "--popular")
            o.popular = to_integer(flag, value, 1, 1'000'000);
        else if (flag == "--buildings")
            o.buildings = to_integer(flag, value, 1, 1000);
        else if (flag == "--floors")
            o.floors = to_integer(flag, value, 1, 99);
        else if (flag == "--positions")
            o.positions = to_integer(flag, value, 1, 99);
        else if (flag == "--seed")
            o.seed = static_cast<std::uint64_t>(
                to_integer(flag, value, 0, std::numeric_limits<std::int64_t>::max()));
        else if (flag == "--timeout-ms")
            o.timeout_ms = to_integer(flag, value, 100, 600'000);
        else if (flag == "--sync-timeout-s")
            o.sync_timeout_s = to_integer(flag, value, 1, 3600);
        else if (flag == "--settle-ms")
            o.settle_ms = to_integer(flag, value, 0, 600'000);
        else if (flag == "--out")
            o.out = value;
        else
            throw UsageError("unknown flag " + flag + " (see --help)");
    }
    if (o.private_key_file.empty() || o.contract_db.empty() || o.inventory_db.empty())
        throw UsageError("--private-key, --contract-db and --inventory-db are required");
    if (o.popular > o.buildings * o.floors * o.positions)
        throw UsageError("--popular exceeds the number of units");
    return o;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// YYYY-MM-DD in Asia/Shanghai (UTC+8, no daylight saving) `days` from now.
std::string shanghai_date_in(int days) {
    const auto local = std::chrono::system_clock::now() + 8h + std::chrono::days(days);
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(local)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

// ---- set-up through the inventory HTTP API ----

class SetupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Unit {
    std::string id;
    std::int64_t list_total_fen = 0;
};

class Inventory {
  public:
    Inventory(const Options& o, sales::auth::SigningKey key)
        : client_(o.inventory.host, o.inventory.port, {2'000ms, 60'000ms, 4}),
          key_(std::move(key)) {}

    json call(const std::string& role, const std::string& method, const std::string& path,
              const json& body, int expect) {
        const auto token = sales::auth::mint(
            key_, {"bench-" + role, {role}, {"*"}, std::chrono::system_clock::now() + 1h});
        const auto r = client_.request(
            method, path, body.dump(),
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
        if (r.status != expect) {
            throw SetupError(method + " " + path + " answered " + std::to_string(r.status) +
                             " (expected " + std::to_string(expect) +
                             "): " + r.body.substr(0, 500));
        }
        return r.json();
    }

  private:
    sales::http::Client client_;
    sales::auth::SigningKey key_;
};

json templates(std::int64_t floors, std::int64_t positions) {
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

struct Project {
    std::string id;
    std::string code;
    std::vector<Unit> units;
};

Project create_released_project(const Options& o, Inventory& inventory) {
    Project p;
    p.code = "OR" + sales::new_uuid().substr(0, 6);
    for (auto& c : p.code)  // "OR" + 6 hex digits: the 2–8 [A-Z0-9] project code
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    p.id =
        inventory
            .call("admin", "POST", "/api/v1/projects",
                  {{"code", p.code}, {"name", "开盘压测 " + p.code}, {"city", "成都"}}, 201)["id"]
            .get<std::string>();
    for (std::int64_t b = 1; b <= o.buildings; ++b) {
        const auto building =
            inventory
                .call("operator", "POST", "/api/v1/projects/" + p.id + "/buildings",
                      {{"name", std::to_string(b) + "号楼"}, {"floors", o.floors}}, 201)["id"]
                .get<std::string>();
        const auto created =
            inventory.call("operator", "POST", "/api/v1/buildings/" + building + "/units:bulk",
                           templates(o.floors, o.positions), 201);
        for (const auto& u : created["units"])
            p.units.push_back(
                {u["id"].get<std::string>(), u["list_total_fen"].get<std::int64_t>()});
        const auto released = inventory.call("sales_control", "POST", "/api/v1/units:release",
                                             {{"building_id", building}}, 200);
        if (released["changed"].get<std::int64_t>() != o.floors * o.positions)
            throw SetupError("release of building " + building + " changed " +
                             released["changed"].dump() + " units");
    }
    return p;
}

// Contract learns projects from inventory.project.created (INVENTORY stream → project_refs).
double wait_until_contract_knows(const Options& o, sales::db::Pool& contract_db,
                                 const std::string& project_id) {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(o.sync_timeout_s);
    while (true) {
        const auto known = contract_db.transaction([&](sales::db::Tx& tx) {
            return tx
                .exec_one("SELECT count(*) FROM project_refs WHERE project_id = $1::uuid",
                          {project_id})
                .int64(0);
        });
        if (known == 1)
            return seconds_since(start);
        if (Clock::now() > deadline)
            throw SetupError("contract did not learn project " + project_id + " within " +
                             std::to_string(o.sync_timeout_s) +
                             " s (inventory.project.created not applied; see contract's log)");
        std::this_thread::sleep_for(50ms);
    }
}

// ---- the rush ----

// mt19937_64 is fully specified by the standard, so the same seed gives the same choices
// everywhere; we reduce with modulo ourselves (std distributions are implementation-defined).
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

  private:
    std::mt19937_64 engine_;
};

struct Sold {
    std::string unit_id;
    std::string subscription_id;
};

struct WorkerResult {
    sales::load::Recorder all, created, refused;
    std::vector<std::int32_t> finished_at_ms;  // since the start of the rush
    std::vector<Sold> sold;
    std::vector<std::string> samples;  // a few bodies of unexpected answers
    struct Slow {
        std::int64_t latency_us;
        std::int64_t sent_at_ms;  // since the start of the rush
        std::int64_t buyer;
        std::string outcome;
    };
    std::vector<Slow> slowest;  // the kSlowest slowest requests, for where the tail comes from
};
constexpr std::size_t kSlowest = 10;

void keep_slowest(std::vector<WorkerResult::Slow>& list, WorkerResult::Slow slow) {
    if (list.size() >= kSlowest && slow.latency_us <= list.back().latency_us)
        return;
    list.push_back(std::move(slow));
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.latency_us > b.latency_us; });
    if (list.size() > kSlowest)
        list.pop_back();
}

std::string outcome_label(int status, const std::string& body) {
    const auto parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
        parsed["error"].contains("code") && parsed["error"]["code"].is_string())
        return std::to_string(status) + " " + parsed["error"]["code"].get<std::string>();
    return std::to_string(status);
}

struct RushResult {
    WorkerResult merged;
    double wall_seconds = 0;
    std::vector<std::int64_t> per_second;
};

RushResult rush(const Options& o, const sales::auth::SigningKey& key, const Project& project,
                const std::vector<std::size_t>& choice) {
    sales::http::ClientOptions client_options;
    client_options.connect_timeout = 5'000ms;
    client_options.request_timeout = std::chrono::milliseconds(o.timeout_ms);
    client_options.max_idle_connections = static_cast<std::size_t>(o.concurrency);
    sales::http::Client client(o.contract.host, o.contract.port, client_options);

    const auto signing_deadline = shanghai_date_in(30);
    constexpr std::int64_t kDiscountFen = 1'000'000;
    std::atomic<std::int64_t> next{0}, done{0};
    std::vector<WorkerResult> results(static_cast<std::size_t>(o.concurrency));
    std::vector<std::thread> workers;
    const auto start = Clock::now();
    for (std::int64_t w = 0; w < o.concurrency; ++w) {
        workers.emplace_back([&, w] {
            auto& out = results[static_cast<std::size_t>(w)];
            // Each worker is one sales rep of the project (many reps at the opening).
            const auto token = sales::auth::mint(key, {"bench-rep-" + std::to_string(w),
                                                       {"sales_rep"},
                                                       {project.id},
                                                       std::chrono::system_clock::now() + 1h});
            const sales::http::Headers headers{{"Authorization", "Bearer " + token},
                                               {"Content-Type", "application/json"}};
            while (true) {
                const auto i = next.fetch_add(1);
                if (i >= o.buyers)
                    break;
                const auto& unit = project.units[choice[static_cast<std::size_t>(i)]];
                const auto price = unit.list_total_fen - kDiscountFen;
                // REG-2: the deposit is at most 20% of the price; 50,000 yuan or the cap.
                const auto deposit = std::min<std::int64_t>(5'000'000, price / 5);
                const json body = {{"unit_id", unit.id},
                                   {"customer_id", sales::new_uuid()},
                                   {"discount_fen", kDiscountFen},
                                   {"payment_plan", (i % 3 == 0)   ? "one_off"
                                                    : (i % 3 == 1) ? "mortgage"
                                                                   : "instalments"},
                                   {"deposit_fen", deposit},
                                   {"signing_deadline", signing_deadline}};
                const auto payload = body.dump();
                const auto sent = Clock::now();
                int status = kTransportError;
                std::string label;
                std::string response_body;
                try {
                    const auto r =
                        client.request("POST", "/api/v1/subscriptions", payload, headers);
                    status = r.status;
                    response_body = r.body;
                    if (status == 201) {
                        label = "201";
                        const auto s = r.json();
                        out.sold.push_back({unit.id, s.at("id").get<std::string>()});
                    } else {
                        label = outcome_label(status, r.body);
                    }
                } catch (const sales::http::ClientError& e) {
                    const std::string what = e.what();
                    label = what.find("timed out") != std::string::npos ? "transport timeout"
                                                                        : "transport error";
                    response_body = what;
                } catch (const std::exception& e) {
                    label = "client exception";
                    response_body = e.what();
                }
                const auto finished = Clock::now();
                const auto latency =
                    std::chrono::duration_cast<std::chrono::microseconds>(finished - sent);
                out.all.record(status, latency, label);
                if (status == 201)
                    out.created.record(status, latency);
                else if (status == 409)
                    out.refused.record(status, latency);
                else if (out.samples.size() < 5)
                    out.samples.push_back(label + ": " + response_body.substr(0, 300));
                keep_slowest(
                    out.slowest,
                    {latency.count(),
                     std::chrono::duration_cast<std::chrono::milliseconds>(sent - start).count(), i,
                     label});
                out.finished_at_ms.push_back(static_cast<std::int32_t>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(finished - start)
                        .count()));
                done.fetch_add(1);
            }
        });
    }
    // Progress every 5 s on stderr.
    std::thread progress([&] {
        auto last_done = std::int64_t{0};
        auto last = Clock::now();
        while (done.load() < o.buyers) {
            for (int k = 0; k < 50 && done.load() < o.buyers; ++k)
                std::this_thread::sleep_for(100ms);
            const auto now_done = done.load();
            const auto now = Clock::now();
            const double dt = std::chrono::duration<double>(now - last).count();
            std::fprintf(stderr, "opening_rush: %lld/%lld done, %.0f req/s over the last %.1f s\n",
                         static_cast<long long>(now_done), static_cast<long long>(o.buyers),
                         dt > 0 ? static_cast<double>(now_done - last_done) / dt : 0.0, dt);
            last_done = now_done;
            last = now;
        }
    });
    for (auto& t : workers)
        t.join();
    RushResult out;
    out.wall_seconds = seconds_since(start);
    progress.join();

    for (auto& r : results) {
        out.merged.all.merge(r.all);
        out.merged.created.merge(r.created);
        out.merged.refused.merge(r.refused);
        out.merged.sold.insert(out.merged.sold.end(), r.sold.begin(), r.sold.end());
        for (auto& s : r.samples) {
            if (out.merged.samples.size() < 10)
                out.merged.samples.push_back(s);
        }
        for (auto& slow : r.slowest)
            keep_slowest(out.merged.slowest, std::move(slow));
        for (auto ms : r.finished_at_ms) {
            const auto second = static_cast<std::size_t>(ms / 1000);
            if (out.per_second.size() <= second)
                out.per_second.resize(second + 1, 0);
            ++out.per_second[second];
        }
    }
    return out;
}

// ---- consistency checks against both databases ----

struct CheckResult {
    std::int64_t oversold_units = 0;
    std::int64_t mismatches = 0;
    json details = json::object();
};

CheckResult check(const Options& o, const Project& project, const std::set<std::string>& popular,
                  const std::vector<Sold>& sold) {
    sales::db::Pool contract_db({o.contract_db, 1});
    sales::db::Pool inventory_db({o.inventory_db, 1});
    CheckResult c;
    json& d = c.details;

    // Contract: live subscriptions of the project, by unit.
    std::map<std::string, std::vector<std::string>> live_by_unit;  // unit → subscriptions
    std::map<std::string, std::string> unit_of_live;               // subscription → unit
    std::int64_t all_rows = 0;
    contract_db.run([&](sales::db::Tx& tx) {
        all_rows = tx.exec_one("SELECT count(*) FROM subscriptions WHERE project_id = $1::uuid",
                               {project.id})
                       .int64(0);
        for (const auto& r :
             tx.exec(std::string("SELECT unit_id::text, id::text FROM subscriptions WHERE "
                                 "project_id = $1::uuid AND status IN ") +
                         kLiveStatuses,
                     {project.id})) {
            live_by_unit[r.text(0)].push_back(r.text(1));
            unit_of_live[r.text(1)] = r.text(0);
        }
    });
    // Inventory: units of the project in a deal status, with their holder.
    std::map<std::string, std::pair<std::string, std::string>> deal_units;  // unit → status, holder
    std::map<std::string, std::int64_t> status_counts;
    inventory_db.run([&](sales::db::Tx& tx) {
        for (const auto& r : tx.exec("SELECT status, count(*) FROM units WHERE project_id = "
                                     "$1::uuid GROUP BY status ORDER BY status",
                                     {project.id}))
            status_counts[r.text(0)] = r.int64(1);
        for (const auto& r :
             tx.exec(std::string("SELECT id::text, status, coalesce(hold_subscription_id::text, "
                                 "'') FROM units WHERE project_id = $1::uuid AND status IN ") +
                         kDealStatuses,
                     {project.id}))
            deal_units[r.text(0)] = {r.text(1), r.text(2)};
    });

    std::set<std::string> oversold;
    std::int64_t multi_live = 0;
    for (const auto& [unit, subs] : live_by_unit) {
        if (subs.size() > 1) {
            ++multi_live;
            oversold.insert(unit);
        }
    }
    // Buyers told "yours" (201) for the same unit more than once.
    std::map<std::string, std::int64_t> created_per_unit;
    std::set<std::string> acknowledged;
    for (const auto& s : sold) {
        ++created_per_unit[s.unit_id];
        acknowledged.insert(s.subscription_id);
    }
    std::int64_t double_201 = 0;
    for (const auto& [unit, n] : created_per_unit) {
        if (n > 1) {
            ++double_201;
            oversold.insert(unit);
        }
    }
    c.oversold_units = static_cast<std::int64_t>(oversold.size());

    json examples = json::array();
    const auto example = [&](const std::string& kind, const json& what) {
        if (examples.size() < 20)
            examples.push_back({{"kind", kind}, {"detail", what}});
    };
    // Inventory deal units whose holder is not that unit's one live subscription.
    std::int64_t held_without_live = 0, held_by_other = 0;
    for (const auto& [unit, state] : deal_units) {
        const auto it = live_by_unit.find(unit);
        if (it == live_by_unit.end()) {
            ++held_without_live;
            example("inventory_deal_without_live_subscription",
                    {{"unit_id", unit}, {"status", state.first}, {"holder", state.second}});
        } else if (it->second.size() != 1 || it->second.front() != state.second) {
            ++held_by_other;
            example("inventory_holder_differs",
                    {{"unit_id", unit}, {"holder", state.second}, {"live", it->second}});
        }
    }
    // Live subscriptions whose unit inventory does not hold for them.
    std::int64_t live_not_held = 0;
    for (const auto& [sub, unit] : unit_of_live) {
        const auto it = deal_units.find(unit);
        if (it == deal_units.end() || it->second.second != sub) {
            ++live_not_held;
            example("live_subscription_unit_not_held",
                    {{"subscription_id", sub},
                     {"unit_id", unit},
                     {"inventory_status",
                      it == deal_units.end() ? "not in a deal status" : it->second.first}});
        }
    }
    // Buyers' accounting: 201s are live subscriptions of popular units, one per unit.
    std::int64_t acknowledged_not_live = 0, outside_popular = 0;
    std::set<std::string> popular_sold;
    for (const auto& s : sold) {
        const auto it = unit_of_live.find(s.subscription_id);
        if (it == unit_of_live.end() || it->second != s.unit_id) {
            ++acknowledged_not_live;
            example("201_without_live_subscription",
                    {{"subscription_id", s.subscription_id}, {"unit_id", s.unit_id}});
        }
        if (!popular.contains(s.unit_id))
            ++outside_popular;
    }
    for (const auto& [unit, subs] : live_by_unit) {
        if (popular.contains(unit))
            popular_sold.insert(unit);
    }
    std::int64_t live_unacknowledged = 0;
    for (const auto& [sub, unit] : unit_of_live) {
        if (!acknowledged.contains(sub))
            ++live_unacknowledged;
    }
    const auto successes = static_cast<std::int64_t>(sold.size());
    const auto distinct_popular_sold = static_cast<std::int64_t>(popular_sold.size());
    const std::int64_t accounting = successes == distinct_popular_sold ? 0 : 1;

    c.mismatches = held_without_live + held_by_other + live_not_held + acknowledged_not_live +
                   outside_popular + live_unacknowledged + accounting;
    d = {{"contract_subscription_rows", all_rows},
         {"contract_live_subscriptions", static_cast<std::int64_t>(unit_of_live.size())},
         {"units_with_several_live_subscriptions", multi_live},
         {"units_answered_201_more_than_once", double_201},
         {"inventory_unit_statuses", status_counts},
         {"inventory_deal_without_live_subscription", held_without_live},
         {"inventory_holder_differs_from_live_subscription", held_by_other},
         {"live_subscription_unit_not_held", live_not_held},
         {"acknowledged_201_not_live", acknowledged_not_live},
         {"acknowledged_201_outside_popular", outside_popular},
         {"live_subscription_never_acknowledged", live_unacknowledged},
         {"successes", successes},
         {"distinct_popular_units_sold", distinct_popular_sold},
         {"successes_equal_distinct_popular_sold", accounting == 0},
         {"examples", examples}};
    return c;
}

double round3(double v) {
    return static_cast<double>(static_cast<std::int64_t>(v * 1000.0 + (v >= 0 ? 0.5 : -0.5))) /
           1000.0;
}

int run(const Options& o) {
    sales::auth::SigningKey key;
    try {
        key = sales::auth::read_private_key_file(o.private_key_file);
    } catch (const std::runtime_error& e) {
        throw UsageError(std::string("--private-key: ") + e.what());
    }
    json report = {{"benchmark", "opening_rush"},
                   {"started_at", sales::to_rfc3339(std::chrono::system_clock::now())},
                   {"config",
                    {{"contract", o.contract.text()},
                     {"inventory", o.inventory.text()},
                     {"buyers", o.buyers},
                     {"concurrency", o.concurrency},
                     {"popular", o.popular},
                     {"buildings", o.buildings},
                     {"floors", o.floors},
                     {"positions", o.positions},
                     {"units", o.buildings * o.floors * o.positions},
                     {"seed", o.seed},
                     {"timeout_ms", o.timeout_ms},
                     {"hardware_threads", std::thread::hardware_concurrency()}}}};

    // 1. The released project.
    Inventory inventory(o, key);
    auto setup_start = Clock::now();
    Project project;
    try {
        project = create_released_project(o, inventory);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: set-up failed: %s\n", e.what());
        return 3;
    }
    const double setup_seconds = seconds_since(setup_start);
    std::fprintf(stderr, "opening_rush: project %s (%s): %zu units released in %.1f s\n",
                 project.code.c_str(), project.id.c_str(), project.units.size(), setup_seconds);
    double sync_seconds = 0;
    try {
        sales::db::Pool contract_db({o.contract_db, 1});
        sync_seconds = wait_until_contract_knows(o, contract_db, project.id);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: %s\n", e.what());
        return 3;
    }
    std::fprintf(stderr, "opening_rush: contract knows the project after %.2f s\n", sync_seconds);

    // 2. The popular subset and every buyer's choice, from the seed.
    Rng rng(o.seed);
    std::vector<std::size_t> order(project.units.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    for (std::size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[rng.below(i + 1)]);
    const std::vector<std::size_t> popular_index(order.begin(),
                                                 order.begin() + static_cast<long>(o.popular));
    std::set<std::string> popular;
    for (auto i : popular_index)
        popular.insert(project.units[i].id);
    std::vector<std::size_t> choice(static_cast<std::size_t>(o.buyers));
    for (auto& c : choice)
        c = popular_index[rng.below(popular_index.size())];

    std::fprintf(stderr, "opening_rush: %lld buyers, %lld workers, %lld popular units\n",
                 static_cast<long long>(o.buyers), static_cast<long long>(o.concurrency),
                 static_cast<long long>(o.popular));
    auto r = rush(o, key, project, choice);
    auto& all = r.merged.all;
    const auto successes = all.with_status(201);
    const auto conflicts = all.with_status(409);
    const auto other_4xx = all.with_status_between(400, 499) - conflicts;
    const auto server_5xx = all.with_status_between(500, 599);
    const auto transport = all.with_status(kTransportError);
    const auto other = all.count() - successes - conflicts - other_4xx - server_5xx - transport;
    const double rps = static_cast<double>(all.count()) / r.wall_seconds;
    const double sps = static_cast<double>(successes) / r.wall_seconds;

    // 3. Consistency.
    if (o.settle_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
    CheckResult c;
    try {
        c = check(o, project, popular, r.merged.sold);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: the consistency check failed to run: %s\n", e.what());
        return 3;
    }

    json slowest = json::array();
    for (const auto& slow : r.merged.slowest) {
        slowest.push_back({{"latency_ms", static_cast<double>(slow.latency_us) / 1000.0},
                           {"sent_at_ms", slow.sent_at_ms},
                           {"buyer", slow.buyer},
                           {"outcome", slow.outcome}});
    }
    report["setup"] = {{"project_id", project.id},
                       {"project_code", project.code},
                       {"units_released", static_cast<std::int64_t>(project.units.size())},
                       {"setup_seconds", round3(setup_seconds)},
                       {"contract_sync_seconds", round3(sync_seconds)}};
    report["run"] = {{"requests", all.count()},
                     {"wall_seconds", round3(r.wall_seconds)},
                     {"requests_per_second", round3(rps)},
                     {"successes_per_second", round3(sps)},
                     {"latency_ms", all.latency_summary()},
                     {"latency_ms_201", r.merged.created.latency_summary()},
                     {"latency_ms_409", r.merged.refused.latency_summary()},
                     {"successes_201", successes},
                     {"conflicts_409", conflicts},
                     {"other_4xx", other_4xx},
                     {"server_5xx", server_5xx},
                     {"transport_errors", transport},
                     {"other_status", other},
                     {"statuses", all.statuses()},
                     {"outcomes", all.outcomes()},
                     {"completed_per_second", r.per_second},
                     {"unexpected_samples", r.merged.samples},
                     {"slowest", slowest}};
    report["check"] = {{"oversold_units", c.oversold_units},
                       {"mismatches", c.mismatches},
                       {"ok", c.oversold_units == 0 && c.mismatches == 0},
                       {"details", c.details}};
    report["finished_at"] = sales::to_rfc3339(std::chrono::system_clock::now());

    auto lat = all.latency_summary();
    std::printf("opening_rush: %lld buyers over %lld connections, %lld popular of %zu units\n",
                static_cast<long long>(o.buyers), static_cast<long long>(o.concurrency),
                static_cast<long long>(o.popular), project.units.size());
    std::printf("  requests:          %lld in %.2f s = %.1f req/s (successes %.1f/s)\n",
                static_cast<long long>(all.count()), r.wall_seconds, rps, sps);
    std::printf("  latency ms:        p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  mean %.2f\n",
                lat["p50"].get<double>(), lat["p95"].get<double>(), lat["p99"].get<double>(),
                lat["max"].get<double>(), lat["mean"].get<double>());
    std::printf("  201 successes:     %lld\n", static_cast<long long>(successes));
    std::printf("  409 refused:       %lld\n", static_cast<long long>(conflicts));
    std::printf("  other 4xx:         %lld\n", static_cast<long long>(other_4xx));
    std::printf("  5xx:               %lld\n", static_cast<long long>(server_5xx));
    std::printf("  transport errors:  %lld\n", static_cast<long long>(transport));
    std::printf("  outcomes:          %s\n", all.outcomes().dump().c_str());
    std::printf("  oversold_units: %lld\n", static_cast<long long>(c.oversold_units));
    std::printf("  mismatches: %lld\n", static_cast<long long>(c.mismatches));
    if (other_4xx + server_5xx + transport + other > 0) {
        std::printf("  !!! %lld requests ended in an error (not 201/409); samples:\n",
                    static_cast<long long>(other_4xx + server_5xx + transport + other));
        for (const auto& s : r.merged.samples)
            std::printf("      %s\n", s.c_str());
    }
    if (c.oversold_units != 0 || c.mismatches != 0) {
        std::printf("  !!! CONSISTENCY FAILURE: oversold_units %lld, mismatches %lld\n%s\n",
                    static_cast<long long>(c.oversold_units), static_cast<long long>(c.mismatches),
                    c.details.dump(2).c_str());
    }
    std::fflush(stdout);

    if (!o.out.empty()) {
        std::ofstream file(o.out);
        file << report.dump(2) << "\n";
        if (!file) {
            std::fprintf(stderr, "opening_rush: cannot write %s\n", o.out.c_str());
            return 3;
        }
    }
    return c.oversold_units == 0 && c.mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_args(argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "opening_rush: %s\n", e.what());
        return 2;
    }
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: %s\n", e.what());
        return 3;
    }
}
