#pragma once
// Idempotency-Key handling rules (the header of POST /api/v1/subscriptions). Pure: no I/O.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace contract::domain {

// 1–128 visible ASCII characters (0x21–0x7E).
bool valid_idempotency_key(std::string_view key);

// What makes two requests "the same request": method, path and the body as canonical JSON
// (object keys sorted, no whitespace), so key order and spacing do not matter. 64-bit FNV-1a,
// 16 hex digits; keys are scoped per caller, so a collision can only confuse the caller's own
// two requests, with probability 2^-64.
std::string request_fingerprint(std::string_view method, std::string_view path,
                                const nlohmann::json& body);

}  // namespace contract::domain
