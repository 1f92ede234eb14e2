#include "adapters/mortgage_store.hpp"

#include "adapters/outbox.hpp"
#include "adapters/rows.hpp"
#include "sales/failure.hpp"

namespace contract::mortgage_store {
namespace {
using domain::MortgageFile;
using nlohmann::json;
using namespace sales::db;

std::string day(const char* column) {
    return iso_date(std::string("m.") + column, column);
}

const std::string kSelectList =
    "m.id::text AS id, m.contract_id::text AS contract_id, c.contract_no, "
    "m.project_id::text AS project_id, m.status, m.version, m.loan_fen, " +
    day("loan_expected_date") + ", m.loan_kind, m.provident_fund_fen, m.commercial_fen, " +
    day("signed_on") + ", " + day("documents_due_on") +
    ", array_to_string(m.received_documents, ',') AS received_documents, m.bank_name, "
    "m.bank_branch, " +
    day("submitted_on") + ", " + day("decision_due_on") + ", m.submissions, m.approved_fen, " +
    day("approved_on") + ", " + day("refused_on") + ", m.refusal_reason, m.registration_no, " +
    day("registered_on") + ", m.disbursed_fen, " + day("disbursed_on") +
    ", m.status_before_disbursement, c.status AS contract_status, "
    "c.customer_id::text AS customer_id, c.unit_id::text AS unit_id, " +
    rfc3339("m.updated_at", "updated_at");
const std::string kColumns =
    kSelectList + " FROM mortgages m JOIN contracts c ON c.id = m.contract_id ";

const std::string kFind = "SELECT " + kColumns + "WHERE m.id = $1::uuid";
const std::string kLock = kFind + " FOR UPDATE OF m";
const std::string kFindByContract = "SELECT " + kColumns + "WHERE m.contract_id = $1::uuid";
const std::string kLockByContract = kFindByContract + " FOR UPDATE OF m";

constexpr const char* kContractRef = R"sql(
SELECT status, customer_id::text AS customer_id, unit_id::text AS unit_id, handover_state
FROM contracts WHERE id = $1::uuid)sql";

constexpr const char* kInsert = R"sql(
INSERT INTO mortgages (id, contract_id, project_id, status, version, loan_fen, loan_expected_date,
    loan_kind, signed_on, documents_due_on, due_on)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::date, $8, $9::date, $10::date, $11::date))sql";

constexpr const char* kUpdate = R"sql(
UPDATE mortgages SET status = $3, version = $4, loan_fen = $5, loan_expected_date = $6::date,
    loan_kind = $7, provident_fund_fen = $8, commercial_fen = $9,
    received_documents = $10::text[], bank_name = $11, bank_branch = $12,
    submitted_on = $13::date, decision_due_on = $14::date, submissions = $15,
    approved_fen = $16, approved_on = $17::date, refused_on = $18::date, refusal_reason = $19,
    registration_no = $20, registered_on = $21::date, disbursed_fen = $22,
    disbursed_on = $23::date, status_before_disbursement = $24, due_on = $25::date,
    updated_at = now()
WHERE id = $1::uuid AND version = $2)sql";

constexpr const char* kInsertHistory = R"sql(
INSERT INTO mortgage_history (mortgage_id, version, action, from_status, to_status, actor, reason,
    details)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb))sql";

constexpr const char* kMarkDocument = R"sql(
INSERT INTO mortgage_documents (mortgage_id, document, received, recorded_by)
VALUES ($1::uuid, $2, $3, $4)
ON CONFLICT (mortgage_id, document) DO UPDATE
SET received = EXCLUDED.received, recorded_by = EXCLUDED.recorded_by, recorded_at = now())sql";

const std::string kDocumentTrail = "SELECT document, received, recorded_by, " +
                                   rfc3339("recorded_at", "recorded_at") +
                                   " FROM mortgage_documents WHERE mortgage_id = $1::uuid";

constexpr const char* kRecordDisbursement = R"sql(
INSERT INTO mortgage_disbursements (entry_id, mortgage_id, amount_fen, receipt_no, paid_at,
    event_id)
VALUES ($1::uuid, $2::uuid, $3, $4, $5::timestamptz, $6::uuid)
ON CONFLICT (entry_id) DO NOTHING)sql";

constexpr const char* kLockDisbursement = R"sql(
SELECT entry_id::text AS entry_id, mortgage_id::text AS mortgage_id, amount_fen, receipt_no,
    to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS paid_at,
    event_id::text AS event_id, reversed_by_entry_id::text AS reversed_by_entry_id
FROM mortgage_disbursements WHERE entry_id = $1::uuid FOR UPDATE)sql";

