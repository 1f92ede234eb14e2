#pragma once
// FIN-5 dunning tasks 催款 of the reps, in PostgreSQL.
#include <cstdint>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

struct NewDunningTask {
    std::string contract_id;
    std::int64_t seq = 0;
    std::string due_date;
    std::string project_id;
    std::string customer_id;
    std::string rep_id;
    std::string contract_no;
    std::string kind;
    std::int64_t outstanding_fen = 0;
    std::int64_t overdue_days = 0;
};
// False when the item already has its task.
bool open_dunning_task(sales::db::Tx& tx, const NewDunningTask& task);
void close_dunning_task(sales::db::Tx& tx, const std::string& contract_id, std::int64_t seq,
                        const std::string& due_date);
// The rep's open tasks, oldest due first (at most 500): contract_id, seq, due_date, project_id,
// customer_id, contract_no, kind, outstanding_fen, overdue_days (as of today).
sales::db::Result open_dunning_tasks_of(sales::db::Tx& tx, const std::string& rep_id);

}  // namespace customer::adapters
