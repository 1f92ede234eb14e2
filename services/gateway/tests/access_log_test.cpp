// The gateway's access log rules (SEC-2, issue 11 item 7): which answers get a row, which are
// counted, and the counter's bound.
#include <gtest/gtest.h>

#include <string>

#include "domain/access_log.hpp"
#include "domain/route_table.hpp"

namespace gateway::domain {
namespace {

const RouteRule* rule_of(const std::string& method, const std::string& pattern) {
    for (const auto& rule : route_table())
        if (rule.method == method && rule.pattern == pattern)
            return &rule;
    ADD_FAILURE() << "no rule " << method << " " << pattern;
    return nullptr;
}

TEST(AccessLog, FloodableRefusalsAreCountedIdentifiedOnesGetARow) {
    const auto* login = rule_of("POST", "/api/v1/auth/login");
    const auto* projects = rule_of("GET", "/api/v1/projects");
    const auto* create = rule_of("POST", "/api/v1/projects");
    // 429, whoever asked and whatever the route.
    EXPECT_EQ(access_entry(projects, false, "GET", 429), AccessEntry::counted);
    EXPECT_EQ(access_entry(create, false, "POST", 429), AccessEntry::counted);
    EXPECT_EQ(access_entry(login, false, "POST", 429), AccessEntry::counted);
    EXPECT_EQ(access_entry(nullptr, true, "GET", 429), AccessEntry::counted);
    // No valid token on an authenticated route: counted; a failed login is a row of its own.
    EXPECT_EQ(access_entry(projects, false, "GET", 401), AccessEntry::counted);
    EXPECT_EQ(access_entry(create, false, "POST", 401), AccessEntry::counted);
    EXPECT_EQ(access_entry(login, false, "POST", 401), AccessEntry::row);
    // Matching no route of the table (404, 405, 413, 400, 503 over the connection cap).
    for (int status : {400, 404, 405, 413, 431, 503})
        EXPECT_EQ(access_entry(nullptr, true, "GET", status), AccessEntry::counted) << status;
    // An identified caller refused by the table or the service: a row, reads included.
    EXPECT_EQ(access_entry(projects, false, "GET", 403), AccessEntry::row);
    EXPECT_EQ(access_entry(create, false, "POST", 403), AccessEntry::row);
    // Every other write has its row, whatever the status; other reads none.
    for (int status : {200, 201, 400, 404, 409, 422, 500, 502, 503, 504})
        EXPECT_EQ(access_entry(create, false, "POST", status), AccessEntry::row) << status;
    for (int status : {200, 404, 500})
        EXPECT_EQ(access_entry(projects, false, "GET", status), AccessEntry::none) << status;
    // Built-in routes (health, docs, CORS preflight) are not in the table.
    EXPECT_EQ(access_entry(nullptr, false, "GET", 200), AccessEntry::none);
    EXPECT_EQ(access_entry(nullptr, false, "OPTIONS", 204), AccessEntry::none);
}

TEST(AccessLog, CountsPerKeyUntilTakenAndKeepsTheFirstRequest) {
    RefusalCounter counter;
    for (int i = 0; i < 150; ++i)
        counter.add({"u-1", "GET", "/api/v1/auth/me", 429}, "u-1", "/api/v1/auth/me",
                    "r-" + std::to_string(i), "10.0.0.1");
    for (int i = 0; i < 50; ++i)
        counter.add({"10.0.0.2", "GET", "/api/v1/projects", 401}, "", "/api/v1/projects",
                    "a-" + std::to_string(i), "10.0.0.2");
    auto counts = counter.take();
    ASSERT_EQ(counts.size(), 2u);
    const auto& me = counts.at({"u-1", "GET", "/api/v1/auth/me", 429});
    EXPECT_EQ(me.count, 150);
    EXPECT_EQ(me.request_id, "r-0");
    EXPECT_EQ(me.user_id, "u-1");
    EXPECT_EQ(counts.at({"10.0.0.2", "GET", "/api/v1/projects", 401}).count, 50);
    EXPECT_TRUE(counter.take().empty()) << "take() starts a new interval";
}

TEST(AccessLog, ManyKeysShareOneOverflowKey) {
    RefusalCounter counter(3);
    for (int i = 0; i < 100; ++i)
        counter.add({"10.0.0." + std::to_string(i), "GET", "unmatched", 404}, "", "/x", "r",
                    "10.0.0." + std::to_string(i));
    const auto counts = counter.take();
    EXPECT_EQ(counts.size(), 4u);
    EXPECT_EQ(counts.at({"*", "GET", "unmatched", 404}).count, 97);
    std::int64_t total = 0;
    for (const auto& [key, counted] : counts)
        total += counted.count;
    EXPECT_EQ(total, 100);
}

}  // namespace
}  // namespace gateway::domain
