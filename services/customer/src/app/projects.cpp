#include "app/projects.hpp"

#include "adapters/project_store.hpp"
#include "sales/ids.hpp"
#include "sales/input.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {

nlohmann::json settings_json(const std::string& project_id, const domain::Settings& s) {
    nlohmann::json out{{"project_id", project_id}};
    for (const auto& range : domain::setting_ranges())
        out[range.name] = s.*range.value;
    return out;
}

// The customer settings an inventory event may carry; a mistyped one makes the event poison.
domain::SettingsChange change_from_event(const nlohmann::json& data, const std::string& where) {
    const auto nested = data.find("settings");
    const auto& source = nested != data.end() && nested->is_object() ? *nested : data;
    domain::SettingsChange change;
    for (const auto& range : domain::setting_ranges()) {
        const auto it = source.find(range.name);
        if (it == source.end() || it->is_null())
            continue;
        if (!it->is_number_integer())
            throw sales::bus::PoisonMessage(where + ": data." + range.name + " must be an integer");
        change.*range.change = it->get<std::int64_t>();
    }
    return change;
}

}  // namespace

void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event) {
    const auto where = event.type + " " + event.id;
    const auto& data = event.data;
    const bool created = event.type == kProjectCreated;
    if (!data.is_object() || !data.contains("id") || !data["id"].is_string() ||
        !sales::is_uuid(data["id"].get<std::string>())) {
        throw sales::bus::PoisonMessage(where + ": data.id must be a UUID");
    }
    if (!data.contains("version") || !data["version"].is_number_integer() ||
        data["version"].get<std::int64_t>() < 1) {
        throw sales::bus::PoisonMessage(where + ": data.version must be a positive integer");
    }
    std::optional<std::string> code, name;
    for (auto [field, target] : {std::pair{"code", &code}, std::pair{"name", &name}}) {
        const auto it = data.find(field);
        if (it == data.end() || it->is_null()) {
            if (created)
                throw sales::bus::PoisonMessage(where + ": data." + field + " is required");
            continue;
        }
        if (!it->is_string() || it->get_ref<const std::string&>().empty())
            throw sales::bus::PoisonMessage(where + ": data." + field +
                                            " must be a non-empty string");
        *target = it->get<std::string>();
    }
    const std::string project_id = data["id"];
    const auto version = data["version"].get<std::int64_t>();
    const auto change = change_from_event(data, where);

    const auto held = adapters::lock_project(tx, project_id);
    if (!held) {
        if (!code || !name)
            throw sales::bus::RetryLater(where + ": project " + project_id + " is not known yet");
        adapters::insert_project(tx, project_id, *code, *name, version);
    } else if (version > held->version) {
        adapters::update_project(tx, project_id, code, name, version);
    } else {
        return;  // older or repeated: never roll a project back
    }
    std::vector<domain::FieldProblem> problems;
    const auto current = held ? held->settings : domain::Settings{};
    const auto next = domain::apply(current, change, problems);
    if (!problems.empty()) {
        // Keep the project (code/name), ignore settings the customer service cannot accept.
        sales::log::warn("project event carries customer settings out of range; kept current",
                         {{"event_id", event.id},
                          {"project_id", project_id},
                          {"field", problems[0].field},
                          {"problem", problems[0].problem}});
    } else {
        adapters::write_settings(tx, project_id, next, "inventory");
    }
    sales::log::info("project event applied",
                     {{"event_id", event.id}, {"project_id", project_id}, {"version", version}});
}

nlohmann::json get_settings(const Context& ctx, const Caller& caller,
                            const std::string& project_id) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        return settings_json(project_id, project_settings(tx, caller, project_id));
    });
}

nlohmann::json patch_settings(const Context& ctx, const Caller& caller,
                              const std::string& project_id, const domain::SettingsChange& change) {
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto current = project_settings(tx, caller, project_id);
        std::vector<domain::FieldProblem> problems;
        const auto next = domain::apply(current, change, problems);
        sales::service::Problems refused;
        for (const auto& p : problems)
            refused.add(p.field, p.problem);
        refused.check();
        adapters::write_settings(tx, project_id, next, caller.id());
        sales::log::info("customer settings changed",
                         {{"project_id", project_id}, {"by", caller.id()}});
        return settings_json(project_id, next);
    });
}

}  // namespace customer::app
