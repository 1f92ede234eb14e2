#include "sales/auth.hpp"

#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using sales::Principal;
using sales::auth::InvalidToken;
using sales::auth::TokenKey;

const TokenKey kKey{"0123456789abcdef0123456789abcdef-test", "sales-office"};

Principal rep(std::chrono::system_clock::duration ttl = 1h) {
    Principal p;
    p.user_id = "u-42";
    p.roles = {"sales_rep", "cashier"};
    p.project_ids = {"p-1", "p-2"};
    p.expires_at = std::chrono::system_clock::now() + ttl;
    return p;
}

std::string b64url(const std::string& in) {
    static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    while (i + 2 < in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += tbl[(v >> 18) & 63];
        out += tbl[(v >> 12) & 63];
        out += tbl[(v >> 6) & 63];
        out += tbl[v & 63];
        i += 3;
    }
    if (in.size() - i == 1) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += tbl[(v >> 18) & 63];
        out += tbl[(v >> 12) & 63];
    } else if (in.size() - i == 2) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8);
        out += tbl[(v >> 18) & 63];
        out += tbl[(v >> 12) & 63];
        out += tbl[(v >> 6) & 63];
    }
    return out;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

nlohmann::json valid_claims() {
    return {{"iss", "sales-office"},    {"sub", "u-1"},       {"iat", unix_now()},
            {"exp", unix_now() + 3600}, {"roles", {"admin"}}, {"projects", {"*"}}};
}

// Signs arbitrary claims with kKey, bypassing mint()'s validation (test-only use of libjwt).
std::string sign_raw(const nlohmann::json& claims, jwt_alg_t alg = JWT_ALG_HS256) {
    jwt_t* jwt = nullptr;
    if (jwt_new(&jwt) != 0)
        throw std::runtime_error("jwt_new");
    jwt_add_grants_json(jwt, claims.dump().c_str());
    jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(kKey.secret.data()),
                static_cast<int>(kKey.secret.size()));
    char* s = jwt_encode_str(jwt);
    jwt_free(jwt);
    if (s == nullptr)
        throw std::runtime_error("jwt_encode_str");
    std::string out(s);
    std::free(s);
    return out;
}

std::vector<std::string> split(const std::string& token) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto dot = token.find('.', start);
        parts.push_back(token.substr(start, dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return parts;
}

TEST(Auth, MintVerifyRoundTrip) {
    const Principal in = rep();
    const std::string token = sales::auth::mint(kKey, in);
    EXPECT_EQ(split(token).size(), 3u);
    const Principal out = sales::auth::verify(kKey, token);
    EXPECT_EQ(out.user_id, "u-42");
    EXPECT_EQ(out.roles, in.roles);
    EXPECT_EQ(out.project_ids, in.project_ids);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(out.expires_at.time_since_epoch()),
              std::chrono::duration_cast<std::chrono::seconds>(in.expires_at.time_since_epoch()));
    EXPECT_TRUE(out.in_project("p-2"));
    EXPECT_FALSE(out.in_project("p-3"));
    EXPECT_TRUE(out.has_role("cashier"));
    EXPECT_FALSE(out.has_role("admin"));
}

TEST(Auth, TamperedPayloadIsRejected) {
    const std::string token = sales::auth::mint(kKey, rep());
    auto parts = split(token);
    nlohmann::json claims = valid_claims();
    claims["sub"] = "u-42";
    claims["roles"] = {"admin"};
    const std::string forged = parts[0] + "." + b64url(claims.dump()) + "." + parts[2];
    EXPECT_THROW(sales::auth::verify(kKey, forged), InvalidToken);
}

TEST(Auth, OtherKeyIsRejected) {
    const TokenKey other{"another-secret-of-at-least-32-bytes!!", "sales-office"};
    const std::string token = sales::auth::mint(other, rep());
    EXPECT_THROW(sales::auth::verify(kKey, token), InvalidToken);
    EXPECT_NO_THROW(sales::auth::verify(other, token));
}

