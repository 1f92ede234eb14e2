#include "app/project_events.hpp"

#include "sales/log.hpp"

namespace contract::app {
namespace {
constexpr const char* kSelectSettings =
    "SELECT version, deposit_deadline_seconds, signing_deadline_days, deposit_cap_percent "
    "FROM project_refs WHERE project_id = $1::uuid ";

domain::ProjectSettings settings_from_row(const sales::db::Row& row) {
    return {row.int64("deposit_deadline_seconds"), row.int64("signing_deadline_days"),
            row.int64("deposit_cap_percent")};
}
}  // namespace

void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event) {
    // The consumer's filter is inventory.project.>: types other than these two are not ours.
    if (event.type != kProjectCreated && event.type != kProjectSettingsChanged)
        return;
    std::string problem;
    const auto ref = domain::project_from_event(event.data, problem,
                                                event.type == kProjectSettingsChanged
                                                    ? domain::ProjectEvent::settings_changed
                                                    : domain::ProjectEvent::created);
    if (!ref)
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);

    const auto held =
        tx.exec_maybe_one(std::string(kSelectSettings) + "FOR UPDATE", {ref->project_id});
    if (!held) {
        if (!ref->code || !ref->name) {
            // Settings of a project whose created event has not been applied yet.
            throw sales::bus::RetryLater(event.type + " " + event.id + ": project " +
                                         ref->project_id + " is not known yet");
        }
        const auto settings = ref->settings.applied_to(domain::ProjectSettings{});
        tx.exec(
            "INSERT INTO project_refs (project_id, code, name, version, deposit_deadline_seconds, "
            "signing_deadline_days, deposit_cap_percent) "
            "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7)",
            {ref->project_id, *ref->code, *ref->name, ref->version,
             settings.deposit_deadline_seconds, settings.signing_deadline_days,
             settings.deposit_cap_percent});
    } else if (domain::supersedes(ref->version, held->int64("version"))) {
        const auto settings = ref->settings.applied_to(settings_from_row(*held));
        tx.exec(
            "UPDATE project_refs SET code = coalesce($2, code), name = coalesce($3, name), "
            "version = $4, deposit_deadline_seconds = $5, signing_deadline_days = $6, "
            "deposit_cap_percent = $7, updated_at = now() WHERE project_id = $1::uuid",
            {ref->project_id, sales::db::param(ref->code), sales::db::param(ref->name),
             ref->version, settings.deposit_deadline_seconds, settings.signing_deadline_days,
             settings.deposit_cap_percent});
    }
    tx.exec(
        "INSERT INTO project_event_log (event_id, project_id, type) VALUES ($1::uuid, $2::uuid, "
        "$3)",
        {event.id, ref->project_id, event.type});
    sales::log::info(
        "project event applied",
        {{"event_id", event.id}, {"project_id", ref->project_id}, {"version", ref->version}});
}

std::optional<domain::ProjectSettings> project_settings(sales::db::Tx& tx,
                                                        const std::string& project_id) {
    const auto row = tx.exec_maybe_one(kSelectSettings, {project_id});
    if (!row)
        return std::nullopt;
    return settings_from_row(*row);
}

std::int64_t longest_deposit_deadline_seconds(sales::db::Tx& tx) {
    return tx
        .exec_one("SELECT coalesce(max(deposit_deadline_seconds), $1) FROM project_refs",
                  {domain::ProjectSettings{}.deposit_deadline_seconds})
        .int64(0);
}

}  // namespace contract::app
