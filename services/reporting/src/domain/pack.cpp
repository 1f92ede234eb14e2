#include "domain/pack.hpp"

namespace reporting::domain {
namespace {
using namespace std::chrono;

sales::Date last_day_of_month(sales::Date day) {
    return sales::Date{day.year() / day.month() / last};
}

}  // namespace

PackPeriod pack_period_of(PackKind kind, sales::Date day) {
    switch (kind) {
        case PackKind::daily:
            return {day, day};
        case PackKind::weekly: {
            const auto monday = period_start(day, Period::week);
            return {monday, sales::Date{sys_days(monday) + days(6)}};
        }
        case PackKind::monthly:
            return {sales::Date{day.year() / day.month() / 1}, last_day_of_month(day)};
    }
    return {day, day};
}

PackPeriod last_complete_period(PackKind kind, sales::Date today) {
    const auto current = pack_period_of(kind, today);
    return pack_period_of(kind, sales::Date{sys_days(current.from) - days(1)});
}

std::string pack_kind_label(PackKind kind) {
    switch (kind) {
        case PackKind::daily:
            return "日报";
        case PackKind::weekly:
            return "周报";
        case PackKind::monthly:
            return "月报";
    }
    return "";
}

std::string pack_file_stem(PackKind kind, const PackPeriod& period,
                           const std::string& project_code) {
    std::string stem = "经营报表包-" + pack_kind_label(kind) + "-" + sales::to_string(period.from);
    if (kind != PackKind::daily)
        stem += "至" + sales::to_string(period.to);
    return stem + "-" + project_code;
}

const std::vector<PackSheet>& pack_sheets() {
    Grouping by_day;
    by_day.period = Period::day;
    const Grouping none;
    static const std::vector<PackSheet> sheets = {
        {ReportName::sales_summary, by_day},      {ReportName::sales, none},
        {ReportName::cancellations, none},        {ReportName::unit_changes, none},
        {ReportName::payments_summary, by_day},   {ReportName::payments, none},
        {ReportName::conversion, by_day},         {ReportName::mortgages, none},
        {ReportName::sales_control, none, false},
    };
    return sheets;
}

}  // namespace reporting::domain
