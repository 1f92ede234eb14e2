#include "app/project_events.hpp"

#include "adapters/project_store.hpp"
#include "sales/log.hpp"

namespace contract::app {

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

    const auto held = project_store::find(tx, ref->project_id, /*for_update=*/true);
    if (!held) {
        if (!ref->code || !ref->name) {
            // Settings of a project whose created event has not been applied yet.
            throw sales::bus::RetryLater(event.type + " " + event.id + ": project " +
                                         ref->project_id + " is not known yet");
        }
        project_store::insert(tx, *ref, ref->settings.applied_to(domain::ProjectSettings{}));
    } else if (domain::supersedes(ref->version, held->version)) {
        project_store::update(tx, *ref, ref->settings.applied_to(held->settings));
    }
    project_store::log_event(tx, event.id, ref->project_id, event.type);
    sales::log::info(
        "project event applied",
        {{"event_id", event.id}, {"project_id", ref->project_id}, {"version", ref->version}});
}

}  // namespace contract::app
