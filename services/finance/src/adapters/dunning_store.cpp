#include "adapters/dunning_store.hpp"

namespace finance::adapters {
namespace {
using namespace sales::db;

constexpr const char* kCandidates = R"sql(
SELECT c.contract_id::text AS contract_id FROM contracts c
WHERE c.contract_id > $2::uuid AND (
    (NOT c.cleared AND c.cancelled_at IS NULL AND EXISTS (
        SELECT 1 FROM schedule_items s WHERE s.contract_id = c.contract_id AND s.due_date < $1::date))
    OR EXISTS (SELECT 1 FROM dunning_notices n WHERE n.contract_id = c.contract_id
               AND n.settled_at IS NULL))
ORDER BY c.contract_id LIMIT $3)sql";
constexpr const char* kLockUnlessBusy = R"sql(
SELECT 1 FROM contracts WHERE contract_id = $1::uuid FOR UPDATE SKIP LOCKED)sql";
constexpr const char* kParties = R"sql(
SELECT rep_id, customer_id::text AS customer_id, cancelled_at IS NOT NULL AS cancelled
FROM contracts WHERE contract_id = $1::uuid)sql";
constexpr const char* kOpenNotices = R"sql(
SELECT seq, due_date::text AS due_date FROM dunning_notices
WHERE contract_id = $1::uuid AND settled_at IS NULL)sql";
constexpr const char* kNotify = R"sql(
INSERT INTO dunning_notices (contract_id, seq, due_date, outstanding_fen)
VALUES ($1::uuid, $2, $3::date, $4) ON CONFLICT DO NOTHING)sql";
constexpr const char* kSettle = R"sql(
UPDATE dunning_notices SET settled_at = now()
WHERE contract_id = $1::uuid AND seq = $2 AND due_date = $3::date AND settled_at IS NULL)sql";
}  // namespace

std::vector<std::string> dunning_candidates(Tx& tx, const std::string& today,
                                            const std::string& cursor, std::int64_t limit) {
    std::vector<std::string> out;
    for (const auto& r : tx.exec(kCandidates, {today, cursor, limit}))
        out.push_back(r.text("contract_id"));
    return out;
}

bool lock_contract_unless_busy(Tx& tx, const std::string& contract_id) {
    return tx.exec_maybe_one(kLockUnlessBusy, {contract_id}).has_value();
}

DunningParties dunning_parties(Tx& tx, const std::string& contract_id) {
    const auto r = tx.exec_one(kParties, {contract_id});
    return {r.text("rep_id"), r.text("customer_id"), r.boolean("cancelled")};
}

std::set<std::pair<int, std::string>> open_notices(Tx& tx, const std::string& contract_id) {
    std::set<std::pair<int, std::string>> out;
    for (const auto& r : tx.exec(kOpenNotices, {contract_id}))
        out.emplace(static_cast<int>(r.int64("seq")), r.text("due_date"));
    return out;
}

bool insert_notice(Tx& tx, const std::string& contract_id, int seq, const std::string& due_date,
                   std::int64_t outstanding_fen) {
    return tx.exec(kNotify, {contract_id, seq, due_date, outstanding_fen}).affected_rows() > 0;
}

void settle_notice(Tx& tx, const std::string& contract_id, int seq, const std::string& due_date) {
    tx.exec(kSettle, {contract_id, seq, due_date});
}

}  // namespace finance::adapters
