#include "domain/schedule.hpp"

#include <algorithm>

#include "sales/money.hpp"

namespace finance::domain {
namespace {

using sales::Date;

std::int64_t day_number(Date d) {
    return std::chrono::sys_days(d).time_since_epoch().count();
}

[[noreturn]] void invalid_plan(const std::string& message) {
    sales::fail_rule("invalid_plan", message);
}

}  // namespace

Plan one_off_plan(Date due_date, std::int64_t price_fen) {
    return {PlanKind::one_off, {{ItemKind::one_off, due_date, price_fen}}};
}

Plan instalment_plan(const std::vector<std::pair<Date, std::int64_t>>& instalments) {
    Plan plan{PlanKind::instalments, {}};
    for (const auto& [due, amount] : instalments)
        plan.items.push_back({ItemKind::instalment, due, amount});
    return plan;
}

Plan mortgage_plan(std::int64_t down_payment_fen, Date down_payment_due, std::int64_t loan_fen,
                   Date loan_expected) {
    return {PlanKind::mortgage,
            {{ItemKind::down_payment, down_payment_due, down_payment_fen},
             {ItemKind::loan, loan_expected, loan_fen}}};
}

std::vector<ScheduleItem> build_schedule(const Plan& plan, std::int64_t price_fen,
                                         std::int64_t deposit_paid_fen) {
    if (price_fen <= 0)
        invalid_plan("price_fen must be positive");
    if (plan.kind == PlanKind::one_off && plan.items.size() != 1)
        invalid_plan("a one-off plan has exactly one item");
    if (plan.kind == PlanKind::mortgage && plan.items.size() != 2)
        invalid_plan("a mortgage plan is a down payment and a loan");
    if (plan.kind == PlanKind::instalments &&
        (plan.items.size() < kMinInstalments || plan.items.size() > kMaxInstalments))
        invalid_plan("an instalment plan has 2 to 60 instalments");
    std::int64_t sum = 0;
    for (const auto& item : plan.items) {
        if (item.amount_fen <= 0)
            invalid_plan("every amount must be positive");
        sum = sales::checked_add(sum, item.amount_fen);
    }
    if (sum != price_fen)
        invalid_plan("the plan's amounts sum to " + std::to_string(sum) + " fen, not the price " +
                     std::to_string(price_fen));

    std::vector<PlannedItem> sorted = plan.items;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return std::chrono::sys_days(a.due_date) < std::chrono::sys_days(b.due_date);
    });
    // FIN-1: the paid deposit is credited to the first item(s), never more than the price.
    std::int64_t credit = std::clamp<std::int64_t>(deposit_paid_fen, 0, price_fen);
    std::vector<ScheduleItem> out;
    int seq = 0;
    for (const auto& item : sorted) {
        const auto credited = std::min(credit, item.amount_fen);
        credit -= credited;
        out.push_back({++seq, item.kind, item.due_date, item.amount_fen, credited});
    }
    return out;
}

std::string fee_label(FeeKind kind) {
    switch (kind) {
        case FeeKind::maintenance_fund:
            return "维修基金";
        case FeeKind::property_fee:
            return "物业费";
        case FeeKind::agency_fee:
            return "代办费";
    }
    return "费用";
}

std::vector<ScheduleItem> adjusted_schedule(const std::vector<ScheduleItem>& base,
                                            const std::vector<Adjustment>& adjustments) {
    std::vector<ScheduleItem> items = base;
    std::int64_t reduction = 0;
    for (const auto& a : adjustments) {
        if (a.amount_fen > 0)
            items.push_back({0, a.kind, a.due_date, a.amount_fen, 0});
        else if (a.amount_fen < 0)
            reduction = sales::checked_add(reduction, -a.amount_fen);
    }
    // Latest due first; among equal days the later item first.
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = order.size() - 1 - i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::chrono::sys_days(items[a].due_date) > std::chrono::sys_days(items[b].due_date);
    });
    for (const auto i : order) {
        if (reduction == 0)
            break;
        const auto cut = std::min(reduction, items[i].amount_fen);
        items[i].amount_fen -= cut;
        items[i].credited_fen = std::min(items[i].credited_fen, items[i].amount_fen);
        reduction -= cut;
    }
    if (reduction > 0) {
        sales::fail_rule("reduction_exceeds_schedule", "the reductions exceed the schedule by " +
                                                           std::to_string(reduction) + " fen");
    }
    std::vector<ScheduleItem> out;
    for (const auto& item : items) {
        if (item.amount_fen > 0)
            out.push_back(item);
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::chrono::sys_days(a.due_date) < std::chrono::sys_days(b.due_date);
    });
    int seq = 0;
    for (auto& item : out)
        item.seq = ++seq;
    return out;
}

