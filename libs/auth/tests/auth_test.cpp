#include "sales/auth.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

// Tokens (issue 11 item 8): Ed25519 only, kid rotation, required jti/iat, bounded lifetime.
namespace {

using namespace std::chrono_literals;
using sales::Principal;
using sales::auth::InvalidToken;
using sales::auth::SigningKey;
using sales::auth::Verifier;

// The shared HS256 secret the services used to hold: a token signed with it must be refused.
const std::string kOldSharedSecret = "cross-service-test-secret-0123456789abcdef";

const SigningKey& key() {
    static const SigningKey k = sales::auth::generate_signing_key("test-1");
    return k;
}
const Verifier& verifier() {
    static const Verifier v({key().public_key()});
    return v;
}

Principal rep(std::chrono::system_clock::duration ttl = 1h) {
    Principal p;
    p.user_id = "u-42";
    p.roles = {"sales_rep", "cashier"};
    p.project_ids = {"p-1", "p-2"};
    p.expires_at = std::chrono::system_clock::now() + ttl;
    return p;
}

std::string b64url(const std::string& in) {
    std::string out(sodium_base64_ENCODED_LEN(in.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()),
                      in.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

nlohmann::json valid_header(const std::string& kid = "test-1") {
    return {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", kid}};
}

nlohmann::json valid_claims() {
    return {{"iss", "sales-office"},    {"sub", "u-1"},     {"iat", unix_now()},
            {"exp", unix_now() + 3600}, {"jti", "token-1"}, {"roles", {"admin"}},
            {"projects", {"*"}}};
}

// Signs arbitrary header and claims with Ed25519, bypassing mint()'s checks.
std::string sign_raw(const nlohmann::json& claims, const nlohmann::json& header = valid_header(),
                     const SigningKey& with = key()) {
    const auto input = b64url(header.dump()) + "." + b64url(claims.dump());
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                         reinterpret_cast<const unsigned char*>(with.secret_key.data()));
    return input + "." + b64url(signature);
}

// A valid HS256 JWT made with `secret`, as the old services minted them.
std::string hs256(const nlohmann::json& claims, const std::string& secret,
                  nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}}) {
    const auto input = b64url(header.dump()) + "." + b64url(claims.dump());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    crypto_auth_hmacsha256_final(&state, mac);
    return input + "." + b64url(std::string(reinterpret_cast<char*>(mac), sizeof mac));
}

std::vector<std::string> split(const std::string& token) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const auto dot = token.find('.', start);
        parts.push_back(token.substr(start, dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return parts;
}

std::string decoded(const std::string& part) {
    std::string out(part.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), part.data(),
                          part.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        throw std::runtime_error("not base64url: " + part);
    out.resize(length);
    return out;
}

// The InvalidToken reason of `token`, or "accepted".
std::string refusal(const std::string& token, const Verifier& with = verifier()) {
    try {
        with.verify(token);
        return "accepted";
    } catch (const InvalidToken& e) {
        return e.what();
    }
}

TEST(Auth, MintVerifyRoundTrip) {
    const Principal in = rep();
    const std::string token = sales::auth::mint(key(), in);
    const auto parts = split(token);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(nlohmann::json::parse(decoded(parts[0])), valid_header());
    const auto claims = nlohmann::json::parse(decoded(parts[1]));
    for (const char* name : {"iss", "sub", "iat", "exp", "jti", "roles", "projects"})
        EXPECT_TRUE(claims.contains(name)) << name;
    EXPECT_FALSE(claims.contains("sid"));
    EXPECT_EQ(decoded(parts[2]).size(), 64u);

    const Principal out = verifier().verify(token);
    EXPECT_EQ(out.user_id, "u-42");
    EXPECT_EQ(out.roles, in.roles);
    EXPECT_EQ(out.project_ids, in.project_ids);
    EXPECT_EQ(out.session_id, "");
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(out.expires_at.time_since_epoch()),
              std::chrono::duration_cast<std::chrono::seconds>(in.expires_at.time_since_epoch()));
    EXPECT_TRUE(out.in_project("p-2"));
    EXPECT_FALSE(out.in_project("p-3"));
    EXPECT_TRUE(out.has_role("cashier"));
    EXPECT_FALSE(out.has_role("admin"));
    // Every token has its own jti.
    const auto again = nlohmann::json::parse(decoded(split(sales::auth::mint(key(), in))[1]));
    EXPECT_NE(claims["jti"], again["jti"]);
    // The hand-made signer of these tests agrees with mint().
    EXPECT_EQ(refusal(sign_raw(valid_claims())), "accepted");
}

TEST(Auth, TamperedPayloadIsRejected) {
    const std::string token = sales::auth::mint(key(), rep());
    auto parts = split(token);
    nlohmann::json claims = valid_claims();
    claims["sub"] = "u-42";
    claims["roles"] = {"admin"};
    EXPECT_EQ(refusal(parts[0] + "." + b64url(claims.dump()) + "." + parts[2]), "bad signature");
    // One flipped bit of the original payload.
    auto flipped = token;
    flipped[parts[0].size() + 3] ^= 1;
    EXPECT_NE(refusal(flipped), "accepted");
}

TEST(Auth, HmacTokenWithTheOldSharedSecretIsRejected) {
    // What a compromised service could mint before: HS256 with the secret every service held.
    const auto forged = hs256(valid_claims(), kOldSharedSecret);
    EXPECT_EQ(refusal(forged), "algorithm is not EdDSA");
    // Also when it names our kid, and with the public key itself as the HMAC secret (the
    // classic algorithm-confusion attack).
    auto header = valid_header();
    header["alg"] = "HS256";
    EXPECT_EQ(refusal(hs256(valid_claims(), kOldSharedSecret, header)), "algorithm is not EdDSA");
    EXPECT_EQ(refusal(hs256(valid_claims(), key().public_key().key, header)),
              "algorithm is not EdDSA");
}

TEST(Auth, OnlyEdDsaIsAccepted) {
    for (const char* alg : {"none", "None", "HS512", "RS256", "ES256", "eddsa", "Ed25519", ""}) {
        auto header = valid_header();
        header["alg"] = alg;
        EXPECT_EQ(refusal(sign_raw(valid_claims(), header)), "algorithm is not EdDSA") << alg;
    }
    auto header = valid_header();
    header.erase("alg");
    EXPECT_EQ(refusal(sign_raw(valid_claims(), header)), "algorithm is not EdDSA");
    header["alg"] = nlohmann::json::array({"EdDSA"});
    EXPECT_EQ(refusal(sign_raw(valid_claims(), header)), "algorithm is not EdDSA");
    header = valid_header();
    header["crit"] = {"exp"};
    EXPECT_NE(refusal(sign_raw(valid_claims(), header)), "accepted");
}

TEST(Auth, AlgNoneIsRejected) {
    auto header = valid_header();
    header["alg"] = "none";
    const std::string h = b64url(header.dump());
    const std::string payload = b64url(valid_claims().dump());
    EXPECT_NE(refusal(h + "." + payload + "."), "accepted");
    EXPECT_NE(refusal(h + "." + payload), "accepted");
    EXPECT_EQ(refusal(h + "." + payload + ".c2ln"), "algorithm is not EdDSA");
}

TEST(Auth, UnknownKidAndOtherKeysAreRejected) {
    const auto other = sales::auth::generate_signing_key("test-2");
    EXPECT_EQ(refusal(sales::auth::mint(other, rep())), "unknown kid");
    // A different key that claims our kid: the signature does not verify.
    const auto impostor = sales::auth::generate_signing_key("test-1");
    EXPECT_EQ(refusal(sales::auth::mint(impostor, rep())), "bad signature");
    auto header = valid_header();
    header.erase("kid");
    EXPECT_EQ(refusal(sign_raw(valid_claims(), header)), "missing kid");
    header["kid"] = 1;
    EXPECT_EQ(refusal(sign_raw(valid_claims(), header)), "missing kid");
}

TEST(Auth, RotationKeepsOldTokensWhileBothKeysAreLive) {
    const auto old_key = sales::auth::generate_signing_key("2024-a");
    const auto new_key = sales::auth::generate_signing_key("2024-b");
    const auto old_token = sales::auth::mint(old_key, rep());
    const auto new_token = sales::auth::mint(new_key, rep());
    const Verifier both({old_key.public_key(), new_key.public_key()});
    EXPECT_EQ(refusal(old_token, both), "accepted");
    EXPECT_EQ(refusal(new_token, both), "accepted");
    const Verifier only_new({new_key.public_key()});
    EXPECT_EQ(refusal(new_token, only_new), "accepted");
    EXPECT_EQ(refusal(old_token, only_new), "unknown kid");
    const Verifier only_old({old_key.public_key()});
    EXPECT_EQ(refusal(new_token, only_old), "unknown kid");
}

TEST(Auth, VerifierKeySetIsChecked) {
    const auto a = sales::auth::generate_signing_key("a").public_key();
    const auto b = sales::auth::generate_signing_key("b").public_key();
    const auto c = sales::auth::generate_signing_key("c").public_key();
    EXPECT_THROW(Verifier({}), std::invalid_argument);
    EXPECT_THROW(Verifier({a, b, c}), std::invalid_argument);
    EXPECT_THROW(Verifier({a, a}), std::invalid_argument);
    EXPECT_THROW(Verifier(std::vector<sales::auth::PublicKey>{{"short", "0123456789"}}),
                 std::invalid_argument);
    EXPECT_NO_THROW(Verifier({a, b}));
}

TEST(Auth, ExpiredTokenIsRejected) {
    EXPECT_EQ(refusal(sales::auth::mint(key(), rep(-1min))), "token expired");
    auto c = valid_claims();
    c["exp"] = unix_now();  // exp must be after now
    EXPECT_EQ(refusal(sign_raw(c)), "token expired");
    c["exp"] = unix_now() + 5;
    EXPECT_EQ(refusal(sign_raw(c)), "accepted");
}

// A token verified once is answered from the verifier's cache (issue 13: the signature check
// is most of authentication), but its expiry is still checked on every use, and a token that
// differs by one character is verified afresh.
TEST(Auth, ACachedTokenStillExpiresAndATamperedCopyIsStillRefused) {
    const Verifier shared = verifier();
    auto c = valid_claims();
    c["exp"] = unix_now() + 2;
    const auto token = sign_raw(c);
    EXPECT_EQ(refusal(token, shared), "accepted");
    EXPECT_EQ(refusal(token, shared), "accepted");  // from the cache
    auto tampered = token;
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
    EXPECT_EQ(refusal(tampered, shared), "bad signature");
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (refusal(token, shared) == "accepted" && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);  // polling the expiry, with a deadline
    EXPECT_EQ(refusal(token, shared), "token expired");
}

TEST(Auth, JtiAndIatAreRequired) {
    auto without = [](const char* name) {
        auto c = valid_claims();
        c.erase(name);
        return c;
    };
    EXPECT_EQ(refusal(sign_raw(without("jti"))), "missing jti");
    EXPECT_EQ(refusal(sign_raw(without("iat"))), "missing iat");
    auto c = valid_claims();
    c["jti"] = "";
    EXPECT_EQ(refusal(sign_raw(c)), "missing jti");
    c["jti"] = 7;
    EXPECT_EQ(refusal(sign_raw(c)), "missing jti");
    c = valid_claims();
    c["iat"] = std::to_string(unix_now());
    EXPECT_EQ(refusal(sign_raw(c)), "missing iat");
    c["iat"] = 1.5;
    EXPECT_EQ(refusal(sign_raw(c)), "missing iat");
}

TEST(Auth, IatInTheFutureIsRejected) {
    auto c = valid_claims();
    c["iat"] = unix_now() + 600;
    c["exp"] = unix_now() + 1200;
    EXPECT_EQ(refusal(sign_raw(c)), "iat in the future");
    // Within the allowed clock skew it passes.
    c["iat"] = unix_now() + 30;
    EXPECT_EQ(refusal(sign_raw(c)), "accepted");
}

TEST(Auth, LifetimeIsBounded) {
    auto c = valid_claims();
    c["exp"] = c["iat"].get<std::int64_t>() + sales::auth::kMaxTokenLifetime.count() + 1;
    EXPECT_EQ(refusal(sign_raw(c)), "lifetime too long");
    c["exp"] = c["iat"].get<std::int64_t>() + 30 * 24 * 3600;
    EXPECT_EQ(refusal(sign_raw(c)), "lifetime too long");
    c["exp"] = c["iat"].get<std::int64_t>() + sales::auth::kMaxTokenLifetime.count();
    EXPECT_EQ(refusal(sign_raw(c)), "accepted");
    // An iat long ago with a fresh exp is the same thing.
    c = valid_claims();
    c["iat"] = unix_now() - 86400;
    EXPECT_EQ(refusal(sign_raw(c)), "lifetime too long");
    // Numbers that would overflow exp - iat.
    c = valid_claims();
    c["iat"] = std::numeric_limits<std::int64_t>::min();
    EXPECT_NE(refusal(sign_raw(c)), "accepted");
    c = valid_claims();
    c["exp"] = std::numeric_limits<std::uint64_t>::max();
    EXPECT_NE(refusal(sign_raw(c)), "accepted");
    // mint refuses to make such a token at all.
    EXPECT_THROW(sales::auth::mint(key(), rep(2h)), std::invalid_argument);
    EXPECT_NO_THROW(sales::auth::mint(key(), rep(1h)));
}

TEST(Auth, WrongIssuerIsRejected) {
    auto c = valid_claims();
    c["iss"] = "someone-else";
    EXPECT_EQ(refusal(sign_raw(c)), "wrong issuer");
    const Verifier other_issuer({key().public_key()}, "someone-else");
    EXPECT_EQ(refusal(sales::auth::mint(key(), rep()), other_issuer), "wrong issuer");
}

TEST(Auth, GarbageIsRejected) {
    for (const std::string& token :
         std::vector<std::string>{"", "not-a-token", "a.b.c.d", "%%%.###.!!!", "..", "a..c", ".b.c",
                                  "a.b.", std::string(10000, 'a') + ".b.c"})
        EXPECT_NE(refusal(token), "accepted") << token;
    const auto good = sales::auth::mint(key(), rep());
    EXPECT_NE(refusal(good + "="), "accepted");
    EXPECT_NE(refusal(good + "AA"), "accepted");
    EXPECT_NE(refusal(" " + good), "accepted");
    // A header that is not JSON, and one that is an array.
    EXPECT_NE(refusal(b64url("{") + "." + split(good)[1] + "." + split(good)[2]), "accepted");
    EXPECT_NE(refusal(b64url("[]") + "." + split(good)[1] + "." + split(good)[2]), "accepted");
}

TEST(Auth, ClaimsAreValidated) {
    auto without = [](const char* name) {
        auto c = valid_claims();
        c.erase(name);
        return c;
    };
    EXPECT_EQ(refusal(sign_raw(without("exp"))), "missing exp");
    EXPECT_EQ(refusal(sign_raw(without("sub"))), "missing sub");
    EXPECT_EQ(refusal(sign_raw(without("iss"))), "wrong issuer");
    auto c = valid_claims();
    c["exp"] = std::to_string(unix_now() + 3600);
    EXPECT_EQ(refusal(sign_raw(c)), "missing exp");
    c = valid_claims();
    c["roles"] = "admin";
    EXPECT_NE(refusal(sign_raw(c)), "accepted");
    c = valid_claims();
    c["projects"] = {"p-1", 7};
    EXPECT_NE(refusal(sign_raw(c)), "accepted");
    c = valid_claims();
    c["sid"] = 5;
    EXPECT_NE(refusal(sign_raw(c)), "accepted");

    Principal p;
    p.project_ids = {"*"};
    EXPECT_TRUE(p.in_project("anything"));
    p.project_ids = {};
    EXPECT_FALSE(p.in_project("anything"));
}

TEST(Keys, TextFormatsRoundTrip) {
    const auto text = sales::auth::format_private_key(key());
    EXPECT_EQ(text.rfind("test-1 ", 0), 0u) << text;
    const auto parsed = sales::auth::parse_private_key(text);
    EXPECT_EQ(parsed.kid, "test-1");
    EXPECT_EQ(parsed.secret_key, key().secret_key);

    const auto other = sales::auth::generate_signing_key("test-2");
    const auto line = sales::auth::format_public_key(key().public_key()) + ", " +
                      sales::auth::format_public_key(other.public_key());
    const auto keys = sales::auth::parse_public_keys(line);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].kid, "test-1");
    EXPECT_EQ(keys[0].key, key().public_key().key);
    EXPECT_EQ(keys[1].kid, "test-2");
    EXPECT_EQ(refusal(sales::auth::mint(other, rep()), Verifier(keys)), "accepted");

    for (const std::string& bad : std::vector<std::string>{
             "", "test-1", "test-1:", "test-1:AAAA",
             "bad kid:" + sales::auth::format_public_key(key().public_key()).substr(7)})
        EXPECT_THROW(sales::auth::parse_public_keys(bad), std::invalid_argument) << bad;
    EXPECT_THROW(sales::auth::parse_private_key("test-1"), std::invalid_argument);
    EXPECT_THROW(sales::auth::parse_private_key("test-1 AAAA"), std::invalid_argument);
    EXPECT_THROW(sales::auth::generate_signing_key(""), std::invalid_argument);
    EXPECT_THROW(sales::auth::generate_signing_key("a/b"), std::invalid_argument);
}

