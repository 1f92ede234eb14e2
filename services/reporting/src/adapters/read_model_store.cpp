#include "adapters/read_model_store.hpp"

namespace reporting::adapters {
namespace {
using sales::db::param;

constexpr const char* kUpsertProject =
    "INSERT INTO projects (project_id, code, name, version) VALUES ($1::uuid, $2, $3, $4) "
    "ON CONFLICT (project_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, "
    "version = EXCLUDED.version WHERE projects.version < EXCLUDED.version";

constexpr const char* kUpsertBuilding =
    "INSERT INTO buildings (building_id, project_id, name) VALUES ($1::uuid, $2::uuid, $3) "
    "ON CONFLICT (building_id) DO UPDATE SET name = EXCLUDED.name";

constexpr const char* kUpsertUnit =
    "INSERT INTO units (unit_id, project_id, building_id, unit_number, layout, status, "
    "gross_area_centi_m2, list_total_fen, version, changed_at) "
    "VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::timestamptz) "
    "ON CONFLICT (unit_id) DO UPDATE SET unit_number = EXCLUDED.unit_number, "
    "layout = coalesce(EXCLUDED.layout, units.layout), status = EXCLUDED.status, "
    "gross_area_centi_m2 = coalesce(EXCLUDED.gross_area_centi_m2, units.gross_area_centi_m2), "
    "list_total_fen = coalesce(EXCLUDED.list_total_fen, units.list_total_fen), "
    "version = EXCLUDED.version, changed_at = EXCLUDED.changed_at "
    "WHERE units.version < EXCLUDED.version";

constexpr const char* kUpdateUnitPrice =
    "UPDATE units SET gross_area_centi_m2 = $2, list_total_fen = $3, version = $4 "
    "WHERE unit_id = $1::uuid AND version < $4";

constexpr const char* kInsertCustomer =
    "INSERT INTO customers (customer_id, project_id, owner_id, channel, received_on) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5::date) ON CONFLICT (customer_id) DO NOTHING";

constexpr const char* kSubscriptionPrice =
    "SELECT price_fen FROM subscriptions WHERE subscription_id = $1::uuid";

constexpr const char* kUpsertSubscription =
    "INSERT INTO subscriptions (subscription_id, project_id, unit_id, customer_id, rep_id, "
    "status, price_fen, created_on, version) "
    "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8::date, $9) "
    "ON CONFLICT (subscription_id) DO UPDATE SET unit_id = EXCLUDED.unit_id, "
    "customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, "
    "price_fen = EXCLUDED.price_fen, version = EXCLUDED.version "
    "WHERE subscriptions.version < EXCLUDED.version";

constexpr const char* kInsertContract =
    "INSERT INTO contracts (contract_id, contract_no, subscription_id, project_id, unit_id, "
    "customer_id, rep_id, signed_at, signed_on, payment_plan, list_total_fen, discount_fen, "
    "price_fen, signed_price_fen, gross_area_centi_m2, status, version) "
    "VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7, $8::timestamptz, "
    "$9::date, $10, $11, $12, $13, $13, $14, 'signed', $15) "
    "ON CONFLICT (contract_id) DO NOTHING";

constexpr const char* kContractState =
    "SELECT contract_no, unit_id::text AS unit_id, price_fen, version FROM contracts "
    "WHERE contract_id = $1::uuid";

constexpr const char* kApplyTerms =
    "UPDATE contracts SET list_total_fen = $2, discount_fen = $3, price_fen = $4, "
    "payment_plan = $5, unit_id = coalesce($6::uuid, unit_id), "
    "gross_area_centi_m2 = CASE WHEN $6::uuid IS NULL THEN gross_area_centi_m2 ELSE $7 END, "
    "version = $8 WHERE contract_id = $1::uuid AND version < $8";

constexpr const char* kInsertAmendment =
    "INSERT INTO amendments (amendment_id, contract_id, reason, old_unit_id, new_unit_id, "
    "requested_at) VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5::uuid, $6::timestamptz) "
    "ON CONFLICT (amendment_id) DO NOTHING";

constexpr const char* kAmendmentReason =
    "SELECT reason FROM amendments WHERE amendment_id = $1::uuid";

constexpr const char* kInsertUnitChange =
    "INSERT INTO unit_changes (change_id, stage, project_id, subscription_id, contract_id, "
    "old_unit_id, new_unit_id, old_price_fen, new_price_fen, reason, approved_by, changed_at, "
    "changed_on) VALUES ($1, $2, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7::uuid, $8, $9, $10, "
    "$11, $12::timestamptz, $13::date) ON CONFLICT (change_id) DO NOTHING";

constexpr const char* kMarkCancelling =
    "UPDATE contracts SET status = 'cancelling', cancel_reason = $2, cancel_approved_by = $3, "
    "refund_fen = $4 WHERE contract_id = $1::uuid AND status = 'signed'";

constexpr const char* kMarkCancelled =
    "UPDATE contracts SET status = 'cancelled', cancelled_at = $2::timestamptz, "
    "cancelled_on = $3::date, cancel_reason = $4, "
    "cancel_approved_by = coalesce(cancel_approved_by, $5), refund_fen = $6 "
    "WHERE contract_id = $1::uuid AND status <> 'cancelled'";

constexpr const char* kMarkHandedOver =
    "UPDATE contracts SET status = 'handed_over', handed_over_on = $2::date "
    "WHERE contract_id = $1::uuid AND status = 'signed'";

constexpr const char* kInsertLedgerEntry =
    "INSERT INTO ledger_entries (entry_id, project_id, contract_id, subscription_id, category, "
    "amount_fen, receipt_no, paid_at, paid_on, reverses_entry_id, reversed_category) "
    "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8::timestamptz, $9::date, "
    "$10::uuid, $11) ON CONFLICT (entry_id) DO NOTHING";

constexpr const char* kUpsertMortgage =
    "INSERT INTO mortgages (mortgage_id, contract_id, project_id, contract_no, status, "
    "loan_kind, loan_fen, approved_fen, disbursed_fen, bank_name, due_on, overdue, version, "
    "changed_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11::date, "
    "$12, $13, $14::timestamptz) "
    "ON CONFLICT (mortgage_id) DO UPDATE SET status = EXCLUDED.status, "
    "loan_kind = EXCLUDED.loan_kind, loan_fen = EXCLUDED.loan_fen, "
    "approved_fen = EXCLUDED.approved_fen, disbursed_fen = EXCLUDED.disbursed_fen, "
    "bank_name = EXCLUDED.bank_name, due_on = EXCLUDED.due_on, overdue = EXCLUDED.overdue, "
    "version = EXCLUDED.version, changed_at = EXCLUDED.changed_at "
    "WHERE mortgages.version < EXCLUDED.version";
}  // namespace

void empty_read_model(Tx& tx) {
    tx.exec(
        "TRUNCATE projects, buildings, units, customers, subscriptions, contracts, amendments, "
        "unit_changes, ledger_entries, mortgages");
}

void upsert_project(Tx& tx, const std::string& project_id, const std::string& code,
                    const std::string& name, std::int64_t version) {
    tx.exec(kUpsertProject, {project_id, code, name, version});
}

void upsert_unit(Tx& tx, const UnitRow& u) {
    if (u.building_name)
        tx.exec(kUpsertBuilding, {u.building_id, u.project_id, *u.building_name});
    tx.exec(kUpsertUnit,
            {u.unit_id, u.project_id, u.building_id, u.unit_number, param(u.layout), u.status,
             param(u.gross_area_centi_m2), param(u.list_total_fen), u.version, u.changed_at});
}

void update_unit_price(Tx& tx, const std::string& unit_id, std::int64_t gross_area_centi_m2,
                       std::int64_t list_total_fen, std::int64_t version) {
    tx.exec(kUpdateUnitPrice, {unit_id, gross_area_centi_m2, list_total_fen, version});
}

void insert_customer(Tx& tx, const std::string& customer_id, const std::string& project_id,
                     const std::string& owner_id, const std::string& channel,
                     const std::string& received_on) {
    tx.exec(kInsertCustomer, {customer_id, project_id, owner_id, channel, received_on});
}

std::optional<std::int64_t> subscription_price(Tx& tx, const std::string& subscription_id) {
    const auto row = tx.exec_maybe_one(kSubscriptionPrice, {subscription_id});
    if (!row)
        return std::nullopt;
    return row->int64("price_fen");
}

void upsert_subscription(Tx& tx, const SubscriptionRow& s) {
    tx.exec(kUpsertSubscription, {s.subscription_id, s.project_id, s.unit_id, s.customer_id,
                                  s.rep_id, s.status, s.price_fen, s.created_on, s.version});
}

void insert_contract(Tx& tx, const ContractRow& c) {
    tx.exec(kInsertContract,
            {c.contract_id, c.contract_no, c.subscription_id, c.project_id, c.unit_id,
             c.customer_id, c.rep_id, c.signed_at, c.signed_on, c.payment_plan, c.list_total_fen,
             c.discount_fen, c.price_fen, param(c.gross_area_centi_m2), c.version});
}

std::optional<ContractState> contract_state(Tx& tx, const std::string& contract_id) {
    const auto row = tx.exec_maybe_one(kContractState, {contract_id});
    if (!row)
        return std::nullopt;
    return ContractState{row->text("contract_no"), row->text("unit_id"), row->int64("price_fen"),
                         row->int64("version")};
}

void apply_terms(Tx& tx, const std::string& contract_id, const AmendedTerms& t) {
    tx.exec(kApplyTerms,
            {contract_id, t.list_total_fen, t.discount_fen, t.price_fen, t.payment_plan,
             param(t.unit_id), param(t.gross_area_centi_m2), t.version});
}

void insert_amendment(Tx& tx, const std::string& amendment_id, const std::string& contract_id,
                      const std::string& reason, const std::optional<std::string>& old_unit_id,
                      const std::optional<std::string>& new_unit_id,
                      const std::string& requested_at) {
    tx.exec(kInsertAmendment, {amendment_id, contract_id, reason, param(old_unit_id),
                               param(new_unit_id), requested_at});
}

std::optional<std::string> amendment_reason(Tx& tx, const std::string& amendment_id) {
    const auto row = tx.exec_maybe_one(kAmendmentReason, {amendment_id});
    if (!row)
        return std::nullopt;
    return row->text("reason");
}

void insert_unit_change(Tx& tx, const UnitChangeRow& c) {
    tx.exec(kInsertUnitChange,
            {c.change_id, c.stage, c.project_id, c.subscription_id, param(c.contract_id),
             c.old_unit_id, c.new_unit_id, param(c.old_price_fen), c.new_price_fen, param(c.reason),
             param(c.approved_by), c.changed_at, c.changed_on});
}

void mark_cancelling(Tx& tx, const std::string& contract_id, const std::string& reason,
                     const std::optional<std::string>& approved_by, std::int64_t refund_fen) {
    tx.exec(kMarkCancelling, {contract_id, reason, param(approved_by), refund_fen});
}

void mark_cancelled(Tx& tx, const std::string& contract_id, const std::string& cancelled_at,
                    const std::string& cancelled_on, const std::string& reason,
                    const std::optional<std::string>& approved_by, std::int64_t refund_fen) {
    tx.exec(kMarkCancelled,
            {contract_id, cancelled_at, cancelled_on, reason, param(approved_by), refund_fen});
}

void mark_handed_over(Tx& tx, const std::string& contract_id, const std::string& handed_over_on) {
    tx.exec(kMarkHandedOver, {contract_id, handed_over_on});
}

void insert_ledger_entry(Tx& tx, const LedgerRow& e) {
    tx.exec(kInsertLedgerEntry,
            {e.entry_id, e.project_id, param(e.contract_id), param(e.subscription_id), e.category,
             e.amount_fen, param(e.receipt_no), e.paid_at, e.paid_on, param(e.reverses_entry_id),
             param(e.reversed_category)});
}

void upsert_mortgage(Tx& tx, const MortgageRow& m) {
    tx.exec(kUpsertMortgage,
            {m.mortgage_id, m.contract_id, m.project_id, m.contract_no, m.status, m.loan_kind,
             m.loan_fen, param(m.approved_fen), m.disbursed_fen, param(m.bank_name),
             param(m.due_on), m.overdue, m.version, m.changed_at});
}

}  // namespace reporting::adapters