constexpr const char* kMarkReversed = R"sql(
UPDATE mortgage_disbursements SET reversed_by_entry_id = $2::uuid, reversed_at = now()
WHERE entry_id = $1::uuid)sql";

const std::string kDisbursements =
    "SELECT entry_id::text AS entry_id, amount_fen, receipt_no, " + rfc3339("paid_at", "paid_at") +
    ", reversed_by_entry_id::text AS reversed_by_entry_id, " +
    rfc3339("reversed_at", "reversed_at") +
    " FROM mortgage_disbursements WHERE mortgage_id = $1::uuid ORDER BY paid_at, entry_id";

const std::string kHistory =
    "SELECT version, action, from_status, to_status, actor, reason, details::text AS details, " +
    rfc3339("at", "at") + " FROM mortgage_history WHERE mortgage_id = $1::uuid ORDER BY version";

constexpr const char* kSettings = R"sql(
SELECT documents_due_days, decision_due_days FROM mortgage_settings WHERE project_id = $1::uuid)sql";

constexpr const char* kChangeSettings = R"sql(
INSERT INTO mortgage_settings (project_id, documents_due_days, decision_due_days, updated_by)
VALUES ($1::uuid, coalesce($2, 15), coalesce($3, 30), $4)
ON CONFLICT (project_id) DO UPDATE
SET documents_due_days = coalesce($2, mortgage_settings.documents_due_days),
    decision_due_days = coalesce($3, mortgage_settings.decision_due_days),
    updated_by = $4, updated_at = now()
RETURNING documents_due_days, decision_due_days)sql";

// The list's filter: $1 projects (NULL = all), $2 project, $3 status, $4 bank, $5 overdue only,
// $6 today.
constexpr const char* kListWhere = R"sql(
FROM mortgages m JOIN contracts c ON c.id = m.contract_id
WHERE c.status <> 'cancelled'
  AND ($1::uuid[] IS NULL OR m.project_id = ANY($1::uuid[]))
  AND ($2::uuid IS NULL OR m.project_id = $2::uuid)
  AND ($3::text IS NULL OR m.status = $3)
  AND ($4::text IS NULL OR strpos(lower(coalesce(m.bank_name, '')), lower($4)) > 0)
  AND (NOT $5 OR m.due_on < $6::date))sql";

std::optional<std::string> opt_text(const Row& r, const char* column) {
    return r.is_null(column) ? std::nullopt : std::optional(r.text(column));
}

MortgageFile from_row(const Row& r) {
    MortgageFile m;
    m.id = r.text("id");
    m.contract_id = r.text("contract_id");
    m.contract_no = r.text("contract_no");
    m.project_id = r.text("project_id");
    m.status = domain::parse_mortgage_status(r.text("status")).value();
    m.version = r.int64("version");
    m.loan_fen = r.int64("loan_fen");
    m.loan_expected_date = r.text("loan_expected_date");
    m.loan_kind = domain::parse_loan_kind(r.text("loan_kind")).value();
    m.provident_fund_fen = r.opt_int64("provident_fund_fen");
    m.commercial_fen = r.opt_int64("commercial_fen");
    m.signed_on = r.text("signed_on");
    m.documents_due_on = r.text("documents_due_on");
    const auto received = r.text("received_documents");
    std::size_t start = 0;
    while (start < received.size()) {
        auto end = received.find(',', start);
        if (end == std::string::npos)
            end = received.size();
        if (const auto d = domain::parse_mortgage_document(received.substr(start, end - start)))
            m.received.insert(*d);
        start = end + 1;
    }
    m.bank_name = opt_text(r, "bank_name");
    m.bank_branch = opt_text(r, "bank_branch");
    m.submitted_on = opt_text(r, "submitted_on");
    m.decision_due_on = opt_text(r, "decision_due_on");
    m.submissions = r.int64("submissions");
    m.approved_fen = r.opt_int64("approved_fen");
    m.approved_on = opt_text(r, "approved_on");
    m.refused_on = opt_text(r, "refused_on");
    m.refusal_reason = opt_text(r, "refusal_reason");
    m.registration_no = opt_text(r, "registration_no");
    m.registered_on = opt_text(r, "registered_on");
    m.disbursed_fen = r.int64("disbursed_fen");
    m.disbursed_on = opt_text(r, "disbursed_on");
    if (const auto before = opt_text(r, "status_before_disbursement"))
        m.status_before_disbursement = domain::parse_mortgage_status(*before);
    return m;
}

