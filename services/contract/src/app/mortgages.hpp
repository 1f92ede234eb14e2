#pragma once
// The mortgage desk 按揭 (CON-8) use cases: load the file in the caller's projects, decide
// (domain/mortgage.hpp), save the change with its history row and event (adapters/
// mortgage_store) in one transaction; finance's loan disbursements and their reversals.
// Refusals are sales::Failure; nothing is written then. Events: docs/events.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/mortgage_store.hpp"
#include "app/context.hpp"
#include "domain/contract.hpp"
#include "domain/mortgage.hpp"
#include "sales/bus.hpp"
#include "sales/principal.hpp"

namespace contract::app {

inline constexpr const char* kPaymentRecorded = "finance.payment.recorded";
inline constexpr const char* kLoanDisbursement = "loan_disbursement";

// CON-8, in the signing transaction (after the contract's row): a contract whose plan is a
// mortgage gets its file (documents_pending, due per the project's settings) and
// contract.mortgage.opened; other plans nothing.
void open_mortgage_file(sales::db::Tx& tx, const domain::Contract& c, const domain::By& by);

// The file with its checklist trail, disbursements and history; Failure not_found
// "mortgage_not_found" when unknown or outside the caller's projects.
nlohmann::json find_mortgage(const Context& ctx, const sales::Principal& caller,
                             const std::string& id);
// The contract's file as GET /api/v1/contracts/{id} shows it (null when it has none).
nlohmann::json mortgage_of_contract(sales::db::Tx& tx, const std::string& contract_id,
                                    sales::Date today);

using MortgageListFilter = mortgage_store::ListFilter;
// 按揭情况列表 (project scope applied).
nlohmann::json list_mortgages(const Context& ctx, const sales::Principal& caller,
                              const MortgageListFilter& filter);

// The clerk's steps; each returns the file as find_mortgage does. A file whose contract was
// cancelled (CON-6) takes no step: Failure conflict "contract_cancelled".
nlohmann::json set_mortgage_loan(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, domain::LoanKind kind,
                                 std::optional<std::int64_t> provident_fund_fen,
                                 std::optional<std::int64_t> commercial_fen,
                                 const std::optional<std::string>& note);
nlohmann::json record_mortgage_documents(const Context& ctx, const sales::Principal& caller,
                                         const std::string& id,
                                         const std::vector<domain::DocumentMark>& marks,
                                         const std::optional<std::string>& note);
nlohmann::json submit_mortgage(const Context& ctx, const sales::Principal& caller,
                               const std::string& id, const std::string& bank_name,
                               const std::optional<std::string>& bank_branch,
                               sales::Date submitted_on, const std::optional<std::string>& note);
nlohmann::json approve_mortgage(const Context& ctx, const sales::Principal& caller,
                                const std::string& id, std::int64_t approved_fen,
                                sales::Date approved_on, const std::optional<std::string>& note);
nlohmann::json refuse_mortgage(const Context& ctx, const sales::Principal& caller,
                               const std::string& id, sales::Date refused_on,
                               const std::string& reason);
nlohmann::json register_mortgage(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& registration_no,
                                 sales::Date registered_on, const std::optional<std::string>& note);

// Per-project deadlines; Failure not_found "project_not_found" outside the caller's projects
// or for a project contract does not know.
nlohmann::json mortgage_settings(const Context& ctx, const sales::Principal& caller,
                                 const std::string& project_id);
nlohmann::json change_mortgage_settings(const Context& ctx, const sales::Principal& caller,
                                        const std::string& project_id,
                                        const mortgage_store::SettingsChange& change);

// Inbox handler for finance.payment.recorded: a loan_disbursement entry of a contract with a
// mortgage file is recorded on the file once (by entry id); other categories, and contracts
// without a file, change nothing. Unknown contract or malformed data → dead letter.
void apply_payment_recorded(const Context& ctx, sales::db::Tx& tx, const sales::bus::Event& event);

// finance.entry.reversed of a loan_disbursement entry (called by apply_entry_reversed): the
// file's disbursed total shrinks and a disbursed file goes back to its stage before. RetryLater
// while the reversed entry has not been applied (separate consumers).
void apply_disbursement_reversed(const Context& ctx, sales::db::Tx& tx,
                                 const sales::bus::Event& event);

}  // namespace contract::app
