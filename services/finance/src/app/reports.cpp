// FIN-6 receipts/refunds detail (收退款明细表) and FIN-5 arrears (不合理欠款明细表): set-based
// queries, arithmetic in the pure domain.
#include <map>

#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/money.hpp"

namespace finance::app {
namespace {

void check_project(const sales::Principal& caller, const std::string& project_id) {
    if (!caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
}

// Receipts, refunds and reversals of one day (or of the whole period).
struct Sums {
    std::int64_t receipts = 0, refunds = 0, reversals = 0, count = 0;

    void add(const std::string& category, std::int64_t amount) {
        auto& bucket = category == "refund"     ? refunds
                       : category == "reversal" ? reversals
                                                : receipts;
        bucket = sales::checked_add(bucket, amount);
        ++count;
    }
    void add(const Sums& other) {
        receipts = sales::checked_add(receipts, other.receipts);
        refunds = sales::checked_add(refunds, other.refunds);
        reversals = sales::checked_add(reversals, other.reversals);
        count += other.count;
    }
    std::int64_t net() const { return receipts + refunds + reversals; }
    nlohmann::json json() const {
        return {{"receipts_fen", receipts},
                {"refunds_fen", refunds},
                {"reversals_fen", reversals},
                {"net_fen", net()},
                {"count", count}};
    }
};

}  // namespace

nlohmann::json receipts_report(const Context& ctx, const sales::Principal& caller,
                               const std::string& project_id, sales::Date from, sales::Date to) {
    check_project(caller, project_id);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        struct Day {
            Sums sums;
            nlohmann::json entries = nlohmann::json::array();
        };
        std::map<std::string, Day> days;
        for (auto& entry : adapters::entries_booked(tx, project_id, from, to)) {
            auto& d = days[entry["booked_on"].get<std::string>()];
            d.sums.add(entry["category"].get<std::string>(),
                       entry["amount_fen"].get<std::int64_t>());
            d.entries.push_back(std::move(entry));
        }
        nlohmann::json out_days = nlohmann::json::array();
        Sums totals;
        for (auto& [date, d] : days) {
            auto day = d.sums.json();
            day["date"] = date;
            day["entries"] = std::move(d.entries);
            out_days.push_back(std::move(day));
            totals.add(d.sums);
        }
        // FIN-6: the report adds up to the ledger: the same period summed by the database.
        const auto [ledger_sum, ledger_count] = adapters::booked_totals(tx, project_id, from, to);
        return nlohmann::json{{"project_id", project_id},    {"from", sales::to_string(from)},
                              {"to", sales::to_string(to)},  {"days", out_days},
                              {"totals", totals.json()},     {"ledger_sum_fen", ledger_sum},
                              {"ledger_count", ledger_count}};
    });
}

nlohmann::json arrears_report(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, std::optional<sales::Date> as_of) {
    check_project(caller, project_id);
    const auto day = as_of.value_or(sales::shanghai_date(ctx.clock.now()));
    const auto books = ctx.db.transaction(
        [&](sales::db::Tx& tx) { return adapters::project_books(tx, project_id); });
    std::map<std::string, std::int64_t> buckets;
    for (const auto name : domain::kAgingBuckets)
        buckets[std::string(name)] = 0;
    std::int64_t overdue = 0, penalty = 0;
    nlohmann::json contracts = nlohmann::json::array();
    for (const auto& [id, book] : books) {
        const auto b =
            domain::compute_balance(book.schedule, book.movements, book.penalty_bp_per_day, day);
        if (b.overdue_fen == 0)
            continue;
        nlohmann::json items = nlohmann::json::array();
        for (const auto& i : b.items) {
            if (i.overdue_days == 0)
                continue;
            const auto bucket = std::string(domain::aging_bucket(i.overdue_days));
            buckets[bucket] = sales::checked_add(buckets[bucket], i.outstanding_fen);
            auto j = item_json(i);
            j["bucket"] = bucket;
            items.push_back(std::move(j));
        }
        overdue = sales::checked_add(overdue, b.overdue_fen);
        penalty = sales::checked_add(penalty, b.penalty_fen);
        contracts.push_back({{"contract_id", id},
                             {"contract_no", book.contract_no},
                             {"customer_id", book.customer_id},
                             {"overdue_fen", b.overdue_fen},
                             {"penalty_fen", b.penalty_fen},
                             {"paid_fen", b.paid_fen},
                             {"balance_fen", b.balance_fen},
                             {"items", items}});
    }
    return nlohmann::json{{"project_id", project_id}, {"as_of", sales::to_string(day)},
                          {"buckets", buckets},       {"overdue_fen", overdue},
                          {"penalty_fen", penalty},   {"contracts", contracts}};
}

}  // namespace finance::app
