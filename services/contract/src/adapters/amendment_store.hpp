#pragma once
// amendments (CON-5) and contract_refund_requests (CON-6): the requests a contract's audit or
// the finance director decides.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "sales/db.hpp"

namespace contract::amendment_store {

struct NewAmendment {
    std::string id;
    std::string contract_id;
    nlohmann::json changes;
    nlohmann::json new_terms;
    std::string reason;
    std::string requested_by;
    std::optional<std::string> new_unit_id;  // CON-5 换房: held in inventory under the amendment id
};
// False when the contract already has an amendment in audit (one open at a time).
bool insert(sales::db::Tx& tx, const NewAmendment& amendment);

struct Amendment {
    std::string contract_id;
    std::string status;  // in_audit | approved | rejected
    nlohmann::json new_terms;
};
std::optional<Amendment> find(sales::db::Tx& tx, const std::string& id);
// Decided: approved or rejected.
void set_status(sales::db::Tx& tx, const std::string& id, const std::string& status);
// The contract's amendment in audit, if any, is rejected (the contract was cancelled). Returns
// the hold it had on a new unit (CON-5 换房), to release in inventory.
struct UnitHold {
    std::string amendment_id;  // the hold's id in inventory
    std::string unit_id;
};
std::optional<UnitHold> reject_open(sales::db::Tx& tx, const std::string& contract_id);
// As the API shows it.
nlohmann::json document(sales::db::Tx& tx, const std::string& id);
nlohmann::json for_contract(sales::db::Tx& tx, const std::string& contract_id);

}  // namespace contract::amendment_store

namespace contract::refund_request_store {

// False when the contract already has a refund request awaiting a decision.
bool insert(sales::db::Tx& tx, const std::string& contract_id, const domain::RefundRequest& request,
            const std::string& requested_by);
// The request awaiting a decision, locked; nullopt when none.
std::optional<domain::RefundRequest> lock_open(sales::db::Tx& tx, const std::string& contract_id);
void decide(sales::db::Tx& tx, const std::string& id, bool approve, const std::string& actor,
            const std::string& note);
nlohmann::json for_contract(sales::db::Tx& tx, const std::string& contract_id);

// An approved request whose refund finance has not reported paid, locked, with its contract.
struct Approved {
    std::string contract_id;
    domain::RefundRequest request;
};
std::optional<Approved> lock_approved_unpaid(sales::db::Tx& tx, const std::string& id);
// CON-6: finance paid the refund under its approval `approval_id`.
void mark_paid(sales::db::Tx& tx, const std::string& id, const std::string& approval_id);

}  // namespace contract::refund_request_store
