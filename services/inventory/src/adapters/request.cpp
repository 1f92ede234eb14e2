#include "adapters/request.hpp"

#include "domain/time.hpp"
#include "sales/auth.hpp"
#include "sales/ids.hpp"
#include "sales/text.hpp"

namespace inventory::adapters {
namespace {
using sales::http::HttpError;

int status_of(app::ErrorKind kind) {
    switch (kind) {
        case app::ErrorKind::invalid:
            return 400;
        case app::ErrorKind::forbidden:
            return 403;
        case app::ErrorKind::not_found:
            return 404;
        case app::ErrorKind::conflict:
            return 409;
        case app::ErrorKind::unprocessable:
            return 422;
    }
    return 400;
}
}  // namespace

void require(const sales::http::Request& request, const std::string& permission) {
    if (!sales::auth::allowed(request.caller(), permission)) {
        throw HttpError(403, "forbidden", "your roles do not grant " + permission,
                        {{"permission", permission}});
    }
}

app::Caller caller_of(const sales::http::Request& request) {
    const auto& principal = request.caller();
    return {principal.user_id,
            [principal](const std::string& project_id) { return principal.in_project(project_id); },
            principal.has_role("sales_manager") || principal.has_role("admin")};
}

void add_route(sales::service::Service& service, const std::string& method,
               const std::string& pattern, const std::string& permission, Handler handler) {
    service.route(method, pattern,
                  [permission, handler = std::move(handler)](sales::http::Request& request) {
                      require(request, permission);
                      try {
                          return handler(request, caller_of(request));
                      } catch (const app::AppError& e) {
                          throw HttpError(status_of(e.kind()), e.code(), e.what(), e.details());
                      }
                  });
}

nlohmann::json body_or_empty(const sales::http::Request& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return nlohmann::json::object();
    return request.json();
}

Fields::Fields(const nlohmann::json& object, std::string path, std::vector<std::string> allowed)
    : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) {
        throw HttpError(400, "validation_failed",
                        (path_.empty() ? "body" : path_) + ": must be a JSON object",
                        {{"field", path_.empty() ? "body" : path_}});
    }
    for (const auto& item : object_.items()) {
        bool known = false;
        for (const auto& a : allowed)
            known = known || a == item.key();
        if (!known)
            invalid(item.key(), "is not a known field");
    }
}

std::string Fields::path(const std::string& name) const {
    return path_.empty() ? name : path_ + "." + name;
}

void Fields::invalid(const std::string& name, const std::string& problem) const {
    throw HttpError(400, "validation_failed", path(name) + ": " + problem,
                    {{"field", path(name)}, {"problem", problem}});
}

const nlohmann::json* Fields::find(const std::string& name) const {
    const auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
}

bool Fields::has(const std::string& name) const {
    return find(name) != nullptr;
}

std::optional<std::int64_t> Fields::opt_integer(const std::string& name) const {
    const auto* v = find(name);
    if (v == nullptr)
        return std::nullopt;
    if (!v->is_number_integer())
        invalid(name, "must be an integer (money in fen, area in 0.01 m²)");
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        invalid(name, "is out of range");
    return v->get<std::int64_t>();
}

std::int64_t Fields::integer(const std::string& name) const {
    const auto v = opt_integer(name);
    if (!v)
        invalid(name, "is required");
    return *v;
}

std::optional<std::string> Fields::opt_text(const std::string& name, std::size_t max_length) const {
    const auto* v = find(name);
    if (v == nullptr)
        return std::nullopt;
    if (!v->is_string())
        invalid(name, "must be a string");
    const auto& s = v->get_ref<const std::string&>();
    const auto length = sales::utf8_length(s);
    if (length == 0 || length > max_length)
        invalid(name, "must be 1–" + std::to_string(max_length) + " characters");
    return s;
}

std::string Fields::text(const std::string& name, std::size_t max_length) const {
    auto v = opt_text(name, max_length);
    if (!v)
        invalid(name, "is required");
    return *v;
}

std::optional<std::string> Fields::opt_uuid(const std::string& name) const {
    auto v = opt_text(name, 36);
    if (v && !sales::is_uuid(*v))
        invalid(name, "must be a UUID");
    return v;
}

std::string Fields::uuid(const std::string& name) const {
    auto v = opt_uuid(name);
    if (!v)
        invalid(name, "is required");
    return *v;
}

sales::TimePoint Fields::time(const std::string& name) const {
    const auto parsed = inventory::domain::parse_rfc3339(text(name, 40));
    if (!parsed)
        invalid(name, "must be an RFC 3339 timestamp such as 2026-05-01T12:00:00+08:00");
    return *parsed;
}

const nlohmann::json& Fields::object(const std::string& name) const {
    const auto* v = find(name);
    if (v == nullptr)
        invalid(name, "is required");
    if (!v->is_object())
        invalid(name, "must be an object");
    return *v;
}

const nlohmann::json& Fields::array(const std::string& name, std::size_t max_items) const {
    const auto* v = find(name);
    if (v == nullptr)
        invalid(name, "is required");
    if (!v->is_array() || v->empty() || v->size() > max_items)
        invalid(name, "must be an array of 1–" + std::to_string(max_items) + " items");
    return *v;
}

std::vector<std::string> Fields::uuids(const std::string& name, std::size_t max_items) const {
    const auto& items = array(name, max_items);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_string() || !sales::is_uuid(items[i].get<std::string>()))
            invalid(name + "[" + std::to_string(i) + "]", "must be a UUID");
        out.push_back(items[i].get<std::string>());
    }
    return out;
}

}  // namespace inventory::adapters
