#pragma once
// CON-10 area settlements in PostgreSQL.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace contract::area_settlement_store {

struct NewSettlement {
    std::string id;
    std::string contract_id;
    std::string unit_id;
    std::string survey_id;
    std::string pricing_basis;
    std::int64_t price_fen = 0;
    nlohmann::json gross;
    nlohmann::json internal;  // null when the contract's internal area is not recorded
    std::string status;
};

// The live (not cancelled) contract of a unit, locked; nullopt when the unit has none.
std::optional<std::string> lock_live_contract_of_unit(sales::db::Tx& tx,
                                                      const std::string& unit_id);
// Marks the contract's earlier settlements superseded; false (nothing written) when this survey
// was settled for the contract already.
bool insert(sales::db::Tx& tx, const NewSettlement& s);
// How many settlements the contract has (the sequence of its settlement events).
std::int64_t count(sales::db::Tx& tx, const std::string& contract_id);
// The contract's settlements, newest first.
nlohmann::json list(sales::db::Tx& tx, const std::string& contract_id);
// One settlement as the API shows it.
nlohmann::json document(sales::db::Tx& tx, const std::string& id);

// A settlement as its later steps need it.
struct Held {
    std::string id;
    std::string contract_id;
    std::string status;
    std::int64_t buyer_pays_fen = 0;         // of the applied settlement (the pricing basis)
    std::int64_t developer_refunds_fen = 0;  // of the applied settlement
    std::int64_t settled_price_fen = 0;
    std::optional<std::string> cancellation_request_id;
};
// The settlement's contract (not locked); nullopt when unknown.
std::optional<std::string> contract_of(sales::db::Tx& tx, const std::string& id);
// Locked FOR UPDATE; nullopt when unknown.
std::optional<Held> lock(sales::db::Tx& tx, const std::string& id);
// The settlement a cancellation request came from (REG-1 cancel choice), locked.
std::optional<Held> lock_by_cancellation_request(sales::db::Tx& tx, const std::string& request_id);
// Whether the contract has a settlement a later survey may not replace (chosen, agreed, …).
bool has_binding_settlement(sales::db::Tx& tx, const std::string& contract_id);
bool agreement_no_taken(sales::db::Tx& tx, const std::string& agreement_no);

void set_status(sales::db::Tx& tx, const std::string& id, const std::string& status);
void set_choice(sales::db::Tx& tx, const std::string& id, const std::string& status,
                const std::string& choice, const std::string& note, const std::string& actor,
                const std::optional<std::string>& cancellation_request_id,
                std::optional<std::int64_t> refund_interest_fen);
void set_agreement(sales::db::Tx& tx, const std::string& id, const std::string& status,
                   const std::string& agreement_no, const std::string& signed_on,
                   const std::optional<std::string>& payment_due_date, const std::string& actor);
void set_settled(sales::db::Tx& tx, const std::string& id, const std::string& how);
void set_invoice(sales::db::Tx& tx, const std::string& id, const std::string& invoice_no,
                 const std::string& invoice_date, const std::string& actor);

}  // namespace contract::area_settlement_store
