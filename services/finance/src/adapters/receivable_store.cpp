#include "adapters/receivable_store.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sales/calendar.hpp"

namespace finance::adapters {
namespace {
using namespace sales::db;

constexpr const char* kTerms = R"sql(
SELECT price_fen, payment_plan, ledger_deposit_fen, terms_version, cancelled_at IS NOT NULL AS cancelled,
       base_schedule::text AS base_schedule
FROM contracts WHERE contract_id = $1::uuid)sql";
constexpr const char* kSetTerms = R"sql(
UPDATE contracts SET price_fen = $2, payment_plan = $3, base_schedule = $4::jsonb, terms_version = $5
WHERE contract_id = $1::uuid)sql";
constexpr const char* kSetBase = R"sql(
UPDATE contracts SET base_schedule = $2::jsonb WHERE contract_id = $1::uuid)sql";
constexpr const char* kInsertItem = R"sql(
INSERT INTO schedule_items (contract_id, seq, kind, due_date, amount_fen, credited_fen)
VALUES ($1::uuid, $2, $3, $4::date, $5, $6))sql";
constexpr const char* kInsertAdjustment = R"sql(
INSERT INTO receivable_adjustments (id, contract_id, kind, source_id, label, amount_fen, due_date,
                                    recorded_by, source_event_id, fee_kind, note)
VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6, $7::date, $8, $9::uuid, $10, $11)
ON CONFLICT (kind, source_id) DO NOTHING)sql";
constexpr const char* kAdjustments = R"sql(
SELECT kind, due_date::text AS due_date, amount_fen FROM receivable_adjustments
WHERE contract_id = $1::uuid ORDER BY created_at, id)sql";

constexpr const char* kSettlementColumns = R"sql(
SELECT settlement_id::text AS settlement_id, contract_id::text AS contract_id,
       project_id::text AS project_id, buyer_pays_fen, developer_refunds_fen, refund_due_fen,
       settled_at IS NOT NULL AS settled
FROM area_settlements )sql";
constexpr const char* kInsertSettlement = R"sql(
INSERT INTO area_settlements (settlement_id, contract_id, project_id, buyer_pays_fen,
                              developer_refunds_fen, refund_due_fen)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6) ON CONFLICT DO NOTHING)sql";
constexpr const char* kMarkSettled = R"sql(
UPDATE area_settlements SET settled_at = now(), settled_how = $2
WHERE settlement_id = $1::uuid AND settled_at IS NULL)sql";
// A reversal row carries category 'reversal': count it when its original was a settlement receipt.
constexpr const char* kAreaSettlementReceived = R"sql(
SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e
LEFT JOIN ledger_entries o ON o.id = e.reverses_entry_id
WHERE e.contract_id = $1::uuid
  AND (e.category = 'area_settlement' OR o.category = 'area_settlement'))sql";

constexpr const char* kInsertPurposedApproval = R"sql(
INSERT INTO refund_approvals (id, project_id, contract_id, amount_fen, reason, approved_by,
                              purpose, source_id)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8::uuid)
ON CONFLICT (source_id) WHERE purpose = 'contract_cancellation' DO NOTHING)sql";
constexpr const char* kUnpaidApprovals = R"sql(
SELECT id::text AS id, project_id::text AS project_id, contract_id::text AS contract_id, purpose,
       source_id::text AS source_id, amount_fen, reason, approved_by
FROM refund_approvals
WHERE contract_id = $1::uuid AND purpose IS NOT NULL AND paid_at IS NULL ORDER BY approved_at, id)sql";
constexpr const char* kApprovedFor = R"sql(
SELECT coalesce(sum(amount_fen), 0) FROM refund_approvals
WHERE purpose = $1 AND source_id = $2::uuid)sql";
constexpr const char* kRefundedFor = R"sql(
SELECT coalesce(-sum(e.amount_fen), 0) FROM ledger_entries e
JOIN refund_approvals a ON a.id = e.approval_ref
WHERE a.purpose = $1 AND a.source_id = $2::uuid)sql";

sales::Date receivable_date(const std::string& text) {
    const auto d = sales::parse_date(text);
    if (!d)
        throw std::runtime_error("not a date: " + text);
    return *d;
}

std::string items_json(const std::vector<domain::ScheduleItem>& items) {
    auto out = nlohmann::json::array();
    for (const auto& i : items) {
        out.push_back({{"seq", i.seq},
                       {"kind", domain::to_string(i.kind)},
                       {"due_date", sales::to_string(i.due_date)},
                       {"amount_fen", i.amount_fen},
                       {"credited_fen", i.credited_fen}});
    }
    return out.dump();
}

