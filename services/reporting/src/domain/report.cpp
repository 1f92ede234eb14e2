#include "domain/report.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace reporting::domain {
namespace {
using namespace std::chrono;

Column text(std::string key, std::string title) {
    return {std::move(key), std::move(title), Kind::text, false};
}
Column person(std::string key, std::string title) {
    return {std::move(key), std::move(title), Kind::text, false, true};
}
Column summed(std::string key, std::string title, Kind kind) {
    return {std::move(key), std::move(title), kind, true};
}
Column computed(std::string key, std::string title, Kind kind) {
    return {std::move(key), std::move(title), kind, false};
}

const std::vector<ReportSpec>& specs() {
    static const std::vector<ReportSpec> all = {
        {ReportName::sales,
         "销售明细分析表",
         "销售明细分析表",
         {text("signed_on", "签约日期"), text("contract_no", "合同编号"),
          text("project_name", "项目"), text("building_name", "楼栋"), text("unit_number", "房号"),
          text("layout", "户型"), summed("gross_area_centi_m2", "建筑面积(m²)", Kind::centi),
          summed("list_total_fen", "标准总价(元)", Kind::fen),
          summed("discount_fen", "优惠(元)", Kind::fen),
          summed("price_fen", "成交总价(元)", Kind::fen),
          computed("unit_price_fen_per_m2", "成交单价(元/m²)", Kind::fen),
          text("payment_plan_label", "付款方式"), text("channel_label", "渠道"),
          person("rep_id", "置业顾问"), text("status_label", "状态")}},
        {ReportName::sales_summary,
         "销售汇总表",
         "销售汇总表",
         {text("group", "分组"), summed("signed_count", "签约套数", Kind::integer),
          summed("signed_area_centi_m2", "签约面积(m²)", Kind::centi),
          summed("signed_amount_fen", "签约金额(元)", Kind::fen),
          computed("average_price_fen_per_m2", "签约均价(元/m²)", Kind::fen),
          summed("cancelled_count", "退房套数", Kind::integer),
          summed("cancelled_amount_fen", "退房金额(元)", Kind::fen),
          computed("net_count", "净签约套数", Kind::integer),
          computed("net_amount_fen", "净签约金额(元)", Kind::fen)}},
        {ReportName::cancellations,
         "退房明细表",
         "退房明细表",
         {text("cancelled_on", "退房日期"), text("contract_no", "合同编号"),
          text("building_name", "楼栋"), text("unit_number", "房号"), text("signed_on", "签约日期"),
          summed("price_fen", "成交总价(元)", Kind::fen),
          summed("refund_fen", "退款金额(元)", Kind::fen), text("reason", "退房原因"),
          person("approved_by", "审批人")}},
        {ReportName::unit_changes,
         "换房明细表",
         "换房明细表",
         {text("changed_on", "换房日期"), text("stage_label", "阶段"),
          text("contract_no", "合同编号"), text("old_unit", "原房号"), text("new_unit", "新房号"),
          summed("old_price_fen", "原总价(元)", Kind::fen),
          summed("new_price_fen", "新总价(元)", Kind::fen),
          computed("difference_fen", "差额(元)", Kind::fen), text("reason", "换房原因"),
          person("approved_by", "审批人")}},
        {ReportName::payments,
         "收退款明细表",
         "收退款明细表",
         {text("paid_on", "日期"), text("receipt_no", "收据号"), text("contract_no", "合同编号"),
          text("unit", "房号"), text("category_label", "款项类别"),
          summed("received_fen", "收款(元)", Kind::fen),
          summed("refunded_fen", "退款(元)", Kind::fen),
          summed("reversed_fen", "红冲(元)", Kind::fen),
          summed("net_fen", "净收款(元)", Kind::fen)}},
        {ReportName::payments_summary,
         "收退款汇总表",
         "收退款汇总表",
         {text("group", "期间"), summed("entries", "笔数", Kind::integer),
          summed("received_fen", "收款(元)", Kind::fen),
          summed("refunded_fen", "退款(元)", Kind::fen),
          summed("reversed_fen", "红冲(元)", Kind::fen),
          summed("net_fen", "净收款(元)", Kind::fen)}},
        {ReportName::sales_control,
         "销控汇总表",
         "销控汇总表",
         {text("project_name", "项目"), text("building_name", "楼栋"),
          summed("total_units", "总套数", Kind::integer),
          summed("available", "可售", Kind::integer), summed("reserved", "预留", Kind::integer),
          summed("held", "锁定", Kind::integer), summed("subscribed", "已认购", Kind::integer),
          summed("signed", "已签约", Kind::integer), summed("handed_over", "已交付", Kind::integer),
          summed("not_for_sale", "未售/暂停", Kind::integer),
          computed("sold_units", "已售套数", Kind::integer),
          computed("sell_through_bp", "去化率", Kind::percent_bp),
          summed("sold_area_centi_m2", "已售面积(m²)", Kind::centi),
          summed("contract_amount_fen", "签约金额(元)", Kind::fen)}},
        {ReportName::conversion,
         "来访转化分析表",
         "来访转化分析表",
         {text("group", "期间"), summed("customers", "来访来电客户", Kind::integer),
          summed("subscriptions", "认购", Kind::integer),
          summed("contracts", "签约", Kind::integer),
          computed("subscription_rate_bp", "来访→认购", Kind::percent_bp),
          computed("signing_rate_bp", "认购→签约", Kind::percent_bp),
          computed("overall_rate_bp", "来访→签约", Kind::percent_bp)}},
        {ReportName::mortgages,
         "按揭情况列表",
         "按揭情况列表",
         {text("contract_no", "合同编号"), text("loan_kind_label", "贷款类型"),
          summed("loan_fen", "贷款金额(元)", Kind::fen), text("bank_name", "银行"),
          text("status_label", "办理状态"), summed("approved_fen", "批贷金额(元)", Kind::fen),
          summed("disbursed_fen", "已放款(元)", Kind::fen), text("due_on", "当前期限"),
          text("overdue_label", "是否逾期")}},
    };
    return all;
}

std::int64_t integer_of(const Record& row, const std::string& key) {
    const auto it = row.find(key);
    if (it == row.end())
        return 0;
    if (const auto* v = std::get_if<std::int64_t>(&it->second))
        return *v;
    return 0;
}

std::optional<std::string> text_of(const Record& row, const std::string& key) {
    const auto it = row.find(key);
    if (it == row.end())
        return std::nullopt;
    if (const auto* v = std::get_if<std::string>(&it->second))
        return *v;
    return std::nullopt;
}

// round_half_up(numerator / denominator) for denominator > 0, in 128 bits.
std::int64_t divide_half_up(__int128 numerator, __int128 denominator) {
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    const __int128 q = (magnitude + denominator / 2) / denominator;
    return static_cast<std::int64_t>(negative ? -q : q);
}

void put_label(Record& row, const char* vocabulary, const std::string& code_key,
               const std::string& label_key) {
    if (const auto code = text_of(row, code_key))
        row[label_key] = label(vocabulary, *code);
}

}  // namespace

