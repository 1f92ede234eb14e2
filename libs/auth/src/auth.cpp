#include "sales/auth.hpp"

#include <jwt.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace sales::auth {
namespace {

constexpr std::size_t kMinSecretBytes = 32;
constexpr std::int64_t kLeewaySeconds = 5;

struct JwtFree {
    void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

struct CharFree {
    void operator()(char* p) const { std::free(p); }
};
using CStr = std::unique_ptr<char, CharFree>;

void check_key(const TokenKey& key) {
    if (key.secret.size() < kMinSecretBytes) {
        throw std::invalid_argument("token secret must be at least 32 bytes (got " +
                                    std::to_string(key.secret.size()) + ")");
    }
}

std::int64_t to_unix(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::vector<std::string> string_array(const nlohmann::json& claims, const char* name) {
    auto it = claims.find(name);
    if (it == claims.end())
        return {};
    if (!it->is_array())
        throw InvalidToken(std::string("claim '") + name + "' is not an array");
    std::vector<std::string> out;
    out.reserve(it->size());
    for (const auto& v : *it) {
        if (!v.is_string()) {
            throw InvalidToken(std::string("claim '") + name + "' contains a non-string");
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

}  // namespace

std::string mint(const TokenKey& key, const Principal& principal) {
    check_key(key);
    if (principal.user_id.empty())
        throw std::invalid_argument("cannot mint a token without a user id");
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0 || raw == nullptr)
        throw std::runtime_error("jwt_new failed");
    JwtPtr jwt(raw);

    nlohmann::json claims = {
        {"iss", key.issuer},
        {"sub", principal.user_id},
        {"iat", to_unix(std::chrono::system_clock::now())},
        {"exp", to_unix(principal.expires_at)},
        {"roles", principal.roles},
        {"projects", principal.project_ids},
    };
    if (!principal.session_id.empty())
        claims["jti"] = principal.session_id;
    if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0) {
        throw std::runtime_error("jwt_add_grants_json failed");
    }
    if (jwt_set_alg(jwt.get(), JWT_ALG_HS256,
                    reinterpret_cast<const unsigned char*>(key.secret.data()),
                    static_cast<int>(key.secret.size())) != 0) {
        throw std::runtime_error("jwt_set_alg(HS256) failed");
    }
    CStr token(jwt_encode_str(jwt.get()));
    if (!token)
        throw std::runtime_error("jwt_encode_str failed");
    return std::string(token.get());
}

Principal verify(const TokenKey& key, const std::string& token) {
    check_key(key);
    if (token.empty())
        throw InvalidToken("empty token");
    // A JWS compact token is exactly three dot-separated parts; an empty signature ("alg":"none")
    // is rejected here before libjwt sees it.
    const auto first = token.find('.');
    const auto last = token.rfind('.');
    if (first == std::string::npos || first == last || last + 1 >= token.size() ||
        token.find('.', first + 1) != last) {
        throw InvalidToken("malformed token or missing signature");
    }

    jwt_t* raw = nullptr;
    const int rc =
        jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.secret.data()),
                   static_cast<int>(key.secret.size()));
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt)
        throw InvalidToken("bad signature or malformed token");
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
        throw InvalidToken("algorithm is not HS256");

    CStr body(jwt_get_grants_json(jwt.get(), nullptr));
    if (!body)
        throw InvalidToken("token has no claims");
    nlohmann::json claims = nlohmann::json::parse(body.get(), nullptr, /*allow_exceptions=*/false);
    if (!claims.is_object())
        throw InvalidToken("claims are not a JSON object");

    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != key.issuer) {
        throw InvalidToken("wrong issuer");
    }
    auto exp = claims.find("exp");
    if (exp == claims.end() || !exp->is_number_integer())
        throw InvalidToken("missing exp");
    const std::int64_t exp_s = exp->get<std::int64_t>();
    if (to_unix(std::chrono::system_clock::now()) > exp_s + kLeewaySeconds) {
        throw InvalidToken("token expired");
    }
    auto sub = claims.find("sub");
    if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
        throw InvalidToken("missing sub");
    }

    Principal p;
    p.user_id = sub->get<std::string>();
    p.roles = string_array(claims, "roles");
    p.project_ids = string_array(claims, "projects");
    p.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(exp_s));
    if (auto jti = claims.find("jti"); jti != claims.end()) {
        if (!jti->is_string())
            throw InvalidToken("claim 'jti' is not a string");
        p.session_id = jti->get<std::string>();
    }
    return p;
}

std::string bearer_token(const std::string& header) {
    constexpr std::string_view scheme = "bearer";
    std::size_t i = 0;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t'))
        ++i;
    if (header.size() - i <= scheme.size())
        throw InvalidToken("authorization is not a bearer token");
    for (std::size_t k = 0; k < scheme.size(); ++k) {
        if (std::tolower(static_cast<unsigned char>(header[i + k])) != scheme[k]) {
            throw InvalidToken("authorization is not a bearer token");
        }
    }
    i += scheme.size();
    if (header[i] != ' ' && header[i] != '\t')
        throw InvalidToken("authorization is not a bearer token");
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t'))
        ++i;
    std::size_t end = header.size();
    while (end > i && (header[end - 1] == ' ' || header[end - 1] == '\t'))
        --end;
    if (end == i)
        throw InvalidToken("empty bearer token");
    std::string token = header.substr(i, end - i);
    if (token.find_first_of(" \t") != std::string::npos)
        throw InvalidToken("malformed bearer token");
    return token;
}

