#include "adapters/subscription_store.hpp"

#include "adapters/outbox.hpp"
#include "adapters/rows.hpp"
#include "sales/failure.hpp"

namespace contract::subscription_store {
namespace {
using domain::Subscription;
using namespace sales::db;

const std::string kSelect =
    "SELECT id::text, project_id::text, unit_id::text, customer_id::text, rep_id, status, "
    "payment_plan, list_total_fen, discount_fen, price_fen, deposit_fen, deposit_paid_fen, "
    "gross_area_centi_m2, internal_area_centi_m2, "
    "refund_due_fen, (extract(epoch FROM deposit_deadline) * 1000)::bigint AS "
    "deposit_deadline_ms, " +
    sales::db::iso_date("signing_deadline", "signing_deadline") +
    ", cancellation_reason, cancellation_note, cancellation_requested_by, "
    "cancellation_decided_by, cancellation_decision_note, version, created_by, " +
    sales::db::rfc3339("created_at", "created_at") + ", " +
    sales::db::rfc3339("updated_at", "updated_at") + " FROM subscriptions ";

const std::string kFind = kSelect + "WHERE id = $1::uuid";
const std::string kLock = kFind + " FOR UPDATE";

const std::string kList =
    kSelect +
    "WHERE ($1::uuid IS NULL OR project_id = $1::uuid) "
    "AND ($2::text IS NULL OR status = $2::text) "
    "AND ($3::text IS NULL OR rep_id = $3::text) "
    "AND ($4::date IS NULL OR created_at >= $4::date::timestamp AT TIME ZONE 'Asia/Shanghai') "
    "AND ($5::date IS NULL OR created_at < ($5::date + 1)::timestamp AT TIME ZONE "
    "'Asia/Shanghai') "
    "AND ($6::text[] IS NULL OR project_id::text = ANY ($6::text[])) "
    "ORDER BY created_at DESC, id LIMIT $7 OFFSET $8";

const std::string kLockNextOverdue =
    kSelect +
    "WHERE status = 'pending_deposit' AND deposit_deadline < $1::timestamptz "
    "ORDER BY deposit_deadline LIMIT 1 FOR UPDATE SKIP LOCKED";

constexpr const char* kInsert = R"sql(
INSERT INTO subscriptions (id, project_id, unit_id, customer_id, rep_id, status, list_total_fen,
    discount_fen, price_fen, payment_plan, deposit_fen, deposit_deadline, signing_deadline,
    version, created_by, created_at, updated_at, gross_area_centi_m2, internal_area_centi_m2)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz,
    $13::date, $14, $15, $16::timestamptz, $16::timestamptz, $17, $18))sql";

constexpr const char* kUpdate = R"sql(
UPDATE subscriptions SET unit_id = $3::uuid, customer_id = $4::uuid, status = $5,
    list_total_fen = $6, discount_fen = $7, price_fen = $8, deposit_paid_fen = $9,
    refund_due_fen = $10, cancellation_reason = $11, cancellation_note = $12,
    cancellation_requested_by = $13, cancellation_decided_by = $14,
    cancellation_decision_note = $15, version = $16, updated_at = $17::timestamptz,
    gross_area_centi_m2 = $18, internal_area_centi_m2 = $19
WHERE id = $1::uuid AND version = $2)sql";

constexpr const char* kInsertHistory = R"sql(
INSERT INTO subscription_history (subscription_id, version, action, from_status, to_status,
    actor, reason, details)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb))sql";

constexpr const char* kInsertDeposit = R"sql(
INSERT INTO subscription_deposits (project_id, receipt_no, subscription_id, amount_fen, paid_at,
    outcome, event_id, entry_id)
VALUES ($1::uuid, $2, $3::uuid, $4, $5::timestamptz, $6, $7::uuid, $8::uuid)
ON CONFLICT DO NOTHING)sql";

constexpr const char* kDepositRecorded =
    "SELECT 1 FROM subscription_deposits WHERE project_id = $1::uuid AND receipt_no = $2";

