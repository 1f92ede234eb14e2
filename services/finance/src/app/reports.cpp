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
                             {"rep_id", book.rep_id},
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

sales::sheet::Sheet arrears_sheet(const nlohmann::json& report) {
    using sales::sheet::Kind;
    static const std::map<std::string, std::string> kinds = {
        {"one_off", "一次性付款"}, {"instalment", "分期款"},          {"down_payment", "首付款"},
        {"loan", "按揭贷款"},      {"area_settlement", "面积补差款"}, {"fee", "交房费用"}};
    static const std::map<std::string, std::string> buckets = {{"d1_7", "1–7天"},
                                                               {"d8_14", "8–14天"},
                                                               {"d15_30", "15–30天"},
                                                               {"d31_60", "31–60天"},
                                                               {"over_60", "60天以上"}};
    const auto label = [](const std::map<std::string, std::string>& names,
                          const std::string& code) {
        const auto it = names.find(code);
        return it == names.end() ? code : it->second;
    };
    sales::sheet::Sheet sheet;
    sheet.name = "不合理欠款明细表";
    sheet.title = "不合理欠款明细表（截至 " + report["as_of"].get<std::string>() + "）";
    sheet.columns = {
        {"合同编号", Kind::text}, {"置业顾问", Kind::text}, {"款项", Kind::text},
        {"期次", Kind::integer},  {"应付日期", Kind::text}, {"应付金额(元)", Kind::fen},
        {"已付(元)", Kind::fen},  {"欠款(元)", Kind::fen},  {"逾期天数", Kind::integer},
        {"账龄", Kind::text},     {"违约金(元)", Kind::fen}};
    std::int64_t amount = 0, paid = 0, outstanding = 0, penalty = 0;
    for (const auto& contract : report["contracts"]) {
        for (const auto& item : contract["items"]) {
            const std::int64_t a = item["amount_fen"], p = item["paid_fen"],
                               o = item["outstanding_fen"], pen = item["penalty_fen"];
            sheet.rows.push_back(
                {contract["contract_no"].get<std::string>(), contract["rep_id"].get<std::string>(),
                 label(kinds, item["kind"]), item["seq"].get<std::int64_t>(),
                 item["due_date"].get<std::string>(), a, p, o,
                 item["overdue_days"].get<std::int64_t>(), label(buckets, item["bucket"]), pen});
            amount = sales::checked_add(amount, a);
            paid = sales::checked_add(paid, p);
            outstanding = sales::checked_add(outstanding, o);
            penalty = sales::checked_add(penalty, pen);
        }
    }
    sheet.totals = std::vector<sales::sheet::Cell>{std::string("合计"),
                                                   std::monostate{},
                                                   std::monostate{},
                                                   std::monostate{},
                                                   std::monostate{},
                                                   amount,
                                                   paid,
                                                   outstanding,
                                                   std::monostate{},
                                                   std::monostate{},
                                                   penalty};
    return sheet;
}

}  // namespace finance::app
