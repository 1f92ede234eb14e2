#include "sales/auth.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace sales::auth {
namespace {

constexpr const char* kAlgorithm = "EdDSA";
// Bounds the work an unauthenticated token can cause (the header is parsed before the signature
// is checked).
constexpr std::size_t kMaxTokenBytes = 8192;
constexpr std::size_t kMaxHeaderBytes = 512;
constexpr std::size_t kMaxKidBytes = 64;

void sodium_ready() {
    static const int rc = sodium_init();
    if (rc < 0)
        throw std::runtime_error("libsodium failed to initialise");
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::string encode(std::string_view raw, int variant) {
    sodium_ready();
    std::string out(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes(raw), raw.size(), variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

// Strict: the whole text must be base64 of `variant` (no whitespace, no trailing garbage).
std::optional<std::string> decode(std::string_view text, int variant) {
    sodium_ready();
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, &end, variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::string b64url(std::string_view raw) {
    return encode(raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::int64_t to_unix(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void check_kid(const std::string& kid) {
    const bool ok =
        !kid.empty() && kid.size() <= kMaxKidBytes &&
        std::all_of(kid.begin(), kid.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
        });
    if (!ok)
        throw std::invalid_argument("key id must be 1-64 characters of A-Z a-z 0-9 . _ -");
}

std::string trim(std::string text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.back()))
        text.pop_back();
    std::size_t start = 0;
    while (start < text.size() && blank(text[start]))
        ++start;
    return text.substr(start);
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

std::string required_string(const nlohmann::json& claims, const char* name) {
    auto it = claims.find(name);
    if (it == claims.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        throw InvalidToken(std::string("missing ") + name);
    return it->get<std::string>();
}

// A positive integer NumericDate (seconds); positive so that exp - iat cannot overflow.
std::int64_t required_time(const nlohmann::json& claims, const char* name) {
    auto it = claims.find(name);
    if (it == claims.end() || !it->is_number_integer())
        throw InvalidToken(std::string("missing ") + name);
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw InvalidToken(std::string("claim '") + name + "' out of range");
    const auto value = it->get<std::int64_t>();
    if (value <= 0)
        throw InvalidToken(std::string("claim '") + name + "' out of range");
    return value;
}

nlohmann::json parse_object(const std::string& encoded, const char* what) {
    const auto raw = decode(encoded, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!raw)
        throw InvalidToken(std::string("malformed token ") + what);
    auto value = nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
    if (!value.is_object())
        throw InvalidToken(std::string("token ") + what + " is not a JSON object");
    return value;
}

}  // namespace

PublicKey SigningKey::public_key() const {
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES)
        throw std::invalid_argument("signing key must be 64 bytes");
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(pk.data()), bytes(secret_key));
    return {kid, pk};
}

SigningKey signing_key_from_seed(const std::string& kid, const std::string& seed) {
    sodium_ready();
    check_kid(kid);
    if (seed.size() != crypto_sign_SEEDBYTES)
        throw std::invalid_argument("private key seed must be 32 bytes");
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
    std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                             reinterpret_cast<unsigned char*>(sk.data()), bytes(seed));
    return {kid, sk};
}

SigningKey generate_signing_key(const std::string& kid) {
    sodium_ready();
    std::string seed(crypto_sign_SEEDBYTES, '\0');
    randombytes_buf(seed.data(), seed.size());
    auto key = signing_key_from_seed(kid, seed);
    sodium_memzero(seed.data(), seed.size());
    return key;
}

std::string format_private_key(const SigningKey& key) {
    check_kid(key.kid);
    if (key.secret_key.size() != crypto_sign_SECRETKEYBYTES)
        throw std::invalid_argument("signing key must be 64 bytes");
    return key.kid + " " +
           encode(std::string_view(key.secret_key).substr(0, crypto_sign_SEEDBYTES),
                  sodium_base64_VARIANT_ORIGINAL) +
           "\n";
}

SigningKey parse_private_key(const std::string& text) {
    const auto line = trim(text);
    const auto space = line.find(' ');
    if (space == std::string::npos || line.find_first_of(" \t\n", space + 1) != std::string::npos)
        throw std::invalid_argument("private key must be one line '<kid> <base64 seed>'");
    const auto seed =
        decode(std::string_view(line).substr(space + 1), sodium_base64_VARIANT_ORIGINAL);
    if (!seed || seed->size() != crypto_sign_SEEDBYTES)
        throw std::invalid_argument("private key seed must be base64 of 32 bytes");
    auto key = signing_key_from_seed(line.substr(0, space), *seed);
    return key;
}

std::string format_public_key(const PublicKey& key) {
    check_kid(key.kid);
    if (key.key.size() != crypto_sign_PUBLICKEYBYTES)
        throw std::invalid_argument("public key must be 32 bytes");
    return key.kid + ":" + encode(key.key, sodium_base64_VARIANT_ORIGINAL);
}

std::vector<PublicKey> parse_public_keys(const std::string& text) {
    std::vector<PublicKey> keys;
    std::stringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
        item = trim(item);
        const auto colon = item.find(':');
        if (colon == std::string::npos)
            throw std::invalid_argument("public keys must be 'kid:<base64>' separated by commas");
        PublicKey key{item.substr(0, colon), {}};
        check_kid(key.kid);
        const auto raw =
            decode(std::string_view(item).substr(colon + 1), sodium_base64_VARIANT_ORIGINAL);
        if (!raw || raw->size() != crypto_sign_PUBLICKEYBYTES)
            throw std::invalid_argument("public key '" + key.kid + "' must be base64 of 32 bytes");
        key.key = *raw;
        keys.push_back(std::move(key));
    }
    if (keys.empty())
        throw std::invalid_argument("no public key");
    Verifier check(keys);  // count and distinct kids
    return keys;
}

SigningKey read_private_key_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        throw std::runtime_error("private key file " + path + ": " + std::strerror(errno));
    if (!S_ISREG(info.st_mode))
        throw std::runtime_error("private key file " + path + " is not a regular file");
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
        throw std::runtime_error("private key file " + path + " has mode " + mode +
                                 ": group and others must have no access (chmod 600)");
    }
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("private key file " + path + ": cannot read");
    std::stringstream text;
    text << in.rdbuf();
    try {
        return parse_private_key(text.str());
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("private key file " + path + ": " + e.what());
    }
}

