// Opening-day benchmark ("opening rush") through the gateway, as the sales office uses it: a
// released project of buildings × floors × positions units (default 10 × 25 × 8 = 2,000); R sales
// reps (default 64, one per connection: a terminal each) with their own gateway accounts, each
// logged in once, their tokens reused; N buyers (default 20,000) each try to subscribe to one unit
// of a popular subset (default 200 units, drawn with a seeded RNG) as fast as the system answers,
// over C worker threads (default 64), each buyer one POST /api/v1/subscriptions carrying the token
// of the rep serving them and one of that rep's customers. Every request comes from 127.0.0.1 (one
// office behind one NAT).
//
// Two phases, each measured separately (requests/s, p50/p95/p99, outcomes by status and error
// code, CPU per request of every process, commits per request in every service database):
//   1. the rush: the N buyers;
//   2. refusals only: M more requests (default N / 10, at least 1,000), each for a unit that phase
//   1 sold, so
//      that every request there should be refused; its commits per request is the cost of a
//      refusal.
// Commits are pg_stat_database.xact_commit deltas less the background rate (the services'
// sweepers and relays) measured over a quiet window before phase 1.
//
// Then it checks against both databases that nothing was oversold:
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
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "load_stats.hpp"
#include "rush_meter.hpp"
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
// The service databases whose commits are counted (deploy/local/infra.sh: sales_<service>).
const std::vector<std::string> kServiceDatabases = {
    "sales_gateway", "sales_inventory", "sales_contract", "sales_customer", "sales_finance"};

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
    Endpoint gateway{"127.0.0.1", 8080};
    std::string admin_password_file;
    std::string contract_db;
    std::string inventory_db;
    std::string stats_db;
    std::vector<sales::load::Meter::Process> processes;
    std::int64_t buyers = 20'000;
    std::int64_t refusals = -1;  // -1: buyers / 10, at least 1,000
    std::int64_t concurrency = 64;
    std::int64_t popular = 200;
    std::int64_t reps = 64;
    std::int64_t customers_per_rep = 4;
    std::int64_t buildings = 10;
    std::int64_t floors = 25;
    std::int64_t positions = 8;
    std::uint64_t seed = 20'261'122;
    std::int64_t timeout_ms = 10'000;
    std::int64_t sync_timeout_s = 60;
    std::int64_t quiet_ms = 10'000;
    std::int64_t settle_ms = 3'000;
    std::string out;
};