const std::string kLockDepositOfEntry =
    "SELECT subscription_id::text, receipt_no, amount_fen, " +
    sales::db::rfc3339("paid_at", "paid_at") +
    ", outcome, reversed_by_entry_id::text FROM subscription_deposits WHERE entry_id = $1::uuid "
    "FOR UPDATE";

constexpr const char* kSetUnitLocation = R"sql(
UPDATE subscriptions SET building_id = $2::uuid, unit_number = $3 WHERE id = $1::uuid)sql";

// CON-5 换房 after signing: the signed subscription follows its contract to the new unit.
constexpr const char* kSetUnit = R"sql(
UPDATE subscriptions SET unit_id = $2::uuid, gross_area_centi_m2 = $3::bigint,
    internal_area_centi_m2 = $4::bigint, updated_at = now()
WHERE id = $1::uuid)sql";

constexpr const char* kMarkDepositReversed =
    "UPDATE subscription_deposits SET reversed_by_entry_id = $2::uuid WHERE entry_id = $1::uuid";

Subscription from_row(const sales::db::Row& r) {
    const auto status = domain::parse_status(r.text("status"));
    const auto plan = domain::parse_payment_plan(r.text("payment_plan"));
    if (!status || !plan) {
        throw std::logic_error("subscription " + r.text("id") + " has unknown status '" +
                               r.text("status") + "' or payment plan '" + r.text("payment_plan") +
                               "'");
    }
    Subscription s;
    s.id = r.text("id");
    s.project_id = r.text("project_id");
    s.unit_id = r.text("unit_id");
    s.customer_id = r.text("customer_id");
    s.rep_id = r.text("rep_id");
    s.status = *status;
    s.payment_plan = *plan;
    s.terms = {r.int64("list_total_fen"), r.int64("discount_fen"), r.int64("price_fen"),
               r.int64("deposit_fen")};
    s.areas = {r.opt_int64("gross_area_centi_m2").value_or(0),
               r.opt_int64("internal_area_centi_m2").value_or(0)};
    s.deposit_paid_fen = r.int64("deposit_paid_fen");
    s.refund_due_fen = r.int64("refund_due_fen");
    s.deposit_deadline =
        sales::TimePoint(std::chrono::milliseconds(r.int64("deposit_deadline_ms")));
    s.signing_deadline = r.text("signing_deadline");
    s.cancellation_reason = r.opt_text("cancellation_reason");
    s.cancellation_note = r.opt_text("cancellation_note");
    s.cancellation_requested_by = r.opt_text("cancellation_requested_by");
    s.cancellation_decided_by = r.opt_text("cancellation_decided_by");
    s.cancellation_decision_note = r.opt_text("cancellation_decision_note");
    s.version = r.int64("version");
    s.created_by = r.text("created_by");
    s.created_at = r.text("created_at");
    s.updated_at = r.text("updated_at");
    return s;
}

std::string name(domain::Status status) {
    return std::string(domain::to_string(status));
}

void insert(Tx& tx, const Subscription& s) {
    tx.exec(kInsert, {s.id, s.project_id, s.unit_id, s.customer_id, s.rep_id, name(s.status),
                      s.terms.list_total_fen, s.terms.discount_fen, s.terms.price_fen,
                      std::string(domain::to_string(s.payment_plan)), s.terms.deposit_fen,
                      sales::to_rfc3339(s.deposit_deadline), s.signing_deadline, s.version,
                      s.created_by, s.created_at, area_param(s.areas.gross_area_centi_m2),
                      area_param(s.areas.internal_area_centi_m2)});
}

void update(Tx& tx, const Subscription& s, std::int64_t from_version) {
    const auto updated =
        tx.exec(kUpdate, {s.id, from_version, s.unit_id, s.customer_id, name(s.status),
                          s.terms.list_total_fen, s.terms.discount_fen, s.terms.price_fen,
                          s.deposit_paid_fen, s.refund_due_fen, param(s.cancellation_reason),
                          param(s.cancellation_note), param(s.cancellation_requested_by),
                          param(s.cancellation_decided_by), param(s.cancellation_decision_note),
                          s.version, s.updated_at, area_param(s.areas.gross_area_centi_m2),
                          area_param(s.areas.internal_area_centi_m2)});
    if (updated.affected_rows() == 0) {
        sales::fail_conflict("concurrent_change",
                             "the subscription changed meanwhile; reload and retry",
                             {{"subscription_id", s.id}});
    }
}

}  // namespace

