#include "app/dunning.hpp"

#include "adapters/dunning_store.hpp"

#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {

[[noreturn]] void dunning_poison(const sales::bus::Event& event, const std::string& problem) {
    throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + problem);
}

std::string dunning_text(const sales::bus::Event& event, const char* field, bool uuid = false) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        dunning_poison(event, std::string(field) + " must be a non-empty string");
    if (uuid && !sales::is_uuid(it->get<std::string>()))
        dunning_poison(event, std::string(field) + " must be a UUID");
    return it->get<std::string>();
}

std::int64_t dunning_integer(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_number_integer())
        dunning_poison(event, std::string(field) + " must be an integer");
    return it->get<std::int64_t>();
}

}  // namespace

void apply_instalment_event(sales::db::Tx& tx, const sales::bus::Event& event) {
    const auto contract_id = dunning_text(event, "contract_id", true);
    const auto seq = dunning_integer(event, "seq");
    const auto due_date = dunning_text(event, "due_date");
    if (event.type == "finance.instalment.overdue") {
        const bool opened = adapters::open_dunning_task(
            tx,
            {contract_id, seq, due_date, dunning_text(event, "project_id", true),
             dunning_text(event, "customer_id", true), dunning_text(event, "rep_id"),
             dunning_text(event, "contract_no"), dunning_text(event, "kind"),
             dunning_integer(event, "outstanding_fen"), dunning_integer(event, "overdue_days")});
        if (opened) {
            sales::log::info("dunning task opened for the owning rep (FIN-5)",
                             {{"contract_id", contract_id}, {"seq", seq}});
        }
    } else if (event.type == "finance.instalment.settled") {
        adapters::close_dunning_task(tx, contract_id, seq, due_date);
    }
}

nlohmann::json open_dunning_tasks(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& rep_id) {
    return in_projects(
        caller, adapters::open_dunning_tasks_of(tx, rep_id), [](const sales::db::Row& r) {
            auto out = row_json(
                r, {"contract_id", "due_date", "project_id", "customer_id", "contract_no", "kind"});
            out["seq"] = r.int64("seq");
            out["outstanding_fen"] = r.int64("outstanding_fen");
            out["overdue_days"] = r.int64("overdue_days");
            return out;
        });
}

}  // namespace customer::app
