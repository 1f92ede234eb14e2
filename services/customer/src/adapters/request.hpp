#pragma once
// What the customer HTTP routes share: permission-checked routes that turn app::Failure and
// domain::RuleViolation into the error envelope, and strict readers for JSON bodies and query
// strings (unknown fields, wrong types, unknown enum values, over-long text → 400
// validation_failed naming the field; nothing is written).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "sales/calendar.hpp"
#include "sales/http.hpp"
#include "sales/service.hpp"

namespace customer::adapters {

using Handler =
    std::function<sales::http::Response(sales::http::Request&, const app::Caller& caller)>;
// A route that needs any one of `permissions`.
void add_route(sales::service::Service& service, const std::string& method,
               const std::string& pattern, std::vector<std::string> permissions, Handler handler);

[[noreturn]] void invalid(const std::string& field, const std::string& problem);

// One JSON object with a path prefix for nested fields ("first_event.kind").
class Body {
  public:
    Body(const nlohmann::json& object, std::string prefix, const std::vector<std::string>& allowed);

    bool has(const std::string& name) const;  // present, possibly null
    bool is_null(const std::string& name) const;
    std::string text(const std::string& name, std::size_t max_length) const;
    std::optional<std::string> opt_text(const std::string& name, std::size_t max_length) const;
    std::int64_t integer(const std::string& name, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> opt_integer(const std::string& name, std::int64_t min,
                                            std::int64_t max) const;
    std::string uuid(const std::string& name) const;
    sales::TimePoint time(const std::string& name) const;  // RFC 3339
    std::optional<sales::Date> opt_date(const std::string& name) const;
    const nlohmann::json& object(const std::string& name) const;
    std::vector<std::string> uuids(const std::string& name, std::size_t max_items) const;
    bool opt_bool(const std::string& name, bool fallback) const;
    std::string path(const std::string& name) const { return path_ + name; }

    template <class E>
    E enumeration(const std::string& name, std::optional<E> (*parse)(std::string_view),
                  const std::string& names) const {
        const auto value = parse(text(name, 64));
        if (!value)
            invalid(path(name), "must be one of " + names);
        return *value;
    }
    template <class E>
    std::optional<E> opt_enumeration(const std::string& name,
                                     std::optional<E> (*parse)(std::string_view),
                                     const std::string& names) const {
        if (!has(name) || is_null(name))
            return std::nullopt;
        return enumeration(name, parse, names);
    }

  private:
    const nlohmann::json& object_;
    std::string path_;
};

// The request body as a JSON object (400 invalid_json otherwise).
nlohmann::json body_of(const sales::http::Request& request);

// Query parameters: only `allowed` names; integers and dates strictly parsed.
void known_query(const sales::http::Request& request, const std::vector<std::string>& allowed);
std::optional<std::string> query_text(const sales::http::Request& request, const std::string& name,
                                      std::size_t max_length);
using sales::service::query_integer;
std::optional<sales::Date> query_date(const sales::http::Request& request, const std::string& name);
bool query_bool(const sales::http::Request& request, const std::string& name, bool fallback);
std::string query_uuid(const sales::http::Request& request, const std::string& name);  // required
template <class E>
std::optional<E> query_enum(const sales::http::Request& request, const std::string& name,
                            std::optional<E> (*parse)(std::string_view), const std::string& names) {
    const auto text = query_text(request, name, 64);
    if (!text)
        return std::nullopt;
    const auto value = parse(*text);
    if (!value)
        invalid(name, "must be one of " + names);
    return value;
}

}  // namespace customer::adapters
