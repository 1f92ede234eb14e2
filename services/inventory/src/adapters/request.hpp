#pragma once
// What the inventory HTTP and NATS adapters share: permission-checked routes that turn
// app::AppError into the HTTP error envelope, and a reader for JSON objects whose 400 errors
// name the full path of the offending field ("templates[2].floors.to").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "sales/clock.hpp"
#include "sales/http.hpp"
#include "sales/service.hpp"

namespace inventory::adapters {

// 403 unless the caller's roles grant `permission`.
void require(const sales::http::Request& request, const std::string& permission);
app::Caller caller_of(const sales::http::Request& request);

using sales::service::query_integer;

using Handler =
    std::function<sales::http::Response(sales::http::Request&, const app::Caller& caller)>;
// A route that needs `permission`; app::AppError becomes its HTTP status (400/403/404/409/422).
void add_route(sales::service::Service& service, const std::string& method,
               const std::string& pattern, const std::string& permission, Handler handler);

// The request body as an object; an empty body reads as {} (for optional bodies).
nlohmann::json body_or_empty(const sales::http::Request& request);

// One JSON object: unknown fields, missing fields and wrong types → HttpError 400
// validation_failed with the field's path. Integers must be JSON integers (never floats).
class Fields {
  public:
    Fields(const nlohmann::json& object, std::string path, std::vector<std::string> allowed);

    std::int64_t integer(const std::string& name) const;
    std::optional<std::int64_t> opt_integer(const std::string& name) const;
    std::string text(const std::string& name, std::size_t max_length) const;
    std::optional<std::string> opt_text(const std::string& name, std::size_t max_length) const;
    std::string uuid(const std::string& name) const;
    std::optional<std::string> opt_uuid(const std::string& name) const;
    sales::TimePoint time(const std::string& name) const;  // RFC 3339
    std::vector<std::string> uuids(const std::string& name, std::size_t max_items) const;
    // A nested object or array (required), with its path for nested Fields.
    const nlohmann::json& object(const std::string& name) const;
    const nlohmann::json& array(const std::string& name, std::size_t max_items) const;
    std::string path(const std::string& name) const;
    bool has(const std::string& name) const;

  private:
    const nlohmann::json* find(const std::string& name) const;
    [[noreturn]] void invalid(const std::string& name, const std::string& problem) const;

    const nlohmann::json& object_;
    std::string path_;
};

}  // namespace inventory::adapters
