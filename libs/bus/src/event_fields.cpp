#include "sales/event_fields.hpp"

#include "sales/ids.hpp"

namespace sales::bus {

[[noreturn]] void poison_event(const Event& event, const std::string& problem) {
    throw PoisonMessage(event.type + " " + event.id + ": " + problem);
}

const nlohmann::json& event_field(const Event& event, const nlohmann::json& object,
                                  const std::string& name, const std::string& path) {
    if (!object.is_object() || !object.contains(name) || object[name].is_null())
        poison_event(event, path + name + " is required");
    return object[name];
}

const nlohmann::json& event_object(const Event& event, const nlohmann::json& object,
                                   const std::string& name, const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_object())
        poison_event(event, path + name + " must be an object");
    return v;
}

std::string event_uuid(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
        poison_event(event, path + name + " must be a UUID");
    return v.get<std::string>();
}

std::string event_text(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
        poison_event(event, path + name + " must be a non-empty string");
    return v.get<std::string>();
}

std::int64_t event_integer(const Event& event, const nlohmann::json& object,
                           const std::string& name, std::int64_t min, std::int64_t max,
                           const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)))
        poison_event(event, path + name + " must be an integer");
    const auto value = v.get<std::int64_t>();
    if (value < min || value > max)
        poison_event(event, path + name + " must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
    return value;
}

sales::Date event_date(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path) {
    const auto d = sales::parse_date(event_text(event, object, name, path));
    if (!d)
        poison_event(event, path + name + " must be a date YYYY-MM-DD");
    return *d;
}

std::optional<std::int64_t> event_opt_integer(const nlohmann::json& data, const char* name) {
    if (data.is_object() && data.contains(name) && data[name].is_number_integer())
        return data[name].get<std::int64_t>();
    return std::nullopt;
}

std::optional<std::string> event_opt_uuid(const nlohmann::json& data, const char* name) {
    if (data.is_object() && data.contains(name) && data[name].is_string() &&
        sales::is_uuid(data[name].get<std::string>()))
        return data[name].get<std::string>();
    return std::nullopt;
}

std::optional<std::string> event_opt_text(const nlohmann::json& data, const char* name) {
    if (data.is_object() && data.contains(name) && data[name].is_string() &&
        !data[name].get_ref<const std::string&>().empty())
        return data[name].get<std::string>();
    return std::nullopt;
}

}  // namespace sales::bus
