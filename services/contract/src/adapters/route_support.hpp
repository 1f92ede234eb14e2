#pragma once
// Helpers shared by the contract service's HTTP handlers: permission checks, request field
// readers and the translation of use-case refusals into the JSON error envelope.
#include <cstdint>
#include <optional>
#include <string>

#include "app/failure.hpp"
#include "app/inventory_client.hpp"
#include "domain/contract.hpp"
#include "domain/subscription.hpp"
#include "sales/auth.hpp"
#include "sales/http.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"

namespace contract::adapters {

inline constexpr std::int64_t kMaxMoneyFen = 1'000'000'000'000'000;  // 10^16 yuan
inline constexpr std::size_t kMaxReasonLength = 500;

inline void require(const sales::http::Request& request, const std::string& permission) {
    if (!sales::auth::allowed(request.caller(), permission)) {
        throw sales::http::HttpError(403, "forbidden", "your roles do not grant " + permission,
                                     {{"permission", permission}});
    }
}

[[noreturn]] inline void invalid(const std::string& field, const std::string& problem) {
    throw sales::http::HttpError(400, "validation_failed", field + ": " + problem,
                                 {{"field", field}, {"problem", problem}});
}

inline std::optional<std::string> optional_string(const nlohmann::json& body,
                                                  const std::string& field,
                                                  std::size_t max_length) {
    if (!body.contains(field) || body[field].is_null())
        return std::nullopt;
    return sales::service::required_string(body, field, max_length);
}

// Money must be a JSON integer; its sign and bounds are the domain's rules (CON-1, REG-2).
inline std::int64_t money(const nlohmann::json& body, const std::string& field) {
    return sales::service::required_integer(body, field, -kMaxMoneyFen, kMaxMoneyFen);
}

// Runs `handler`, turning the use cases' refusals into the error envelope.
template <class F>
auto translated(F&& handler) -> decltype(handler()) {
    using sales::http::HttpError;
    try {
        return handler();
    } catch (const app::Failure& e) {
        throw HttpError(sales::http_status(e.kind()), e.code(), e.what(), e.details());
    } catch (const domain::RuleViolation& e) {
        throw HttpError(422, e.code(), e.what(), e.details());
    } catch (const domain::TransitionError& e) {
        throw HttpError(
            409, "invalid_transition", e.what(),
            {{"status", domain::to_string(e.from())}, {"action", domain::to_string(e.action())}});
    } catch (const domain::ContractTransitionError& e) {
        throw HttpError(
            409, "invalid_transition", e.what(),
            {{"status", domain::to_string(e.from())}, {"action", domain::to_string(e.action())}});
    } catch (const app::ProtocolError& e) {
        sales::log::error("inventory protocol error", {{"error", e.what()}});
        throw HttpError(503, "dependency_unavailable",
                        "inventory answered unexpectedly; retry shortly");
    }
}

}  // namespace contract::adapters
