#pragma once
// Bearer tokens: HS256 JWTs (libjwt, hidden in libs/auth/src) with claims sub (user id),
// roles, projects, exp, iat, iss. The gateway mints them; every service verifies them.
#include <chrono>
#include <stdexcept>
#include <string>

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

}  // namespace sales::auth
