#pragma once
// CON-8 mortgage files in PostgreSQL: the file (joined with its contract's number and state), its
// document trail, the loan disbursements finance recorded, the history and the per-project
// deadlines; the one way a file's change is saved — row, history row and outbox event in the
// caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/mortgage.hpp"
#include "sales/db.hpp"

namespace contract::mortgage_store {

// The file by id, or by its contract, locked FOR UPDATE when `for_update`; nullopt when unknown
// (or not a UUID).
std::optional<domain::MortgageFile> find(sales::db::Tx& tx, const std::string& id, bool for_update);
std::optional<domain::MortgageFile> find_by_contract(sales::db::Tx& tx,
                                                     const std::string& contract_id,
                                                     bool for_update);
// The contract's state ("in_audit" … "cancelled") and customer/unit, for the API.
struct ContractRef {
    std::string status;
    std::string customer_id;
    std::string unit_id;
    std::string handover_state;
};
ContractRef contract_ref(sales::db::Tx& tx, const std::string& contract_id);

// The new file (version 1); saved with save(opened change) right after.
void insert(sales::db::Tx& tx, const domain::MortgageFile& m);
// Writes a change: the row (if still at change.from_version: Failure conflict
// "concurrent_change" otherwise; nothing to update when the change opened the file), the
// mortgage_history row and the event.
void save(sales::db::Tx& tx, const domain::MortgageFile& after,
          const domain::MortgageChange& change);

// The checklist's trail: who marked each document, when.
void mark_documents(sales::db::Tx& tx, const std::string& mortgage_id,
                    const std::vector<domain::DocumentMark>& marks, const std::string& actor);
// {document: {received, recorded_by, recorded_at}}.
nlohmann::json document_trail(sales::db::Tx& tx, const std::string& mortgage_id);

// A loan_disbursement entry applied to the file; false when it was applied already.
struct Disbursement {
    std::string entry_id;
    std::string mortgage_id;
    std::int64_t amount_fen = 0;
    std::optional<std::string> receipt_no;
    std::string paid_at;  // RFC 3339
    std::string event_id;
    std::optional<std::string> reversed_by_entry_id;
};
bool record_disbursement(sales::db::Tx& tx, const Disbursement& d);
std::optional<Disbursement> lock_disbursement(sales::db::Tx& tx, const std::string& entry_id);
void mark_disbursement_reversed(sales::db::Tx& tx, const std::string& entry_id,
                                const std::string& reversal_entry_id);
// The file's disbursements, oldest first.
nlohmann::json disbursements(sales::db::Tx& tx, const std::string& mortgage_id);
// The file's history, oldest first.
nlohmann::json history(sales::db::Tx& tx, const std::string& mortgage_id);

// Per-project deadlines (defaults for a project without a row).
domain::MortgageSettings settings(sales::db::Tx& tx, const std::string& project_id);
struct SettingsChange {
    std::optional<std::int64_t> documents_due_days;
    std::optional<std::int64_t> decision_due_days;
};
// Applies the change; returns the settings afterwards {project_id, documents_due_days,
// decision_due_days}.
nlohmann::json change_settings(sales::db::Tx& tx, const std::string& project_id,
                               const SettingsChange& change, const std::string& actor);
nlohmann::json settings_json(const std::string& project_id, const domain::MortgageSettings& s);

// 按揭情况列表: files of live (not cancelled) contracts.
struct ListFilter {
    std::optional<std::string> project_id;
    std::optional<domain::MortgageStatus> status;
    std::optional<std::string> bank;  // bank name contains (case-insensitive)
    bool overdue_only = false;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
// {items: [file + contract_status, customer_id, unit_id], total (matching the filter),
//  totals: {status: count} (the filter without status and overdue_only), overdue (count)}.
nlohmann::json list(sales::db::Tx& tx, const ListFilter& filter,
                    const std::optional<std::vector<std::string>>& projects, sales::Date today);

}  // namespace contract::mortgage_store