std::optional<MortgageFile> one(Tx& tx, const std::string& sql, const std::string& id) {
    const auto row = row_by_id(tx, sql, id);
    return row ? std::optional(from_row(*row)) : std::nullopt;
}

std::string name(domain::MortgageStatus status) {
    return std::string(domain::to_string(status));
}

std::vector<std::string> received_names(const MortgageFile& m) {
    std::vector<std::string> out;
    for (const auto d : m.received)
        out.emplace_back(domain::to_string(d));
    return out;
}

}  // namespace

std::optional<MortgageFile> find(Tx& tx, const std::string& id, bool for_update) {
    return one(tx, for_update ? kLock : kFind, id);
}

std::optional<MortgageFile> find_by_contract(Tx& tx, const std::string& contract_id,
                                             bool for_update) {
    return one(tx, for_update ? kLockByContract : kFindByContract, contract_id);
}

ContractRef contract_ref(Tx& tx, const std::string& contract_id) {
    const auto r = tx.exec_one(kContractRef, {contract_id});
    return {r.text("status"), r.text("customer_id"), r.text("unit_id"), r.text("handover_state")};
}

void insert(Tx& tx, const MortgageFile& m) {
    tx.exec(kInsert, {m.id, m.contract_id, m.project_id, name(m.status), m.version, m.loan_fen,
                      m.loan_expected_date, std::string(domain::to_string(m.loan_kind)),
                      m.signed_on, m.documents_due_on, param(domain::current_due_on(m))});
}

void save(Tx& tx, const MortgageFile& m, const domain::MortgageChange& change) {
    if (change.from) {
        const auto updated = tx.exec(
            kUpdate, {m.id,
                      change.from_version,
                      name(m.status),
                      m.version,
                      m.loan_fen,
                      m.loan_expected_date,
                      std::string(domain::to_string(m.loan_kind)),
                      param(m.provident_fund_fen),
                      param(m.commercial_fen),
                      param(received_names(m)),
                      param(m.bank_name),
                      param(m.bank_branch),
                      param(m.submitted_on),
                      param(m.decision_due_on),
                      m.submissions,
                      param(m.approved_fen),
                      param(m.approved_on),
                      param(m.refused_on),
                      param(m.refusal_reason),
                      param(m.registration_no),
                      param(m.registered_on),
                      m.disbursed_fen,
                      param(m.disbursed_on),
                      m.status_before_disbursement ? param(name(*m.status_before_disbursement))
                                                   : Param(nullptr),
                      param(domain::current_due_on(m))});
        if (updated.affected_rows() == 0) {
            sales::fail_conflict("concurrent_change",
                                 "the mortgage file changed meanwhile; reload and retry",
                                 {{"mortgage_id", m.id}});
        }
    }
    tx.exec(kInsertHistory,
            {m.id, change.version, change.action,
             change.from ? param(name(*change.from)) : Param(nullptr), name(change.to),
             change.actor, param(change.reason), change.details.dump()});
    if (change.event)
        outbox::append(tx, *change.event);
}

void mark_documents(Tx& tx, const std::string& mortgage_id,
                    const std::vector<domain::DocumentMark>& marks, const std::string& actor) {
    for (const auto& mark : marks) {
        tx.exec(kMarkDocument,
                {mortgage_id, std::string(domain::to_string(mark.document)), mark.received, actor});
    }
}

json document_trail(Tx& tx, const std::string& mortgage_id) {
    json out = json::object();
    for (const auto& r : tx.exec(kDocumentTrail, {mortgage_id})) {
        out[r.text("document")] = {{"received", r.boolean("received")},
                                   {"recorded_by", r.text("recorded_by")},
                                   {"recorded_at", r.text("recorded_at")}};
    }
    return out;
}

bool record_disbursement(Tx& tx, const Disbursement& d) {
    return tx.exec(kRecordDisbursement, {d.entry_id, d.mortgage_id, d.amount_fen,
                                         param(d.receipt_no), d.paid_at, d.event_id})
               .affected_rows() > 0;
}

std::optional<Disbursement> lock_disbursement(Tx& tx, const std::string& entry_id) {
    const auto r = row_by_id(tx, kLockDisbursement, entry_id);
    if (!r)
        return std::nullopt;
    return Disbursement{r->text("entry_id"),
                        r->text("mortgage_id"),
                        r->int64("amount_fen"),
                        opt_text(*r, "receipt_no"),
                        r->text("paid_at"),
                        r->text("event_id"),
                        opt_text(*r, "reversed_by_entry_id")};
}

void mark_disbursement_reversed(Tx& tx, const std::string& entry_id,
                                const std::string& reversal_entry_id) {
    tx.exec(kMarkReversed, {entry_id, reversal_entry_id});
}

