// FIN-5 dunning 催款: overdue schedule items reach the owning rep's task list (customer service,
// by event) once, and leave it when they are paid.
#include "adapters/schedule_store.hpp"
#include "app/support.hpp"
#include "sales/calendar.hpp"
#include "sales/log.hpp"

#include <set>

namespace finance::app {
namespace {
using sales::db::Tx;

// Contracts with an item due before today and not cleared, or with a notice still open; by id
// after the cursor (the sweep pages through them).
constexpr const char* kDueContracts = R"sql(
SELECT c.contract_id::text AS contract_id FROM contracts c
WHERE c.contract_id > $2::uuid AND (
    (NOT c.cleared AND c.cancelled_at IS NULL AND EXISTS (
        SELECT 1 FROM schedule_items s WHERE s.contract_id = c.contract_id AND s.due_date < $1::date))
    OR EXISTS (SELECT 1 FROM dunning_notices n WHERE n.contract_id = c.contract_id
               AND n.settled_at IS NULL))
ORDER BY c.contract_id LIMIT $3)sql";
constexpr const char* kOpenNotices = R"sql(
SELECT seq, due_date::text AS due_date FROM dunning_notices
WHERE contract_id = $1::uuid AND settled_at IS NULL)sql";
constexpr const char* kNotify = R"sql(
INSERT INTO dunning_notices (contract_id, seq, due_date, outstanding_fen)
VALUES ($1::uuid, $2, $3::date, $4) ON CONFLICT DO NOTHING)sql";
constexpr const char* kSettle = R"sql(
UPDATE dunning_notices SET settled_at = now()
WHERE contract_id = $1::uuid AND seq = $2 AND due_date = $3::date AND settled_at IS NULL)sql";
constexpr const char* kParties = R"sql(
SELECT rep_id, customer_id::text AS customer_id, cancelled_at IS NOT NULL AS cancelled
FROM contracts WHERE contract_id = $1::uuid)sql";

nlohmann::json notice_data(const ContractBook& book, const sales::db::Row& parties, int seq,
                           const std::string& due_date) {
    return {{"contract_id", book.contract_id},
            {"contract_no", book.contract_no},
            {"project_id", book.project_id},
            {"customer_id", parties.text("customer_id")},
            {"rep_id", parties.text("rep_id")},
            {"seq", seq},
            {"due_date", due_date}};
}

}  // namespace

void dunning(Tx& tx, const sales::Clock& clock, const ContractBook& book, bool open_new) {
    const auto today = sales::shanghai_date(clock.now());
    const auto balance =
        domain::compute_balance(book.schedule, book.movements, book.penalty_bp_per_day, today);
    const auto parties = tx.exec_one(kParties, {book.contract_id});
    std::set<std::pair<int, std::string>> open;
    for (const auto& r : tx.exec(kOpenNotices, {book.contract_id}))
        open.emplace(static_cast<int>(r.int64("seq")), r.text("due_date"));
    const bool cancelled = parties.boolean("cancelled");
    for (const auto& item : balance.items) {
        const auto due = sales::to_string(item.due_date);
        const bool is_open = open.erase({item.seq, due}) > 0;
        if (is_open && (item.outstanding_fen == 0 || cancelled)) {
            tx.exec(kSettle, {book.contract_id, item.seq, due});
            auto data = notice_data(book, parties, item.seq, due);
            data["settled_at"] = sales::to_rfc3339(clock.now());
            emit(tx, kInstalmentSettled, book.contract_id + ":" + std::to_string(item.seq), 2,
                 std::move(data));
        } else if (!is_open && open_new && !cancelled && item.overdue_days > 0 &&
                   item.outstanding_fen > 0) {
            if (tx.exec(kNotify, {book.contract_id, item.seq, due, item.outstanding_fen})
                    .affected_rows() == 0)
                continue;  // announced before (and settled since, then re-opened: not again)
            auto data = notice_data(book, parties, item.seq, due);
            data["kind"] = domain::to_string(item.kind);
            data["amount_fen"] = item.amount_fen;
            data["outstanding_fen"] = item.outstanding_fen;
            data["overdue_days"] = item.overdue_days;
            emit(tx, kInstalmentOverdue, book.contract_id + ":" + std::to_string(item.seq), 1,
                 std::move(data));
        }
    }
    // Notices of items no longer in the schedule (an amendment or settlement rebuilt it): closed.
    for (const auto& [seq, due] : open) {
        tx.exec(kSettle, {book.contract_id, seq, due});
        auto data = notice_data(book, parties, seq, due);
        data["settled_at"] = sales::to_rfc3339(clock.now());
        data["reason"] = "schedule changed";
        emit(tx, kInstalmentSettled, book.contract_id + ":" + std::to_string(seq), 2,
             std::move(data));
    }
}

std::size_t sweep_contracts(const Context& ctx, const std::vector<std::string>& ids);

std::size_t sweep_dunning(const Context& ctx, std::int64_t batch) {
    const auto today = sales::to_string(sales::shanghai_date(ctx.clock.now()));
    std::string cursor = "00000000-0000-0000-0000-000000000000";
    std::size_t done = 0;
    for (;;) {
        const auto ids = ctx.db.transaction([&](Tx& tx) {
            std::vector<std::string> out;
            for (const auto& r : tx.exec(kDueContracts, {today, cursor, batch}))
                out.push_back(r.text("contract_id"));
            return out;
        });
        if (ids.empty())
            break;
        cursor = ids.back();
        done += sweep_contracts(ctx, ids);
        if (static_cast<std::int64_t>(ids.size()) < batch)
            break;
    }
    return done;
}

std::size_t sweep_contracts(const Context& ctx, const std::vector<std::string>& ids) {
    std::size_t done = 0;
    for (const auto& id : ids) {
        ctx.db.transaction([&](Tx& tx) {
            // Replicas sweep in parallel: a contract locked by another is left to it.
            const auto locked = tx.exec_maybe_one(
                "SELECT 1 FROM contracts WHERE contract_id = $1::uuid FOR UPDATE SKIP LOCKED",
                {id});
            if (!locked)
                return;
            if (const auto book = adapters::load_book(tx, id, adapters::Lock::for_update)) {
                dunning(tx, ctx.clock, *book, /*open_new=*/true);
                ++done;
            }
        });
    }
    return done;
}

}  // namespace finance::app
