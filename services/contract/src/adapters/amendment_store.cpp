#include "adapters/amendment_store.hpp"

namespace contract {
namespace {
using nlohmann::json;
using sales::db::Tx;

json documents(Tx& tx, const std::string& sql, const std::string& id) {
    json out = json::array();
    for (const auto& r : tx.exec(sql, {id}))
        out.push_back(json::parse(r.text("doc")));
    return out;
}

}  // namespace

namespace amendment_store {
namespace {

constexpr const char* kInsert = R"sql(
INSERT INTO amendments (id, contract_id, status, changes, new_terms, reason, requested_by,
    new_unit_id)
VALUES ($1::uuid, $2::uuid, 'in_audit', $3::jsonb, $4::jsonb, $5, $6, $7::uuid)
ON CONFLICT DO NOTHING)sql";

constexpr const char* kFind = R"sql(
SELECT contract_id::text AS contract_id, status, new_terms::text AS new_terms
FROM amendments WHERE id = $1::uuid)sql";

constexpr const char* kSetStatus =
    "UPDATE amendments SET status = $2, decided_at = now() WHERE id = $1::uuid";

constexpr const char* kRejectOpen = R"sql(
UPDATE amendments SET status = 'rejected', decided_at = now()
WHERE contract_id = $1::uuid AND status = 'in_audit'
RETURNING id::text AS id, new_unit_id::text AS new_unit_id)sql";

constexpr const char* kDocument = R"sql(
SELECT (to_jsonb(a) - 'requested_at' - 'decided_at')::text AS doc
FROM amendments a WHERE id = $1::uuid)sql";

constexpr const char* kForContract = R"sql(
SELECT (to_jsonb(a) - 'requested_at' - 'decided_at')::text AS doc
FROM amendments a WHERE contract_id = $1::uuid ORDER BY requested_at)sql";

}  // namespace

bool insert(Tx& tx, const NewAmendment& a) {
    return tx.exec(kInsert, {a.id, a.contract_id, a.changes.dump(), a.new_terms.dump(), a.reason,
                             a.requested_by, sales::db::param(a.new_unit_id)})
               .affected_rows() > 0;
}

std::optional<Amendment> find(Tx& tx, const std::string& id) {
    const auto row = tx.exec_maybe_one(kFind, {id});
    if (!row)
        return std::nullopt;
    return Amendment{row->text("contract_id"), row->text("status"),
                     json::parse(row->text("new_terms"))};
}

void set_status(Tx& tx, const std::string& id, const std::string& status) {
    tx.exec(kSetStatus, {id, status});
}

std::optional<UnitHold> reject_open(Tx& tx, const std::string& contract_id) {
    const auto row = tx.exec_maybe_one(kRejectOpen, {contract_id});
    if (!row || !row->opt_text("new_unit_id"))
        return std::nullopt;
    return UnitHold{row->text("id"), *row->opt_text("new_unit_id")};
}

json document(Tx& tx, const std::string& id) {
    return json::parse(tx.exec_one(kDocument, {id}).text("doc"));
}

json for_contract(Tx& tx, const std::string& contract_id) {
    return documents(tx, kForContract, contract_id);
}

}  // namespace amendment_store

namespace refund_request_store {
namespace {

constexpr const char* kInsert = R"sql(
INSERT INTO contract_refund_requests (id, contract_id, refund_fen, reason, status, requested_by)
VALUES ($1::uuid, $2::uuid, $3, $4, 'requested', $5)
ON CONFLICT DO NOTHING)sql";

constexpr const char* kLockOpen = R"sql(
SELECT id::text AS id, refund_fen, reason FROM contract_refund_requests
WHERE contract_id = $1::uuid AND status = 'requested' FOR UPDATE)sql";

constexpr const char* kDecide = R"sql(
UPDATE contract_refund_requests SET status = $2, decided_by = $3, decided_at = now(),
    decision_note = $4
WHERE id = $1::uuid)sql";

constexpr const char* kForContract = R"sql(
SELECT (to_jsonb(r) - 'requested_at' - 'decided_at')::text AS doc
FROM contract_refund_requests r WHERE contract_id = $1::uuid ORDER BY requested_at)sql";

}  // namespace

bool insert(Tx& tx, const std::string& contract_id, const domain::RefundRequest& request,
            const std::string& requested_by) {
    return tx.exec(kInsert,
                   {request.id, contract_id, request.refund_fen, request.reason, requested_by})
               .affected_rows() > 0;
}

std::optional<domain::RefundRequest> lock_open(Tx& tx, const std::string& contract_id) {
    const auto row = tx.exec_maybe_one(kLockOpen, {contract_id});
    if (!row)
        return std::nullopt;
    return domain::RefundRequest{row->text("id"), row->int64("refund_fen"), row->text("reason")};
}

std::optional<Approved> lock_approved_unpaid(Tx& tx, const std::string& id) {
    const auto row = tx.exec_maybe_one(
        "SELECT contract_id::text AS contract_id, id::text AS id, refund_fen, reason "
        "FROM contract_refund_requests WHERE id = $1::uuid AND status = 'approved' "
        "AND refund_paid_at IS NULL FOR UPDATE",
        {id});
    if (!row)
        return std::nullopt;
    return Approved{row->text("contract_id"),
                    {row->text("id"), row->int64("refund_fen"), row->text("reason")}};
}

void mark_paid(Tx& tx, const std::string& id, const std::string& approval_id) {
    tx.exec(
        "UPDATE contract_refund_requests SET refund_paid_at = now(), "
        "refund_approval_id = $2::uuid WHERE id = $1::uuid",
        {id, approval_id});
}

void decide(Tx& tx, const std::string& id, bool approve, const std::string& actor,
            const std::string& note) {
    tx.exec(kDecide, {id, std::string(approve ? "approved" : "rejected"), actor, note});
}

json for_contract(Tx& tx, const std::string& contract_id) {
    return documents(tx, kForContract, contract_id);
}

}  // namespace refund_request_store
}  // namespace contract
