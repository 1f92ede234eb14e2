#pragma once
// FIN-5 dunning notices in PostgreSQL: which overdue schedule items were announced to the owning
// rep, and which of those are settled.
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sales/db.hpp"

namespace finance::adapters {

// Contracts after `cursor` (by id) with an item due before `today` and not cleared, or with a
// notice still open; at most `limit`.
std::vector<std::string> dunning_candidates(sales::db::Tx& tx, const std::string& today,
                                            const std::string& cursor, std::int64_t limit);
// Locks the contract unless another transaction holds it (replicas sweep in parallel).
bool lock_contract_unless_busy(sales::db::Tx& tx, const std::string& contract_id);

struct DunningParties {
    std::string rep_id;
    std::string customer_id;
    bool cancelled = false;
};
DunningParties dunning_parties(sales::db::Tx& tx, const std::string& contract_id);

// Open notices as (seq, due date).
std::set<std::pair<int, std::string>> open_notices(sales::db::Tx& tx,
                                                   const std::string& contract_id);
// False when this item (contract, seq, due date) was announced before.
bool insert_notice(sales::db::Tx& tx, const std::string& contract_id, int seq,
                   const std::string& due_date, std::int64_t outstanding_fen);
void settle_notice(sales::db::Tx& tx, const std::string& contract_id, int seq,
                   const std::string& due_date);

}  // namespace finance::adapters
