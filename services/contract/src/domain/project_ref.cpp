#include "domain/project_ref.hpp"

namespace contract::domain {

std::optional<ProjectRef> project_from_event(const nlohmann::json& data, std::string& problem) {
    if (!data.is_object()) {
        problem = "data is not an object";
        return std::nullopt;
    }
    for (const char* field : {"id", "code", "name"}) {
        if (!data.contains(field) || !data[field].is_string() ||
            data[field].get_ref<const std::string&>().empty()) {
            problem = std::string("data.") + field + " must be a non-empty string";
            return std::nullopt;
        }
    }
    if (!data.contains("version") || !data["version"].is_number_integer() ||
        data["version"].get<std::int64_t>() < 1) {
        problem = "data.version must be a positive integer";
        return std::nullopt;
    }
    return ProjectRef{data["id"], data["code"], data["name"], data["version"].get<std::int64_t>()};
}

bool supersedes(std::int64_t incoming_version, std::int64_t held_version) {
    return incoming_version > held_version;
}

}  // namespace contract::domain
