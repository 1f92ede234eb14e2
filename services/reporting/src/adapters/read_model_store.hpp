#pragma once
// Writes of the read model (migrations/0001_read_model.sql), one statement each, in the inbox
// transaction of the event that causes them. Version-guarded upserts never let an older event
// overwrite a newer one.
#include <cstdint>
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace reporting::adapters {

using sales::db::Tx;

// Every table of the read model emptied (before a rebuild by replay).
void empty_read_model(Tx& tx);

void upsert_project(Tx& tx, const std::string& project_id, const std::string& code,
                    const std::string& name, std::int64_t version);

struct UnitRow {
    std::string unit_id, project_id, building_id, unit_number;
    std::optional<std::string> building_name, layout;
    std::string status;
    std::optional<std::int64_t> gross_area_centi_m2, list_total_fen;
    std::int64_t version = 0;
    std::string changed_at;  // RFC 3339
};
void upsert_unit(Tx& tx, const UnitRow& unit);
void update_unit_price(Tx& tx, const std::string& unit_id, std::int64_t gross_area_centi_m2,
                       std::int64_t list_total_fen, std::int64_t version);

void insert_customer(Tx& tx, const std::string& customer_id, const std::string& project_id,
                     const std::string& owner_id, const std::string& channel,
                     const std::string& received_on);

struct SubscriptionRow {
    std::string subscription_id, project_id, unit_id, customer_id, rep_id, status;
    std::int64_t price_fen = 0;
    std::string created_on;  // YYYY-MM-DD
    std::int64_t version = 0;
};
// The subscription's price before this event (for a swap's old price), if known.
std::optional<std::int64_t> subscription_price(Tx& tx, const std::string& subscription_id);
void upsert_subscription(Tx& tx, const SubscriptionRow& subscription);

struct ContractRow {
    std::string contract_id, contract_no, subscription_id, project_id, unit_id, customer_id, rep_id,
        signed_at, signed_on, payment_plan;
    std::int64_t list_total_fen = 0, discount_fen = 0, price_fen = 0;
    std::optional<std::int64_t> gross_area_centi_m2;
    std::int64_t version = 1;
};
void insert_contract(Tx& tx, const ContractRow& contract);

struct ContractState {
    std::string contract_no, unit_id;
    std::int64_t price_fen = 0, version = 0;
};
std::optional<ContractState> contract_state(Tx& tx, const std::string& contract_id);

struct AmendedTerms {
    std::int64_t list_total_fen = 0, discount_fen = 0, price_fen = 0;
    std::string payment_plan;
    std::optional<std::string> unit_id;
    std::optional<std::int64_t> gross_area_centi_m2;
    std::int64_t version = 0;
};
void apply_terms(Tx& tx, const std::string& contract_id, const AmendedTerms& terms);

void insert_amendment(Tx& tx, const std::string& amendment_id, const std::string& contract_id,
                      const std::string& reason, const std::optional<std::string>& old_unit_id,
                      const std::optional<std::string>& new_unit_id,
                      const std::string& requested_at);
std::optional<std::string> amendment_reason(Tx& tx, const std::string& amendment_id);

struct UnitChangeRow {
    std::string change_id, stage, project_id, subscription_id;
    std::optional<std::string> contract_id;
    std::string old_unit_id, new_unit_id;
    std::optional<std::int64_t> old_price_fen;
    std::int64_t new_price_fen = 0;
    std::optional<std::string> reason, approved_by;
    std::string changed_at, changed_on;
};
void insert_unit_change(Tx& tx, const UnitChangeRow& change);

void mark_cancelling(Tx& tx, const std::string& contract_id, const std::string& reason,
                     const std::optional<std::string>& approved_by, std::int64_t refund_fen);
void mark_cancelled(Tx& tx, const std::string& contract_id, const std::string& cancelled_at,
                    const std::string& cancelled_on, const std::string& reason,
                    const std::optional<std::string>& approved_by, std::int64_t refund_fen);
void mark_handed_over(Tx& tx, const std::string& contract_id, const std::string& handed_over_on);

struct LedgerRow {
    std::string entry_id, project_id;
    std::optional<std::string> contract_id, subscription_id;
    std::string category;
    std::int64_t amount_fen = 0;
    std::optional<std::string> receipt_no;
    std::string paid_at, paid_on;
    std::optional<std::string> reverses_entry_id, reversed_category;
};
void insert_ledger_entry(Tx& tx, const LedgerRow& entry);

struct MortgageRow {
    std::string mortgage_id, contract_id, project_id, contract_no, status, loan_kind;
    std::int64_t loan_fen = 0;
    std::optional<std::int64_t> approved_fen;
    std::int64_t disbursed_fen = 0;
    std::optional<std::string> bank_name, due_on;
    bool overdue = false;
    std::int64_t version = 0;
    std::string changed_at;
};
void upsert_mortgage(Tx& tx, const MortgageRow& mortgage);

}  // namespace reporting::adapters
