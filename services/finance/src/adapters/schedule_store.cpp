#include "adapters/schedule_store.hpp"

#include <stdexcept>

#include "sales/calendar.hpp"

namespace finance::adapters {
namespace {
using namespace sales::db;

const std::string kSelectContracts = R"sql(
SELECT contract_id::text AS contract_id, contract_no, project_id::text AS project_id,
       subscription_id::text AS subscription_id, customer_id::text AS customer_id, rep_id,
       penalty_bp_per_day, cleared, clearance_version
FROM contracts )sql";
const std::string kSelectBook = kSelectContracts + "WHERE contract_id = $1::uuid";
const std::string kSelectBookForUpdate = kSelectBook + " FOR UPDATE";
const std::string kSelectProjectBooks = kSelectContracts + "WHERE project_id = $1::uuid";

const std::string kSelectItems = R"sql(
SELECT s.contract_id::text AS contract_id, s.seq, s.kind, s.due_date::text AS due_date,
       s.amount_fen, s.credited_fen
FROM schedule_items s JOIN contracts c ON c.contract_id = s.contract_id )sql";
const std::string kSelectSchedule = kSelectItems + "WHERE c.contract_id = $1::uuid ORDER BY s.seq";
const std::string kSelectProjectSchedules =
    kSelectItems + "WHERE c.project_id = $1::uuid ORDER BY s.contract_id, s.seq";

// The ledger entries that count for a contract: its own and the deposit entries of its
// subscription (attribution by subscription_id; the ledger rows are never rewritten).
const std::string kSelectAttributed = R"sql(
SELECT c.contract_id::text AS contract_id, e.amount_fen, e.effective_on::text AS effective_on
FROM contracts c JOIN ledger_entries e
  ON e.contract_id = c.contract_id
  OR (e.contract_id IS NULL AND e.subscription_id = c.subscription_id) )sql";
const std::string kSelectMovements = kSelectAttributed + "WHERE c.contract_id = $1::uuid";
const std::string kSelectProjectMovements = kSelectAttributed + "WHERE c.project_id = $1::uuid";

constexpr const char* kSelectContractOfSubscription = R"sql(
SELECT contract_id::text AS contract_id FROM contracts WHERE subscription_id = $1::uuid)sql";

constexpr const char* kSelectContractByIdOrSubscription = R"sql(
SELECT contract_id::text AS contract_id FROM contracts
WHERE contract_id = $1::uuid OR subscription_id = $2::uuid)sql";

constexpr const char* kSelectContractProject = R"sql(
SELECT project_id::text AS project_id FROM contracts WHERE contract_id = $1::uuid)sql";

constexpr const char* kInsertContract = R"sql(
INSERT INTO contracts (contract_id, contract_no, subscription_id, project_id, unit_id,
                       customer_id, rep_id, price_fen, reported_deposit_paid_fen,
                       ledger_deposit_fen, penalty_bp_per_day, payment_plan, signed_at,
                       source_event_id)
VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7, $8, $9, $10, $11, $12,
        $13::timestamptz, $14::uuid)
ON CONFLICT DO NOTHING)sql";

constexpr const char* kInsertScheduleItem = R"sql(
INSERT INTO schedule_items (contract_id, seq, kind, due_date, amount_fen, credited_fen)
VALUES ($1::uuid, $2, $3, $4::date, $5, $6))sql";

constexpr const char* kUpdateClearance = R"sql(
UPDATE contracts
SET cleared = $2, cleared_at = CASE WHEN $2 THEN $3::timestamptz ELSE NULL END,
    clearance_version = $4
WHERE contract_id = $1::uuid)sql";

sales::Date date_of(const std::string& text) {
    const auto d = sales::parse_date(text);
    if (!d)
        throw std::runtime_error("not a date: " + text);
    return *d;
}