std::optional<Subscription> find(Tx& tx, const std::string& id, bool for_update) {
    const auto row = row_by_id(tx, for_update ? kLock : kFind, id);
    return row ? std::optional(from_row(*row)) : std::nullopt;
}

void save(Tx& tx, const Subscription& after, const domain::SubscriptionChange& change) {
    if (change.from)
        update(tx, after, change.from_version);
    else
        insert(tx, after);
    tx.exec(kInsertHistory,
            {after.id, after.version, change.action,
             change.from ? param(name(*change.from)) : sales::db::Param(nullptr),
             name(after.status), change.actor, param(change.reason), change.details.dump()});
    outbox::append(tx, change.event);
}

std::vector<Subscription> list(Tx& tx, const ListFilter& filter,
                               const std::optional<std::vector<std::string>>& projects) {
    const auto date = [](const std::optional<domain::Date>& d) {
        return d ? param(domain::to_string(*d)) : sales::db::Param(nullptr);
    };
    std::vector<Subscription> out;
    for (const auto& row :
         tx.exec(kList, {param(filter.project_id),
                         filter.status ? param(name(*filter.status)) : sales::db::Param(nullptr),
                         param(filter.rep_id), date(filter.from), date(filter.to), param(projects),
                         filter.limit, filter.offset}))
        out.push_back(from_row(row));
    return out;
}

std::optional<Subscription> lock_next_overdue(Tx& tx, sales::TimePoint now) {
    const auto row = tx.exec_maybe_one(kLockNextOverdue, {sales::to_rfc3339(now)});
    if (!row)
        return std::nullopt;
    return from_row(*row);
}

bool record_deposit(Tx& tx, const Subscription& s, const domain::DepositReceipt& receipt,
                    domain::DepositOutcome outcome, const std::string& event_id) {
    return tx.exec(kInsertDeposit,
                   {s.project_id, receipt.receipt_no, s.id, receipt.amount_fen, receipt.paid_at,
                    std::string(domain::to_string(outcome)), event_id, param(receipt.entry_id)})
               .affected_rows() > 0;
}

bool deposit_recorded(Tx& tx, const std::string& project_id, const std::string& receipt_no) {
    return tx.exec_maybe_one(kDepositRecorded, {project_id, receipt_no}).has_value();
}

std::optional<AppliedDeposit> lock_deposit_of_entry(Tx& tx, const std::string& entry_id) {
    const auto row = row_by_id(tx, kLockDepositOfEntry, entry_id);
    if (!row)
        return std::nullopt;
    return AppliedDeposit{row->text("subscription_id"), row->text("receipt_no"),
                          row->int64("amount_fen"),     row->text("paid_at"),
                          row->text("outcome"),         row->opt_text("reversed_by_entry_id")};
}

void mark_deposit_reversed(Tx& tx, const std::string& entry_id,
                           const std::string& reversal_entry_id) {
    tx.exec(kMarkDepositReversed, {entry_id, reversal_entry_id});
}

void set_unit_location(Tx& tx, const std::string& id, const std::string& building_id,
                       const std::string& unit_number) {
    // What inventory's reply names; anything unusable is left unknown (NULL).
    const bool usable_number = !unit_number.empty() && unit_number.size() <= 64;
    tx.exec(kSetUnitLocation,
            {id, sales::is_uuid(building_id) ? param(building_id) : Param(nullptr),
             usable_number ? param(unit_number) : Param(nullptr)});
}

void set_unit(Tx& tx, const std::string& id, const domain::NewUnit& unit) {
    const auto area = [](std::int64_t a) { return a > 0 ? Param(a) : Param(nullptr); };
    tx.exec(kSetUnit, {id, unit.unit_id, area(unit.areas.gross_area_centi_m2),
                       area(unit.areas.internal_area_centi_m2)});
    set_unit_location(tx, id, unit.building_id, unit.unit_number);
}

}  // namespace contract::subscription_store