std::int64_t days_between(Date from, Date to) {
    return day_number(to) - day_number(from);
}

std::int64_t item_penalty(std::int64_t prefix_fen, std::int64_t amount_fen, Date due_date,
                          const std::vector<std::pair<Date, std::int64_t>>& cumulative,
                          std::int64_t bp, Date as_of) {
    if (bp <= 0)
        return 0;
    const std::int64_t first = day_number(due_date) + 1;  // the due date itself is not late
    const std::int64_t last = day_number(as_of);
    std::int64_t penalty = 0;
    std::size_t next = 0;  // first change strictly after the current day
    std::int64_t paid_total = 0;
    while (next < cumulative.size() && day_number(cumulative[next].first) <= first) {
        paid_total = cumulative[next].second;
        ++next;
    }
    for (std::int64_t day = first; day <= last;) {
        // Constant P from `day` until the day before the next change (or as_of).
        const std::int64_t segment_end =
            next < cumulative.size() ? std::min(last, day_number(cumulative[next].first) - 1)
                                     : last;
        const std::int64_t paid = std::clamp<std::int64_t>(paid_total - prefix_fen, 0, amount_fen);
        const std::int64_t outstanding = amount_fen - paid;
        const std::int64_t daily = sales::mul_div_round_half_up(outstanding, bp, 10'000);
        penalty = sales::checked_add(penalty, sales::checked_mul(daily, segment_end - day + 1));
        day = segment_end + 1;
        if (next < cumulative.size() && day_number(cumulative[next].first) == day) {
            paid_total = cumulative[next].second;
            ++next;
        }
    }
    return penalty;
}

Balance compute_balance(const std::vector<ScheduleItem>& schedule,
                        const std::vector<Movement>& movements, std::int64_t bp, Date as_of) {
    std::vector<Movement> effective;
    for (const auto& m : movements)
        if (day_number(m.effective_on) <= day_number(as_of))
            effective.push_back(m);
    std::sort(effective.begin(), effective.end(), [](const auto& a, const auto& b) {
        return day_number(a.effective_on) < day_number(b.effective_on);
    });
    std::vector<std::pair<Date, std::int64_t>> cumulative;
    std::int64_t running = 0;
    for (const auto& m : effective) {
        running = sales::checked_add(running, m.amount_fen);
        if (!cumulative.empty() && cumulative.back().first == m.effective_on)
            cumulative.back().second = running;
        else
            cumulative.emplace_back(m.effective_on, running);
    }

    Balance b;
    b.paid_fen = running;
    std::int64_t prefix = 0;
    for (const auto& item : schedule) {
        ItemBalance ib{item};
        ib.paid_fen = std::clamp<std::int64_t>(running - prefix, 0, item.amount_fen);
        ib.outstanding_fen = item.amount_fen - ib.paid_fen;
        const auto late = days_between(item.due_date, as_of);
        if (late > 0 && ib.outstanding_fen > 0) {
            ib.overdue_days = late;
            b.overdue_fen = sales::checked_add(b.overdue_fen, ib.outstanding_fen);
        }
        if (late >= 0)
            b.due_fen = sales::checked_add(b.due_fen, item.amount_fen);
        ib.penalty_fen =
            item_penalty(prefix, item.amount_fen, item.due_date, cumulative, bp, as_of);
        b.penalty_fen = sales::checked_add(b.penalty_fen, ib.penalty_fen);
        b.total_fen = sales::checked_add(b.total_fen, item.amount_fen);
        prefix = sales::checked_add(prefix, item.amount_fen);
        b.items.push_back(ib);
    }
    const auto owed = sales::checked_add(b.total_fen, b.penalty_fen);
    b.balance_fen = sales::checked_sub(owed, b.paid_fen);
    b.cleared = !schedule.empty() && b.paid_fen >= owed;
    return b;
}

ClearanceChange clearance_change(bool was_cleared, bool is_cleared) {
    if (was_cleared == is_cleared)
        return ClearanceChange::none;
    return is_cleared ? ClearanceChange::cleared : ClearanceChange::uncleared;
}

std::string_view aging_bucket(std::int64_t overdue_days) {
    if (overdue_days <= 7)
        return kAgingBuckets[0];
    if (overdue_days <= 14)
        return kAgingBuckets[1];
    if (overdue_days <= 30)
        return kAgingBuckets[2];
    if (overdue_days <= 60)
        return kAgingBuckets[3];
    return kAgingBuckets[4];
}

}  // namespace finance::domain