const ReportSpec& spec_of(ReportName name) {
    for (const auto& s : specs()) {
        if (s.name == name)
            return s;
    }
    throw std::logic_error("report without a specification");
}

std::optional<Grouping> parse_grouping(std::string_view text) {
    if (const auto p = sales::parse_enum<Period>(text))
        return Grouping{p, std::nullopt};
    if (const auto d = sales::parse_enum<Dimension>(text))
        return Grouping{std::nullopt, d};
    return std::nullopt;
}

std::string grouping_names(bool periods_only) {
    const auto periods = sales::enum_names<Period>().list();
    return periods_only ? periods : periods + ", " + sales::enum_names<Dimension>().list();
}

sales::Date period_start(sales::Date day, Period period) {
    switch (period) {
        case Period::day:
            return day;
        case Period::week: {
            const sys_days d{day};
            const auto monday = d - (weekday{d} - Monday);
            return year_month_day{monday};
        }
        case Period::month:
            return day.year() / day.month() / 1;
        case Period::quarter: {
            const unsigned m = static_cast<unsigned>(day.month());
            return day.year() / month{(m - 1) / 3 * 3 + 1} / 1;
        }
        case Period::year:
            return day.year() / January / 1;
    }
    return day;
}

std::string period_label(sales::Date start, Period period) {
    char buffer[32];
    const int y = static_cast<int>(start.year());
    const unsigned m = static_cast<unsigned>(start.month());
    switch (period) {
        case Period::day:
            return sales::to_string(start);
        case Period::week: {
            // ISO 8601: the week belongs to the year of its Thursday.
            const sys_days thursday = sys_days{period_start(start, Period::week)} + days{3};
            const year_month_day t{thursday};
            const sys_days first_day{t.year() / January / 1};
            const auto week = (thursday - first_day).count() / 7 + 1;
            std::snprintf(buffer, sizeof buffer, "%d-W%02d", static_cast<int>(t.year()),
                          static_cast<int>(week));
            return buffer;
        }
        case Period::month:
            std::snprintf(buffer, sizeof buffer, "%d-%02u", y, m);
            return buffer;
        case Period::quarter:
            std::snprintf(buffer, sizeof buffer, "%d-Q%u", y, (m - 1) / 3 + 1);
            return buffer;
        case Period::year:
            return std::to_string(y);
    }
    return sales::to_string(start);
}

