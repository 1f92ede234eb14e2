#include "domain/mortgage.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "domain/transitions.hpp"
#include "sales/failure.hpp"

namespace contract::domain {
namespace {
using MS = MortgageStatus;
using MA = MortgageAction;

// CON-8: every legal move a clerk makes on a mortgage file. The checklist moves (set_loan,
// record_documents) go to the status the checklist decides (pending_or_complete below). Finance's
// disbursements and their reversals are money already moved: they apply at any stage
// (disbursement_recorded / disbursement_reversed), not through this table.
constexpr std::array<Transition<MS, MA>, 13> kMortgageEdges{{
    {MS::documents_pending, MA::set_loan, MS::documents_pending},
    {MS::documents_complete, MA::set_loan, MS::documents_complete},
    {MS::refused, MA::set_loan, MS::refused},
    {MS::documents_pending, MA::record_documents, MS::documents_pending},
    {MS::documents_complete, MA::record_documents, MS::documents_complete},
    {MS::refused, MA::record_documents, MS::refused},
    {MS::documents_complete, MA::submit, MS::submitted},
    {MS::refused, MA::submit, MS::submitted},
    {MS::submitted, MA::approve, MS::approved},
    {MS::submitted, MA::refuse, MS::refused},
    {MS::approved, MA::register_, MS::registered},
    // The money came before the clerk recorded the approval or the registration.
    {MS::disbursed, MA::approve, MS::disbursed},
    {MS::disbursed, MA::register_, MS::disbursed},
}};

MS next(MS from, MA action) {
    return next_state(kMortgageEdges, from, action, "a mortgage file");
}

constexpr std::array<MortgageDocument, 8> kCommonDocuments{MortgageDocument::id_card,
                                                           MortgageDocument::household_register,
                                                           MortgageDocument::marriage_certificate,
                                                           MortgageDocument::income_proof,
                                                           MortgageDocument::bank_statement,
                                                           MortgageDocument::credit_authorization,
                                                           MortgageDocument::purchase_contract,
                                                           MortgageDocument::down_payment_receipt};

std::string day_text(Date d) {
    return to_string(d);
}

Date plus_days(const std::string& day, std::int64_t days) {
    return Date{std::chrono::sys_days(*parse_date(day)) + std::chrono::days(days)};
}

// A date given by a clerk: not after today, not before `earliest` (named `after`).
void check_date(const char* field, Date value, Date today,
                const std::optional<std::string>& earliest, const char* after) {
    if (value > today)
        sales::fail_invalid(field, "must not be in the future");
    if (earliest && value < *parse_date(*earliest))
        sales::fail_invalid(field,
                            std::string("must not be before ") + after + " (" + *earliest + ")");
}

// Documents pending or complete, as the checklist says (the checklist moves only).
MS pending_or_complete(const MortgageFile& m, MS planned) {
    if (planned != MS::documents_pending && planned != MS::documents_complete)
        return planned;
    return missing_documents(m).empty() ? MS::documents_complete : MS::documents_pending;
}

nlohmann::json documents_json(const MortgageFile& m) {
    auto out = nlohmann::json::array();
    for (const auto d : required_documents(m.loan_kind)) {
        out.push_back({{"kind", to_string(d)},
                       {"label", document_label(d)},
                       {"received", m.received.count(d) > 0}});
    }
    return out;
}

nlohmann::json names(const std::vector<MortgageDocument>& documents) {
    auto out = nlohmann::json::array();
    for (const auto d : documents)
        out.push_back(to_string(d));
    return out;
}

nlohmann::json opt(const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// A change of `m` to `to` by `action`: version + 1, the history row's fields and the event
// `type` whose data is the file after the change plus `extra`.
MortgageChange change_to(MortgageFile& m, MS to, MA action, const char* type,
                         nlohmann::json details, nlohmann::json extra, const By& by) {
    MortgageChange change;
    change.from = m.status;
    change.to = to;
    change.from_version = m.version;
    change.version = m.version + 1;
    change.action = std::string(to_string(action));
    change.actor = by.actor;
    change.reason = by.reason;
    change.details = std::move(details);
    m.status = to;
    m.version = change.version;
    auto data = to_json(m, shanghai_date(by.at));
    data.erase("id");
    data["mortgage_id"] = m.id;
    data["actor"] = by.actor;
    data["note"] = nullable(by.reason);
    if (extra.is_object())
        data.update(extra);
    change.event = Event{type, m.id, std::move(data), m.version};
    return change;
}

}  // namespace

std::vector<MortgageDocument> required_documents(LoanKind kind) {
    std::vector<MortgageDocument> out(kCommonDocuments.begin(), kCommonDocuments.end());
    if (kind != LoanKind::commercial) {
        out.push_back(MortgageDocument::provident_fund_certificate);
        out.push_back(MortgageDocument::provident_fund_application);
    }
    return out;
}

std::string_view document_label(MortgageDocument document) {
    switch (document) {
        case MortgageDocument::id_card:
            return "身份证";
        case MortgageDocument::household_register:
            return "户口簿";
        case MortgageDocument::marriage_certificate:
            return "婚姻证明";
        case MortgageDocument::income_proof:
            return "收入证明";
        case MortgageDocument::bank_statement:
            return "银行流水";
        case MortgageDocument::credit_authorization:
            return "征信查询授权书";
        case MortgageDocument::purchase_contract:
            return "购房合同";
        case MortgageDocument::down_payment_receipt:
            return "首付款收据";
        case MortgageDocument::provident_fund_certificate:
            return "公积金缴存证明";
        case MortgageDocument::provident_fund_application:
            return "公积金贷款申请表";
    }
    return "";
}

std::vector<MortgageDocument> missing_documents(const MortgageFile& m) {
    std::vector<MortgageDocument> out;
    for (const auto d : required_documents(m.loan_kind)) {
        if (!m.received.count(d))
            out.push_back(d);
    }
    return out;
}

std::int64_t expected_disbursement(const MortgageFile& m) {
    return m.approved_fen.value_or(m.loan_fen);
}

std::optional<std::string> current_due_on(const MortgageFile& m) {
    switch (m.status) {
        case MS::documents_pending:
        case MS::documents_complete:
            return m.documents_due_on;
        case MS::submitted:
            return m.decision_due_on;
        case MS::refused:
        case MS::approved:
        case MS::registered:
            return m.loan_expected_date;
        case MS::disbursed:
            return std::nullopt;
    }
    return std::nullopt;
}

bool is_overdue(const MortgageFile& m, Date today) {
    const auto due = current_due_on(m);
    if (!due)
        return false;
    const auto day = parse_date(*due);
    return day && *day < today;
}

nlohmann::json to_json(const MortgageFile& m, Date today) {
    const auto missing = missing_documents(m);
    const auto due = current_due_on(m);
    const auto expected = expected_disbursement(m);
    return {
        {"id", m.id},
        {"contract_id", m.contract_id},
        {"contract_no", m.contract_no},
        {"project_id", m.project_id},
        {"status", to_string(m.status)},
        {"version", m.version},
        {"loan_kind", to_string(m.loan_kind)},
        {"loan_fen", m.loan_fen},
        {"provident_fund_fen", opt(m.provident_fund_fen)},
        {"commercial_fen", opt(m.commercial_fen)},
        {"loan_expected_date", m.loan_expected_date},
        {"signed_on", m.signed_on},
        {"documents", documents_json(m)},
        {"missing_documents", names(missing)},
        {"documents_complete", missing.empty()},
        {"documents_due_on", m.documents_due_on},
        {"bank_name", nullable(m.bank_name)},
        {"bank_branch", nullable(m.bank_branch)},
        {"submitted_on", nullable(m.submitted_on)},
        {"decision_due_on", nullable(m.decision_due_on)},
        {"submissions", m.submissions},
        {"approved_fen", opt(m.approved_fen)},
        {"approved_on", nullable(m.approved_on)},
        {"shortfall_fen",
         m.approved_fen ? nlohmann::json(m.loan_fen - *m.approved_fen) : nlohmann::json(nullptr)},
        {"refused_on", nullable(m.refused_on)},
        {"refusal_reason", nullable(m.refusal_reason)},
        {"registration_no", nullable(m.registration_no)},
        {"registered_on", nullable(m.registered_on)},
        {"expected_disbursement_fen", expected},
        {"disbursed_fen", m.disbursed_fen},
        {"disbursed_on", nullable(m.disbursed_on)},
        {"due_on", nullable(due)},
        {"overdue", is_overdue(m, today)},
    };
}

MortgageChange opened(MortgageFile& m, const MortgageSettings& settings, const By& by) {
    if (m.loan_fen <= 0)
        throw std::invalid_argument("a mortgage file needs a loan amount > 0");
    m.status = MS::documents_pending;
    m.version = 1;
    m.loan_kind = LoanKind::commercial;
    m.received.clear();
    m.documents_due_on = day_text(plus_days(m.signed_on, settings.documents_due_days));
    MortgageChange change;
    change.to = m.status;
    change.version = 1;
    change.action = "open";
    change.actor = by.actor;
    change.reason = by.reason;
    change.details = {{"contract_id", m.contract_id}, {"loan_fen", m.loan_fen}};
    auto data = to_json(m, shanghai_date(by.at));
    data.erase("id");
    data["mortgage_id"] = m.id;
    data["actor"] = by.actor;
    change.event = Event{kMortgageOpened, m.id, std::move(data), 1};
    return change;
}

MortgageChange loan_changed(MortgageFile& m, LoanKind kind,
                            std::optional<std::int64_t> provident_fund_fen,
                            std::optional<std::int64_t> commercial_fen, const By& by) {
    const auto planned = next(m.status, MA::set_loan);
    if (kind == LoanKind::combined) {
        if (!provident_fund_fen || !commercial_fen || *provident_fund_fen <= 0 ||
            *commercial_fen <= 0 || *provident_fund_fen + *commercial_fen != m.loan_fen) {
            sales::fail_rule("loan_parts_do_not_sum_to_loan",
                             "a combined loan (组合贷款) needs a provident-fund part and a "
                             "commercial part, both > 0, that sum to the plan's loan",
                             {{"loan_fen", m.loan_fen},
                              {"provident_fund_fen", opt(provident_fund_fen)},
                              {"commercial_fen", opt(commercial_fen)}});
        }
    } else if (provident_fund_fen || commercial_fen) {
        sales::fail_rule("loan_parts_only_for_combined",
                         "provident_fund_fen and commercial_fen are the parts of a combined loan "
                         "(组合贷款) only",
                         {{"loan_kind", to_string(kind)}});
    }
    const auto before = to_string(m.loan_kind);
    m.loan_kind = kind;
    m.provident_fund_fen = kind == LoanKind::combined ? provident_fund_fen : std::nullopt;
    m.commercial_fen = kind == LoanKind::combined ? commercial_fen : std::nullopt;
    // Documents of another kind's checklist stay recorded but no longer count.
    return change_to(m, pending_or_complete(m, planned), MA::set_loan, kMortgageLoanChanged,
                     {{"from_loan_kind", before},
                      {"loan_kind", to_string(kind)},
                      {"provident_fund_fen", opt(m.provident_fund_fen)},
                      {"commercial_fen", opt(m.commercial_fen)}},
                     nullptr, by);
}

MortgageChange documents_recorded(MortgageFile& m, const std::vector<DocumentMark>& marks,
                                  const By& by) {
    const auto planned = next(m.status, MA::record_documents);
    const auto required = required_documents(m.loan_kind);
    auto received = nlohmann::json::array();
    auto withdrawn = nlohmann::json::array();
    for (const auto& mark : marks) {
        if (std::find(required.begin(), required.end(), mark.document) == required.end()) {
            sales::fail_rule(
                "document_not_required",
                std::string(document_label(mark.document)) + " is not on the checklist of a " +
                    std::string(to_string(m.loan_kind)) + " loan",
                {{"document", to_string(mark.document)}, {"loan_kind", to_string(m.loan_kind)}});
        }
    }
    for (const auto& mark : marks) {
        if (mark.received && m.received.insert(mark.document).second)
            received.push_back(to_string(mark.document));
        if (!mark.received && m.received.erase(mark.document) > 0)
            withdrawn.push_back(to_string(mark.document));
    }
    return change_to(m, pending_or_complete(m, planned), MA::record_documents,
                     kMortgageDocumentsRecorded, {{"received", received}, {"withdrawn", withdrawn}},
                     {{"received", received}, {"withdrawn", withdrawn}}, by);
}

MortgageChange submitted(MortgageFile& m, const std::string& bank_name,
                         const std::optional<std::string>& bank_branch, Date submitted_on,
                         const MortgageSettings& settings, Date today, const By& by) {
    if (m.status == MS::documents_pending || m.status == MS::refused) {
        const auto missing = missing_documents(m);
        if (!missing.empty()) {
            std::string labels;
            for (const auto d : missing)
                labels += (labels.empty() ? "" : "、") + std::string(document_label(d));
            sales::fail_rule(
                "mortgage_documents_incomplete",
                "documents are missing; a bank receives a complete file only: " + labels,
                {{"missing", names(missing)}});
        }
    }
    const auto to = next(m.status, MA::submit);
    check_date("submitted_on", submitted_on, today, m.signed_on, "the signing");
    const bool resubmission = m.status == MS::refused;
    const auto previous_bank = m.bank_name;
    m.bank_name = bank_name;
    m.bank_branch = bank_branch;
    m.submitted_on = day_text(submitted_on);
    m.decision_due_on = day_text(plus_days(*m.submitted_on, settings.decision_due_days));
    m.submissions += 1;
    return change_to(m, to, MA::submit, kMortgageSubmitted,
                     {{"bank_name", bank_name},
                      {"bank_branch", nullable(bank_branch)},
                      {"submitted_on", *m.submitted_on},
                      {"resubmission", resubmission},
                      {"previous_bank_name", nullable(previous_bank)}},
                     {{"resubmission", resubmission}}, by);
}

MortgageChange approved(MortgageFile& m, std::int64_t approved_fen, Date approved_on, Date today,
                        const By& by) {
    if (m.status == MS::disbursed && m.approved_fen) {
        sales::fail_conflict("invalid_transition", "the bank's approval is recorded already",
                             {{"status", to_string(m.status)}, {"action", "approve"}});
    }
    const auto to = next(m.status, MA::approve);
    if (approved_fen <= 0)
        sales::fail_invalid("approved_fen", "must be > 0");
    if (approved_fen > m.loan_fen) {
        sales::fail_rule("approved_amount_exceeds_loan",
                         "the bank may not lend more than the plan's loan; change the plan first "
                         "(an amendment, CON-5)",
                         {{"approved_fen", approved_fen}, {"loan_fen", m.loan_fen}});
    }
    check_date("approved_on", approved_on, today, m.submitted_on, "the submission");
    m.approved_fen = approved_fen;
    m.approved_on = day_text(approved_on);
    if (m.status == MS::disbursed)
        m.status_before_disbursement = MS::approved;  // a reversal returns here
    return change_to(m, to, MA::approve, kMortgageApproved,
                     {{"approved_fen", approved_fen},
                      {"approved_on", *m.approved_on},
                      {"bank_name", nullable(m.bank_name)}},
                     nullptr, by);
}

MortgageChange refused(MortgageFile& m, Date refused_on, Date today, const By& by) {
    const auto to = next(m.status, MA::refuse);
    if (!by.reason || by.reason->empty())
        sales::fail_invalid("reason", "is required");
    check_date("refused_on", refused_on, today, m.submitted_on, "the submission");
    m.refused_on = day_text(refused_on);
    m.refusal_reason = by.reason;
    return change_to(m, to, MA::refuse, kMortgageRefused,
                     {{"refused_on", *m.refused_on}, {"bank_name", nullable(m.bank_name)}}, nullptr,
                     by);
}

MortgageChange registered(MortgageFile& m, const std::string& registration_no, Date registered_on,
                          Date today, const By& by) {
    if (m.status == MS::disbursed && m.registration_no) {
        sales::fail_conflict("invalid_transition", "the mortgage registration is recorded already",
                             {{"status", to_string(m.status)}, {"action", "register"}});
    }
    if (m.status == MS::disbursed && !m.approved_on) {
        sales::fail_conflict("invalid_transition",
                             "record the bank's approval before the registration",
                             {{"status", to_string(m.status)}, {"action", "register"}});
    }
    const auto to = next(m.status, MA::register_);
    check_date("registered_on", registered_on, today, m.approved_on, "the approval");
    m.registration_no = registration_no;
    m.registered_on = day_text(registered_on);
    if (m.status == MS::disbursed && m.status_before_disbursement == MS::approved)
        m.status_before_disbursement = MS::registered;  // a reversal returns here
    return change_to(m, to, MA::register_, kMortgageRegistered,
                     {{"registration_no", registration_no}, {"registered_on", *m.registered_on}},
                     nullptr, by);
}

MortgageChange disbursement_recorded(MortgageFile& m, const std::string& entry_id,
                                     std::int64_t amount_fen, const std::string& paid_on,
                                     const By& by) {
    if (amount_fen <= 0)
        throw std::invalid_argument("a disbursement is > 0");
    const auto from = m.status;
    m.disbursed_fen += amount_fen;
    const bool complete = m.disbursed_fen >= expected_disbursement(m);
    const bool becomes_disbursed = complete && from != MS::disbursed;
    if (becomes_disbursed) {
        m.status_before_disbursement = from;
        m.disbursed_on = paid_on;
    }
    const auto to = becomes_disbursed ? MS::disbursed : from;
    const nlohmann::json details = {
        {"entry_id", entry_id}, {"amount_fen", amount_fen},
        {"paid_on", paid_on},   {"disbursed_fen", m.disbursed_fen},
        {"complete", complete}, {"before_approval", !m.approved_fen.has_value()}};
    return change_to(m, to, MA::disburse,
                     becomes_disbursed ? kMortgageDisbursed : kMortgageDisbursementRecorded,
                     details,
                     {{"entry_id", entry_id},
                      {"amount_fen", amount_fen},
                      {"paid_on", paid_on},
                      {"complete", complete}},
                     by);
}

MortgageChange disbursement_reversed(MortgageFile& m, const std::string& entry_id,
                                     std::int64_t amount_fen, const By& by) {
    if (amount_fen <= 0)
        throw std::invalid_argument("a reversed disbursement is > 0");
    const auto from = m.status;
    m.disbursed_fen = std::max<std::int64_t>(0, m.disbursed_fen - amount_fen);
    auto to = from;
    if (from == MS::disbursed && m.disbursed_fen < expected_disbursement(m)) {
        to = m.status_before_disbursement.value_or(MS::approved);
        m.status_before_disbursement.reset();
        m.disbursed_on.reset();
    }
    return change_to(m, to, MA::reverse_disbursement, kMortgageDisbursementReversed,
                     {{"entry_id", entry_id},
                      {"amount_fen", amount_fen},
                      {"disbursed_fen", m.disbursed_fen},
                      {"back_to", to_string(to)}},
                     {{"entry_id", entry_id}, {"amount_fen", amount_fen}}, by);
}

}  // namespace contract::domain