void print_usage() {
    std::puts(
        "usage: opening_rush --admin-password-file FILE --contract-db CONNINFO --inventory-db "
        "CONNINFO --stats-db CONNINFO [options]\n"
        "  --gateway HOST:PORT      the gateway (127.0.0.1:8080); every request goes through it\n"
        "  --admin-password-file F  password of the gateway's first administrator `admin`\n"
        "  --contract-db CONNINFO   libpq conninfo of the contract database (sync wait, checks)\n"
        "  --inventory-db CONNINFO  libpq conninfo of the inventory database (checks)\n"
        "  --stats-db CONNINFO      a database of the same server (administrator) to read\n"
        "                           pg_stat_database from\n"
        "  --process NAME=PID       a process whose CPU is measured (repeat); NAME=postgres:PID\n"
        "                           counts the postmaster with its children\n"
        "  --buyers N               phase 1: buyers, one POST /api/v1/subscriptions each (20000)\n"
        "  --refusals M             phase 2: requests for units already sold (buyers / 10, at\n"
        "                           least 1000; 0: no phase 2)\n"
        "  --concurrency C          worker threads, one keep-alive connection each (64)\n"
        "  --popular P              units the buyers want, drawn from the project (200)\n"
        "  --reps R                 sales-rep accounts created through the gateway (64)\n"
        "  --customers-per-rep K    customers each rep records and subscribes for (4)\n"
        "  --buildings B --floors F --positions K   project shape (10 x 25 x 8 = 2000 units)\n"
        "  --seed S                 RNG seed for the popular subset and the buyers' choices\n"
        "  --timeout-ms MS          client request timeout; an expiry counts as an error (10000)\n"
        "  --sync-timeout-s S       wait for contract and customer to learn the project (60)\n"
        "  --quiet-ms MS            quiet window measuring the background commit rate (10000)\n"
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

sales::load::Meter::Process to_process(const std::string& flag, const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0)
        throw UsageError(flag + ": expected NAME=PID, got '" + value + "'");
    auto pid = value.substr(eq + 1);
    const bool tree = pid.starts_with("postgres:");
    if (tree)
        pid = pid.substr(9);
    return {value.substr(0, eq), static_cast<long>(to_integer(flag, pid, 1, 1 << 30)), tree};
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
        if (const auto eq = flag.find('='); eq != std::string::npos && flag.starts_with("--")) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else {
            if (i + 1 >= args.size())
                throw UsageError(flag + ": missing value");
            value = args[++i];
        }
        if (flag == "--gateway")
            o.gateway = to_endpoint(flag, value);
        else if (flag == "--admin-password-file")
            o.admin_password_file = value;
        else if (flag == "--contract-db")
            o.contract_db = value;
        else if (flag == "--inventory-db")
            o.inventory_db = value;
        else if (flag == "--stats-db")
            o.stats_db = value;
        else if (flag == "--process")
            o.processes.push_back(to_process(flag, value));
        else if (flag == "--buyers")
            o.buyers = to_integer(flag, value, 1, 100'000'000);
        else if (flag == "--refusals")
            o.refusals = to_integer(flag, value, 0, 100'000'000);
        else if (flag == "--concurrency")
            o.concurrency = to_integer(flag, value, 1, 4096);
        else if (flag == "--popular")
            o.popular = to_integer(flag, value, 1, 1'000'000);
        else if (flag == "--reps")
            o.reps = to_integer(flag, value, 1, 1000);
        else if (flag == "--customers-per-rep")
            o.customers_per_rep = to_integer(flag, value, 1, 1000);
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
        else if (flag == "--quiet-ms")
            o.quiet_ms = to_integer(flag, value, 1'000, 600'000);
        else if (flag == "--settle-ms")
            o.settle_ms = to_integer(flag, value, 0, 600'000);
        else if (flag == "--out")
            o.out = value;
        else
            throw UsageError("unknown flag " + flag + " (see --help)");
    }
    if (o.admin_password_file.empty() || o.contract_db.empty() || o.inventory_db.empty() ||
        o.stats_db.empty())
        throw UsageError(
            "--admin-password-file, --contract-db, --inventory-db and --stats-db are required");
    if (o.popular > o.buildings * o.floors * o.positions)
        throw UsageError("--popular exceeds the number of units");
    if (o.refusals < 0)
        o.refusals = std::max<std::int64_t>(1'000, o.buyers / 10);
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

std::string error_code_of(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
        parsed["error"].contains("code") && parsed["error"]["code"].is_string())
        return parsed["error"]["code"].get<std::string>();
    return "";
}

// ---- set-up through the gateway, as the office's administrator and reps ----

class SetupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Unit {
    std::string id;
    std::int64_t list_total_fen = 0;
};

// Set-up calls. The gateway's rate limits and login throttles refuse before doing anything
// (429, or 503 busy), so set-up retries those after Retry-After; the rush never retries.
class Gateway {
  public:
    explicit Gateway(const Options& o)
        : client_(o.gateway.host, o.gateway.port, {2'000ms, 60'000ms, 4}) {}

    sales::http::ClientResponse send(const std::string& token, const std::string& method,
                                     const std::string& path, const json& body) {
        sales::http::Headers headers{{"Content-Type", "application/json"}};
        if (!token.empty())
            headers["Authorization"] = "Bearer " + token;
        const auto deadline = Clock::now() + 120s;
        while (true) {
            auto r = client_.request(method, path, body.is_null() ? "" : body.dump(), headers);
            const auto code = error_code_of(r.body);
            const bool busy =
                r.status == 429 || (r.status == 503 && (code == "busy" || code == "login_busy"));
            if (!busy || Clock::now() > deadline)
                return r;
            ++retries_;
            const auto it = r.headers.find("Retry-After");
            std::int64_t wait_s = 1;
            if (it != r.headers.end()) {
                try {
                    wait_s = std::clamp<std::int64_t>(std::stoll(it->second), 0, 10);
                } catch (const std::exception&) {
                    wait_s = 1;
                }
            }
            std::this_thread::sleep_for(wait_s == 0 ? 200ms : std::chrono::seconds(wait_s));
        }
    }

    json call(const std::string& token, const std::string& method, const std::string& path,
              const json& body, int expect) {
        const auto r = send(token, method, path, body);
        if (r.status != expect) {
            throw SetupError(method + " " + path + " answered " + std::to_string(r.status) +
                             " (expected " + std::to_string(expect) +
                             "): " + r.body.substr(0, 500));
        }
        return r.json();
    }

    // POST /api/v1/auth/login; the tokens.
    json login(const std::string& username, const std::string& password) {
        return call("", "POST", "/api/v1/auth/login",
                    {{"username", username}, {"password", password}}, 200);
    }

    std::int64_t retries() const { return retries_; }

  private:
    sales::http::Client client_;
    std::int64_t retries_ = 0;
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

Project create_released_project(const Options& o, Gateway& gateway, const std::string& admin) {
    Project p;
    p.code = "OR" + sales::new_uuid().substr(0, 6);
    for (auto& c : p.code)  // "OR" + 6 hex digits: the 2–8 [A-Z0-9] project code
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    p.id =
        gateway
            .call(admin, "POST", "/api/v1/projects",
                  {{"code", p.code}, {"name", "开盘压测 " + p.code}, {"city", "成都"}}, 201)["id"]
            .get<std::string>();
    for (std::int64_t b = 1; b <= o.buildings; ++b) {
        const auto building =
            gateway
                .call(admin, "POST", "/api/v1/projects/" + p.id + "/buildings",
                      {{"name", std::to_string(b) + "号楼"}, {"floors", o.floors}}, 201)["id"]
                .get<std::string>();
        const auto created =
            gateway.call(admin, "POST", "/api/v1/buildings/" + building + "/units:bulk",
                         templates(o.floors, o.positions), 201);
        for (const auto& u : created["units"])
            p.units.push_back(
                {u["id"].get<std::string>(), u["list_total_fen"].get<std::int64_t>()});
        const auto released =
            gateway.call(admin, "POST", "/api/v1/units:release",
                         {{"building_id", building}, {"reason", "开盘压测"}}, 200);
        if (released["changed"].get<std::int64_t>() != o.floors * o.positions)
            throw SetupError("release of building " + building + " changed " +
                             released["changed"].dump() + " units");
    }
    return p;
}

// Contract learns projects from inventory.project.created (INVENTORY stream → project_refs).
double wait_until_contract_knows(const Options& o, const std::string& project_id) {
    sales::db::Pool contract_db({o.contract_db, 1});
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

struct Rep {
    std::string username;
    std::string user_id;
    std::string token;  // from the rep's one login, used for all their requests
    std::vector<std::string> customer_ids;
};

// The reps' accounts, created by the administrator as the console does (POST /api/v1/users),
// each logged in once; a new account must change its initial password (as the console makes
// it), and the session that changed it stays valid. Then each rep records their customers
// (CUS-1/CUS-2: phone and first event; the customer service learns the project by event, hence
// the retries on 404 project_not_found).
std::vector<Rep> create_reps(const Options& o, Gateway& gateway, const std::string& admin,
                             const Project& project) {
    std::vector<Rep> reps;
    const auto start = Clock::now();
    const auto tag = sales::new_uuid().substr(0, 8);
    for (std::int64_t r = 1; r <= o.reps; ++r) {
        char number[32];
        std::snprintf(number, sizeof number, "%03lld", static_cast<long long>(r));
        Rep rep;
        rep.username = "rush." + tag + "." + number;
        const std::string initial = "Rush-Init-" + sales::new_uuid().substr(0, 12) + "7";
        const std::string changed = "Rush-Rep-" + sales::new_uuid().substr(0, 12) + "9";
        rep.user_id = gateway
                          .call(admin, "POST", "/api/v1/users",
                                {{"username", rep.username},
                                 {"display_name", std::string("压测置业顾问 ") + number},
                                 {"password", initial},
                                 {"roles", {"sales_rep"}},
                                 {"project_ids", {project.id}}},
                                201)["id"]
                          .get<std::string>();
        const auto tokens = gateway.login(rep.username, initial);
        rep.token = tokens.at("access_token").get<std::string>();
        if (tokens.value("must_change_password", false)) {
            gateway.call(rep.token, "POST", "/api/v1/auth/password",
                         {{"current_password", initial}, {"new_password", changed}}, 200);
        }
        reps.push_back(std::move(rep));
    }
    std::fprintf(stderr, "opening_rush: %zu rep accounts created and logged in in %.1f s\n",
                 reps.size(), seconds_since(start));
    const auto customers_start = Clock::now();
    const auto deadline = Clock::now() + std::chrono::seconds(o.sync_timeout_s);
    for (std::size_t r = 0; r < reps.size(); ++r) {
        for (std::int64_t k = 0; k < o.customers_per_rep; ++k) {
            char phone[48];  // a Chinese mobile number, unique within the project
            std::snprintf(phone, sizeof phone, "139%04zu%04lld", r, static_cast<long long>(k));
            const json body = {
                {"project_id", project.id},
                {"name", "买家" + std::to_string(r + 1) + "-" + std::to_string(k + 1)},
                {"phone", phone},
                {"channel", "visit"},
                {"type", "first_home"},
                {"first_event", {{"kind", "visit"}, {"note", "开盘到访"}}}};
            while (true) {
                const auto resp = gateway.send(reps[r].token, "POST", "/api/v1/customers", body);
                if (resp.status == 201) {
                    reps[r].customer_ids.push_back(resp.json().at("id").get<std::string>());
                    break;
                }
                if (resp.status == 404 && error_code_of(resp.body) == "project_not_found" &&
                    Clock::now() < deadline) {
                    std::this_thread::sleep_for(100ms);
                    continue;
                }
                throw SetupError("POST /api/v1/customers answered " + std::to_string(resp.status) +
                                 ": " + resp.body.substr(0, 500));
            }
        }
    }
    std::fprintf(stderr, "opening_rush: %zu customers recorded in %.1f s\n",
                 reps.size() * reps.front().customer_ids.size(), seconds_since(customers_start));
    return reps;
}

// ---- the phases ----

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

struct PhaseResult {
    WorkerResult merged;
    double wall_seconds = 0;
    std::vector<std::int64_t> per_second;
};

// Sends one POST /api/v1/subscriptions per entry of `targets` (a unit index), request i as rep
// i % reps with one of that rep's customers, over o.concurrency keep-alive connections.
sales::http::ClientOptions rush_client_options(const Options& o) {
    sales::http::ClientOptions client_options;
    client_options.connect_timeout = 5'000ms;
    client_options.request_timeout = std::chrono::milliseconds(o.timeout_ms);
    client_options.max_idle_connections = static_cast<std::size_t>(o.concurrency);
    return client_options;
}

// Before anything is measured, every worker reads its rep's subscriptions twice through the
// gateway, so that the driver's connections, the gateway's upstream connections and the
// services' database connections are open, as they are when the office's browsers have been
// on the console for a while. Returns the number of answers other than 200.
std::int64_t warm_up(const Options& o, sales::http::Client& client, const std::vector<Rep>& reps) {
    std::atomic<std::int64_t> not_ok{0};
    std::vector<std::thread> workers;
    for (std::int64_t w = 0; w < o.concurrency; ++w) {
        workers.emplace_back([&, w] {
            const auto& rep = reps[static_cast<std::size_t>(w) % reps.size()];
            for (int k = 0; k < 2; ++k) {
                try {
                    const auto r = client.get("/api/v1/subscriptions?limit=1",
                                              {{"Authorization", "Bearer " + rep.token}});
                    if (r.status != 200)
                        not_ok.fetch_add(1);
                } catch (const std::exception&) {
                    not_ok.fetch_add(1);
                }
            }
        });
    }
    for (auto& t : workers)
        t.join();
    return not_ok.load();
}

PhaseResult run_phase(const Options& o, sales::http::Client& client, const std::string& phase,
                      const std::vector<Rep>& reps, const Project& project,
                      const std::vector<std::size_t>& targets) {
    std::vector<sales::http::Headers> headers;
    for (const auto& rep : reps)
        headers.push_back(
            {{"Authorization", "Bearer " + rep.token}, {"Content-Type", "application/json"}});
    const auto signing_deadline = shanghai_date_in(30);
    constexpr std::int64_t kDiscountFen = 1'000'000;
    const auto total = static_cast<std::int64_t>(targets.size());
    std::atomic<std::int64_t> next{0}, done{0};
    std::vector<WorkerResult> results(static_cast<std::size_t>(o.concurrency));
    std::vector<std::thread> workers;
    const auto start = Clock::now();
    for (std::int64_t w = 0; w < o.concurrency; ++w) {
        workers.emplace_back([&, w] {
            auto& out = results[static_cast<std::size_t>(w)];
            while (true) {
                const auto i = next.fetch_add(1);
                if (i >= total)
                    break;
                const auto r = static_cast<std::size_t>(i) % reps.size();
                const auto& rep = reps[r];
                const auto& customer =
                    rep.customer_ids[(static_cast<std::size_t>(i) / reps.size()) %
                                     rep.customer_ids.size()];
                const auto& unit = project.units[targets[static_cast<std::size_t>(i)]];
                const auto price = unit.list_total_fen - kDiscountFen;
                // REG-2: the deposit is at most 20% of the price; 50,000 yuan or the cap.
                const auto deposit = std::min<std::int64_t>(5'000'000, price / 5);
                const json body = {{"unit_id", unit.id},
                                   {"customer_id", customer},
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
                    const auto resp =
                        client.request("POST", "/api/v1/subscriptions", payload, headers[r]);
                    status = resp.status;
                    response_body = resp.body;
                    if (status == 201) {
                        label = "201";
                        const auto s = resp.json();
                        out.sold.push_back({unit.id, s.at("id").get<std::string>()});
                    } else {
                        label = outcome_label(status, resp.body);
                    }
                } catch (const sales::http::ClientError& e) {
                    label = e.timed_out() ? "transport timeout" : "transport error";
                    response_body = e.what();
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
                else if (out.samples.size() < 5 && status != 429)
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
        while (done.load() < total) {
            for (int k = 0; k < 50 && done.load() < total; ++k)
                std::this_thread::sleep_for(100ms);
            const auto now_done = done.load();
            const auto now = Clock::now();
            const double dt = std::chrono::duration<double>(now - last).count();
            std::fprintf(
                stderr, "opening_rush: %s %lld/%lld done, %.0f req/s over the last %.1f s\n",
                phase.c_str(), static_cast<long long>(now_done), static_cast<long long>(total),
                dt > 0 ? static_cast<double>(now_done - last_done) / dt : 0.0, dt);
            last_done = now_done;
            last = now;
        }
    });
    for (auto& t : workers)
        t.join();
    PhaseResult out;
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

double round3(double v) {
    return static_cast<double>(static_cast<std::int64_t>(v * 1000.0 + (v >= 0 ? 0.5 : -0.5))) /
           1000.0;
}

// What a phase cost, read around it by the meter.
struct PhaseCost {
    std::map<std::string, std::int64_t> cpu_before, cpu_after;
    std::map<std::string, std::int64_t> commits_before, commits_after;
    double commit_window_seconds = 0;  // between the two commit readings
};

json phase_report(const PhaseResult& r, const PhaseCost& cost,
                  const std::map<std::string, double>& background_per_second) {
    auto all = r.merged.all;
    auto created = r.merged.created;
    auto refused = r.merged.refused;
    const auto requests = all.count();
    const auto ok = all.with_status(201);
    const auto conflict = all.with_status(409);
    const auto limited = all.with_status(429);
    const auto server = all.with_status_between(500, 599);
    const auto other = requests - ok - conflict - limited - server;
    const double rps = r.wall_seconds > 0 ? static_cast<double>(requests) / r.wall_seconds : 0;
    const auto per = [](double value, std::int64_t n) {
        return n > 0 ? round3(value / static_cast<double>(n)) : 0.0;
    };

    json cpu = json::object();
    json cpu_ms_per_request = json::object();
    double cpu_total = 0;
    for (const auto& [name, after] : cost.cpu_after) {
        const auto before = cost.cpu_before.contains(name) ? cost.cpu_before.at(name) : 0;
        const double seconds = sales::load::ticks_to_seconds(after - before);
        cpu[name] = round3(seconds);
        cpu_ms_per_request[name] = per(seconds * 1000.0, requests);
        cpu_total += seconds;
    }
    cpu_ms_per_request["all_measured"] = per(cpu_total * 1000.0, requests);

    json commits = json::object();
    double net_total = 0;
    std::int64_t raw_total = 0;
    for (const auto& [db, after] : cost.commits_after) {
        const auto raw = after - cost.commits_before.at(db);
        const double background = background_per_second.at(db) * cost.commit_window_seconds;
        const double net = std::max(0.0, static_cast<double>(raw) - background);
        commits[db] = {{"raw", raw},
                       {"background_estimate", round3(background)},
                       {"net", round3(net)},
                       {"per_request", per(net, requests)},
                       {"per_409", per(net, conflict)}};
        net_total += net;
        raw_total += raw;
    }
    commits["all"] = {{"raw", raw_total},
                      {"net", round3(net_total)},
                      {"per_request", per(net_total, requests)},
                      {"per_409", per(net_total, conflict)}};

    json slowest = json::array();
    for (const auto& slow : r.merged.slowest) {
        slowest.push_back({{"latency_ms", static_cast<double>(slow.latency_us) / 1000.0},
                           {"sent_at_ms", slow.sent_at_ms},
                           {"request", slow.buyer},
                           {"outcome", slow.outcome}});
    }
    return {{"requests", requests},
            {"wall_seconds", round3(r.wall_seconds)},
            {"requests_per_second", round3(rps)},
            {"successes_per_second",
             r.wall_seconds > 0 ? round3(static_cast<double>(ok) / r.wall_seconds) : 0.0},
            {"latency_ms", all.latency_summary()},
            {"latency_ms_201", created.latency_summary()},
            {"latency_ms_409", refused.latency_summary()},
            {"status_201", ok},
            {"status_409", conflict},
            {"status_429", limited},
            {"status_5xx", server},
            {"status_other", other},
            {"statuses", all.statuses()},
            {"outcomes", all.outcomes()},
            {"completed_per_second", r.per_second},
            {"unexpected_samples", r.merged.samples},
            {"slowest", slowest},
            {"cpu_seconds", cpu},
            {"cpu_ms_per_request", cpu_ms_per_request},
            {"commit_window_seconds", round3(cost.commit_window_seconds)},
            {"commits", commits}};
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

std::string read_password_file(const std::string& path) {
    std::ifstream file(path);
    std::string password;
    if (!file || !std::getline(file, password))
        throw UsageError("--admin-password-file: cannot read " + path);
    while (!password.empty() && (password.back() == '\r' || password.back() == ' '))
        password.pop_back();
    return password;
}

void print_phase(const char* title, const json& p) {
    const auto& lat = p["latency_ms"];
    std::printf("%s: %lld requests in %.2f s = %.1f req/s\n", title,
                static_cast<long long>(p["requests"].get<std::int64_t>()),
                p["wall_seconds"].get<double>(), p["requests_per_second"].get<double>());
    std::printf("  latency ms:  p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n", lat["p50"].get<double>(),
                lat["p95"].get<double>(), lat["p99"].get<double>(), lat["max"].get<double>());
    std::printf("  201 %lld  409 %lld  429 %lld  5xx %lld  other %lld\n",
                static_cast<long long>(p["status_201"].get<std::int64_t>()),
                static_cast<long long>(p["status_409"].get<std::int64_t>()),
                static_cast<long long>(p["status_429"].get<std::int64_t>()),
                static_cast<long long>(p["status_5xx"].get<std::int64_t>()),
                static_cast<long long>(p["status_other"].get<std::int64_t>()));
    std::printf("  commits per request: %s\n", p["commits"]["all"].dump().c_str());
}

int run(const Options& o) {
    const auto admin_password = read_password_file(o.admin_password_file);
    json report = {{"benchmark", "opening_rush"},
                   {"started_at", sales::to_rfc3339(std::chrono::system_clock::now())},
                   {"config",
                    {{"gateway", o.gateway.text()},
                     {"buyers", o.buyers},
                     {"refusals", o.refusals},
                     {"concurrency", o.concurrency},
                     {"popular", o.popular},
                     {"reps", o.reps},
                     {"customers_per_rep", o.customers_per_rep},
                     {"buildings", o.buildings},
                     {"floors", o.floors},
                     {"positions", o.positions},
                     {"units", o.buildings * o.floors * o.positions},
                     {"seed", o.seed},
                     {"timeout_ms", o.timeout_ms},
                     {"client_address", "127.0.0.1 (every request)"},
                     {"hardware_threads", std::thread::hardware_concurrency()}}}};

    // 1. Set-up through the gateway: the project, the reps and their customers.
    Gateway gateway(o);
    const auto setup_start = Clock::now();
    Project project;
    std::vector<Rep> reps;
    double sync_seconds = 0;
    try {
        const auto admin =
            gateway.login("admin", admin_password).at("access_token").get<std::string>();
        project = create_released_project(o, gateway, admin);
        std::fprintf(stderr, "opening_rush: project %s (%s): %zu units released in %.1f s\n",
                     project.code.c_str(), project.id.c_str(), project.units.size(),
                     seconds_since(setup_start));
        sync_seconds = wait_until_contract_knows(o, project.id);
        reps = create_reps(o, gateway, admin, project);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: set-up failed: %s\n", e.what());
        return 3;
    }
    const double setup_seconds = seconds_since(setup_start);
    std::fprintf(stderr,
                 "opening_rush: %zu reps logged in, %lld customers each; set-up %.1f s "
                 "(%lld set-up calls retried after 429/busy)\n",
                 reps.size(), static_cast<long long>(o.customers_per_rep), setup_seconds,
                 static_cast<long long>(gateway.retries()));

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

    sales::http::Client client(o.gateway.host, o.gateway.port, rush_client_options(o));
    const auto warm_up_not_ok = warm_up(o, client, reps);
    if (warm_up_not_ok > 0)
        std::fprintf(stderr, "opening_rush: %lld warm-up reads were not answered 200\n",
                     static_cast<long long>(warm_up_not_ok));

    // 3. The background commit rate (sweepers, relays), once set-up's statistics are flushed.
    sales::load::Meter meter(o.processes, o.stats_db, kServiceDatabases);
    std::fprintf(stderr, "opening_rush: measuring the background commit rate (%lld s)\n",
                 static_cast<long long>(sales::load::kStatsFlush.count() + o.quiet_ms / 1000));
    std::this_thread::sleep_for(sales::load::kStatsFlush);
    auto commits = meter.commits();
    auto commits_at = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(o.quiet_ms));
    std::map<std::string, double> background;
    json background_report = json::object();
    {
        const auto now = meter.commits();
        const auto window = seconds_since(commits_at);
        for (const auto& [db, n] : now) {
            background[db] = static_cast<double>(n - commits.at(db)) / window;
            background_report[db] = round3(background[db]);
        }
        commits = now;
        commits_at = Clock::now();
    }

    // A phase with its CPU and commit readings; commits are read kStatsFlush after its end.
    const auto measured = [&](const std::string& name, const std::vector<std::size_t>& targets) {
        PhaseCost cost;
        cost.commits_before = commits;
        const auto window_start = commits_at;
        cost.cpu_before = meter.cpu_ticks();
        auto result = run_phase(o, client, name, reps, project, targets);
        cost.cpu_after = meter.cpu_ticks();
        std::this_thread::sleep_for(sales::load::kStatsFlush);
        commits = meter.commits();
        commits_at = Clock::now();
        cost.commits_after = commits;
        cost.commit_window_seconds =
            std::chrono::duration<double>(commits_at - window_start).count();
        auto phase = phase_report(result, cost, background);
        return std::make_pair(std::move(result), std::move(phase));
    };

    // 4. Phase 1, the rush.
    std::fprintf(stderr,
                 "opening_rush: rush: %lld buyers, %lld workers, %lld popular units, %zu reps\n",
                 static_cast<long long>(o.buyers), static_cast<long long>(o.concurrency),
                 static_cast<long long>(o.popular), reps.size());
    auto [rush, rush_report] = measured("rush", choice);

    // 5. Phase 2, refusals only: units phase 1 sold, drawn with the same RNG.
    std::vector<std::size_t> sold_index;
    {
        std::set<std::string> sold_units;
        for (const auto& s : rush.merged.sold)
            sold_units.insert(s.unit_id);
        for (auto i : popular_index) {
            if (sold_units.contains(project.units[i].id))
                sold_index.push_back(i);
        }
    }
    json refusal_report = nullptr;
    std::vector<Sold> sold = rush.merged.sold;
    if (sold_index.empty() || o.refusals == 0) {
        std::fprintf(stderr, "opening_rush: no refusals phase (%s)\n",
                     o.refusals == 0 ? "--refusals 0" : "the rush sold nothing");
    } else {
        std::vector<std::size_t> targets(static_cast<std::size_t>(o.refusals));
        for (auto& t : targets)
            t = sold_index[rng.below(sold_index.size())];
        std::fprintf(stderr, "opening_rush: refusals: %lld requests for the %zu units sold\n",
                     static_cast<long long>(o.refusals), sold_index.size());
        auto [refusals, phase] = measured("refusals", targets);
        sold.insert(sold.end(), refusals.merged.sold.begin(), refusals.merged.sold.end());
        phase["units_targeted"] = static_cast<std::int64_t>(sold_index.size());
        refusal_report = std::move(phase);
    }

    // 6. Consistency.
    if (o.settle_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
    CheckResult c;
    try {
        c = check(o, project, popular, sold);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: the consistency check failed to run: %s\n", e.what());
        return 3;
    }

    json processes = json::object();
    for (const auto& p : meter.processes())
        processes[p.name] = {{"pid", p.pid}, {"with_children", p.tree}};
    report["setup"] = {{"project_id", project.id},
                       {"project_code", project.code},
                       {"units_released", static_cast<std::int64_t>(project.units.size())},
                       {"reps", static_cast<std::int64_t>(reps.size())},
                       {"customers", static_cast<std::int64_t>(reps.size()) * o.customers_per_rep},
                       {"setup_seconds", round3(setup_seconds)},
                       {"setup_retries_after_429_or_busy", gateway.retries()},
                       {"contract_sync_seconds", round3(sync_seconds)},
                       {"warm_up_reads", o.concurrency * 2},
                       {"warm_up_reads_not_200", warm_up_not_ok}};
    report["measured_processes"] = processes;
    report["background_commits_per_second"] = background_report;
    report["run"] = rush_report;
    report["refusals"] = refusal_report;
    report["check"] = {{"oversold_units", c.oversold_units},
                       {"mismatches", c.mismatches},
                       {"ok", c.oversold_units == 0 && c.mismatches == 0},
                       {"details", c.details}};
    report["finished_at"] = sales::to_rfc3339(std::chrono::system_clock::now());

    print_phase("rush", rush_report);
    if (!refusal_report.is_null())
        print_phase("refusals only", refusal_report);
    std::printf("oversold_units: %lld\n", static_cast<long long>(c.oversold_units));
    std::printf("mismatches: %lld\n", static_cast<long long>(c.mismatches));
    if (c.oversold_units != 0 || c.mismatches != 0) {
        std::printf("!!! CONSISTENCY FAILURE: oversold_units %lld, mismatches %lld\n%s\n",
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
    } catch (const UsageError& e) {
        std::fprintf(stderr, "opening_rush: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opening_rush: %s\n", e.what());
        return 3;
    }
}
