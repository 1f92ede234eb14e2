#include "app/project_events.hpp"

#include "domain/project_ref.hpp"
#include "sales/log.hpp"

namespace contract::app {

void apply_project_event(sales::db::Tx& tx, const sales::bus::Event& event) {
    std::string problem;
    const auto ref = domain::project_from_event(event.data, problem);
    if (!ref)
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);

    const auto held =
        tx.exec_maybe_one("SELECT version FROM project_refs WHERE project_id = $1::uuid FOR UPDATE",
                          {ref->project_id});
    const std::int64_t held_version = held ? held->int64("version") : 0;
    if (domain::supersedes(ref->version, held_version)) {
        tx.exec(
            "INSERT INTO project_refs (project_id, code, name, version) VALUES ($1::uuid, $2, $3, "
            "$4) "
            "ON CONFLICT (project_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, "
            "version = EXCLUDED.version, updated_at = now()",
            {ref->project_id, ref->code, ref->name, ref->version});
    }
    tx.exec(
        "INSERT INTO project_event_log (event_id, project_id, type) VALUES ($1::uuid, $2::uuid, "
        "$3)",
        {event.id, ref->project_id, event.type});
    sales::log::info(
        "project event applied",
        {{"event_id", event.id}, {"project_id", ref->project_id}, {"version", ref->version}});
}

}  // namespace contract::app
