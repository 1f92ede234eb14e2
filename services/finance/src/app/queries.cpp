// Reading the ledger and a contract's balance (FIN-2..5, FIN-7), within the caller's projects.
#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace finance::app {

nlohmann::json get_entry(const Context& ctx, const sales::Principal& caller,
                         const std::string& entry_id) {
    if (!sales::is_uuid(entry_id))
        sales::fail_not_found("entry", entry_id);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto entry = adapters::find_entry(tx, entry_id);
        if (!entry || !caller.in_project((*entry)["project_id"].get<std::string>()))
            sales::fail_not_found("entry", entry_id);
        return *entry;
    });
}

nlohmann::json list_entries(const Context& ctx, const sales::Principal& caller,
                            adapters::EntryFilter filter) {
    filter.all_projects = false;
    filter.projects.clear();
    for (const auto& p : caller.project_ids) {
        if (p == "*")
            filter.all_projects = true;
        else if (sales::is_uuid(p))
            filter.projects.push_back(p);
    }
    const auto page =
        ctx.db.transaction([&](sales::db::Tx& tx) { return adapters::list_entries(tx, filter); });
    return {{"items", page.items},
            {"total", page.total},
            {"sum_fen", page.sum_fen},
            {"limit", filter.limit},
            {"offset", filter.offset}};
}

nlohmann::json contract_balance(const Context& ctx, const sales::Principal& caller,
                                const std::string& contract_id, std::optional<sales::Date> as_of) {
    if (!sales::is_uuid(contract_id))
        sales::fail_not_found("contract", contract_id);
    const auto day = as_of.value_or(sales::shanghai_date(ctx.clock.now()));
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto book = adapters::load_book(tx, contract_id, adapters::Lock::none);
        if (!book || !caller.in_project(book->project_id))
            sales::fail_not_found("contract", contract_id);
        const auto b =
            domain::compute_balance(book->schedule, book->movements, book->penalty_bp_per_day, day);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& i : b.items)
            items.push_back(item_json(i));
        return nlohmann::json{{"contract_id", book->contract_id},
                              {"contract_no", book->contract_no},
                              {"project_id", book->project_id},
                              {"subscription_id", book->subscription_id},
                              {"as_of", sales::to_string(day)},
                              {"penalty_bp_per_day", book->penalty_bp_per_day},
                              {"total_fen", b.total_fen},
                              {"due_fen", b.due_fen},
                              {"paid_fen", b.paid_fen},
                              {"overdue_fen", b.overdue_fen},
                              {"penalty_fen", b.penalty_fen},
                              {"balance_fen", b.balance_fen},
                              {"cleared", b.cleared},
                              {"clearance_state", book->cleared ? "cleared" : "open"},
                              {"items", items}};
    });
}

}  // namespace finance::app
