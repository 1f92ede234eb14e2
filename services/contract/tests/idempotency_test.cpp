#include <gtest/gtest.h>

#include "domain/idempotency.hpp"

namespace {
using namespace contract::domain;

TEST(IdempotencyKey, VisibleAsciiUpTo128) {
    EXPECT_TRUE(valid_idempotency_key("a"));
    EXPECT_TRUE(valid_idempotency_key("7f9c-2024/11:22~x"));
    EXPECT_TRUE(valid_idempotency_key(std::string(128, 'k')));
    EXPECT_FALSE(valid_idempotency_key(""));
    EXPECT_FALSE(valid_idempotency_key(std::string(129, 'k')));
    EXPECT_FALSE(valid_idempotency_key("has space"));
    EXPECT_FALSE(valid_idempotency_key("键"));
}

TEST(RequestFingerprint, SameRequestSameFingerprintWhateverTheKeyOrder) {
    const auto a = nlohmann::json::parse(R"({"unit_id":"u","deposit_fen":5})");
    const auto b = nlohmann::json::parse(R"({ "deposit_fen" : 5, "unit_id" : "u" })");
    EXPECT_EQ(request_fingerprint("POST", "/api/v1/subscriptions", a),
              request_fingerprint("POST", "/api/v1/subscriptions", b));
    EXPECT_EQ(request_fingerprint("POST", "/p", a).size(), 16u);
}

TEST(RequestFingerprint, AnyDifferenceChangesIt) {
    const auto a = nlohmann::json::parse(R"({"unit_id":"u","deposit_fen":5})");
    const auto b = nlohmann::json::parse(R"({"unit_id":"u","deposit_fen":6})");
    const auto base = request_fingerprint("POST", "/api/v1/subscriptions", a);
    EXPECT_NE(base, request_fingerprint("POST", "/api/v1/subscriptions", b));
    EXPECT_NE(base, request_fingerprint("PUT", "/api/v1/subscriptions", a));
    EXPECT_NE(base, request_fingerprint("POST", "/api/v1/subscription", a));
    // Field boundaries count: ("ab", "c") is not ("a", "bc").
    EXPECT_NE(request_fingerprint("ab", "c", a), request_fingerprint("a", "bc", a));
}

}  // namespace