TEST(Auth, AlgNoneIsRejected) {
    const std::string header = b64url(R"({"alg":"none","typ":"JWT"})");
    const std::string payload = b64url(valid_claims().dump());
    EXPECT_THROW(sales::auth::verify(kKey, header + "." + payload + "."), InvalidToken);
    // Also with a junk signature, which gets past the shape check into libjwt.
    EXPECT_THROW(sales::auth::verify(kKey, header + "." + payload + ".c2ln"), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, header + "." + payload), InvalidToken);
}

TEST(Auth, OtherHmacAlgorithmIsRejected) {
    // HS512 with the right secret is a valid signature for libjwt, but only HS256 is accepted.
    const std::string token = sign_raw(valid_claims(), JWT_ALG_HS512);
    EXPECT_THROW(sales::auth::verify(kKey, token), InvalidToken);
    // Same claims with HS256 pass: the rejection above is about the algorithm alone.
    EXPECT_NO_THROW(sales::auth::verify(kKey, sign_raw(valid_claims(), JWT_ALG_HS256)));
}

TEST(Auth, ExpiredTokenIsRejected) {
    const std::string token = sales::auth::mint(kKey, rep(-1min));
    try {
        sales::auth::verify(kKey, token);
        FAIL() << "expired token accepted";
    } catch (const InvalidToken& e) {
        EXPECT_NE(std::string(e.what()).find("expired"), std::string::npos) << e.what();
    }
    // Within the 5 s leeway it still passes.
    EXPECT_NO_THROW(sales::auth::verify(kKey, sales::auth::mint(kKey, rep(-2s))));
}

TEST(Auth, WrongIssuerIsRejected) {
    TokenKey other_issuer = kKey;
    other_issuer.issuer = "someone-else";
    const std::string token = sales::auth::mint(other_issuer, rep());
    try {
        sales::auth::verify(kKey, token);
        FAIL() << "wrong issuer accepted";
    } catch (const InvalidToken& e) {
        EXPECT_NE(std::string(e.what()).find("issuer"), std::string::npos) << e.what();
    }
}

TEST(Auth, ShortKeyIsRefused) {
    const TokenKey short_key{"only-31-bytes-long-secret-12345", "sales-office"};
    ASSERT_EQ(short_key.secret.size(), 31u);
    EXPECT_THROW(sales::auth::mint(short_key, rep()), std::invalid_argument);
    EXPECT_THROW(sales::auth::verify(short_key, "a.b.c"), std::invalid_argument);
}

TEST(Auth, GarbageIsRejected) {
    EXPECT_THROW(sales::auth::verify(kKey, ""), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, "not-a-token"), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, "a.b.c.d"), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, "%%%.###.!!!"), InvalidToken);
}

TEST(Auth, BearerParsing) {
    EXPECT_EQ(sales::auth::bearer_token("Bearer abc.def.ghi"), "abc.def.ghi");
    EXPECT_EQ(sales::auth::bearer_token("bearer abc"), "abc");
    EXPECT_EQ(sales::auth::bearer_token("BEARER   abc  "), "abc");
    EXPECT_THROW(sales::auth::bearer_token(""), InvalidToken);
    EXPECT_THROW(sales::auth::bearer_token("Bearer"), InvalidToken);
    EXPECT_THROW(sales::auth::bearer_token("Bearer "), InvalidToken);
    EXPECT_THROW(sales::auth::bearer_token("Basic dXNlcjpwYXNz"), InvalidToken);
    EXPECT_THROW(sales::auth::bearer_token("Bearerabc"), InvalidToken);
    EXPECT_THROW(sales::auth::bearer_token("Bearer a b"), InvalidToken);
}

