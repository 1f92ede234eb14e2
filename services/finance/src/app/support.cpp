#include "app/support.hpp"

#include "sales/log.hpp"

namespace finance::app {

void invalid(const std::string& field, const std::string& problem) {
    throw Failure(Failure::Kind::invalid, "validation_failed", field + ": " + problem,
                  {{"field", field}, {"problem", problem}});
}

void not_found(const std::string& what, const std::string& id) {
    throw Failure(Failure::Kind::not_found, what + "_not_found", "no " + what + " with id " + id,
                  {{what + "_id", id}});
}

std::string iso(const std::string& column, const std::string& alias) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS " +
           alias;
}

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data) {
    sales::bus::outbox_append(
        tx, sales::bus::make_event("finance", type, aggregate_id, sequence, std::move(data)));
}

sales::Date date_of(const std::string& text) {
    const auto d = sales::parse_date(text);
    if (!d)
        throw std::runtime_error("not a date: " + text);
    return *d;
}

std::optional<ContractBook> load_book(sales::db::Tx& tx, const std::string& contract_id,
                                      bool for_update) {
    const auto row = tx.exec_maybe_one(
        std::string("SELECT contract_id::text AS contract_id, contract_no, project_id::text AS "
                    "project_id, subscription_id::text AS subscription_id, customer_id::text AS "
                    "customer_id, penalty_bp_per_day, cleared, clearance_version FROM contracts "
                    "WHERE contract_id = $1::uuid") +
            (for_update ? " FOR UPDATE" : ""),
        {contract_id});
    if (!row)
        return std::nullopt;
    ContractBook b;
    b.contract_id = row->text("contract_id");
    b.contract_no = row->text("contract_no");
    b.project_id = row->text("project_id");
    b.subscription_id = row->text("subscription_id");
    b.customer_id = row->text("customer_id");
    b.penalty_bp_per_day = row->int64("penalty_bp_per_day");
    b.cleared = row->boolean("cleared");
    b.clearance_version = row->int64("clearance_version");
    for (const auto& r : tx.exec("SELECT seq, kind, due_date::text AS due_date, amount_fen, "
                                 "credited_fen FROM schedule_items WHERE contract_id = $1::uuid "
                                 "ORDER BY seq",
                                 {contract_id})) {
        b.schedule.push_back(
            {static_cast<int>(r.int64("seq")), domain::parse_item_kind(r.text("kind")).value(),
             date_of(r.text("due_date")), r.int64("amount_fen"), r.int64("credited_fen")});
    }
    for (const auto& r :
         tx.exec(std::string("SELECT e.amount_fen, e.effective_on::text AS effective_on FROM "
                             "contracts c JOIN ledger_entries e ON ") +
                     kAttributed + " WHERE c.contract_id = $1::uuid",
                 {contract_id})) {
        b.movements.push_back({date_of(r.text("effective_on")), r.int64("amount_fen")});
    }
    return b;
}

void recompute_clearance(sales::db::Tx& tx, const sales::Clock& clock, const ContractBook& book,
                         const std::string& reason) {
    const auto now = clock.now();
    const auto balance = domain::compute_balance(
        book.schedule, book.movements, book.penalty_bp_per_day, sales::shanghai_date(now));
    const auto change = domain::clearance_change(book.cleared, balance.cleared);
    if (change == domain::ClearanceChange::none)
        return;
    const auto version = book.clearance_version + 1;
    const auto at = sales::to_rfc3339(now);
    tx.exec(
        "UPDATE contracts SET cleared = $2, cleared_at = CASE WHEN $2 THEN $3::timestamptz ELSE "
        "NULL END, clearance_version = $4 WHERE contract_id = $1::uuid",
        {book.contract_id, balance.cleared, at, version});
    if (change == domain::ClearanceChange::cleared) {
        emit(tx, kContractCleared, book.contract_id, version,
             {{"contract_id", book.contract_id},
              {"project_id", book.project_id},
              {"cleared_at", at},
              {"due_fen", balance.total_fen + balance.penalty_fen},
              {"paid_fen", balance.paid_fen}});
        sales::log::info("contract cleared", {{"contract_id", book.contract_id}});
    } else {
        emit(tx, kContractUncleared, book.contract_id, version,
             {{"contract_id", book.contract_id},
              {"project_id", book.project_id},
              {"uncleared_at", at},
              {"reason", reason},
              {"balance_fen", balance.balance_fen}});
        sales::log::info("contract clearance withdrawn", {{"contract_id", book.contract_id}});
    }
}

}  // namespace finance::app
