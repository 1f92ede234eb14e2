#pragma once
// Receivable schedules, balances, late-payment penalties, clearance and arrears aging
// (DOMAIN.md FIN-1, FIN-5, FIN-7, CON-9). Pure: no I/O; dates are Asia/Shanghai calendar days.
//
// Definitions (docs/events.md and docs/openapi.yaml repeat them):
//  * Schedule (FIN-1): the plan's items sorted by due date (ties keep plan order), numbered from
//    1; the amounts sum to the price. `credited_fen` records how much of the deposit already in
//    the ledger for the subscription covered each item when the schedule was built (first items
//    first, never more than the price). It is informational: balances always come from the ledger.
//  * Allocation: every ledger entry attributed to the contract (its own entries and the
//    deposit entries of its subscription), whatever its category, pays the items in schedule
//    order (one pool, oldest due first). P(d) = the sum of the entries effective on or before
//    day d; item i (prefix S_i = sum of the earlier items, amount A_i) is paid
//    clamp(P(d) − S_i, 0, A_i) at the end of day d. An entry is effective on the Shanghai day of
//    its paid_at; a reversal (红冲) is effective on its original's day, so a reversed entry and
//    its reversal cancel out on every day (a correction, not a later event); a refund is
//    effective on its own day.
//  * Penalty (FIN-5): for each item and each calendar day d with due_date < d ≤ as_of,
//    round_half_up(outstanding_i(d) × bp_per_day / 10000) fen, where outstanding_i(d) =
//    A_i − paid_i(d). The due date itself is not late; a payment on day d stops that day's
//    accrual; accrual stops when the item is fully paid and restarts if a refund re-opens it.
//  * Due for handover (FIN-7, CON-9): every schedule item plus the accrued penalty.
//    cleared ⇔ the schedule is not empty and paid ≥ total + penalty (as of the day).
//  * Overdue: the outstanding amount of items whose due date is before as_of; aging days =
//    as_of − due_date; buckets 1–7, 8–14, 15–30, 31–60, over 60 days.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/enum_names.hpp"

namespace finance::domain {

SALES_ENUM(PlanKind, one_off, instalments, mortgage);
// The plan's kinds, then receivables added after signing: an area settlement the buyer pays
// (CON-10) and handover fees (CON-9).
SALES_ENUM(ItemKind, one_off, instalment, down_payment, loan, area_settlement, fee);
inline constexpr auto parse_plan_kind = &sales::parse_enum<PlanKind>;
inline constexpr auto parse_item_kind = &sales::parse_enum<ItemKind>;

struct PlannedItem {
    ItemKind kind;
    sales::Date due_date;
    std::int64_t amount_fen;
};
struct Plan {
    PlanKind kind;
    std::vector<PlannedItem> items;  // in the order the contract gave them
};
Plan one_off_plan(sales::Date due_date, std::int64_t price_fen);
Plan instalment_plan(const std::vector<std::pair<sales::Date, std::int64_t>>& instalments);
Plan mortgage_plan(std::int64_t down_payment_fen, sales::Date down_payment_due,
                   std::int64_t loan_fen, sales::Date loan_expected);

inline constexpr std::size_t kMinInstalments = 2;
inline constexpr std::size_t kMaxInstalments = 60;
inline constexpr std::int64_t kMaxPenaltyBpPerDay = 10'000;

struct ScheduleItem {
    int seq = 0;
    ItemKind kind = ItemKind::one_off;
    sales::Date due_date;
    std::int64_t amount_fen = 0;
    std::int64_t credited_fen = 0;
};

// FIN-1. Throws sales::Failure rule invalid_plan when the price is not positive, an amount is not
// positive, instalments are not 2..60, or the amounts do not sum to the price.
std::vector<ScheduleItem> build_schedule(const Plan& plan, std::int64_t price_fen,
                                         std::int64_t deposit_paid_fen);

// CON-9 fees charged at handover: 维修基金 (maintenance fund), 物业费 (property fee), 代办费
// (agency fees for title and mortgage registration).
SALES_ENUM(FeeKind, maintenance_fund, property_fee, agency_fee);
inline constexpr auto parse_fee_kind = &sales::parse_enum<FeeKind>;
std::string fee_label(FeeKind kind);  // 维修基金 / 物业费 / 代办费

// A change of what the buyer owes after signing (CON-9, CON-10): a positive amount is a new
// receivable item of `kind` due on `due_date`; a negative amount reduces the schedule (an area
// settlement the developer refunds).
struct Adjustment {
    ItemKind kind = ItemKind::area_settlement;
    sales::Date due_date;
    std::int64_t amount_fen = 0;  // ≠ 0
};

// The schedule after signing: the plan's schedule (`base`, as build_schedule made it) with the
// adjustments in order. A positive adjustment is an item of its own; a negative one reduces the
// latest-due items first (an item reduced to nothing is dropped, and what it had been credited
// is capped at what remains). Items are then ordered by due date (ties: base items first, then
// adjustments in order) and renumbered from 1. Throws sales::Failure rule
// "reduction_exceeds_schedule" when the reductions exceed what the items add up to.
std::vector<ScheduleItem> adjusted_schedule(const std::vector<ScheduleItem>& base,
                                            const std::vector<Adjustment>& adjustments);

// One ledger entry as it affects a contract's balance.
struct Movement {
    sales::Date effective_on;
    std::int64_t amount_fen;  // signed: receipts > 0, refunds and reversals of receipts < 0
};

// A schedule item with what is paid and owed on it as of a day.
struct ItemBalance : ScheduleItem {
    std::int64_t paid_fen = 0;
    std::int64_t outstanding_fen = 0;
    std::int64_t overdue_days = 0;  // 0 when not overdue
    std::int64_t penalty_fen = 0;
};

struct Balance {
    std::int64_t total_fen = 0;    // the whole schedule
    std::int64_t due_fen = 0;      // items due on or before as_of
    std::int64_t paid_fen = 0;     // sum of the movements effective on or before as_of
    std::int64_t overdue_fen = 0;  // outstanding of items due before as_of
    std::int64_t penalty_fen = 0;  // accrued up to as_of
    std::int64_t balance_fen = 0;  // total + penalty − paid (negative: credit)
    bool cleared = false;          // FIN-7
    std::vector<ItemBalance> items;
};

// FIN-5/FIN-7; movements effective after as_of are ignored.
Balance compute_balance(const std::vector<ScheduleItem>& schedule,
                        const std::vector<Movement>& movements, std::int64_t penalty_bp_per_day,
                        sales::Date as_of);

// Penalty of one item (exposed for tests): see the definition above. `cumulative` is P(d) as
// (day, total after that day's movements) in ascending day order.
std::int64_t item_penalty(std::int64_t prefix_fen, std::int64_t amount_fen, sales::Date due_date,
                          const std::vector<std::pair<sales::Date, std::int64_t>>& cumulative,
                          std::int64_t penalty_bp_per_day, sales::Date as_of);

// FIN-7: the event a recomputation emits.
enum class ClearanceChange { none, cleared, uncleared };
ClearanceChange clearance_change(bool was_cleared, bool is_cleared);

// FIN-5 aging buckets of an overdue item ("d1_7", "d8_14", "d15_30", "d31_60", "over_60").
inline constexpr std::string_view kAgingBuckets[] = {"d1_7", "d8_14", "d15_30", "d31_60",
                                                     "over_60"};
std::string_view aging_bucket(std::int64_t overdue_days);

// Calendar days from `from` to `to` (negative when to < from).
std::int64_t days_between(sales::Date from, sales::Date to);

}  // namespace finance::domain
