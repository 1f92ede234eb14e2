// Hostile input on every write route of every service (SEC, "bad input gets a clear 4xx and
// writes nothing"): the routes come from the gateway's route table, each is sent more than a
// hundred malformed bodies — wrong types, huge numbers, deep nesting, bad UTF-8, unknown and
// missing fields, non-objects, broken JSON — directly to the owning service and through the
// gateway. Every answer must be a 4xx, every service must still be ready afterwards, and no
// table of any database may have gained or lost a row.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "domain/route_table.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::Stack;

const std::vector<std::string> kServices = {"inventory", "customer", "contract", "finance",
                                            "reporting", "webhooks", "gateway"};

std::string nested(std::size_t depth, char open, char close, const std::string& inner = "1") {
    std::string out;
    out.reserve(depth * 2 + inner.size() + 8);
    for (std::size_t i = 0; i < depth; ++i)
        out += open == '{' ? std::string("{\"a\":") : std::string(1, open);
    out += inner;
    for (std::size_t i = 0; i < depth; ++i)
        out += close;
    return out;
}

// The field names write routes read (a wrong type for each must be refused, never stored).
const std::vector<std::string> kFields = {
    "project_id", "unit_id",   "customer_id", "building_id", "subscription_id", "contract_id",
    "amount_fen", "price_fen", "reason",      "name",        "phone",           "date",
    "plan",       "items",     "note",        "rep_id",      "status",          "receipt_no"};

// Values of the wrong type or beyond any range.
const std::vector<std::string> kBadValues = {
    "-1",   "1e400", "99999999999999999999999999", "-9223372036854775809", "1.5", "[]", "{}",
    "true", "\"\""};

