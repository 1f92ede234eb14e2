// Gateway domain rules: password policy, lockout, hierarchical administration (SEC-1), rate
// limiting, and the route table against libs/auth's role table.
#include <gtest/gtest.h>

#include <set>

#include "domain/identity.hpp"
#include "domain/route_table.hpp"
#include "sales/auth.hpp"

namespace gateway::domain {
namespace {
using namespace std::chrono_literals;

TEST(PasswordPolicy, RejectsShortSimpleAndUsernameContaining) {
    EXPECT_NE(password_problem("Short1!", "ann"), "");
    EXPECT_NE(password_problem("alllowercaseletters", "ann"), "");
    EXPECT_NE(password_problem("Ann-Secret-2026", "ann"), "");
    EXPECT_EQ(password_problem("Correct-Horse-7", "ann"), "");
    EXPECT_NE(password_problem(std::string(129, 'a') + "A1", "ann"), "");
}

TEST(Usernames, AllowLowerCaseDigitsAndPunctuation) {
    EXPECT_TRUE(valid_username("zhang.san-01"));
    EXPECT_FALSE(valid_username("Zhang"));
    EXPECT_FALSE(valid_username("ab"));
    EXPECT_FALSE(valid_username("a b c"));
}

TEST(Lockout, LocksAfterMaxFailuresAndUnlocksAfterTheDuration) {
    const auto t0 = std::chrono::system_clock::time_point(1'000'000s);
    LockoutPolicy policy{3, 60s};
    LoginState s;
    s = after_failure(s, policy, t0);
    s = after_failure(s, policy, t0);
    EXPECT_FALSE(is_locked(s, t0));
    s = after_failure(s, policy, t0);
    EXPECT_TRUE(is_locked(s, t0 + 59s));
    EXPECT_FALSE(is_locked(s, t0 + 61s));
}

TEST(Lockout, AttemptsDuringALockDoNotCountAndOldFailuresExpire) {
    const auto t0 = std::chrono::system_clock::time_point(1'000'000s);
    LockoutPolicy policy{3, 60s};
    LoginState s;
    for (int i = 0; i < 3; ++i)
        s = after_failure(s, policy, t0);
    ASSERT_TRUE(is_locked(s, t0));
    const auto locked = s;
    s = after_failure(s, policy, t0 + 30s);
    EXPECT_EQ(s.locked_until, locked.locked_until) << "a guess during the lock extends nothing";
    EXPECT_EQ(s.failed_attempts, 0);
    // After the lock the count starts again; failures further apart than lock_for never lock.
    s = after_failure(s, policy, t0 + 61s);
    s = after_failure(s, policy, t0 + 100s);
    EXPECT_EQ(s.failed_attempts, 2);
    s = after_failure(s, policy, t0 + 130s);  // the count started at t0 + 61s: expired
    EXPECT_FALSE(is_locked(s, t0 + 130s));
    EXPECT_EQ(s.failed_attempts, 1);
}

TEST(Administration, GroupAdminManagesAllRegionAdminOnlyItsNonAdminUsers) {
    const Admin group{{"admin"}, "", {"*"}};
    const Admin region{{"admin"}, "west", {"p1"}};
    EXPECT_EQ(administration_problem(group, {{"admin"}, "west"}), "");
    EXPECT_EQ(administration_problem(region, {{"sales_rep"}, "west"}), "");
    EXPECT_NE(administration_problem(region, {{"sales_rep"}, "east"}), "");
    EXPECT_NE(administration_problem(region, {{"admin"}, "west"}), "");
    EXPECT_NE(administration_problem({{"sales_manager"}, "", {"*"}}, {{"sales_rep"}, ""}), "");
}

TEST(Administration, RegionAdminGrantsOnlyItsOwnProjectsAndNoAdminRole) {
    const Admin group{{"admin"}, "", {}};
    const Admin south{{"admin"}, "south", {"p1", "p2"}};
    const Admin south_all{{"admin"}, "south", {"*"}};
    EXPECT_EQ(grant_problem(group, {"admin"}, {"*"}), "");
    EXPECT_EQ(grant_problem(south, {"sales_manager"}, {"p1"}), "");
    EXPECT_EQ(grant_problem(south, {"sales_manager", "cashier"}, {"p1", "p2"}), "");
    EXPECT_NE(grant_problem(south, {"sales_manager"}, {"*"}), "");
    EXPECT_NE(grant_problem(south, {"sales_manager"}, {"p1", "p3"}), "");
    EXPECT_NE(grant_problem(south, {"admin"}, {"p1"}), "");
    EXPECT_EQ(grant_problem(south_all, {"sales_manager"}, {"*"}), "");
    EXPECT_NE(grant_problem(south_all, {"admin"}, {"*"}), "");
}

TEST(LoginThrottle, SlidingWindowCountsAttemptsPerKey) {
    SlidingWindowLimiter limiter(3, 60s);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(limiter.take("ann 10.0.0.1", t0), 0);
    EXPECT_EQ(limiter.take("ann 10.0.0.1", t0 + 10s), 0);
    EXPECT_EQ(limiter.take("ann 10.0.0.1", t0 + 20s), 0);
    // The oldest attempt leaves the window at t0 + 60s.
    EXPECT_EQ(limiter.take("ann 10.0.0.1", t0 + 30s), 30);
    EXPECT_EQ(limiter.take("ann 10.0.0.2", t0 + 30s), 0) << "another address has its own count";
    EXPECT_EQ(limiter.take("ann 10.0.0.1", t0 + 60s), 0);
    EXPECT_GE(limiter.take("ann 10.0.0.1", t0 + 61s), 1);
}

TEST(RateLimiter, AllowsTheBurstThenAsksToWait) {
    RateLimiter limiter(3, 1);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(limiter.take("u", t0), 0);
    EXPECT_EQ(limiter.take("u", t0), 0);
    EXPECT_EQ(limiter.take("u", t0), 0);
    EXPECT_GE(limiter.take("u", t0), 1);
    EXPECT_EQ(limiter.take("other", t0), 0);
    EXPECT_EQ(limiter.take("u", t0 + 1100ms), 0);
}

TEST(RateLimiter, PerIpKeyIgnoresTheClientPort) {
    EXPECT_EQ(client_address("127.0.0.1:50123"), "127.0.0.1");
    EXPECT_EQ(client_address("::1:50123"), "::1");
    EXPECT_EQ(client_address("10.0.0.7"), "10.0.0.7");
}

TEST(RouteTable, EveryRouteIsUniqueAndNamesKnownPermissions) {
    std::set<std::string> seen;
    for (const auto& rule : route_table()) {
        EXPECT_TRUE(seen.insert(rule.method + " " + rule.pattern).second) << rule.pattern;
        if (rule.access == Access::permission) {
            ASSERT_FALSE(rule.permissions.empty()) << rule.pattern;
            // Every permission is granted to some role other than admin: no dead routes.
            for (const auto& p : rule.permissions) {
                if (p == "user.manage" || p == "audit.read" || p == "webhook.manage")
                    continue;  // administrators only
                bool granted = false;
                for (const auto& role : sales::auth::known_roles())
                    granted = granted || (role != "admin" && sales::auth::role_grants(role, p));
                EXPECT_TRUE(granted) << p << " on " << rule.pattern;
            }
        }
    }
}

TEST(RouteTable, PermitsFollowsTheRoleTable) {
    const auto& table = route_table();
    const auto find = [&](const std::string& m, const std::string& p) {
        for (const auto& r : table)
            if (r.method == m && r.pattern == p)
                return r;
        throw std::runtime_error("missing " + p);
    };
    EXPECT_TRUE(permits(find("POST", "/api/v1/payments"), {"cashier"}));
    EXPECT_FALSE(permits(find("POST", "/api/v1/payments"), {"sales_rep"}));
    EXPECT_TRUE(permits(find("POST", "/api/v1/users"), {"admin"}));
    EXPECT_FALSE(permits(find("POST", "/api/v1/users"), {"sales_manager"}));
    EXPECT_TRUE(permits(find("POST", "/api/v1/auth/login"), {}));
}

}  // namespace
}  // namespace gateway::domain
