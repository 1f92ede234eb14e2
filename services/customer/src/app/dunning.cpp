#include "app/dunning.hpp"

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

constexpr const char* kOpen = R"sql(
INSERT INTO dunning_tasks (contract_id, seq, due_date, project_id, customer_id, rep_id,
                           contract_no, kind, outstanding_fen, overdue_days)
VALUES ($1::uuid, $2, $3::date, $4::uuid, $5::uuid, $6, $7, $8, $9, $10)
ON CONFLICT DO NOTHING)sql";
constexpr const char* kClose = R"sql(
UPDATE dunning_tasks SET closed_at = now()
WHERE contract_id = $1::uuid AND seq = $2 AND due_date = $3::date AND closed_at IS NULL)sql";
constexpr const char* kOpenOfRep = R"sql(
SELECT contract_id::text AS contract_id, seq, due_date::text AS due_date,
       project_id::text AS project_id, customer_id::text AS customer_id, contract_no, kind,
       outstanding_fen, (current_date - due_date) AS overdue_days
FROM dunning_tasks WHERE rep_id = $1 AND closed_at IS NULL
ORDER BY due_date, contract_no, seq LIMIT 500)sql";

}  // namespace

void apply_instalment_event(sales::db::Tx& tx, const sales::bus::Event& event) {
    const auto contract_id = dunning_text(event, "contract_id", true);
    const auto seq = dunning_integer(event, "seq");
    const auto due_date = dunning_text(event, "due_date");
    if (event.type == "finance.instalment.overdue") {
        const auto inserted =
            tx.exec(kOpen, {contract_id, seq, due_date, dunning_text(event, "project_id", true),
                            dunning_text(event, "customer_id", true), dunning_text(event, "rep_id"),
                            dunning_text(event, "contract_no"), dunning_text(event, "kind"),
                            dunning_integer(event, "outstanding_fen"),
                            dunning_integer(event, "overdue_days")})
                .affected_rows();
        if (inserted > 0) {
            sales::log::info("dunning task opened for the owning rep (FIN-5)",
                             {{"contract_id", contract_id}, {"seq", seq}});
        }
    } else if (event.type == "finance.instalment.settled") {
        tx.exec(kClose, {contract_id, seq, due_date});
    }
}

nlohmann::json open_dunning_tasks(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& rep_id) {
    return in_projects(caller, tx.exec(kOpenOfRep, {rep_id}), [](const sales::db::Row& r) {
        auto out = row_json(
            r, {"contract_id", "due_date", "project_id", "customer_id", "contract_no", "kind"});
        out["seq"] = r.int64("seq");
        out["outstanding_fen"] = r.int64("outstanding_fen");
        out["overdue_days"] = r.int64("overdue_days");
        return out;
    });
}

}  // namespace customer::app