std::int64_t unit_price_fen_per_m2(std::int64_t amount_fen, std::int64_t area_centi_m2) {
    if (area_centi_m2 <= 0)
        return 0;
    return divide_half_up(static_cast<__int128>(amount_fen) * 100, area_centi_m2);
}

std::int64_t ratio_bp(std::int64_t part, std::int64_t whole) {
    if (whole <= 0)
        return 0;
    return divide_half_up(static_cast<__int128>(part) * 10'000, whole);
}

std::string label(std::string_view vocabulary, std::string_view code) {
    using Entry = std::pair<std::string_view, std::string_view>;
    static const std::map<std::string_view, std::vector<Entry>> labels = {
        {"plan",
         {{"one_off", "一次性付款"}, {"instalments", "分期付款"}, {"mortgage", "按揭贷款"}}},
        {"contract_status",
         {{"signed", "已签约"},
          {"cancelling", "退房中"},
          {"cancelled", "已退房"},
          {"handed_over", "已交付"}}},
        {"category",
         {{"deposit", "定金"},
          {"down_payment", "首付款"},
          {"instalment", "分期款"},
          {"loan_disbursement", "按揭放款"},
          {"area_settlement", "面积补差款"},
          {"fee", "代收费用"},
          {"penalty", "违约金"},
          {"refund", "退款"},
          {"reversal", "红冲"}}},
        {"channel",
         {{"visit", "来访"},
          {"call", "来电"},
          {"online", "网络"},
          {"referral", "老带新"},
          {"event", "活动"}}},
        {"mortgage_status",
         {{"documents_pending", "资料收集中"},
          {"documents_complete", "资料齐全"},
          {"submitted", "已报银行"},
          {"approved", "已批贷"},
          {"refused", "银行拒贷"},
          {"registered", "已抵押登记"},
          {"disbursed", "已放款"}}},
        {"loan_kind",
         {{"commercial", "商业贷款"}, {"provident_fund", "公积金贷款"}, {"combined", "组合贷款"}}},
        {"stage", {{"subscription", "认购阶段"}, {"contract", "合同阶段"}}},
    };
    const auto list = labels.find(vocabulary);
    if (list != labels.end()) {
        for (const auto& [c, l] : list->second) {
            if (c == code)
                return std::string(l);
        }
    }
    return std::string(code);
}

void derive(ReportName name, Record& row, const Grouping& grouping) {
    if (grouping.period) {
        if (const auto start = text_of(row, "group_start")) {
            if (const auto d = sales::parse_date(*start))
                row["group"] = period_label(*d, *grouping.period);
        }
    } else if (grouping.dimension) {
        if (*grouping.dimension == Dimension::plan)
            put_label(row, "plan", "group", "group");
        else if (*grouping.dimension == Dimension::channel)
            put_label(row, "channel", "group", "group");
    }
    switch (name) {
        case ReportName::sales:
            row["unit_price_fen_per_m2"] = unit_price_fen_per_m2(
                integer_of(row, "price_fen"), integer_of(row, "gross_area_centi_m2"));
            put_label(row, "plan", "payment_plan", "payment_plan_label");
            put_label(row, "channel", "channel", "channel_label");
            put_label(row, "contract_status", "status", "status_label");
            break;
        case ReportName::sales_summary:
            row["average_price_fen_per_m2"] = unit_price_fen_per_m2(
                integer_of(row, "signed_amount_fen"), integer_of(row, "signed_area_centi_m2"));
            row["net_count"] = integer_of(row, "signed_count") - integer_of(row, "cancelled_count");
            row["net_amount_fen"] =
                integer_of(row, "signed_amount_fen") - integer_of(row, "cancelled_amount_fen");
            break;
        case ReportName::unit_changes:
            put_label(row, "stage", "stage", "stage_label");
            if (row.count("old_price_fen") && row.count("new_price_fen") &&
                std::holds_alternative<std::int64_t>(row["old_price_fen"]))
                row["difference_fen"] =
                    integer_of(row, "new_price_fen") - integer_of(row, "old_price_fen");
            break;
        case ReportName::payments:
            put_label(row, "category", "category", "category_label");
            break;
        case ReportName::sales_control: {
            const auto sold = integer_of(row, "subscribed") + integer_of(row, "signed") +
                              integer_of(row, "handed_over");
            row["sold_units"] = sold;
            // 去化率: of the units put on sale (withdrawn ones are not offered).
            row["sell_through_bp"] =
                ratio_bp(sold, integer_of(row, "total_units") - integer_of(row, "not_for_sale"));
            break;
        }
        case ReportName::conversion:
            row["subscription_rate_bp"] =
                ratio_bp(integer_of(row, "subscriptions"), integer_of(row, "customers"));
            row["signing_rate_bp"] =
                ratio_bp(integer_of(row, "contracts"), integer_of(row, "subscriptions"));
            row["overall_rate_bp"] =
                ratio_bp(integer_of(row, "contracts"), integer_of(row, "customers"));
            break;
        case ReportName::mortgages:
            put_label(row, "loan_kind", "loan_kind", "loan_kind_label");
            put_label(row, "mortgage_status", "status", "status_label");
            if (const auto it = row.find("overdue"); it != row.end())
                row["overdue_label"] = integer_of(row, "overdue") != 0 ? "是" : "否";
            break;
        case ReportName::cancellations:
        case ReportName::payments_summary:
            break;
    }
}

Record totals_from_sums(ReportName name, Record sums) {
    const auto& spec = spec_of(name);
    Record totals;
    for (const auto& column : spec.columns) {
        if (column.summed)
            totals[column.key] = integer_of(sums, column.key);
    }
    derive(name, totals);
    for (const auto& column : spec.columns) {
        if (column.kind == Kind::text)
            totals.erase(column.key);
    }
    totals[spec.columns.front().key] = std::string("合计");
    if (const auto count = sums.find("count");
        count != sums.end() && spec.columns.size() > 1 && spec.columns[1].kind == Kind::text)
        totals[spec.columns[1].key] = "共 " + std::to_string(integer_of(sums, "count")) + " 条";
    return totals;
}

Record totals_of(ReportName name, const std::vector<Record>& rows) {
    Record sums;
    for (const auto& column : spec_of(name).columns) {
        if (!column.summed)
            continue;
        std::int64_t total = 0;
        for (const auto& row : rows)
            total += integer_of(row, column.key);
        sums[column.key] = total;
    }
    return totals_from_sums(name, std::move(sums));
}

sales::sheet::Sheet to_sheet(const Report& report,
                             const std::function<std::string(const std::string&)>& person_label) {
    sales::sheet::Sheet sheet;
    sheet.name = report.spec->title;
    sheet.title = report.spec->title;
    for (const auto& column : report.spec->columns)
        sheet.columns.push_back({column.title, column.kind, 0});
    const auto cells_of = [&](const Record& row) {
        std::vector<Cell> cells;
        for (const auto& column : report.spec->columns) {
            const auto it = row.find(column.key);
            if (it == row.end())
                cells.emplace_back();
            else if (const auto* id = std::get_if<std::string>(&it->second);
                     column.person && person_label && id != nullptr && !id->empty())
                cells.emplace_back(person_label(*id));
            else
                cells.push_back(it->second);
        }
        return cells;
    };
    for (const auto& row : report.rows)
        sheet.rows.push_back(cells_of(row));
    if (!report.totals.empty())
        sheet.totals = cells_of(report.totals);
    return sheet;
}

}  // namespace reporting::domain
