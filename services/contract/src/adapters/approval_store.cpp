#include "adapters/approval_store.hpp"

#include "adapters/rows.hpp"
#include "sales/ids.hpp"

namespace contract::approval_store {
namespace {
using nlohmann::json;
using namespace sales::db;

const std::string kSelect = select_as_documents("approvals", "a", {"requested_at", "decided_at"}) +
                            "WHERE a.id = $1::uuid AND ($2::text IS NULL OR a.kind = $2) ";
const std::string kFind = kSelect;
const std::string kLock = kSelect + "FOR UPDATE OF a";

constexpr const char* kInsert = R"sql(
INSERT INTO approvals (id, kind, project_id, subscription_id, contract_id, discount_fen, reason,
    status, requested_by)
VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7, 'requested', $8))sql";

constexpr const char* kDecide = R"sql(
UPDATE approvals SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4
WHERE id = $1::uuid)sql";

constexpr const char* kMarkUsed =
    "UPDATE approvals SET used_by_contract_id = $2::uuid WHERE id = $1::uuid";

std::optional<std::string> text_of(const json& doc, const char* field) {
    const auto& value = doc.at(field);
    return value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt;
}

domain::Approval approval_from(const json& doc) {
    domain::Approval a;
    a.id = doc.at("id");
    a.kind = *domain::parse_approval_kind(doc.at("kind").get<std::string>());
    a.status = doc.at("status");
    a.subscription_id = text_of(doc, "subscription_id");
    a.contract_id = text_of(doc, "contract_id");
    if (doc.at("discount_fen").is_number_integer())
        a.discount_fen = doc.at("discount_fen");
    a.used_by_contract_id = text_of(doc, "used_by_contract_id");
    return a;
}

}  // namespace

std::optional<Found> find(Tx& tx, const std::string& id, std::optional<domain::ApprovalKind> kind,
                          bool for_update) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    const auto row = tx.exec_maybe_one(
        for_update ? kLock : kFind,
        {id, kind ? param(std::string(domain::to_string(*kind))) : sales::db::Param(nullptr)});
    if (!row)
        return std::nullopt;
    auto doc = json::parse(row->text("doc"));
    auto approval = approval_from(doc);
    std::string project_id = doc.at("project_id");
    return Found{std::move(doc), std::move(approval), std::move(project_id)};
}

void insert(Tx& tx, const NewApproval& a) {
    tx.exec(kInsert,
            {a.id, std::string(domain::to_string(a.kind)), a.project_id, param(a.subscription_id),
             param(a.contract_id), param(a.discount_fen), a.reason, a.requested_by});
}

void decide(Tx& tx, const std::string& id, bool approve, const std::string& actor,
            const std::string& note) {
    tx.exec(kDecide, {id, std::string(approve ? "approved" : "rejected"), actor, note});
}

void mark_used(Tx& tx, const std::string& id, const std::string& contract_id) {
    tx.exec(kMarkUsed, {id, contract_id});
}

}  // namespace contract::approval_store
