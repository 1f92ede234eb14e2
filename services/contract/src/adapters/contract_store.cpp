#include "adapters/contract_store.hpp"

#include "adapters/outbox.hpp"
#include "adapters/rows.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::contract_store {
namespace {
using domain::Contract;
using nlohmann::json;
using namespace sales::db;

// Function-local: contract_queries builds its SQL on this at static initialisation.
const std::string& documents_sql() {
    static const std::string sql =
        select_as_documents("contracts", "c",
                            {"signed_at", "filed_at", "eligible_at", "cancelled_at", "created_at",
                             "updated_at", "handover_recorded_at"},
                            {"year", "serial"});
    return sql;
}

const std::string kFind = documents_sql() + "WHERE c.id = $1::uuid";
const std::string kLock = kFind + " FOR UPDATE OF c";

constexpr const char* kNextSerial = R"sql(
INSERT INTO contract_counters (project_id, year, last_serial) VALUES ($1::uuid, $2, 1)
ON CONFLICT (project_id, year) DO UPDATE SET last_serial = contract_counters.last_serial + 1
RETURNING last_serial)sql";

constexpr const char* kInsert = R"sql(
INSERT INTO contracts (id, contract_no, project_id, year, serial, subscription_id, unit_id,
    customer_id, rep_id, status, list_total_fen, discount_fen, price_fen, deposit_paid_fen,
    penalty_bp_per_day, payment_plan, plan, discount_slip_id, late_signing_approval_id, signed_at,
    signed_by, version, pricing_basis, contract_gross_area_centi_m2,
    contract_internal_area_centi_m2)
VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6::uuid, $7::uuid, $8::uuid, $9, $10, $11, $12, $13, $14,
    $15, $16, $17::jsonb, $18::uuid, $19::uuid, $20::timestamptz, $21, $22, $23, $24, $25))sql";

constexpr const char* kSetReferrer = R"sql(
UPDATE contracts SET referrer_customer_id = $2::uuid WHERE id = $1::uuid)sql";

// A member 会员 is an owner: the buyer of a contract that is not cancelled.
constexpr const char* kIsMember = R"sql(
SELECT 1 FROM contracts WHERE customer_id = $1::uuid AND status NOT IN ('cancelling', 'cancelled')
LIMIT 1)sql";

constexpr const char* kUpdate = R"sql(
UPDATE contracts SET status = $3, version = $4, audit_round = $5, handover_state = $6,
    eligible_at = CASE WHEN NOT $7 OR $6 = 'handed_over' THEN eligible_at
                       WHEN $6 IN ('eligible', 'early_eligible') THEN $8::timestamptz
                       ELSE NULL END,
    updated_at = now()
WHERE id = $1::uuid AND version = $2)sql";

constexpr const char* kInsertHistory = R"sql(
INSERT INTO contract_history (contract_id, version, action, from_status, to_status, actor, reason,
    details)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb))sql";

constexpr const char* kInsertEligibility = R"sql(
INSERT INTO handover_eligibility_history (contract_id, from_state, to_state, cause, event_id)
VALUES ($1::uuid, $2, $3, $4, $5::uuid))sql";

constexpr const char* kSetStamp = R"sql(
UPDATE contracts SET stamped_on = $2::date, stamp_no = $3, stamped_by = $4,
    registration_due_on = $5::date
WHERE id = $1::uuid)sql";

// The stamped contracts whose registration due day is not recorded yet, with their project's
// working days (CON-7).
constexpr const char* kMissingRegistrationDue = R"sql(
SELECT c.id::text AS id, to_char(c.stamped_on, 'YYYY-MM-DD') AS stamped_on,
    p.registration_deadline_working_days AS days
FROM contracts c JOIN project_refs p ON p.project_id = c.project_id
WHERE c.stamped_on IS NOT NULL AND c.registration_due_on IS NULL
ORDER BY c.id LIMIT $1)sql";

constexpr const char* kSetRegistrationDue = R"sql(
UPDATE contracts SET registration_due_on = $2::date
WHERE id = $1::uuid AND registration_due_on IS NULL)sql";

constexpr const char* kRegistrationHolder = R"sql(
SELECT id::text AS id, contract_no FROM contracts
WHERE project_id = $1::uuid AND registration_no = $2 AND id <> $3::uuid)sql";

// The unit's building and number, from the subscription (inventory's hold reply), at signing.
constexpr const char* kCopyUnitLocation = R"sql(
UPDATE contracts c SET building_id = s.building_id, unit_number = s.unit_number
FROM subscriptions s WHERE c.id = $1::uuid AND s.id = c.subscription_id)sql";

constexpr const char* kSetRegistration = R"sql(
UPDATE contracts SET filed_at = $2::timestamptz, registration_date = $3::date,
    registration_no = $4
WHERE id = $1::uuid)sql";

constexpr const char* kSetHandover = R"sql(
UPDATE contracts SET handover_notice_date = $2::date, handed_over_on = $3::date,
    handover_recorded_by = $4, handover_recorded_at = now(), handover_confirmed_by = NULL