// More than a hundred malformed bodies; every one is either not valid JSON, not an object, or an
// object no write route accepts (unknown field, wrong types, nothing required present).
std::vector<std::string> malformed_bodies() {
    std::vector<std::string> bodies = {
        // Deep nesting (the depth limit refuses them before anything parses them).
        nested(200'000, '[', ']'),
        nested(70, '[', ']'),
        nested(65, '{', '}'),
        "{\"plan\":" + nested(100'000, '[', ']') + "}",
        "{\"items\":[" + nested(5'000, '{', '}') + "]}",
        nested(100'000, '[', ']', ""),
        // Not JSON.
        "",
        " ",
        "{",
        "}",
        "{\"a\":",
        "{\"a\":1,}",
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":Infinity}",
        "{\"a\":1} trailing",
        "{\"a\":1}{\"b\":2}",
        "/* comment */ {}",
        "{\"a\":01}",
        "{\"a\":\"unterminated}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\x41\"}",
        "nul",
        "tru",
        std::string("{\"a\":\"\0\"}", 8),
        "\xef\xbb\xbf{}",
        // Bad UTF-8 in strings and keys.
        "{\"name\":\"\xff\xfe\"}",
        "{\"name\":\"\xc0\xaf\"}",
        "{\"name\":\"\xed\xa0\x80\"}",
        "{\"\xff\":1}",
        "{\"reason\":\"\xe4\xb8\"}",
        "{\"phone\":\"\x80\x80\x80\"}",
        "{\"name\":\"\\ud800\"}",
        // Not an object.
        "[]",
        "[{}]",
        "1",
        "-1",
        "\"text\"",
        "null",
        "true",
        "false",
        "1e999",
        "[1,2,3]",
        // Objects no route accepts.
        "{\"zzz_unknown\":1}",
        "{\"project_id\":\"x\",\"zzz_unknown\":[]}",
        "{\"\":\"\"}",
        "{\"a\":{\"b\":{\"c\":[]}}}",
        "{\"__proto__\":{}}",
        "{\"amount_fen\":1,\"amount_fen\":2,\"zzz\":0}",
        "{\"name\":\"" + std::string(200'000, 'x') + "\",\"zzz\":1}",
    };
    for (const auto& field : kFields)
        for (const auto& value : kBadValues)
            bodies.push_back("{\"" + field + "\":" + value + ",\"zzz_unknown\":true}");
    return bodies;
}

// The route's path with every {param} filled: known ids where the stack has them, else a
// fresh UUID (the route must then answer 400 for the body or 404 for the id, nothing else).
std::string fill_path(const std::string& pattern, const std::map<std::string, std::string>& ids) {
    static const std::regex param(R"(\{([a-z_]+)\})");
    std::string out;
    auto begin = std::sregex_iterator(pattern.begin(), pattern.end(), param);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += pattern.substr(last, static_cast<std::size_t>(it->position()) - last);
        const auto found = ids.find((*it)[1].str());
        out += found != ids.end() ? found->second : sales::new_uuid();
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    return out + pattern.substr(last);
}

// Routes whose body is optional: no body, blanks and an empty object mean "no body" there.
bool optional_body(const gateway::domain::RouteRule& rule) {
    return rule.method == "POST" && rule.pattern == "/api/v1/auth/logout";
}
bool reads_as_no_body(const std::string& body) {
    return body.empty() || body == " " || body == "\xef\xbb\xbf{}";
}

class HostileInput : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // Rate limits high enough that every request reaches its route.
        // Report packs are made on their schedule only (not during the sweep's row counts).
        stack_ = new Stack(
            "hostile",
            {"inventory", "customer", "contract", "finance", "reporting", "webhooks", "gateway"},
            {{"SALES_GATEWAY_RATE_USER_BURST", "1000000"},
             {"SALES_GATEWAY_RATE_USER_PER_SECOND", "1000000"},
             {"SALES_GATEWAY_RATE_IP_BURST", "1000000"},
             {"SALES_GATEWAY_RATE_IP_PER_SECOND", "1000000"},
             {"SALES_REPORTING_PACK_INTERVAL", "24h"}});
        const auto project = stack_->released_project(2, 2);
        ids_ = {{"project_id", project.id}, {"unit_id", project.unit_ids.front()}};
    }
    static void TearDownTestSuite() { delete stack_; }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    // Row count of every table of every database but the gateway's access log (which records
    // refusals by design) and the outbox/inbox bookkeeping of events still in flight.
    static std::map<std::string, std::int64_t> all_row_counts() {
        std::map<std::string, std::int64_t> out;
        for (const auto& service : kServices) {
            std::vector<std::string> tables;
            stack_->db(service).transaction([&](sales::db::Tx& tx) {
                for (const auto row : tx.exec("SELECT tablename FROM pg_tables "
                                              "WHERE schemaname = 'public' ORDER BY tablename"))
                    tables.push_back(row.text(0));
            });
            std::erase(tables, std::string("audit_log"));
            for (const auto& [table, count] : stack_->row_counts(service, tables))
                out[service + "." + table] = count;
        }
        return out;
    }

    // Counts once nothing has changed for a second (events of the set-up still settling).
    static std::map<std::string, std::int64_t> settled_row_counts() {
        auto previous = all_row_counts();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            auto now = all_row_counts();
            if (now == previous)
                return now;
            previous = std::move(now);
        }
        ADD_FAILURE() << "row counts did not settle within 20 s";
        return previous;
    }

    // Sends every body to every write route of `rule_filter`'s services on `target_service`'s
    // port; returns the requests made and records every non-4xx answer as a failure.
    static std::size_t sweep(bool through_gateway) {
        const auto bodies = malformed_bodies();
        std::size_t requests = 0;
        std::map<std::string, int> bodies_per_route;
        auto headers = Stack::auth("admin");
        for (const auto& rule : gateway::domain::route_table()) {
            if (!gateway::domain::is_write(rule.method))
                continue;
            const auto service = through_gateway ? std::string("gateway") : rule.upstream;
            const auto path = fill_path(rule.pattern, ids_);
            for (const auto& body : bodies) {
                const auto response =
                    stack_->http(service).request(rule.method, path, body, headers);
                ++requests;
                ++statuses_[response.status];
                ++bodies_per_route[rule.method + " " + rule.pattern];
                if (optional_body(rule) && reads_as_no_body(body))
                    continue;
                EXPECT_TRUE(response.status >= 400 && response.status < 500)
                    << rule.method << " " << path << " via " << service << " answered "
                    << response.status << " to a body starting " << json(body.substr(0, 80)) << ": "
                    << response.body.substr(0, 300);
            }
        }
        for (const auto& [route, count] : bodies_per_route)
            EXPECT_GE(count, 100) << route;
        return requests;
    }

    static void expect_every_service_ready() {
        for (const auto& service : kServices) {
            const auto ready = stack_->http(service).get("/readyz");
            EXPECT_EQ(ready.status, 200) << service << " is not ready after the sweep";
        }
    }

    static Stack* stack_;
    static std::map<std::string, std::string> ids_;
    static std::map<int, int> statuses_;
};
std::map<int, int> HostileInput::statuses_;
Stack* HostileInput::stack_ = nullptr;
std::map<std::string, std::string> HostileInput::ids_;

// The body that once killed the contract service: 200,000 nested arrays in a sign request.
TEST_F(HostileInput, DeepNestingIsRefusedWith400ByEveryWriteRouteOfEveryService) {
    const auto body = "{\"plan\": " + nested(200'000, '[', ']') + "}";
    const auto headers = Stack::auth("admin");
    int routes = 0;
    for (const auto& rule : gateway::domain::route_table()) {
        if (!gateway::domain::is_write(rule.method))
            continue;
        const auto path = fill_path(rule.pattern, ids_);
        for (const auto& service : {rule.upstream, std::string("gateway")}) {
            const auto response = stack_->http(service).request(rule.method, path, body, headers);
            EXPECT_EQ(response.status, 400) << rule.method << " " << path << " via " << service
                                            << ": " << response.body.substr(0, 300);
        }
        ++routes;
    }
    EXPECT_GT(routes, 40);
    expect_every_service_ready();
}

TEST_F(HostileInput, MalformedBodiesOnEveryWriteRouteGetOnly4xxAndWriteNothing) {
    const auto before = settled_row_counts();
    const auto started = std::chrono::steady_clock::now();
    const auto direct = sweep(false);
    const auto via_gateway = sweep(true);
    const auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count() /
                         1000.0;
    std::cout << "hostile sweep: " << direct << " requests to the services' own ports, "
              << via_gateway << " through the gateway, " << malformed_bodies().size()
              << " bodies per route, " << seconds << " s\n";
    for (const auto& [status, count] : statuses_)
        std::cout << "  " << status << ": " << count << "\n";
    EXPECT_EQ(statuses_.count(429), 0u) << "the sweep measured the rate limiter, not the routes";
    expect_every_service_ready();
    const auto after = all_row_counts();
    for (const auto& [table, count] : before)
        EXPECT_EQ(after.at(table), count) << table << " changed during the sweep";
}

}  // namespace