void write_private_key_file(const std::string& path, const SigningKey& key) {
    const auto text = format_private_key(key);
    ::unlink(path.c_str());
    std::FILE* file = nullptr;
    {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
        file = ::fdopen(fd, "w");
        if (file == nullptr) {
            ::close(fd);
            throw std::runtime_error("cannot write " + path);
        }
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    if (std::fclose(file) != 0 || !written)
        throw std::runtime_error("cannot write " + path);
}

std::string mint(const SigningKey& key, const Principal& principal) {
    sodium_ready();
    check_kid(key.kid);
    if (key.secret_key.size() != crypto_sign_SECRETKEYBYTES)
        throw std::invalid_argument("signing key must be 64 bytes");
    if (principal.user_id.empty())
        throw std::invalid_argument("cannot mint a token without a user id");
    const auto iat = to_unix(std::chrono::system_clock::now());
    const auto exp = to_unix(principal.expires_at);
    if (exp - iat > kMaxTokenLifetime.count()) {
        throw std::invalid_argument("token lifetime above " +
                                    std::to_string(kMaxTokenLifetime.count()) + " s");
    }
    nlohmann::json claims = {
        {"iss", key.issuer},
        {"sub", principal.user_id},
        {"iat", iat},
        {"exp", exp},
        {"jti", random_token(16)},
        {"roles", principal.roles},
        {"projects", principal.project_ids},
    };
    if (!principal.session_id.empty())
        claims["sid"] = principal.session_id;
    const nlohmann::json header = {{"alg", kAlgorithm}, {"typ", "JWT"}, {"kid", key.kid}};
    const auto signing_input = b64url(header.dump()) + "." + b64url(claims.dump());
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         bytes(signing_input), signing_input.size(), bytes(key.secret_key));
    return signing_input + "." + b64url(signature);
}

// Tokens already verified, with their principal. Bounded: emptied when full (a new token costs
// one signature check again).
struct Verifier::Verified {
    static constexpr std::size_t kMaxTokens = 20'000;
    std::mutex mutex;
    std::unordered_map<std::string, Principal> principals;
};

Verifier::Verifier(std::vector<PublicKey> keys, std::string issuer)
    : keys_(std::move(keys)), issuer_(std::move(issuer)), verified_(std::make_shared<Verified>()) {
    if (keys_.empty())
        throw std::invalid_argument("no public key");
    if (keys_.size() > kMaxPublicKeys)
        throw std::invalid_argument("at most " + std::to_string(kMaxPublicKeys) +
                                    " public keys (the current one and the next)");
    std::set<std::string> kids;
    for (const auto& key : keys_) {
        check_kid(key.kid);
        if (key.key.size() != crypto_sign_PUBLICKEYBYTES)
            throw std::invalid_argument("public key '" + key.kid + "' must be 32 bytes");
        if (!kids.insert(key.kid).second)
            throw std::invalid_argument("public key id '" + key.kid + "' given twice");
    }
}

Principal Verifier::verify(const std::string& token) const {
    {
        std::lock_guard lock(verified_->mutex);
        if (const auto it = verified_->principals.find(token); it != verified_->principals.end()) {
            if (it->second.expires_at <= std::chrono::system_clock::now())
                throw InvalidToken("token expired");
            return it->second;
        }
    }
    auto principal = verify_uncached(token);
    std::lock_guard lock(verified_->mutex);
    if (verified_->principals.size() >= Verified::kMaxTokens)
        verified_->principals.clear();
    verified_->principals.emplace(token, principal);
    return principal;
}