WHERE id = $1::uuid)sql";
constexpr const char* kSetHandoverConfirmed = R"sql(
UPDATE contracts SET handover_confirmed_by = $2 WHERE id = $1::uuid)sql";

constexpr const char* kSetCancelled =
    "UPDATE contracts SET cancelled_at = now() WHERE id = $1::uuid";

constexpr const char* kSetEarlyApproval =
    "UPDATE contracts SET early_handover_approval_id = $2::uuid WHERE id = $1::uuid";

constexpr const char* kSetTerms = R"sql(
UPDATE contracts SET customer_id = $2::uuid, discount_fen = $3, price_fen = $4, plan = $5::jsonb,
    payment_plan = $5::jsonb ->> 'kind', list_total_fen = coalesce($6::bigint, list_total_fen)
WHERE id = $1::uuid)sql";

// CON-5 换房: the unit and the areas the new price was agreed on (unit price follows).
constexpr const char* kSetUnit = R"sql(
UPDATE contracts SET unit_id = $2::uuid, building_id = $3::uuid, unit_number = $4,
    contract_gross_area_centi_m2 = $5::bigint, contract_internal_area_centi_m2 = $6::bigint
WHERE id = $1::uuid)sql";

domain::Plan stored_plan(const json& plan) {
    std::vector<domain::FieldProblem> problems;
    // Stored plans were validated at signing; their dates may lie in the past by now.
    const auto parsed = domain::parse_plan(
        plan, sales::Date{std::chrono::year{1}, std::chrono::month{1}, std::chrono::day{1}},
        problems);
    if (!parsed)
        throw std::logic_error("stored plan is unreadable: " + plan.dump());
    return *parsed;
}

// An area column of the document: 0 when NULL (not recorded).
std::int64_t area_of(const json& doc, const char* column) {
    const auto& value = doc.at(column);
    return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

Contract from_doc(const json& doc) {
    Contract c;
    c.id = doc.at("id");
    c.contract_no = doc.at("contract_no");
    c.project_id = doc.at("project_id");
    c.subscription_id = doc.at("subscription_id");
    c.unit_id = doc.at("unit_id");
    c.rep_id = doc.at("rep_id");
    c.status = *domain::parse_contract_status(doc.at("status").get<std::string>());
    c.handover = *domain::parse_handover_state(doc.at("handover_state").get<std::string>());
    c.version = doc.at("version");
    c.audit_round = doc.at("audit_round");
    c.terms.customer_id = doc.at("customer_id");
    c.terms.list_total_fen = doc.at("list_total_fen");
    c.terms.discount_fen = doc.at("discount_fen");
    c.terms.price_fen = doc.at("price_fen");
    c.terms.plan = stored_plan(doc.at("plan"));
    c.areas = {area_of(doc, "contract_gross_area_centi_m2"),
               area_of(doc, "contract_internal_area_centi_m2")};
    c.pricing_basis = domain::parse_pricing_basis(doc.at("pricing_basis").get<std::string>())
                          .value_or(domain::PricingBasis::gross);
    c.deposit_paid_fen = doc.at("deposit_paid_fen");
    c.penalty_bp_per_day = doc.at("penalty_bp_per_day");
    c.signed_at = doc.at("signed_at");
    c.discount_contract = !doc.at("discount_slip_id").is_null();
    c.early_approved = !doc.at("early_handover_approval_id").is_null();
    if (const auto& by = doc.at("handover_recorded_by"); !by.is_null())
        c.handover_recorded_by = by.get<std::string>();
    if (const auto& referrer = doc.at("referrer_customer_id"); !referrer.is_null())
        c.referrer_customer_id = referrer.get<std::string>();
    return c;
}

std::string name(domain::ContractStatus status) {
    return std::string(domain::to_string(status));
}

std::string name(domain::HandoverState state) {
    return std::string(domain::to_string(state));
}

}  // namespace

std::optional<Contract> find(Tx& tx, const std::string& id, bool for_update) {
    const auto row = row_by_id(tx, for_update ? kLock : kFind, id);
    return row ? std::optional(from_doc(json::parse(row->text("doc")))) : std::nullopt;
}

json document(Tx& tx, const std::string& id) {
    return json::parse(tx.exec_one(kFind, {id}).text("doc"));
}

const std::string& select_documents() {
    return documents_sql();
}

std::int64_t next_serial(Tx& tx, const std::string& project_id, int year) {
    return tx.exec_one(kNextSerial, {project_id, year}).int64("last_serial");
}

void insert(Tx& tx, const Contract& c, const Signing& signing, const std::string& signed_by) {
    tx.exec(kInsert, {c.id,
                      c.contract_no,
                      c.project_id,
                      signing.year,
                      signing.serial,
                      c.subscription_id,
                      c.unit_id,
                      c.terms.customer_id,
                      c.rep_id,
                      name(c.status),
                      c.terms.list_total_fen,
                      c.terms.discount_fen,
                      c.terms.price_fen,
                      c.deposit_paid_fen,
                      c.penalty_bp_per_day,
                      std::string(domain::to_string(c.terms.plan.kind)),
                      domain::to_json(c.terms.plan).dump(),
                      param(signing.discount_slip_id),
                      param(signing.late_signing_approval_id),
                      c.signed_at,
                      signed_by,
                      c.version,
                      domain::to_string(c.pricing_basis),
                      area_param(c.areas.gross_area_centi_m2),
                      area_param(c.areas.internal_area_centi_m2)});
}

