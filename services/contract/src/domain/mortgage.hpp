#pragma once
// The mortgage desk 按揭 (CON-8): a mortgage file per signed contract whose plan kind is
// `mortgage`, opened in the signing transaction. Its document checklist per loan kind, the
// submission to a bank, the bank's approval or refusal, the mortgage registration 抵押登记 and
// the loan disbursement that finance records (FIN-2 `loan_disbursement`), with the deadlines of
// each stage. Each change returns what it records (the row, a mortgage_history row and the
// event). Pure: no I/O. Refusals are sales::Failure: rule (422) for a broken rule, conflict (409)
// for a state that does not allow the change, invalid (400) for an impossible date.
//
// documents_pending ⇄ documents_complete (the checklist) → submitted (to a named bank)
//   → approved (amount, date) | refused (reason; documents may change again, then resubmitted,
//     possibly to another bank) ; approved → registered (抵押登记 number and date)
//   → disbursed (finance's loan_disbursement entries reach the expected amount).
// A disbursement is money already taken: it is recorded whatever the file's stage (a clerk late
// with the steps), and its reversal (FIN-3 红冲) puts the file back where it was.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/calendar.hpp"
#include "domain/event.hpp"
#include "sales/enum_names.hpp"

namespace contract::domain {

inline constexpr const char* kMortgageOpened = "contract.mortgage.opened";
inline constexpr const char* kMortgageLoanChanged = "contract.mortgage.loan_changed";
inline constexpr const char* kMortgageDocumentsRecorded = "contract.mortgage.documents_recorded";
inline constexpr const char* kMortgageSubmitted = "contract.mortgage.submitted";
inline constexpr const char* kMortgageApproved = "contract.mortgage.approved";
inline constexpr const char* kMortgageRefused = "contract.mortgage.refused";
inline constexpr const char* kMortgageRegistered = "contract.mortgage.registered";
inline constexpr const char* kMortgageDisbursed = "contract.mortgage.disbursed";
inline constexpr const char* kMortgageDisbursementRecorded =
    "contract.mortgage.disbursement_recorded";
inline constexpr const char* kMortgageDisbursementReversed =
    "contract.mortgage.disbursement_reversed";

SALES_ENUM(MortgageStatus, documents_pending, documents_complete, submitted, approved, refused,
           registered, disbursed);
inline constexpr auto parse_mortgage_status = &sales::parse_enum<MortgageStatus>;

// 商业贷款, 公积金贷款, 组合贷款 (provident-fund part + commercial part).
SALES_ENUM(LoanKind, commercial, provident_fund, combined);
inline constexpr auto parse_loan_kind = &sales::parse_enum<LoanKind>;

// The documents a bank (or the provident-fund centre) asks for.
SALES_ENUM(MortgageDocument,
           id_card,                     // 身份证 (buyers and spouses)
           household_register,          // 户口簿
           marriage_certificate,        // 婚姻证明 (结婚证 / 离婚证 / 单身声明)
           income_proof,                // 收入证明
           bank_statement,              // 银行流水 (last 6 months)
           credit_authorization,        // 征信查询授权书
           purchase_contract,           // 购房合同 (the signed sales contract)
           down_payment_receipt,        // 首付款收据
           provident_fund_certificate,  // 公积金缴存证明 (provident fund and combined)
           provident_fund_application   // 公积金贷款申请表 (provident fund and combined)
);
inline constexpr auto parse_mortgage_document = &sales::parse_enum<MortgageDocument>;

SALES_ENUM(MortgageAction, set_loan, record_documents, submit, approve, refuse, register_, disburse,
           reverse_disbursement);

// The fixed checklist of a loan kind, in the order a clerk collects it.
std::vector<MortgageDocument> required_documents(LoanKind kind);
// The document's zh-CN name ("身份证").
std::string_view document_label(MortgageDocument document);

// Per-project deadlines (DOMAIN.md: configurable per project; PATCH
// /api/v1/projects/{id}/mortgage-settings). Calendar days.
struct MortgageSettings {
    std::int64_t documents_due_days = 15;  // documents collected and submitted after signing
    std::int64_t decision_due_days = 30;   // the bank's decision after submission
};
inline constexpr std::int64_t kMaxMortgageDueDays = 366;

struct MortgageFile {
    std::string id;
    std::string contract_id;
    std::string contract_no;
    std::string project_id;
    MortgageStatus status = MortgageStatus::documents_pending;
    std::int64_t version = 1;
    // The loan as the contract's plan has it (refreshed from the contract on every change).
    std::int64_t loan_fen = 0;
    std::string loan_expected_date;  // YYYY-MM-DD: the disbursement deadline
    LoanKind loan_kind = LoanKind::commercial;
    std::optional<std::int64_t> provident_fund_fen;  // combined only
    std::optional<std::int64_t> commercial_fen;      // combined only
    std::string signed_on;                           // YYYY-MM-DD
    std::string documents_due_on;                    // signed_on + documents_due_days
    std::set<MortgageDocument> received;
    std::optional<std::string> bank_name;
    std::optional<std::string> bank_branch;
    std::optional<std::string> submitted_on;
    std::optional<std::string> decision_due_on;  // submitted_on + decision_due_days
    std::int64_t submissions = 0;
    std::optional<std::int64_t> approved_fen;
    std::optional<std::string> approved_on;
    std::optional<std::string> refused_on;
    std::optional<std::string> refusal_reason;
    std::optional<std::string> registration_no;
    std::optional<std::string> registered_on;
    std::int64_t disbursed_fen = 0;  // loan_disbursement entries not reversed
    std::optional<std::string> disbursed_on;
    std::optional<MortgageStatus> status_before_disbursement;
};

// The documents of the checklist not received yet, in checklist order.
std::vector<MortgageDocument> missing_documents(const MortgageFile& m);
// What finance must receive for the file to count as disbursed: the approved amount, or the
// plan's loan while no approval is recorded.
std::int64_t expected_disbursement(const MortgageFile& m);
// The deadline of the file's current stage: documents (pending/complete), the bank's decision
// (submitted), the disbursement (refused, approved, registered: the plan's loan_expected_date);
// none once disbursed.
std::optional<std::string> current_due_on(const MortgageFile& m);
// Overdue: the current stage's deadline is before `today` (Asia/Shanghai).
bool is_overdue(const MortgageFile& m, Date today);

// The file and the checklist as the API and the events show them (ids, loan, bank, dates,
// documents [{kind, label, received}], missing, complete, due_on, overdue as of `today`).
nlohmann::json to_json(const MortgageFile& m, Date today);

// What one change records: the row (status, version: if still at from_version), the
// mortgage_history row (SEC-2) and the event.
struct MortgageChange {
    std::optional<MortgageStatus> from;  // nullopt: opened
    MortgageStatus to = MortgageStatus::documents_pending;
    std::int64_t from_version = 0;
    std::int64_t version = 1;
    std::string action;
    std::string actor;
    std::optional<std::string> reason;
    nlohmann::json details = nlohmann::json::object();
    std::optional<Event> event;
};

// ---- Changes. `today` is Asia/Shanghai; dates given may not lie after it. ----

// CON-8: the file of a contract signed on `signed_on` with a mortgage plan (loan_fen > 0):
// documents_pending, commercial loan, nothing received; contract.mortgage.opened.
MortgageChange opened(MortgageFile& m, const MortgageSettings& settings, const By& by);

// The loan kind (and, combined, its provident-fund and commercial parts, both > 0, summing to
// the loan: rule "loan_parts_do_not_sum_to_loan"; parts given for another kind: rule
// "loan_parts_only_for_combined"). Before submission and after a refusal only. The checklist
// follows the kind: the status is recomputed. contract.mortgage.loan_changed.
MortgageChange loan_changed(MortgageFile& m, LoanKind kind,
                            std::optional<std::int64_t> provident_fund_fen,
                            std::optional<std::int64_t> commercial_fen, const By& by);

// Marks documents received (true) or not (false); documents outside the loan kind's checklist:
// rule "document_not_required". Before submission and after a refusal only. documents_pending ⇄
// documents_complete follows the checklist. contract.mortgage.documents_recorded.
struct DocumentMark {
    MortgageDocument document = MortgageDocument::id_card;
    bool received = false;
};
MortgageChange documents_recorded(MortgageFile& m, const std::vector<DocumentMark>& marks,
                                  const By& by);

// Submission to `bank_name` (branch optional) on `submitted_on` (not before signing, not after
// today): from documents_complete, or refused (resubmission, possibly to another bank). Missing
// documents: rule "mortgage_documents_incomplete" (details: missing). The bank's decision is due
// decision_due_days later. contract.mortgage.submitted.
MortgageChange submitted(MortgageFile& m, const std::string& bank_name,
                         const std::optional<std::string>& bank_branch, Date submitted_on,
                         const MortgageSettings& settings, Date today, const By& by);

// The bank approved `approved_fen` (> 0, at most the plan's loan: rule
// "approved_amount_exceeds_loan"; a smaller amount leaves a shortfall the buyer pays, by an
// amendment of the plan, CON-5) on `approved_on` (not before submission, not after today).
// submitted → approved. contract.mortgage.approved.
MortgageChange approved(MortgageFile& m, std::int64_t approved_fen, Date approved_on, Date today,
                        const By& by);

// The bank refused on `refused_on` for `by.reason` (required). submitted → refused.
// contract.mortgage.refused.
MortgageChange refused(MortgageFile& m, Date refused_on, Date today, const By& by);

// Mortgage registration 抵押登记: number and date (not before approval, not after today).
// approved → registered; a file already disbursed before its registration was recorded keeps
// `disbursed` and gets the registration. contract.mortgage.registered.
MortgageChange registered(MortgageFile& m, const std::string& registration_no, Date registered_on,
                          Date today, const By& by);

// Finance recorded a loan_disbursement entry of `amount_fen` (> 0) paid on `paid_on`: the
// disbursed total grows; when it reaches expected_disbursement the file is disbursed (from any
// stage; the stage before is remembered for a reversal): contract.mortgage.disbursed; otherwise
// (a part, e.g. one of a combined loan's two, or more money on a disbursed file)
// contract.mortgage.disbursement_recorded.
MortgageChange disbursement_recorded(MortgageFile& m, const std::string& entry_id,
                                     std::int64_t amount_fen, const std::string& paid_on,
                                     const By& by);

// FIN-3: finance reversed a loan_disbursement entry of `amount_fen` (> 0) that was recorded here:
// the disbursed total shrinks; a disbursed file below its expected amount goes back to the stage
// it was in before. contract.mortgage.disbursement_reversed.
MortgageChange disbursement_reversed(MortgageFile& m, const std::string& entry_id,
                                     std::int64_t amount_fen, const By& by);

}  // namespace contract::domain
