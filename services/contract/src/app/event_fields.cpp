#include "app/event_fields.hpp"

#include "sales/ids.hpp"

namespace contract::app {
namespace {
// data.<field>, or null when data is not an object or lacks it.
const nlohmann::json& field_of(const sales::bus::Event& event, const char* field) {
    static const nlohmann::json absent;
    const auto& d = event.data;
    if (!d.is_object())
        return absent;
    const auto it = d.find(field);
    return it == d.end() ? absent : *it;
}
}  // namespace

sales::bus::PoisonMessage poison(const sales::bus::Event& event, const std::string& problem) {
    return sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);
}

std::string text_field(const sales::bus::Event& event, const char* field) {
    const auto& v = field_of(event, field);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
        throw poison(event, std::string("data.") + field + " must be a non-empty string");
    return v.get<std::string>();
}

std::string uuid_field(const sales::bus::Event& event, const char* field) {
    const auto& v = field_of(event, field);
    if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
        throw poison(event, std::string("data.") + field + " must be a UUID");
    return v.get<std::string>();
}

std::optional<std::string> opt_uuid_field(const sales::bus::Event& event, const char* field) {
    const auto& v = field_of(event, field);
    if (v.is_null())
        return std::nullopt;
    if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
        throw poison(event, std::string("data.") + field + " must be a UUID or null");
    return v.get<std::string>();
}

std::int64_t positive_field(const sales::bus::Event& event, const char* field) {
    const auto& v = field_of(event, field);
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
        throw poison(event, std::string("data.") + field + " must be a positive integer");
    return v.get<std::int64_t>();
}

}  // namespace contract::app
