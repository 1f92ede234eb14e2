#pragma once
// The one error vocabulary of every service and the gateway: a request turned down, by kind.
// Domain rules, use cases and adapters throw sales::Failure; the HTTP server (libs/http) turns it
// into the error envelope {"error":{"code","message","details"}} with http_status(kind()).
// Nothing was written when a Failure leaves a use case: its transaction rolled back.
//
//   invalid 400        the request is malformed: a field, a query parameter, the JSON itself
//   unauthenticated 401  no valid credentials
//   forbidden 403      authenticated, but the roles or the project scope do not allow it
//   not_found 404      no such resource (or not in the caller's projects)
//   conflict 409       the resource's state does not allow it now (invalid_transition, taken…)
//   rule 422           well-formed but breaks a business rule of DOMAIN.md (REG-2 cap, …)
//   too_large 413, unsupported_media 415, too_many_requests 429: protocol limits
//   unavailable 503    a dependency (database, NATS, an upstream) is down; retry later
//   timeout 504        an upstream did not answer in time
#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace sales {

class Failure : public std::runtime_error {
  public:
    enum class Kind {
        invalid,
        unauthenticated,
        forbidden,
        not_found,
        conflict,
        rule,
        too_large,
        unsupported_media,
        too_many_requests,
        unavailable,
        timeout
    };
    Failure(Kind kind, std::string code, const std::string& message,
            nlohmann::json details = nlohmann::json::object())
        : std::runtime_error(message),
          kind_(kind),
          code_(std::move(code)),
          details_(std::move(details)) {}
    Kind kind() const { return kind_; }
    const std::string& code() const { return code_; }
    const nlohmann::json& details() const { return details_; }

  private:
    Kind kind_;
    std::string code_;
    nlohmann::json details_;
};

constexpr int http_status(Failure::Kind kind) {
    // Indexed by Kind, in its order.
    constexpr int kStatus[] = {400, 401, 403, 404, 409, 422, 413, 415, 429, 503, 504};
    const auto index = static_cast<std::size_t>(kind);
    return index < std::size(kStatus) ? kStatus[index] : 503;
}
static_assert(http_status(Failure::Kind::rule) == 422 &&
              http_status(Failure::Kind::timeout) == 504);

// Shorthands for the common kinds.
[[noreturn]] inline void fail_invalid(const std::string& field, const std::string& problem) {
    throw Failure(Failure::Kind::invalid, "validation_failed", field + ": " + problem,
                  {{"field", field}, {"problem", problem}});
}
[[noreturn]] inline void fail_not_found(const std::string& what, const std::string& id) {
    throw Failure(Failure::Kind::not_found, what + "_not_found", "no " + what + " " + id,
                  {{"id", id}});
}
[[noreturn]] inline void fail_forbidden(const std::string& code, const std::string& message,
                                        nlohmann::json details = nlohmann::json::object()) {
    throw Failure(Failure::Kind::forbidden, code, message, std::move(details));
}
[[noreturn]] inline void fail_conflict(const std::string& code, const std::string& message,
                                       nlohmann::json details = nlohmann::json::object()) {
    throw Failure(Failure::Kind::conflict, code, message, std::move(details));
}
[[noreturn]] inline void fail_rule(const std::string& code, const std::string& message,
                                   nlohmann::json details = nlohmann::json::object()) {
    throw Failure(Failure::Kind::rule, code, message, std::move(details));
}

}  // namespace sales
