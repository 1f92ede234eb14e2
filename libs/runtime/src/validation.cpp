#include <cstdint>

#include "sales/http.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"
#include "sales/text.hpp"

namespace sales::service {
namespace {
[[noreturn]] void invalid(const std::string& field, const std::string& problem) {
    throw http::HttpError(400, "validation_failed", field + ": " + problem,
                          {{"field", field}, {"problem", problem}});
}

}  // namespace

http::Handler with_dependency_errors(http::Handler handler) {
    return [handler = std::move(handler)](http::Request& request) -> http::Response {
        try {
            return handler(request);
        } catch (const db::Unavailable& e) {
            log::warn("database unavailable", {{"error", e.what()}});
            throw http::HttpError(503, "dependency_unavailable",
                                  "the database is not reachable right now; retry shortly");
        } catch (const db::RetriesExhausted& e) {
            log::warn("transaction conflicts persisted", {{"error", e.what()}});
            throw http::HttpError(503, "busy", "too many concurrent changes; retry shortly");
        } catch (const db::UniqueViolation& e) {
            throw http::HttpError(409, "conflict", "the record already exists",
                                  {{"constraint", e.constraint()}});
        } catch (const bus::NatsError& e) {
            log::warn("nats unavailable", {{"error", e.what()}});
            throw http::HttpError(503, "dependency_unavailable",
                                  "the message bus is not reachable right now; retry shortly");
        }
    };
}

std::string required_string(const nlohmann::json& body, const std::string& field,
                            std::size_t max_length) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null())
        invalid(field, "is required");
    if (!it->is_string())
        invalid(field, "must be a string");
    const auto& value = it->get_ref<const std::string&>();
    const auto length = sales::utf8_length(value);
    if (length == 0)
        invalid(field, "must not be empty");
    if (length > max_length)
        invalid(field, "must be at most " + std::to_string(max_length) + " characters");
    return value;
}

std::int64_t required_integer(const nlohmann::json& body, const std::string& field,
                              std::int64_t min, std::int64_t max) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null())
        invalid(field, "is required");
    if (!it->is_number_integer())
        invalid(field, "must be an integer (money in fen, area in 0.01 m²)");
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        invalid(field, "is out of range");
    }
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max) {
        invalid(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
}

std::int64_t query_integer(const http::Request& request, const std::string& name,
                           std::int64_t fallback, std::int64_t min, std::int64_t max) {
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return fallback;
    try {
        std::size_t used = 0;
        const auto value = std::stoll(it->second, &used);
        if (used == it->second.size() && value >= min && value <= max)
            return value;
    } catch (const std::exception&) {
        // not a number: answered below
    }
    invalid(name,
            "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
}

void reject_unknown_fields(const nlohmann::json& body, const std::vector<std::string>& allowed) {
    for (const auto& item : body.items()) {
        bool known = false;
        for (const auto& a : allowed)
            known = known || a == item.key();
        if (!known)
            invalid(item.key(), "is not a known field");
    }
}

}  // namespace sales::service
