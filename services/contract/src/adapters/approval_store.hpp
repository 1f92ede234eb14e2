#pragma once
// approvals: discount slips, late-signing approvals (CON-3) and early handovers (CON-9).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "sales/db.hpp"

namespace contract::approval_store {

struct Found {
    nlohmann::json doc;  // as the API shows it
    domain::Approval approval;
    std::string project_id;
};
// The approval (of `kind` when given), locked when `for_update`; nullopt when unknown.
std::optional<Found> find(sales::db::Tx& tx, const std::string& id,
                          std::optional<domain::ApprovalKind> kind, bool for_update);

struct NewApproval {
    std::string id;
    domain::ApprovalKind kind = domain::ApprovalKind::discount_slip;
    std::string project_id;
    std::optional<std::string> subscription_id;
    std::optional<std::string> contract_id;
    std::optional<std::int64_t> discount_fen;
    std::string reason;
    std::string requested_by;
};
void insert(sales::db::Tx& tx, const NewApproval& approval);
void decide(sales::db::Tx& tx, const std::string& id, bool approve, const std::string& actor,
            const std::string& note);
// Used by a signing (CON-3): never usable again.
void mark_used(sales::db::Tx& tx, const std::string& id, const std::string& contract_id);

}  // namespace contract::approval_store