json disbursements(Tx& tx, const std::string& mortgage_id) {
    auto out = json::array();
    for (const auto& r : tx.exec(kDisbursements, {mortgage_id})) {
        out.push_back({{"entry_id", r.text("entry_id")},
                       {"amount_fen", r.int64("amount_fen")},
                       {"receipt_no", nullable(opt_text(r, "receipt_no"))},
                       {"paid_at", r.text("paid_at")},
                       {"reversed_by_entry_id", nullable(opt_text(r, "reversed_by_entry_id"))},
                       {"reversed_at", nullable(opt_text(r, "reversed_at"))}});
    }
    return out;
}

json history(Tx& tx, const std::string& mortgage_id) {
    auto out = json::array();
    for (const auto& r : tx.exec(kHistory, {mortgage_id})) {
        out.push_back({{"version", r.int64("version")},
                       {"action", r.text("action")},
                       {"from_status", nullable(opt_text(r, "from_status"))},
                       {"to_status", r.text("to_status")},
                       {"actor", r.text("actor")},
                       {"reason", nullable(opt_text(r, "reason"))},
                       {"details", json::parse(r.text("details"))},
                       {"at", r.text("at")}});
    }
    return out;
}

domain::MortgageSettings settings(Tx& tx, const std::string& project_id) {
    domain::MortgageSettings s;
    if (const auto r = tx.exec_maybe_one(kSettings, {project_id})) {
        s.documents_due_days = r->int64("documents_due_days");
        s.decision_due_days = r->int64("decision_due_days");
    }
    return s;
}

json settings_json(const std::string& project_id, const domain::MortgageSettings& s) {
    return {{"project_id", project_id},
            {"documents_due_days", s.documents_due_days},
            {"decision_due_days", s.decision_due_days}};
}

json change_settings(Tx& tx, const std::string& project_id, const SettingsChange& change,
                     const std::string& actor) {
    const auto r = tx.exec_one(kChangeSettings, {project_id, param(change.documents_due_days),
                                                 param(change.decision_due_days), actor});
    return settings_json(project_id, {r.int64("documents_due_days"), r.int64("decision_due_days")});
}

json list(Tx& tx, const ListFilter& f, const std::optional<std::vector<std::string>>& projects,
          sales::Date today) {
    const auto today_text = sales::to_string(today);
    const auto scope = projects ? param(*projects) : Param(nullptr);
    const auto status = f.status ? param(name(*f.status)) : Param(nullptr);
    // The filter ($1..$6), and the same without status and overdue_only (totals).
    const Params where = {scope,         param(f.project_id), status,
                          param(f.bank), f.overdue_only,      today_text};
    const Params all = {scope, param(f.project_id), nullptr, param(f.bank), false, today_text};
    const Params paged = {scope,          param(f.project_id), status,  param(f.bank),
                          f.overdue_only, today_text,          f.limit, f.offset};
    auto items = json::array();
    for (const auto& r : tx.exec("SELECT " + kSelectList + " " + kListWhere +
                                     " ORDER BY m.due_on NULLS LAST, c.contract_no LIMIT $7 "
                                     "OFFSET $8",
                                 paged)) {
        auto doc = domain::to_json(from_row(r), today);
        doc["contract_status"] = r.text("contract_status");
        doc["customer_id"] = r.text("customer_id");
        doc["unit_id"] = r.text("unit_id");
        doc["updated_at"] = r.text("updated_at");
        items.push_back(std::move(doc));
    }
    const auto total = tx.exec_one(std::string("SELECT count(*) ") + kListWhere, where).int64(0);
    json totals = json::object();
    for (const auto s :
         {domain::MortgageStatus::documents_pending, domain::MortgageStatus::documents_complete,
          domain::MortgageStatus::submitted, domain::MortgageStatus::approved,
          domain::MortgageStatus::refused, domain::MortgageStatus::registered,
          domain::MortgageStatus::disbursed})
        totals[name(s)] = 0;
    for (const auto& r : tx.exec(
             std::string("SELECT m.status, count(*) ") + kListWhere + " GROUP BY m.status", all))
        totals[r.text(0)] = r.int64(1);
    const auto overdue =
        tx.exec_one(std::string("SELECT count(*) ") + kListWhere + " AND m.due_on < $6::date", all)
            .int64(0);
    return {{"items", std::move(items)}, {"total", total},   {"totals", std::move(totals)},
            {"overdue", overdue},        {"limit", f.limit}, {"offset", f.offset}};
}

}  // namespace contract::mortgage_store
