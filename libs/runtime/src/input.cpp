#include "sales/input.hpp"

#include <algorithm>

#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/text.hpp"

namespace sales::service {
namespace {
const nlohmann::json kNull;
const nlohmann::json kEmptyObject = nlohmann::json::object();

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The problem with a text value, or empty when it is acceptable.
std::string text_problem(const std::string& value, std::size_t max_length) {
    const auto length = utf8_length(value);
    if (length == 0 || value.find_first_not_of(" \t\r\n") == std::string::npos)
        return "must not be empty";
    if (length > max_length)
        return "must be at most " + std::to_string(max_length) + " characters";
    for (unsigned char c : value) {
        if (c < 0x20 && c != '\n' && c != '\t')
            return "must not contain control characters";
    }
    return {};
}

std::string range(std::int64_t min, std::int64_t max) {
    return "between " + std::to_string(min) + " and " + std::to_string(max);
}
}  // namespace

void Problems::add(const std::string& field, const std::string& problem) {
    items_.emplace_back(field, problem);
}

void Problems::check() const {
    if (items_.empty())
        return;
    auto list = nlohmann::json::array();
    for (const auto& [field, problem] : items_)
        list.push_back({{"field", field}, {"problem", problem}});
    std::string message = items_.front().first + ": " + items_.front().second;
    if (items_.size() > 1)
        message += " (and " + std::to_string(items_.size() - 1) + " more problems)";
    throw Failure(Failure::Kind::invalid, "validation_failed", message,
                  {{"field", items_.front().first},
                   {"problem", items_.front().second},
                   {"problems", std::move(list)}});
}

// --- Body ---------------------------------------------------------------------------------------

Body::Body(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string path,
           std::shared_ptr<Problems> problems, const std::vector<std::string>& allowed, bool silent)
    : root_(std::move(root)),
      node_(node),
      path_(std::move(path)),
      problems_(std::move(problems)),
      silent_(silent) {
    refuse_unknown(allowed);
}

Body::Body(const http::Request& request, const std::vector<std::string>& allowed)
    : Body(nlohmann::json(request.json()), allowed) {}

Body Body::optional(const http::Request& request, const std::vector<std::string>& allowed) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return Body(nlohmann::json::object(), allowed);
    return Body(request, allowed);
}

Body::Body(nlohmann::json value, const std::vector<std::string>& allowed)
    : root_(std::make_shared<const nlohmann::json>(std::move(value))),
      node_(root_.get()),
      problems_(std::make_shared<Problems>()) {
    if (!node_->is_object()) {
        problems_->add("body", "must be a JSON object");
        node_ = &kEmptyObject;
        silent_ = true;
    }
    refuse_unknown(allowed);
}

void Body::refuse_unknown(const std::vector<std::string>& allowed) const {
    if (silent_ || !node_->is_object())
        return;
    for (const auto& item : node_->items()) {
        if (!listed(allowed, item.key()))
            problems_->add(path(item.key()), "is not a known field");
    }
}

std::string Body::path(const std::string& name) const {
    return path_ + name;
}

void Body::invalid(const std::string& name, const std::string& problem) const {
    if (!silent_)
        problems_->add(path(name), problem);
}

bool Body::present(const std::string& name) const {
    return node_->contains(name);
}

bool Body::has(const std::string& name) const {
    const auto it = node_->find(name);
    return it != node_->end() && !it->is_null();
}

bool Body::is_null(const std::string& name) const {
    const auto it = node_->find(name);
    return it != node_->end() && it->is_null();
}

const nlohmann::json* Body::find(const std::string& name) const {
    const auto it = node_->find(name);
    if (it == node_->end() || it->is_null())
        return nullptr;
    return &*it;
}

const nlohmann::json* Body::required(const std::string& name) const {
    const auto* value = find(name);
    if (!value)
        invalid(name, "is required");
    return value;
}

const nlohmann::json& Body::value(const std::string& name) const {
    const auto* v = find(name);
    return v ? *v : kNull;
}

std::string Body::text(const std::string& name, std::size_t max_length) const {
    const auto* value = required(name);
    if (!value)
        return {};
    if (!value->is_string()) {
        invalid(name, "must be a string");
        return {};
    }
    const auto& text = value->get_ref<const std::string&>();
    if (const auto problem = text_problem(text, max_length); !problem.empty()) {
        invalid(name, problem);
        return {};
    }
    return text;
}

