#pragma once
// Bearer tokens: HS256 JWTs (libjwt, hidden in libs/auth/src) with claims sub (user id),
// roles, projects, exp, iat, iss and jti (the session id, when the principal has one). The gateway
// mints them; every service verifies them.
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sales/principal.hpp"

namespace sales::auth {

class InvalidToken : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct TokenKey {
    std::string secret;  // at least 32 bytes
    std::string issuer = "sales-office";
};

// Throws std::invalid_argument if the key is too short.
std::string mint(const TokenKey& key, const Principal& principal);
// Verifies signature, algorithm, issuer and expiry; throws InvalidToken with a short reason
// (safe to log, not to return to the caller).
Principal verify(const TokenKey& key, const std::string& token);
// "Bearer <token>" header value → token, or throws InvalidToken.
std::string bearer_token(const std::string& authorization_header);

// Permission names (seed 003 §3.1.6) granted by role; the gateway's full table comes later.
bool role_grants(const std::string& role, const std::string& permission);
bool allowed(const Principal& principal, const std::string& permission);
// Every role name the table knows (DOMAIN.md), admin included; for the gateway and its tests.
const std::vector<std::string>& known_roles();

// Passwords (SEC-1): argon2id via libsodium crypto_pwhash_str, self-describing PHC strings.
// `strength` "interactive" (default) or "moderate"; verify works for either.
std::string hash_password(const std::string& password, bool moderate = false);
bool verify_password(const std::string& phc_hash, const std::string& password);
// `bytes` random bytes from the OS CSPRNG, base64url without padding (refresh tokens, ids).
std::string random_token(std::size_t bytes = 32);
// SHA-256 of `text` as lower-case hex (refresh tokens are stored hashed).
std::string sha256_hex(const std::string& text);

// Tokens of disabled users and revoked sessions (jti) that must stop working at once even
// though their signature and expiry are still valid. Thread-safe.
class DenyList {
  public:
    void deny_user(const std::string& user_id);
    void allow_user(const std::string& user_id);
    void revoke_session(const std::string& session_id);
    // Why the principal must be refused ("user disabled", "session revoked"), or "" if not.
    std::string reason(const Principal& principal) const;

  private:
    mutable std::mutex mutex_;
    std::set<std::string> users_;
    std::set<std::string> sessions_;
};

}  // namespace sales::auth
