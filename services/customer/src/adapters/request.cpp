#include "adapters/request.hpp"

#include <set>

#include "sales/auth.hpp"
#include "sales/ids.hpp"
#include "sales/text.hpp"

namespace customer::adapters {
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;

void invalid(const std::string& field, const std::string& problem) {
    throw HttpError(400, "validation_failed", field + ": " + problem,
                    {{"field", field}, {"problem", problem}});
}

namespace {
std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : " or ") + i;
    return out;
}
}  // namespace

void add_route(sales::service::Service& service, const std::string& method,
               const std::string& pattern, std::vector<std::string> permissions, Handler handler) {
    service.route(
        method, pattern,
        [pattern, method, permissions = std::move(permissions),
         handler = std::move(handler)](Request& request) -> Response {
            const auto& principal = request.caller();
            bool granted = false;
            for (const auto& p : permissions)
                granted = granted || sales::auth::allowed(principal, p);
            if (!granted) {
                throw HttpError(403, "forbidden", "your roles do not grant " + join(permissions),
                                {{"permission", join(permissions)}});
            }
            const auto caller =
                app::caller_from(principal, request.request_id, method + " " + pattern);
            try {
                return handler(request, caller);
            } catch (const app::Failure& e) {
                throw HttpError(sales::http_status(e.kind()), e.code(), e.what(), e.details());
            } catch (const domain::RuleViolation& e) {
                throw HttpError(409, e.code(), e.what());
            }
        });
}

Body::Body(const nlohmann::json& object, std::string prefix,
           const std::vector<std::string>& allowed)
    : object_(object), path_(std::move(prefix)) {
    if (!object_.is_object())
        invalid(path_.empty() ? "body" : path_.substr(0, path_.size() - 1), "must be an object");
    for (const auto& item : object_.items()) {
        bool known = false;
        for (const auto& a : allowed)
            known = known || a == item.key();
        if (!known)
            invalid(path(item.key()), "is not a known field");
    }
}

bool Body::has(const std::string& name) const {
    return object_.contains(name);
}

bool Body::is_null(const std::string& name) const {
    return object_.contains(name) && object_[name].is_null();
}

std::string Body::text(const std::string& name, std::size_t max_length) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null())
        invalid(path(name), "is required");
    if (!it->is_string())
        invalid(path(name), "must be a string");
    const auto& value = it->get_ref<const std::string&>();
    const auto length = sales::utf8_length(value);
    if (length == 0 || value.find_first_not_of(" \t\r\n") == std::string::npos)
        invalid(path(name), "must not be empty");
    if (length > max_length)
        invalid(path(name), "must be at most " + std::to_string(max_length) + " characters");
    for (unsigned char c : value) {
        if (c < 0x20 && c != '\n' && c != '\t')
            invalid(path(name), "must not contain control characters");
    }
    return value;
}

std::optional<std::string> Body::opt_text(const std::string& name, std::size_t max_length) const {
    if (!has(name) || is_null(name))
        return std::nullopt;
    return text(name, max_length);
}

std::int64_t Body::integer(const std::string& name, std::int64_t min, std::int64_t max) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null())
        invalid(path(name), "is required");
    if (!it->is_number_integer())
        invalid(path(name), "must be an integer (money in fen, area in 0.01 m²)");
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        invalid(path(name), "is out of range");
    }
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max)
        invalid(path(name),
                "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return value;
}

std::optional<std::int64_t> Body::opt_integer(const std::string& name, std::int64_t min,
                                              std::int64_t max) const {
    if (!has(name) || is_null(name))
        return std::nullopt;
    return integer(name, min, max);
}

std::string Body::uuid(const std::string& name) const {
    const auto value = text(name, 64);
    if (!sales::is_uuid(value))
        invalid(path(name), "must be a UUID");
    return value;
}

sales::TimePoint Body::time(const std::string& name) const {
    const auto value = sales::parse_rfc3339(text(name, 64));
    if (!value)
        invalid(path(name), "must be an RFC 3339 timestamp, e.g. 2026-11-22T15:30:00+08:00");
    return *value;
}

std::optional<sales::Date> Body::opt_date(const std::string& name) const {
    const auto value = opt_text(name, 10);
    if (!value)
        return std::nullopt;
    const auto date = sales::parse_date(*value);
    if (!date)
        invalid(path(name), "must be a calendar date YYYY-MM-DD");
    return date;
}

const nlohmann::json& Body::object(const std::string& name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null())
        invalid(path(name), "is required");
    if (!it->is_object())
        invalid(path(name), "must be an object");
    return *it;
}

std::vector<std::string> Body::uuids(const std::string& name, std::size_t max_items) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null())
        invalid(path(name), "is required");
    if (!it->is_array() || it->empty() || it->size() > max_items)
        invalid(path(name), "must be an array of 1–" + std::to_string(max_items) + " UUIDs");
    std::vector<std::string> out;
    for (const auto& v : *it) {
        if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
            invalid(path(name), "must contain only UUID strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

bool Body::opt_bool(const std::string& name, bool fallback) const {
    if (!has(name) || is_null(name))
        return fallback;
    if (!object_[name].is_boolean())
        invalid(path(name), "must be true or false");
    return object_[name].get<bool>();
}

nlohmann::json body_of(const Request& request) {
    return request.json();
}

void known_query(const Request& request, const std::vector<std::string>& allowed) {
    for (const auto& [name, value] : request.query) {
        bool known = false;
        for (const auto& a : allowed)
            known = known || a == name;
        if (!known)
            invalid(name, "is not a known query parameter");
    }
}

std::optional<std::string> query_text(const Request& request, const std::string& name,
                                      std::size_t max_length) {
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return std::nullopt;
    const auto length = sales::utf8_length(it->second);
    if (length == 0)
        invalid(name, "must not be empty");
    if (length > max_length)
        invalid(name, "must be at most " + std::to_string(max_length) + " characters");
    return it->second;
}

std::optional<sales::Date> query_date(const Request& request, const std::string& name) {
    const auto text = query_text(request, name, 10);
    if (!text)
        return std::nullopt;
    const auto date = sales::parse_date(*text);
    if (!date)
        invalid(name, "must be a calendar date YYYY-MM-DD");
    return date;
}

bool query_bool(const Request& request, const std::string& name, bool fallback) {
    const auto text = query_text(request, name, 5);
    if (!text)
        return fallback;
    if (*text == "true")
        return true;
    if (*text == "false")
        return false;
    invalid(name, "must be true or false");
}

std::string query_uuid(const Request& request, const std::string& name) {
    const auto text = query_text(request, name, 64);
    if (!text)
        invalid(name, "is required");
    if (!sales::is_uuid(*text))
        invalid(name, "must be a UUID");
    return *text;
}

}  // namespace customer::adapters
