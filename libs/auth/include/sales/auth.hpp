#pragma once
// Bearer tokens: EdDSA (Ed25519, libsodium) JWTs, header {"alg":"EdDSA","typ":"JWT","kid":...},
// claims iss, sub (user id), roles, projects, iat, exp, jti (unique per token) and sid (the
// login session, when the principal has one). Only the gateway (and the sales-token tool) holds
// a private signing key; every service verifies with public keys only (issue 11 item 8), so a
// compromised service cannot mint tokens. Two public keys may be live at once (rotation by kid).
#include <chrono>
#include <memory>
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

// exp - iat of an accepted token is at most this; the gateway's access-token TTL must fit.
inline constexpr std::chrono::seconds kMaxTokenLifetime{3600};
// How far iat may lie in the future (clocks of the gateway and a service differ).
inline constexpr std::chrono::seconds kClockSkew{60};
// Public keys a verifier may hold at once: the current one and, during a rotation, the next.
inline constexpr std::size_t kMaxPublicKeys = 2;
inline constexpr const char* kDefaultIssuer = "sales-office";

// An Ed25519 public key (32 bytes) and its key id.
struct PublicKey {
    std::string kid;
    std::string key;
};

// The private signing key: libsodium's 64-byte secret key (seed followed by public key).
struct SigningKey {
    std::string kid;
    std::string secret_key;
    std::string issuer = kDefaultIssuer;

    PublicKey public_key() const;
};

// A fresh key pair from the OS CSPRNG. Throws std::invalid_argument for a bad kid.
SigningKey generate_signing_key(const std::string& kid);
// The key pair of a 32-byte seed.
SigningKey signing_key_from_seed(const std::string& kid, const std::string& seed);

// Key text, for files and environment variables (base64 = standard alphabet with padding;
// kid = 1-64 of [A-Za-z0-9._-]). All parsers throw std::invalid_argument naming the problem and
// never the key material.
// Private key file: "<kid> <base64 of the 32-byte seed>" (one line).
std::string format_private_key(const SigningKey& key);
SigningKey parse_private_key(const std::string& text);
// Public keys: "kid1:<base64 of 32 bytes>,kid2:<...>" (1..kMaxPublicKeys keys, distinct kids).
std::string format_public_key(const PublicKey& key);
std::vector<PublicKey> parse_public_keys(const std::string& text);
// Reads a private key file; refuses (std::runtime_error with a clear message) a file that group
// or others may read or write, or one that is missing or malformed.
SigningKey read_private_key_file(const std::string& path);
// Writes `key` to `path` created with mode 0600 (replacing a file that exists).
void write_private_key_file(const std::string& path, const SigningKey& key);

// Signs the principal's claims: iat = now, exp = principal.expires_at, a random jti, sid =
// principal.session_id when set. Throws std::invalid_argument for an empty user id, a bad key
// or exp - iat above kMaxTokenLifetime (an exp in the past is allowed: tests need such tokens).
std::string mint(const SigningKey& key, const Principal& principal);

// Verifies tokens against the live public keys (by kid).
class Verifier {
  public:
    // Throws std::invalid_argument when there is no key, more than kMaxPublicKeys, a duplicate
    // kid or a key that is not 32 bytes.
    explicit Verifier(std::vector<PublicKey> keys, std::string issuer = kDefaultIssuer);

    // Requires alg "EdDSA" exactly, a known kid, a valid signature, iss, sub, jti, iat (not
    // more than kClockSkew in the future), exp > now and exp - iat <= kMaxTokenLifetime. Throws
    // InvalidToken with a short reason (safe to log, not to return to the caller).
    // A token verified before is answered from a cache (its expiry still checked): every
    // request of a user carries the same token, and the signature check dominates the cost of
    // authentication. Copies of a Verifier share the cache.
    Principal verify(const std::string& token) const;

    const std::vector<PublicKey>& keys() const { return keys_; }

  private:
    Principal verify_uncached(const std::string& token) const;

    struct Verified;
    std::vector<PublicKey> keys_;
    std::string issuer_;
    std::shared_ptr<Verified> verified_;
};

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
// HMAC-SHA256 of `text` under `key` (any length) as lower-case hex (webhook signatures).
std::string hmac_sha256_hex(const std::string& key, const std::string& text);

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
