#include "adapters/dunning_store.hpp"

namespace customer::adapters {
namespace {
constexpr const char* kOpenTask = R"sql(
INSERT INTO dunning_tasks (contract_id, seq, due_date, project_id, customer_id, rep_id,
                           contract_no, kind, outstanding_fen, overdue_days)
VALUES ($1::uuid, $2, $3::date, $4::uuid, $5::uuid, $6, $7, $8, $9, $10)
ON CONFLICT DO NOTHING)sql";
constexpr const char* kCloseTask = R"sql(
UPDATE dunning_tasks SET closed_at = now()
WHERE contract_id = $1::uuid AND seq = $2 AND due_date = $3::date AND closed_at IS NULL)sql";
constexpr const char* kOpenTasksOfRep = R"sql(
SELECT contract_id::text AS contract_id, seq, due_date::text AS due_date,
       project_id::text AS project_id, customer_id::text AS customer_id, contract_no, kind,
       outstanding_fen, (current_date - due_date) AS overdue_days
FROM dunning_tasks WHERE rep_id = $1 AND closed_at IS NULL
ORDER BY due_date, contract_no, seq LIMIT 500)sql";
}  // namespace

bool open_dunning_task(sales::db::Tx& tx, const NewDunningTask& t) {
    return tx.exec(kOpenTask, {t.contract_id, t.seq, t.due_date, t.project_id, t.customer_id,
                               t.rep_id, t.contract_no, t.kind, t.outstanding_fen, t.overdue_days})
               .affected_rows() > 0;
}

void close_dunning_task(sales::db::Tx& tx, const std::string& contract_id, std::int64_t seq,
                        const std::string& due_date) {
    tx.exec(kCloseTask, {contract_id, seq, due_date});
}

sales::db::Result open_dunning_tasks_of(sales::db::Tx& tx, const std::string& rep_id) {
    return tx.exec(kOpenTasksOfRep, {rep_id});
}

}  // namespace customer::adapters