std::optional<std::string> Body::opt_text(const std::string& name, std::size_t max_length) const {
    if (!has(name))
        return std::nullopt;
    return text(name, max_length);
}

std::int64_t Body::integer(const std::string& name, std::int64_t min, std::int64_t max) const {
    const auto* value = required(name);
    if (!value)
        return min;
    if (!value->is_number_integer()) {
        invalid(name, "must be an integer (money in fen, area in 0.01 m²)");
        return min;
    }
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        invalid(name, "must be " + range(min, max));
        return min;
    }
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) {
        invalid(name, "must be " + range(min, max));
        return min;
    }
    return number;
}

std::optional<std::int64_t> Body::opt_integer(const std::string& name, std::int64_t min,
                                              std::int64_t max) const {
    if (!has(name))
        return std::nullopt;
    return integer(name, min, max);
}

bool Body::boolean(const std::string& name) const {
    const auto* value = required(name);
    if (!value)
        return false;
    if (!value->is_boolean()) {
        invalid(name, "must be true or false");
        return false;
    }
    return value->get<bool>();
}

bool Body::opt_boolean(const std::string& name, bool fallback) const {
    if (!has(name))
        return fallback;
    return boolean(name);
}

std::string Body::uuid(const std::string& name) const {
    const auto before = problems_->size();
    auto value = text(name, 64);
    if (problems_->size() == before && !silent_ && !is_uuid(value)) {
        invalid(name, "must be a UUID");
        return {};
    }
    return value;
}

std::optional<std::string> Body::opt_uuid(const std::string& name) const {
    if (!has(name))
        return std::nullopt;
    return uuid(name);
}

