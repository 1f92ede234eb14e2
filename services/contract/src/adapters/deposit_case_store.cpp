#include "adapters/deposit_case_store.hpp"

#include "adapters/rows.hpp"

namespace contract::deposit_case_store {
namespace {
using namespace sales::db;

constexpr const char* kInsert = R"sql(
INSERT INTO deposit_cases (id, project_id, subscription_id, unit_id, kind, receipt_no, entry_id,
    amount_fen, paid_at, deposit_deadline, why, event_id)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7::uuid, $8, $9::timestamptz,
    $10::timestamptz, $11, $12::uuid)
ON CONFLICT (event_id) DO NOTHING)sql";

const std::string kSelect =
    select_as_documents("deposit_cases", "c",
                        {"paid_at", "deposit_deadline", "resolved_at", "created_at"}, {"event_id"});

const std::string kList = kSelect +
                          "WHERE ($1::text IS NULL OR c.state = $1::text) "
                          "AND ($2::uuid IS NULL OR c.project_id = $2::uuid) "
                          "AND ($3::text[] IS NULL OR c.project_id::text = ANY ($3::text[])) "
                          "ORDER BY c.created_at, c.id LIMIT $4 OFFSET $5";

const std::string kLock = kSelect + "WHERE c.id = $1::uuid FOR UPDATE OF c";

constexpr const char* kResolve = R"sql(
UPDATE deposit_cases SET state = 'resolved', resolution = $2, resolved_by = $3, resolved_at = now()
WHERE id = $1::uuid AND state = 'open')sql";

nlohmann::json document(const Row& r) {
    return nlohmann::json::parse(r.text("doc"));
}

}  // namespace

bool open(Tx& tx, const NewCase& c) {
    return tx.exec(kInsert, {c.id, c.project_id, c.subscription_id, c.unit_id, c.kind,
                             param(c.receipt_no), param(c.entry_id), c.amount_fen, param(c.paid_at),
                             c.deposit_deadline, c.why, c.event_id})
               .affected_rows() > 0;
}

std::vector<nlohmann::json> list(Tx& tx, const Filter& filter,
                                 const std::optional<std::vector<std::string>>& projects) {
    std::vector<nlohmann::json> out;
    for (const auto& row : tx.exec(kList, {param(filter.state), param(filter.project_id),
                                           param(projects), filter.limit, filter.offset}))
        out.push_back(document(row));
    return out;
}

std::optional<nlohmann::json> lock(Tx& tx, const std::string& id) {
    const auto row = row_by_id(tx, kLock, id);
    return row ? std::optional(document(*row)) : std::nullopt;
}

bool resolve(Tx& tx, const std::string& id, const std::string& resolution,
             const std::string& actor) {
    return tx.exec(kResolve, {id, resolution, actor}).affected_rows() > 0;
}

}  // namespace contract::deposit_case_store