TEST(Auth, Permissions) {
    using sales::auth::allowed;
    using sales::auth::role_grants;
    EXPECT_TRUE(role_grants("admin", "refund.approve"));
    EXPECT_TRUE(role_grants("admin", "project.manage"));
    EXPECT_TRUE(role_grants("sales_control", "unit.reserve"));
    EXPECT_TRUE(role_grants("finance_director", "refund.approve"));
    EXPECT_FALSE(role_grants("cashier", "refund.approve"));
    EXPECT_FALSE(role_grants("sales_rep", "customer.pii.read"));
    EXPECT_TRUE(role_grants("gm", "contract.stamp"));
    EXPECT_FALSE(role_grants("sales_manager", "contract.stamp"));
    EXPECT_TRUE(role_grants("executive", "report.read"));
    EXPECT_TRUE(role_grants("executive", "unit.read"));
    EXPECT_FALSE(role_grants("executive", "unit.reserve"));
    EXPECT_FALSE(role_grants("executive", "customer.manage"));
    EXPECT_FALSE(role_grants("no_such_role", "unit.read"));

    Principal p = rep();  // sales_rep + cashier
    EXPECT_TRUE(allowed(p, "payment.collect"));
    EXPECT_TRUE(allowed(p, "subscription.create"));
    EXPECT_FALSE(allowed(p, "contract.review"));
    Principal nobody;
    EXPECT_FALSE(allowed(nobody, "unit.read"));
}

TEST(Auth, ClaimsAreValidated) {
    auto without = [](const char* name) {
        auto c = valid_claims();
        c.erase(name);
        return c;
    };
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(without("exp"))), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(without("sub"))), InvalidToken);
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(without("iss"))), InvalidToken);
    auto c = valid_claims();
    c["exp"] = std::to_string(unix_now() + 3600);
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(c)), InvalidToken);
    c = valid_claims();
    c["roles"] = "admin";
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(c)), InvalidToken);
    c = valid_claims();
    c["projects"] = {"p-1", 7};
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(c)), InvalidToken);
    c = valid_claims();
    c["exp"] = unix_now() - 3;  // inside the 5 s leeway
    EXPECT_NO_THROW(sales::auth::verify(kKey, sign_raw(c)));
    c["exp"] = unix_now() - 30;
    EXPECT_THROW(sales::auth::verify(kKey, sign_raw(c)), InvalidToken);

    Principal p;
    p.project_ids = {"*"};
    EXPECT_TRUE(p.in_project("anything"));
    p.project_ids = {};
    EXPECT_FALSE(p.in_project("anything"));
}

TEST(Password, Argon2idHashVerifiesOnlyTheSamePassword) {
    const auto hash = sales::auth::hash_password("Correct-Horse-7");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_TRUE(sales::auth::verify_password(hash, "Correct-Horse-7"));
    EXPECT_FALSE(sales::auth::verify_password(hash, "Correct-Horse-8"));
    EXPECT_FALSE(sales::auth::verify_password("", "Correct-Horse-7"));
    EXPECT_FALSE(sales::auth::verify_password("$argon2id$garbage", "Correct-Horse-7"));
    // Salted: the same password hashes differently.
    EXPECT_NE(hash, sales::auth::hash_password("Correct-Horse-7"));
}

TEST(Token, SessionIdTravelsAsJti) {
    Principal in{"u1", {"cashier"}, {"*"}, std::chrono::system_clock::now() + 1h, "session-1"};
    EXPECT_EQ(sales::auth::verify(kKey, sales::auth::mint(kKey, in)).session_id, "session-1");
}

TEST(DenyList, RefusesDisabledUsersAndRevokedSessions) {
    sales::auth::DenyList list;
    Principal p{"u1", {"cashier"}, {"*"}, std::chrono::system_clock::now() + 1h, "s1"};
    EXPECT_EQ(list.reason(p), "");
    list.revoke_session("s1");
    EXPECT_EQ(list.reason(p), "session revoked");
    p.session_id = "s2";
    EXPECT_EQ(list.reason(p), "");
    list.deny_user("u1");
    EXPECT_EQ(list.reason(p), "user disabled");
    list.allow_user("u1");
    EXPECT_EQ(list.reason(p), "");
}

TEST(Random, TokensAreUrlSafeAndDistinct) {
    const auto a = sales::auth::random_token();
    EXPECT_EQ(a.size(), 43u);
    EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
    EXPECT_NE(a, sales::auth::random_token());
    EXPECT_EQ(sales::auth::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
