#pragma once
// A request the use cases turn down, by kind; the HTTP adapter maps the kind to a status
// (invalid 400, not_found 404, conflict 409, rule 422, unavailable 503).
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace contract::app {

class Failure : public std::runtime_error {
  public:
    enum class Kind { invalid, not_found, conflict, rule, unavailable };
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

}  // namespace contract::app