TEST(Keys, PrivateKeyFileMustBePrivate) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("sales-auth-test-" + sales::auth::random_token(6));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "token.key").string();
    sales::auth::write_private_key_file(path, key());
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(sales::auth::read_private_key_file(path).secret_key, key().secret_key);

    std::filesystem::permissions(path, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::add);
    try {
        sales::auth::read_private_key_file(path);
        ADD_FAILURE() << "a group-readable key file was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
    }
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::replace);
    std::filesystem::permissions(path, std::filesystem::perms::owner_read,
                                 std::filesystem::perm_options::add);
    EXPECT_THROW(sales::auth::read_private_key_file(path), std::runtime_error);
    EXPECT_THROW(sales::auth::read_private_key_file((dir / "missing.key").string()),
                 std::runtime_error);
    std::filesystem::remove_all(dir);
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

TEST(Token, SessionIdTravelsAsSid) {
    Principal in{"u1", {"cashier"}, {"*"}, std::chrono::system_clock::now() + 1h, "session-1"};
    const auto token = sales::auth::mint(key(), in);
    EXPECT_EQ(verifier().verify(token).session_id, "session-1");
    const auto claims = nlohmann::json::parse(decoded(split(token)[1]));
    EXPECT_EQ(claims["sid"], "session-1");
    EXPECT_NE(claims["jti"], "session-1");
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

// RFC 4231 test case 2 (a short key), and a key longer than the block (case 6).
TEST(Auth, HmacSha256MatchesRfc4231) {
    EXPECT_EQ(sales::auth::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(
        sales::auth::hmac_sha256_hex(std::string(131, '\xaa'),
                                     "Test Using Larger Than Block-Size Key - Hash Key First"),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