void set_referrer(Tx& tx, const std::string& contract_id, const std::string& referrer_id) {
    tx.exec(kSetReferrer, {contract_id, referrer_id});
}

bool is_member(Tx& tx, const std::string& customer_id) {
    return !tx.exec(kIsMember, {customer_id}).empty();
}

void save(Tx& tx, const Contract& after, const domain::ContractChange& change) {
    if (change.from) {
        const auto updated = tx.exec(
            kUpdate, {after.id, change.from_version, name(after.status), after.version,
                      after.audit_round, name(after.handover), change.handover.has_value(),
                      change.handover ? param(change.handover->at) : sales::db::Param(nullptr)});
        if (updated.affected_rows() == 0) {
            sales::fail_conflict("concurrent_change",
                                 "the contract changed meanwhile; reload and retry",
                                 {{"contract_id", after.id}});
        }
    }
    tx.exec(kInsertHistory,
            {after.id, change.version, change.action,
             change.from ? param(name(*change.from)) : sales::db::Param(nullptr), name(change.to),
             change.actor, param(change.reason), change.details.dump()});
    if (const auto& h = change.handover) {
        tx.exec(kInsertEligibility,
                {after.id, name(h->from), name(h->to), h->cause, param(h->event_id)});
    }
    if (change.event)
        outbox::append(tx, *change.event);
}

void set_stamp(Tx& tx, const std::string& id, const std::string& stamped_on,
               const std::string& stamp_no, const std::string& stamped_by,
               const std::string& registration_due_on) {
    tx.exec(kSetStamp, {id, stamped_on, stamp_no, stamped_by, registration_due_on});
}

std::vector<MissingDue> missing_registration_due(Tx& tx, std::int64_t limit) {
    std::vector<MissingDue> out;
    for (const auto& r : tx.exec(kMissingRegistrationDue, {limit}))
        out.push_back({r.text("id"), r.text("stamped_on"), r.int64("days")});
    return out;
}

void set_registration_due(Tx& tx, const std::string& id, const std::string& due_on) {
    tx.exec(kSetRegistrationDue, {id, due_on});
}

std::optional<std::string> registration_holder(Tx& tx, const std::string& project_id,
                                               const std::string& registration_no,
                                               const std::string& except_id) {
    const auto row =
        tx.exec_maybe_one(kRegistrationHolder, {project_id, registration_no, except_id});
    return row ? std::optional(row->text("contract_no")) : std::nullopt;
}

void copy_unit_location(Tx& tx, const std::string& id) {
    tx.exec(kCopyUnitLocation, {id});
}

void set_registration(Tx& tx, const std::string& id, const std::string& filed_at,
                      const std::string& registration_date, const std::string& registration_no) {
    tx.exec(kSetRegistration, {id, filed_at, registration_date, registration_no});
}

void set_handover(Tx& tx, const std::string& id, const std::string& notice_date,
                  const std::string& handed_over_on, const std::string& recorded_by) {
    tx.exec(kSetHandover, {id, notice_date, handed_over_on, recorded_by});
}

void set_handover_confirmed(Tx& tx, const std::string& id, const std::string& confirmed_by) {
    tx.exec(kSetHandoverConfirmed, {id, confirmed_by});
}

void set_cancelled(Tx& tx, const std::string& id) {
    tx.exec(kSetCancelled, {id});
}

void set_early_handover_approval(Tx& tx, const std::string& id, const std::string& approval_id) {
    tx.exec(kSetEarlyApproval, {id, approval_id});
}

void set_terms(Tx& tx, const std::string& id, const json& terms) {
    const auto list_total = terms.contains("list_total_fen")
                                ? sales::db::param(terms.at("list_total_fen").get<std::int64_t>())
                                : sales::db::Param(nullptr);
    tx.exec(kSetTerms,
            {id, terms.at("customer_id").get<std::string>(),
             terms.at("discount_fen").get<std::int64_t>(),
             terms.at("price_fen").get<std::int64_t>(), terms.at("plan").dump(), list_total});
}

void set_unit(Tx& tx, const std::string& id, const domain::NewUnit& unit) {
    using sales::db::Param;
    const auto text = [](const std::string& t) { return t.empty() ? Param(nullptr) : Param(t); };
    const auto area = [](std::int64_t a) { return a > 0 ? Param(a) : Param(nullptr); };
    tx.exec(kSetUnit, {id, unit.unit_id,
                       sales::is_uuid(unit.building_id) ? Param(unit.building_id) : Param(nullptr),
                       text(unit.unit_number), area(unit.areas.gross_area_centi_m2),
                       area(unit.areas.internal_area_centi_m2)});
}

}  // namespace contract::contract_store