Settlement settlement_of(const Row& r) {
    return {r.text("settlement_id"),
            r.text("contract_id"),
            r.text("project_id"),
            r.int64("buyer_pays_fen"),
            r.int64("developer_refunds_fen"),
            r.int64("refund_due_fen"),
            r.boolean("settled")};
}

}  // namespace

std::optional<std::vector<domain::ScheduleItem>> base_schedule(Tx& tx,
                                                               const std::string& contract_id) {
    const auto r = tx.exec_one(kTerms, {contract_id});
    if (r.is_null("base_schedule"))
        return std::nullopt;
    std::vector<domain::ScheduleItem> items;
    for (const auto& i : nlohmann::json::parse(r.text("base_schedule"))) {
        items.push_back({i.at("seq").get<int>(),
                         domain::parse_item_kind(i.at("kind").get<std::string>()).value(),
                         receivable_date(i.at("due_date").get<std::string>()),
                         i.at("amount_fen").get<std::int64_t>(),
                         i.at("credited_fen").get<std::int64_t>()});
    }
    return items;
}

Terms terms(Tx& tx, const std::string& contract_id) {
    const auto r = tx.exec_one(kTerms, {contract_id});
    return {r.int64("price_fen"), r.text("payment_plan"), r.int64("ledger_deposit_fen"),
            r.int64("terms_version"), r.boolean("cancelled")};
}

void set_terms(Tx& tx, const std::string& contract_id, std::int64_t price_fen,
               const std::string& payment_plan, const std::vector<domain::ScheduleItem>& base,
               std::int64_t terms_version) {
    tx.exec(kSetTerms, {contract_id, price_fen, payment_plan, items_json(base), terms_version});
}

void set_base_schedule(Tx& tx, const std::string& contract_id,
                       const std::vector<domain::ScheduleItem>& base) {
    tx.exec(kSetBase, {contract_id, items_json(base)});
}

void replace_schedule(Tx& tx, const std::string& contract_id,
                      const std::vector<domain::ScheduleItem>& items) {
    tx.exec("DELETE FROM schedule_items WHERE contract_id = $1::uuid", {contract_id});
    for (const auto& item : items) {
        tx.exec(kInsertItem, {contract_id, item.seq, std::string(domain::to_string(item.kind)),
                              sales::to_string(item.due_date), item.amount_fen, item.credited_fen});
    }
}

bool insert_adjustment(Tx& tx, const NewAdjustment& a) {
    return tx.exec(kInsertAdjustment,
                   {a.id, a.contract_id, std::string(domain::to_string(a.kind)), a.source_id,
                    a.label, a.amount_fen, sales::to_string(a.due_date), a.recorded_by,
                    param(a.source_event_id), param(a.fee_kind), param(a.note)})
               .affected_rows() > 0;
}

std::vector<domain::Adjustment> adjustments(Tx& tx, const std::string& contract_id) {
    std::vector<domain::Adjustment> out;
    for (const auto& r : tx.exec(kAdjustments, {contract_id})) {
        out.push_back({domain::parse_item_kind(r.text("kind")).value(),
                       receivable_date(r.text("due_date")), r.int64("amount_fen")});
    }
    return out;
}

nlohmann::json adjustment_rows(Tx& tx, const std::string& contract_id, domain::ItemKind kind) {
    auto items = nlohmann::json::array();
    for (const auto& r :
         tx.exec("SELECT id::text AS id, source_id::text AS source_id, label, fee_kind, note, "
                 "amount_fen, "
                 "due_date::text AS due_date, recorded_by, " +
                     rfc3339("created_at", "created_at") +
                     " FROM receivable_adjustments WHERE contract_id = $1::uuid AND kind = $2 "
                     "ORDER BY created_at, id",
                 {contract_id, std::string(domain::to_string(kind))})) {
        items.push_back({{"id", r.text("id")},
                         {"contract_id", contract_id},
                         {"label", r.text("label")},
                         {"fee_kind", nullable(r.opt_text("fee_kind"))},
                         {"note", nullable(r.opt_text("note"))},
                         {"amount_fen", r.int64("amount_fen")},
                         {"due_date", r.text("due_date")},
                         {"recorded_by", r.text("recorded_by")},
                         {"created_at", r.text("created_at")}});
    }
    return items;
}

bool insert_settlement(Tx& tx, const Settlement& s) {
    return tx.exec(kInsertSettlement, {s.settlement_id, s.contract_id, s.project_id,
                                       s.buyer_pays_fen, s.developer_refunds_fen, s.refund_due_fen})
               .affected_rows() > 0;
}

