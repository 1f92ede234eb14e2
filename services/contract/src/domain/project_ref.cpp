#include "domain/project_ref.hpp"

#include "sales/ids.hpp"

namespace contract::domain {
namespace {

// Reads an optional integer setting within [min, max]; false (with `problem`) if mistyped.
bool read_setting(const nlohmann::json& source, const char* field, std::int64_t min,
                  std::int64_t max, std::optional<std::int64_t>& out, std::string& problem) {
    const auto it = source.find(field);
    if (it == source.end() || it->is_null())
        return true;
    if (!it->is_number_integer() || it->get<std::int64_t>() < min ||
        it->get<std::int64_t>() > max) {
        problem = std::string("data.") + field + " must be an integer between " +
                  std::to_string(min) + " and " + std::to_string(max);
        return false;
    }
    out = it->get<std::int64_t>();
    return true;
}

}  // namespace

ProjectSettings SettingsChange::applied_to(ProjectSettings current) const {
    current.deposit_deadline_seconds =
        deposit_deadline_seconds.value_or(current.deposit_deadline_seconds);
    current.signing_deadline_days = signing_deadline_days.value_or(current.signing_deadline_days);
    current.deposit_cap_percent = deposit_cap_percent.value_or(current.deposit_cap_percent);
    return current;
}

std::optional<ProjectRef> project_from_event(const nlohmann::json& data, std::string& problem,
                                             ProjectEvent kind) {
    if (!data.is_object()) {
        problem = "data is not an object";
        return std::nullopt;
    }
    ProjectRef ref;
    if (!data.contains("id") || !data["id"].is_string() ||
        data["id"].get_ref<const std::string&>().empty()) {
        problem = "data.id must be a non-empty string";
        return std::nullopt;
    }
    ref.project_id = data["id"];
    for (auto [field, target] : {std::pair{"code", &ref.code}, std::pair{"name", &ref.name}}) {
        if (!data.contains(field) && kind == ProjectEvent::settings_changed)
            continue;
        if (!data[field].is_string() || data[field].get_ref<const std::string&>().empty()) {
            problem = std::string("data.") + field + " must be a non-empty string";
            return std::nullopt;
        }
        *target = data[field].get<std::string>();
    }
    if (!data.contains("version") || !data["version"].is_number_integer() ||
        data["version"].get<std::int64_t>() < 1) {
        problem = "data.version must be a positive integer";
        return std::nullopt;
    }
    ref.version = data["version"].get<std::int64_t>();
    if (!sales::is_uuid(ref.project_id)) {
        problem = "data.id must be a UUID";
        return std::nullopt;
    }

    const auto nested = data.find("settings");
    const auto& source = nested != data.end() && nested->is_object() ? *nested : data;
    auto& s = ref.settings;
    // CON-1 deadline from 1 s (tests) to 30 days. REG-2: a project may lower the deposit cap,
    // never raise it above the legal 20%.
    if (!read_setting(source, "deposit_deadline_seconds", 1, 30LL * 24 * 3600,
                      s.deposit_deadline_seconds, problem) ||
        !read_setting(source, "signing_deadline_days", 1, 366, s.signing_deadline_days, problem) ||
        !read_setting(source, "deposit_cap_percent", 1, 20, s.deposit_cap_percent, problem)) {
        return std::nullopt;
    }
    return ref;
}

bool supersedes(std::int64_t incoming_version, std::int64_t held_version) {
    return incoming_version > held_version;
}

}  // namespace contract::domain
