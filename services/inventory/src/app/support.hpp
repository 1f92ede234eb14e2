#pragma once
// What the inventory use cases share: one error type the adapters map to HTTP statuses, and
// small SQL fragments.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/problems.hpp"

namespace inventory::app {

enum class ErrorKind {
    invalid,       // 400 validation_failed
    forbidden,     // 403
    not_found,     // 404
    conflict,      // 409 state conflicts (invalid_transition, master_data_locked, ...)
    unprocessable  // 422 rule violations
};

// Who asks: the user id recorded as actor, and the projects they may act on. Resources of other
// projects answer 404, as if they did not exist.
struct Caller {
    std::string user_id;
    std::function<bool(const std::string& project_id)> in_project;
    bool sales_manager = false;  // INV-4 opening-week reservations (sales_manager or admin)
};

// A request refused by a rule; nothing was written (the transaction rolled back).
class AppError : public std::runtime_error {
  public:
    AppError(ErrorKind kind, std::string code, const std::string& message,
             nlohmann::json details = nlohmann::json::object())
        : std::runtime_error(message),
          kind_(kind),
          code_(std::move(code)),
          details_(std::move(details)) {}
    ErrorKind kind() const { return kind_; }
    const std::string& code() const { return code_; }
    const nlohmann::json& details() const { return details_; }

  private:
    ErrorKind kind_;
    std::string code_;
    nlohmann::json details_;
};

// 400 validation_failed listing every problem; the message names the first.
[[noreturn]] void throw_invalid(const std::vector<domain::FieldProblem>& problems);
[[noreturn]] void throw_rule(ErrorKind kind, const domain::RuleError& error,
                             nlohmann::json details = nlohmann::json::object());
[[noreturn]] void throw_not_found(const std::string& what, const std::string& id);

// SQL: a timestamptz column as RFC 3339 UTC text with milliseconds ("... AS <alias>").
std::string iso(const std::string& column, const std::string& alias);

// A JSON value for an optional column: null or the value.
nlohmann::json nullable(const std::optional<std::string>& value);
nlohmann::json nullable(const std::optional<std::int64_t>& value);

}  // namespace inventory::app