std::vector<std::string> Body::uuids(const std::string& name, std::size_t max_items) const {
    std::vector<std::string> out;
    const auto* value = required(name);
    if (!value)
        return out;
    if (!value->is_array() || value->empty() || value->size() > max_items) {
        invalid(name, "must be an array of 1–" + std::to_string(max_items) + " UUIDs");
        return out;
    }
    for (const auto& item : *value) {
        if (!item.is_string() || !is_uuid(item.get_ref<const std::string&>())) {
            invalid(name, "must contain only UUID strings");
            return {};
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::vector<std::string> Body::texts(const std::string& name, std::size_t max_items,
                                     std::size_t max_length) const {
    std::vector<std::string> out;
    const auto* value = required(name);
    if (!value)
        return out;
    if (!value->is_array() || value->size() > max_items) {
        invalid(name, "must be an array of at most " + std::to_string(max_items) + " texts");
        return out;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
        const auto& item = (*value)[i];
        const auto item_name = name + "[" + std::to_string(i) + "]";
        if (!item.is_string()) {
            invalid(item_name, "must be a string");
            continue;
        }
        const auto& text = item.get_ref<const std::string&>();
        if (const auto problem = text_problem(text, max_length); !problem.empty()) {
            invalid(item_name, problem);
            continue;
        }
        out.push_back(text);
    }
    return out;
}

// A text field of `max_length` characters parsed by `parse`; `problem` when it does not parse.
template <class T>
T Body::parsed(const std::string& name, std::size_t max_length,
               std::optional<T> (*parse)(std::string_view), const char* problem) const {
    const auto before = problems_->size();
    const auto value = parse(text(name, max_length));
    if (value)
        return *value;
    if (problems_->size() == before)
        invalid(name, problem);
    return T{};
}

TimePoint Body::time(const std::string& name) const {
    return parsed<TimePoint>(name, 64, parse_rfc3339,
                             "must be an RFC 3339 timestamp, e.g. 2026-11-22T15:30:00+08:00");
}

std::optional<TimePoint> Body::opt_time(const std::string& name) const {
    if (!has(name))
        return std::nullopt;
    return time(name);
}

Date Body::date(const std::string& name) const {
    return parsed<Date>(name, 10, parse_date, "must be a calendar date YYYY-MM-DD");
}

std::optional<Date> Body::opt_date(const std::string& name) const {
    if (!has(name))
        return std::nullopt;
    return date(name);
}

Body Body::object(const std::string& name, const std::vector<std::string>& allowed) const {
    const auto* value = required(name);
    const bool ok = value && value->is_object();
    if (value && !ok)
        invalid(name, "must be an object");
    return Body(root_, ok ? value : &kEmptyObject, path(name) + ".", problems_, allowed,
                silent_ || !ok);
}

std::optional<Body> Body::opt_object(const std::string& name,
                                     const std::vector<std::string>& allowed) const {
    if (!has(name))
        return std::nullopt;
    return object(name, allowed);
}

std::vector<Body> Body::objects(const std::string& name, std::size_t max_items,
                                const std::vector<std::string>& allowed,
                                std::size_t min_items) const {
    std::vector<Body> out;
    const auto* value = min_items == 0 && !has(name) ? nullptr : required(name);
    if (!value)
        return out;
    if (!value->is_array() || value->size() < min_items || value->size() > max_items) {
        invalid(name, "must be an array of " + std::to_string(min_items) + "–" +
                          std::to_string(max_items) + " objects");
        return out;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
        const auto& item = (*value)[i];
        const auto item_path = path(name) + "[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            if (!silent_)
                problems_->add(item_path, "must be an object");
            continue;
        }
        out.push_back(Body(root_, &item, item_path + ".", problems_, allowed, silent_));
    }
    return out;
}

// --- Query --------------------------------------------------------------------------------------

Query::Query(const http::Request& request, const std::vector<std::string>& allowed)
    : request_(request) {
    for (const auto& [name, value] : request.query) {
        if (!listed(allowed, name))
            problems_.add(name, "is not a known query parameter");
    }
}

bool Query::has(const std::string& name) const {
    return request_.query.count(name) > 0;
}

std::optional<std::string> Query::text(const std::string& name, std::size_t max_length) const {
    const auto it = request_.query.find(name);
    if (it == request_.query.end())
        return std::nullopt;
    if (const auto problem = text_problem(it->second, max_length); !problem.empty()) {
        problems_.add(name, problem);
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::int64_t> Query::opt_integer(const std::string& name, std::int64_t min,
                                               std::int64_t max) const {
    const auto it = request_.query.find(name);
    if (it == request_.query.end())
        return std::nullopt;
    const auto& text = it->second;
    const bool digits =
        !text.empty() && text.size() <= 20 &&
        text.find_first_not_of("0123456789", text[0] == '-' ? 1 : 0) == std::string::npos &&
        text != "-";
    if (digits) {
        try {
            const auto value = std::stoll(text);
            if (value >= min && value <= max)
                return value;
        } catch (const std::out_of_range&) {
            // answered below
        }
    }
    problems_.add(name, "must be an integer " + range(min, max));
    return std::nullopt;
}

std::int64_t Query::integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) const {
    return opt_integer(name, min, max).value_or(fallback);
}

bool Query::boolean(const std::string& name, bool fallback) const {
    const auto value = text(name, 5);
    if (!value)
        return fallback;
    if (*value == "true")
        return true;
    if (*value == "false")
        return false;
    problems_.add(name, "must be true or false");
    return fallback;
}

std::optional<std::string> Query::uuid(const std::string& name) const {
    const auto value = text(name, 64);
    if (value && !is_uuid(*value)) {
        problems_.add(name, "must be a UUID");
        return std::nullopt;
    }
    return value;
}

std::string Query::required_uuid(const std::string& name) const {
    if (!has(name)) {
        problems_.add(name, "is required");
        return {};
    }
    return uuid(name).value_or("");
}

// A query parameter of `max_length` characters parsed by `parse`, or `problem`.
template <class T>
std::optional<T> parsed(const Query& query, const std::string& name, std::size_t max_length,
                        std::optional<T> (*parse)(std::string_view), const std::string& problem) {
    const auto value = query.text(name, max_length);
    if (!value)
        return std::nullopt;
    const auto result = parse(*value);
    if (!result)
        query.invalid(name, problem);
    return result;
}

std::optional<Date> Query::date(const std::string& name) const {
    return parsed<Date>(*this, name, 10, parse_date, "must be a calendar date YYYY-MM-DD");
}

Query::DateRange Query::date_range(const std::string& from_name, const std::string& to_name) const {
    DateRange range{date(from_name), date(to_name)};
    if (range.from && range.to && *range.from > *range.to)
        problems_.add(from_name, "must not be after " + to_name);
    return range;
}

std::optional<TimePoint> Query::time(const std::string& name) const {
    return parsed<TimePoint>(*this, name, 64, parse_rfc3339,
                             "must be an RFC 3339 timestamp, e.g. 2026-11-22T15:30:00+08:00");
}

}  // namespace sales::service