ContractBook book_of(const Row& row) {
    ContractBook b;
    b.contract_id = row.text("contract_id");
    b.contract_no = row.text("contract_no");
    b.project_id = row.text("project_id");
    b.subscription_id = row.text("subscription_id");
    b.customer_id = row.text("customer_id");
    b.rep_id = row.text("rep_id");
    b.penalty_bp_per_day = row.int64("penalty_bp_per_day");
    b.cleared = row.boolean("cleared");
    b.clearance_version = row.int64("clearance_version");
    return b;
}

domain::ScheduleItem item_of(const Row& r) {
    return {static_cast<int>(r.int64("seq")), domain::parse_item_kind(r.text("kind")).value(),
            date_of(r.text("due_date")), r.int64("amount_fen"), r.int64("credited_fen")};
}

domain::Movement movement_of(const Row& r) {
    return {date_of(r.text("effective_on")), r.int64("amount_fen")};
}

std::optional<std::string> text_of(const std::optional<Row>& row, const char* column) {
    return row ? std::optional(row->text(column)) : std::nullopt;
}

}  // namespace

std::optional<ContractBook> load_book(Tx& tx, const std::string& contract_id, Lock lock) {
    const auto row = tx.exec_maybe_one(
        lock == Lock::for_update ? kSelectBookForUpdate : kSelectBook, {contract_id});
    if (!row)
        return std::nullopt;
    auto b = book_of(*row);
    for (const auto& r : tx.exec(kSelectSchedule, {contract_id}))
        b.schedule.push_back(item_of(r));
    for (const auto& r : tx.exec(kSelectMovements, {contract_id}))
        b.movements.push_back(movement_of(r));
    return b;
}

std::map<std::string, ContractBook> project_books(Tx& tx, const std::string& project_id) {
    std::map<std::string, ContractBook> books;
    for (const auto& r : tx.exec(kSelectProjectBooks, {project_id}))
        books[r.text("contract_id")] = book_of(r);
    for (const auto& r : tx.exec(kSelectProjectSchedules, {project_id}))
        books[r.text("contract_id")].schedule.push_back(item_of(r));
    for (const auto& r : tx.exec(kSelectProjectMovements, {project_id}))
        books[r.text("contract_id")].movements.push_back(movement_of(r));
    return books;
}

std::optional<std::string> contract_of_subscription(Tx& tx, const std::string& subscription_id) {
    return text_of(tx.exec_maybe_one(kSelectContractOfSubscription, {subscription_id}),
                   "contract_id");
}

std::optional<std::string> contract_by_id_or_subscription(Tx& tx, const std::string& contract_id,
                                                          const std::string& subscription_id) {
    return text_of(
        tx.exec_maybe_one(kSelectContractByIdOrSubscription, {contract_id, subscription_id}),
        "contract_id");
}

std::optional<std::string> contract_project(Tx& tx, const std::string& contract_id) {
    return text_of(tx.exec_maybe_one(kSelectContractProject, {contract_id}), "project_id");
}

bool insert_contract(Tx& tx, const NewContract& c) {
    return tx.exec(kInsertContract,
                   {c.contract_id, c.contract_no, c.subscription_id, c.project_id, c.unit_id,
                    c.customer_id, c.rep_id, c.price_fen, c.reported_deposit_fen,
                    c.ledger_deposit_fen, c.penalty_bp_per_day, c.payment_plan, c.signed_at,
                    c.source_event_id})
               .affected_rows() > 0;
}

void insert_schedule_item(Tx& tx, const std::string& contract_id,
                          const domain::ScheduleItem& item) {
    tx.exec(kInsertScheduleItem,
            {contract_id, item.seq, std::string(domain::to_string(item.kind)),
             sales::to_string(item.due_date), item.amount_fen, item.credited_fen});
}

void set_clearance(Tx& tx, const std::string& contract_id, bool cleared, const std::string& at,
                   std::int64_t version) {
    tx.exec(kUpdateClearance, {contract_id, cleared, at, version});
}

}  // namespace finance::adapters