Principal Verifier::verify_uncached(const std::string& token) const {
    sodium_ready();
    if (token.empty())
        throw InvalidToken("empty token");
    if (token.size() > kMaxTokenBytes)
        throw InvalidToken("token too long");
    // A JWS compact token is exactly three dot-separated non-empty parts: no "alg":"none" form.
    const auto first = token.find('.');
    const auto last = token.rfind('.');
    if (first == std::string::npos || first == 0 || first == last || last == first + 1 ||
        last + 1 >= token.size() || token.find('.', first + 1) != last) {
        throw InvalidToken("malformed token or missing signature");
    }
    if (first > kMaxHeaderBytes)
        throw InvalidToken("token header too long");

    const auto header = parse_object(token.substr(0, first), "header");
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != kAlgorithm)
        throw InvalidToken("algorithm is not EdDSA");
    if (header.contains("crit"))
        throw InvalidToken("critical header parameters are not supported");
    const auto kid = header.find("kid");
    if (kid == header.end() || !kid->is_string())
        throw InvalidToken("missing kid");
    const auto key = std::find_if(keys_.begin(), keys_.end(), [&](const PublicKey& k) {
        return k.kid == kid->get_ref<const std::string&>();
    });
    if (key == keys_.end())
        throw InvalidToken("unknown kid");

    const auto signature =
        decode(std::string_view(token).substr(last + 1), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!signature || signature->size() != crypto_sign_BYTES)
        throw InvalidToken("malformed signature");
    if (crypto_sign_verify_detached(bytes(*signature), bytes(token), last, bytes(key->key)) != 0)
        throw InvalidToken("bad signature");

    const auto claims = parse_object(token.substr(first + 1, last - first - 1), "claims");
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != issuer_)
        throw InvalidToken("wrong issuer");
    const auto sub = required_string(claims, "sub");
    required_string(claims, "jti");
    const auto iat = required_time(claims, "iat");
    const auto exp = required_time(claims, "exp");
    const auto now = to_unix(std::chrono::system_clock::now());
    if (iat > now + kClockSkew.count())
        throw InvalidToken("iat in the future");
    if (exp <= now)
        throw InvalidToken("token expired");
    if (exp <= iat)
        throw InvalidToken("exp not after iat");
    if (exp - iat > kMaxTokenLifetime.count())
        throw InvalidToken("lifetime too long");

    Principal p;
    p.user_id = sub;
    p.roles = string_array(claims, "roles");
    p.project_ids = string_array(claims, "projects");
    p.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(exp));
    if (auto sid = claims.find("sid"); sid != claims.end()) {
        if (!sid->is_string())
            throw InvalidToken("claim 'sid' is not a string");
        p.session_id = sid->get<std::string>();
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
        // Mortgage documents (CON-8): reps collect them from their buyers.
        {"sales_rep",
         {"unit.read", "customer.manage", "customer.complaint", "subscription.create",
          "subscription.read", "contract.sign", "mortgage.documents"}},
        // 现场销控: holds, not-for-sale flags, release batches, subscriptions, cancellations.
        {"sales_control",
         {"unit.read", "unit.reserve", "unit.release", "subscription.create", "subscription.read",
          "subscription.cancel", "refund.request", "deposit_case.manage"}},
        // Rename and swap are the supervisor's special operations (CON-2).
        // CON-9: the supervisor confirms a handover the handover clerk recorded.
        {"sales_supervisor",
         {"unit.read", "contract.audit", "subscription.read", "subscription.change",
          "approval.request", "contract.amend", "handover.confirm"}},
        // Customers (CUS-3/4/5/7/9): reassignment, collisions, commission exceptions, per-project
        // customer settings, anonymised marketing export and archiving are the manager's; so is
        // checking the surveyed title areas the handover clerk records (CON-10, 经营部主任复核).
        {"sales_manager",
         {"unit.read",           "unit.reserve",      "unit.release",       "contract.audit",
          "customer.manage",     "customer.pii.read", "customer.reassign",  "customer.export",
          "customer.archive",    "customer.settings", "customer.complaint", "subscription.read",
          "subscription.change", "report.read",       "approval.request",   "contract.amend",
          "contract.register",   "contract.settings", "refund.request",     "deposit_case.manage",
          "title.approve"}},
        // CON-11: the cashier confirms referral applications; 销售会计 (finance supervisor)
        // redeems.
        {"cashier", {"unit.read", "subscription.read", "payment.collect", "referral.confirm"}},
        // Finance verifies the approved price list (INV-2) and approves refunds (CON-2).
        {"finance_supervisor",
         {"unit.read", "subscription.read", "contract.review", "finance.reconcile",
          "price_list.approve", "referral.redeem"}},
        {"finance_director",
         {"unit.read", "subscription.read", "contract.review", "refund.approve",
          "finance.reconcile", "report.read", "price_list.approve", "change_request.approve"}},
        {"gm",
         {"unit.read", "subscription.read", "contract.stamp", "report.read",
          "change_request.approve", "contract.approve_discount", "contract.approve_late",
          "handover.approve_early", "deposit_case.manage"}},
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

std::string hmac_sha256_hex(const std::string& key, const std::string& text) {
    sodium_ready();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
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