namespace {

// Starting table from DOMAIN.md's roles ("does" column), least privilege. admin is handled
// separately (everything).
const std::map<std::string, std::set<std::string>>& role_table() {
    static const std::map<std::string, std::set<std::string>> table = {
        // Project initialisation: buildings, units, price-list drafts, payment plans (seed 003 §2).
        {"operator", {"project.manage", "unit.manage", "unit.read", "price_list.manage"}},
        {"sales_rep",
         {"unit.read", "customer.manage", "customer.complaint", "subscription.create",
          "subscription.read", "contract.sign"}},
        // 现场销控: holds, not-for-sale flags, release batches, subscriptions, cancellations.
        {"sales_control",
         {"unit.read", "unit.reserve", "unit.release", "subscription.create", "subscription.read",
          "subscription.cancel", "refund.request"}},
        // Rename and swap are the supervisor's special operations (CON-2).
        {"sales_supervisor",
         {"unit.read", "contract.audit", "subscription.read", "subscription.change",
          "approval.request", "contract.amend"}},
        // Customers (CUS-3/4/5/7/9): reassignment, collisions, commission exceptions, per-project
        // customer settings, anonymised marketing export and archiving are the manager's.
        {"sales_manager",
         {"unit.read", "unit.reserve", "unit.release", "contract.audit", "customer.manage",
          "customer.pii.read", "customer.reassign", "customer.export", "customer.archive",
          "customer.settings", "customer.complaint", "subscription.read", "subscription.change",
          "report.read", "approval.request", "contract.amend", "contract.register",
          "contract.settings", "refund.request"}},
        {"cashier", {"unit.read", "subscription.read", "payment.collect"}},
        // Finance verifies the approved price list (INV-2) and approves refunds (CON-2).
        {"finance_supervisor",
         {"unit.read", "subscription.read", "contract.review", "finance.reconcile",
          "price_list.approve"}},
        {"finance_director",
         {"unit.read", "subscription.read", "contract.review", "refund.approve",
          "finance.reconcile", "report.read", "price_list.approve", "change_request.approve"}},
        {"gm",
         {"unit.read", "subscription.read", "contract.stamp", "report.read",
          "change_request.approve", "contract.approve_discount", "contract.approve_late",
          "handover.approve_early"}},
        {"mortgage_clerk", {"unit.read", "mortgage.manage"}},
        {"handover_clerk", {"unit.read", "handover.manage", "title.manage"}},
        // 销售服务 handles complaints and post-purchase care (CUS-10).
        {"sales_service", {"unit.read", "handover.manage", "title.manage", "customer.complaint"}},
        {"executive", {"unit.read", "subscription.read", "report.read"}},
    };
    return table;
}

}  // namespace

bool role_grants(const std::string& role, const std::string& permission) {
    if (role == "admin")
        return true;
    const auto& table = role_table();
    auto it = table.find(role);
    return it != table.end() && it->second.count(permission) > 0;
}

const std::vector<std::string>& known_roles() {
    static const std::vector<std::string> roles = [] {
        std::vector<std::string> out{"admin"};
        for (const auto& [role, permissions] : role_table())
            out.push_back(role);
        return out;
    }();
    return roles;
}

namespace {
void sodium_ready() {
    static const int rc = sodium_init();
    if (rc < 0)
        throw std::runtime_error("libsodium failed to initialise");
}
}  // namespace

std::string hash_password(const std::string& password, bool moderate) {
    sodium_ready();
    char out[crypto_pwhash_STRBYTES];
    const auto ops =
        moderate ? crypto_pwhash_OPSLIMIT_MODERATE : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const auto mem =
        moderate ? crypto_pwhash_MEMLIMIT_MODERATE : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("argon2id hashing failed (out of memory)");
    }
    return std::string(out);
}

bool verify_password(const std::string& phc_hash, const std::string& password) {
    sodium_ready();
    if (phc_hash.empty() || phc_hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(phc_hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(std::size_t bytes) {
    sodium_ready();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string sha256_hex(const std::string& text) {
    sodium_ready();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex);
}

void DenyList::deny_user(const std::string& user_id) {
    std::lock_guard lock(mutex_);
    users_.insert(user_id);
}
void DenyList::allow_user(const std::string& user_id) {
    std::lock_guard lock(mutex_);
    users_.erase(user_id);
}
void DenyList::revoke_session(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    sessions_.insert(session_id);
}
std::string DenyList::reason(const Principal& principal) const {
    std::lock_guard lock(mutex_);
    if (users_.count(principal.user_id))
        return "user disabled";
    if (!principal.session_id.empty() && sessions_.count(principal.session_id))
        return "session revoked";
    return "";
}

bool allowed(const Principal& principal, const std::string& permission) {
    return std::any_of(principal.roles.begin(), principal.roles.end(),
                       [&](const std::string& r) { return role_grants(r, permission); });
}

}  // namespace sales::auth
