#pragma once
// A request the use cases turn down, by kind; nothing was written (the transaction rolled back).
// Every service's HTTP adapter maps the kind to the same status with http_status().
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace sales {

class Failure : public std::runtime_error {
  public:
    enum class Kind { invalid, forbidden, not_found, conflict, rule, unavailable };
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

// invalid 400, forbidden 403, not_found 404, conflict 409, rule 422, unavailable 503.
constexpr int http_status(Failure::Kind kind) {
    switch (kind) {
        case Failure::Kind::invalid:
            return 400;
        case Failure::Kind::forbidden:
            return 403;
        case Failure::Kind::not_found:
            return 404;
        case Failure::Kind::conflict:
            return 409;
        case Failure::Kind::rule:
            return 422;
        case Failure::Kind::unavailable:
            break;
    }
    return 503;
}

}  // namespace sales
