// FIN-5 dunning 催款: overdue schedule items reach the owning rep's task list (customer service,
// by event) once, and leave it when they are paid.
#include "adapters/dunning_store.hpp"
#include "adapters/schedule_store.hpp"
#include "app/support.hpp"
#include "sales/calendar.hpp"
#include "sales/log.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;

nlohmann::json notice_data(const ContractBook& book, const adapters::DunningParties& parties,
                           int seq, const std::string& due_date) {
    return {{"contract_id", book.contract_id},
            {"contract_no", book.contract_no},
            {"project_id", book.project_id},
            {"customer_id", parties.customer_id},
            {"rep_id", parties.rep_id},
            {"seq", seq},
            {"due_date", due_date}};
}

void settle(Tx& tx, const sales::Clock& clock, const ContractBook& book,
            const adapters::DunningParties& parties, int seq, const std::string& due,
            const char* reason) {
    adapters::settle_notice(tx, book.contract_id, seq, due);
    auto data = notice_data(book, parties, seq, due);
    data["settled_at"] = sales::to_rfc3339(clock.now());
    if (reason)
        data["reason"] = reason;
    emit(tx, kInstalmentSettled, book.contract_id + ":" + std::to_string(seq), 2, std::move(data));
}

}  // namespace

void dunning(Tx& tx, const sales::Clock& clock, const ContractBook& book, bool open_new) {
    const auto today = sales::shanghai_date(clock.now());
    const auto balance =
        domain::compute_balance(book.schedule, book.movements, book.penalty_bp_per_day, today);
    const auto parties = adapters::dunning_parties(tx, book.contract_id);
    auto open = adapters::open_notices(tx, book.contract_id);
    for (const auto& item : balance.items) {
        const auto due = sales::to_string(item.due_date);
        const bool is_open = open.erase({item.seq, due}) > 0;
        if (is_open && (item.outstanding_fen == 0 || parties.cancelled)) {
            settle(tx, clock, book, parties, item.seq, due, nullptr);
        } else if (!is_open && open_new && !parties.cancelled && item.overdue_days > 0 &&
                   item.outstanding_fen > 0) {
            // Announced once per item: an item settled and later re-opened is not announced
            // again by the sweep.
            if (!adapters::insert_notice(tx, book.contract_id, item.seq, due, item.outstanding_fen))
                continue;
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
    for (const auto& [seq, due] : open)
        settle(tx, clock, book, parties, seq, due, "schedule changed");
}

std::size_t sweep_dunning(const Context& ctx, std::int64_t batch) {
    const auto today = sales::to_string(sales::shanghai_date(ctx.clock.now()));
    std::string cursor = "00000000-0000-0000-0000-000000000000";
    std::size_t done = 0;
    for (;;) {
        const auto ids = ctx.db.transaction(
            [&](Tx& tx) { return adapters::dunning_candidates(tx, today, cursor, batch); });
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
            if (!adapters::lock_contract_unless_busy(tx, id))
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
