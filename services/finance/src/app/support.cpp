#include "app/support.hpp"

#include "app/referrals.hpp"
#include "sales/bus.hpp"
#include "sales/calendar.hpp"
#include "sales/log.hpp"

namespace finance::app {

void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data) {
    sales::bus::outbox_append(
        tx, sales::bus::make_event("finance", type, aggregate_id, sequence, std::move(data)));
}

std::optional<ContractBook> lock_book(sales::db::Tx& tx,
                                      const std::optional<std::string>& contract_id,
                                      const std::optional<std::string>& subscription_id) {
    const auto id =
        contract_id ? contract_id : adapters::contract_of_subscription(tx, subscription_id.value());
    if (!id)
        return std::nullopt;
    return adapters::load_book(tx, *id, adapters::Lock::for_update);
}

void recompute_clearance(sales::db::Tx& tx, const sales::Clock& clock, const ContractBook& book,
                         const std::string& reason) {
    const auto now = clock.now();
    const auto balance = domain::compute_balance(
        book.schedule, book.movements, book.penalty_bp_per_day, sales::shanghai_date(now));
    referral_progress(tx, book, balance);  // CON-11: 80% of the price paid
    const auto change = domain::clearance_change(book.cleared, balance.cleared);
    if (change == domain::ClearanceChange::none)
        return;
    const auto version = book.clearance_version + 1;
    const auto at = sales::to_rfc3339(now);
    adapters::set_clearance(tx, book.contract_id, balance.cleared, at, version);
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

nlohmann::json schedule_item_json(const domain::ScheduleItem& i) {
    return {{"seq", i.seq},
            {"kind", domain::to_string(i.kind)},
            {"due_date", sales::to_string(i.due_date)},
            {"amount_fen", i.amount_fen},
            {"credited_fen", i.credited_fen}};
}

nlohmann::json item_json(const domain::ItemBalance& i) {
    auto out = schedule_item_json(i);
    out["paid_fen"] = i.paid_fen;
    out["outstanding_fen"] = i.outstanding_fen;
    out["overdue_days"] = i.overdue_days;
    out["penalty_fen"] = i.penalty_fen;
    return out;
}

}  // namespace finance::app
