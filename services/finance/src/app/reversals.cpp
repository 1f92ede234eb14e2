// FIN-3 red-ink reversal (红冲): a new entry of the opposite amount that references the original,
// effective on the original's day; the contract's clearance is recomputed in the same
// transaction.
#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace finance::app {

nlohmann::json reverse_entry(const Context& ctx, const sales::Principal& caller,
                             const std::string& entry_id, const std::string& reason,
                             const std::optional<std::string>& receipt_no) {
    if (!sales::is_uuid(entry_id))
        sales::fail_not_found("entry", entry_id);
    const auto id = sales::new_uuid();
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto now = adapters::database_now(tx);  // one clock for paid_at (CON-1, FIN-3)
        const auto original = adapters::lock_entry(tx, entry_id);
        if (!original || !caller.in_project(original->project_id))
            sales::fail_not_found("entry", entry_id);
        const auto amount =
            domain::reversal_amount(domain::parse_category(original->category).value(),
                                    original->amount_fen, original->reversed);
        auto book = lock_book(tx, original->contract_id, original->subscription_id);
        if (receipt_no)
            adapters::check_receipt_free(tx, original->project_id, *receipt_no);
        adapters::insert_entry(
            tx, {.id = id,
                 .project_id = original->project_id,
                 .contract_id = original->contract_id,
                 .subscription_id = original->subscription_id,
                 .category = std::string(domain::to_string(domain::Category::reversal)),
                 .method = std::nullopt,
                 .payer = std::nullopt,
                 .amount_fen = amount,
                 .receipt_no = receipt_no,
                 .paid_at = sales::to_rfc3339(now),
                 .booked_on = sales::to_string(sales::shanghai_date(now)),
                 .effective_on = original->effective_on,
                 .recorded_by = caller.user_id,
                 .reverses_entry_id = entry_id,
                 .approval_ref = original->approval_ref,
                 .reason = reason,
                 .note = std::nullopt});
        emit(tx, kEntryReversed, id, 1,
             {{"entry_id", id},
              {"reverses_entry_id", entry_id},
              {"project_id", original->project_id},
              {"contract_id",
               sales::db::nullable(book ? std::optional(book->contract_id) : std::nullopt)},
              {"subscription_id", sales::db::nullable(original->subscription_id)},
              {"reversed_category", original->category},
              {"amount_fen", amount},
              {"receipt_no", sales::db::nullable(receipt_no)},
              {"paid_at", sales::to_rfc3339(now)},
              {"reason", reason}});
        if (book) {
            book->movements.push_back({sales::parse_date(original->effective_on).value(), amount});
            recompute_clearance(tx, ctx.clock, *book, "entry " + entry_id + " reversed: " + reason);
            follow_ups(tx, *book);
            dunning(tx, ctx.clock, *book, /*open_new=*/false);
        }
        return adapters::find_entry(tx, id).value();
    });
}

}  // namespace finance::app