std::optional<Settlement> settlement(Tx& tx, const std::string& settlement_id) {
    const auto r = tx.exec_maybe_one(
        std::string(kSettlementColumns) + "WHERE settlement_id = $1::uuid FOR UPDATE",
        {settlement_id});
    return r ? std::optional(settlement_of(*r)) : std::nullopt;
}

std::vector<Settlement> open_settlements(Tx& tx, const std::string& contract_id) {
    std::vector<Settlement> out;
    for (const auto& r :
         tx.exec(std::string(kSettlementColumns) +
                     "WHERE contract_id = $1::uuid AND settled_at IS NULL ORDER BY booked_at",
                 {contract_id}))
        out.push_back(settlement_of(r));
    return out;
}

void mark_settled(Tx& tx, const std::string& settlement_id, const std::string& how) {
    tx.exec(kMarkSettled, {settlement_id, how});
}

std::int64_t area_settlement_received(Tx& tx, const std::string& contract_id) {
    return tx.exec_one(kAreaSettlementReceived, {contract_id}).int64(0);
}

bool insert_purposed_approval(Tx& tx, const PurposedApproval& a) {
    return tx.exec(kInsertPurposedApproval, {a.id, a.project_id, a.contract_id, a.amount_fen,
                                             a.reason, a.approved_by, a.purpose, a.source_id})
               .affected_rows() > 0;
}

std::vector<PurposedApproval> unpaid_approvals(Tx& tx, const std::string& contract_id) {
    std::vector<PurposedApproval> out;
    for (const auto& r : tx.exec(kUnpaidApprovals, {contract_id})) {
        out.push_back({r.text("id"), r.text("project_id"), r.text("contract_id"), r.text("purpose"),
                       r.text("source_id"), r.int64("amount_fen"), r.text("reason"),
                       r.text("approved_by")});
    }
    return out;
}

void mark_approval_paid(Tx& tx, const std::string& approval_id) {
    tx.exec("UPDATE refund_approvals SET paid_at = now() WHERE id = $1::uuid AND paid_at IS NULL",
            {approval_id});
}

std::int64_t approved_for(Tx& tx, const std::string& purpose, const std::string& source_id) {
    return tx.exec_one(kApprovedFor, {purpose, source_id}).int64(0);
}

std::int64_t refunded_for(Tx& tx, const std::string& purpose, const std::string& source_id) {
    return tx.exec_one(kRefundedFor, {purpose, source_id}).int64(0);
}

nlohmann::json list_approvals(Tx& tx, const std::string& project_id, bool unpaid_only) {
    const std::string query =
        "SELECT a.id::text AS id, a.contract_id::text AS contract_id, c.contract_no, "
        "a.subscription_id::text AS subscription_id, a.amount_fen, a.reason, a.approved_by, "
        "a.purpose, a.source_id::text AS source_id, " +
        rfc3339("a.approved_at", "approved_at") + ", " + rfc3339("a.paid_at", "paid_at") +
        ", coalesce((SELECT -sum(e.amount_fen) FROM ledger_entries e WHERE e.approval_ref = a.id), "
        "0) AS refunded_fen "
        "FROM refund_approvals a LEFT JOIN contracts c ON c.contract_id = a.contract_id "
        "WHERE a.project_id = $1::uuid" +
        (unpaid_only ? std::string(" AND a.paid_at IS NULL AND coalesce((SELECT -sum(e.amount_fen) "
                                   "FROM ledger_entries e WHERE e.approval_ref = a.id), 0) < "
                                   "a.amount_fen")
                     : std::string()) +
        " ORDER BY a.approved_at DESC, a.id LIMIT 500";
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(query, {project_id})) {
        items.push_back({{"id", r.text("id")},
                         {"project_id", project_id},
                         {"contract_id", nullable(r.opt_text("contract_id"))},
                         {"contract_no", nullable(r.opt_text("contract_no"))},
                         {"subscription_id", nullable(r.opt_text("subscription_id"))},
                         {"amount_fen", r.int64("amount_fen")},
                         {"refunded_fen", r.int64("refunded_fen")},
                         {"reason", r.text("reason")},
                         {"approved_by", r.text("approved_by")},
                         {"approved_at", r.text("approved_at")},
                         {"purpose", nullable(r.opt_text("purpose"))},
                         {"source_id", nullable(r.opt_text("source_id"))},
                         {"paid_at", nullable(r.opt_text("paid_at"))}});
    }
    return items;
}

void set_cancelled(Tx& tx, const std::string& contract_id) {
    tx.exec(
        "UPDATE contracts SET cancelled_at = now() WHERE contract_id = $1::uuid AND cancelled_at "
        "IS NULL",
        {contract_id});
}

}  // namespace finance::adapters
