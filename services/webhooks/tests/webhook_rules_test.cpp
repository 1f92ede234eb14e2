// The webhook bridge's rules (domain/webhook.hpp): subject patterns, project filter, endpoints,
// what an answer means, backoff and give-up.
#include <gtest/gtest.h>

#include "domain/webhook.hpp"

namespace {
using namespace webhooks::domain;
using namespace std::chrono_literals;

TEST(WebhookRules, SubjectPatternsFollowNatsWildcards) {
    EXPECT_TRUE(subject_matches("contract.handed_over", "contract.handed_over"));
    EXPECT_FALSE(subject_matches("contract.handed_over", "contract.handed_over.v2"));
    EXPECT_TRUE(subject_matches("contract.>", "contract.subscription.created"));
    EXPECT_FALSE(subject_matches("contract.>", "contract"));
    EXPECT_TRUE(subject_matches("contract.*", "contract.signed"));
    EXPECT_FALSE(subject_matches("contract.*", "contract.subscription.created"));
    EXPECT_TRUE(subject_matches("*.unit.*", "inventory.unit.status_changed"));
    EXPECT_FALSE(subject_matches("finance.>", "contract.signed"));
    EXPECT_TRUE(any_subject_matches({"finance.>", "contract.signed"}, "contract.signed"));
    EXPECT_FALSE(any_subject_matches({}, "contract.signed"));
}

TEST(WebhookRules, BadPatternsAreNamed) {
    EXPECT_FALSE(subject_pattern_problem("contract.>"));
    EXPECT_FALSE(subject_pattern_problem("inventory.unit.status_changed"));
    EXPECT_TRUE(subject_pattern_problem(""));
    EXPECT_TRUE(subject_pattern_problem("contract..signed"));
    EXPECT_TRUE(subject_pattern_problem("contract.>.signed"));
    EXPECT_TRUE(subject_pattern_problem("contract.Signed"));
    EXPECT_TRUE(subject_pattern_problem("contract.sig ned"));
    EXPECT_TRUE(subject_pattern_problem("contract."));
}

TEST(WebhookRules, AProjectListTakesOnlyEventsOfItsProjects) {
    EXPECT_TRUE(project_matches({}, std::nullopt));
    EXPECT_TRUE(project_matches({}, std::string("p1")));
    EXPECT_TRUE(project_matches({"p1", "p2"}, std::string("p2")));
    EXPECT_FALSE(project_matches({"p1"}, std::string("p2")));
    EXPECT_FALSE(project_matches({"p1"}, std::nullopt));
}

TEST(WebhookRules, EndpointsAreHttpUrlsWithoutCredentials) {
    std::string problem;
    auto e = parse_endpoint("http://pm.example:9000/hooks/sales?x=1", problem);
    ASSERT_TRUE(e) << problem;
    EXPECT_EQ(e->host, "pm.example");
    EXPECT_EQ(e->port, 9000);
    EXPECT_EQ(e->target, "/hooks/sales?x=1");
    e = parse_endpoint("http://10.0.0.5", problem);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->port, 80);
    EXPECT_EQ(e->target, "/");
    EXPECT_EQ(parse_endpoint("http://h?q=1", problem)->target, "/?q=1");
    for (const char* bad :
         {"https://pm.example/", "ftp://x/", "http://user:pw@pm/", "http://:80/", "http://pm:0/",
          "http://pm:99999/", "http://pm/a b", "http://pm/#x", "pm.example/hooks"}) {
        problem.clear();
        EXPECT_FALSE(parse_endpoint(bad, problem)) << bad;
        EXPECT_FALSE(problem.empty()) << bad;
    }
}

TEST(WebhookRules, AnswersDecideDeliveredRetryOrDeadLetter) {
    EXPECT_EQ(outcome_of(200), Outcome::delivered);
    EXPECT_EQ(outcome_of(204), Outcome::delivered);
    EXPECT_EQ(outcome_of(std::nullopt), Outcome::retry);
    EXPECT_EQ(outcome_of(500), Outcome::retry);
    EXPECT_EQ(outcome_of(503), Outcome::retry);
    EXPECT_EQ(outcome_of(429), Outcome::retry);
    EXPECT_EQ(outcome_of(408), Outcome::retry);
    EXPECT_EQ(outcome_of(401), Outcome::dead);
    EXPECT_EQ(outcome_of(400), Outcome::dead);
    EXPECT_EQ(outcome_of(404), Outcome::dead);
    EXPECT_EQ(outcome_of(302), Outcome::dead);
}

TEST(WebhookRules, BackoffDoublesUpToItsMaximumAndGivesUpLate) {
    const RetryPolicy policy{.base = 1s, .max = 30s, .give_up_after = 3600s};
    EXPECT_EQ(backoff(policy, 1), 1s);
    EXPECT_EQ(backoff(policy, 2), 2s);
    EXPECT_EQ(backoff(policy, 5), 16s);
    EXPECT_EQ(backoff(policy, 6), 30s);
    EXPECT_EQ(backoff(policy, 1000), 30s);
    EXPECT_FALSE(gives_up(policy, 3599s));
    EXPECT_TRUE(gives_up(policy, 3600s));
}

TEST(WebhookRules, TheSignedTextIsTimestampDotBody) {
    EXPECT_EQ(signed_text(1700000000, R"({"a":1})"), R"(1700000000.{"a":1})");
}

}  // namespace
