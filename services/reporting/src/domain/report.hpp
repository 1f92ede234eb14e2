#pragma once
// The named reports of seed 003 §4 (docs/operations.md "Reports"): what each shows, in which
// columns, and the arithmetic on its rows (unit prices, rates, labels). Money is fen, area
// centi-m², rates basis points; nothing here touches a database.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sales/calendar.hpp"
#include "sales/enum_names.hpp"
#include "sales/sheet.hpp"

namespace reporting::domain {

using Cell = sales::sheet::Cell;
using Kind = sales::sheet::Kind;
// One row: column key → value. Keys not in the report's columns are ignored when rendered.
using Record = std::map<std::string, Cell>;

struct Column {
    std::string key;
    std::string title;
    Kind kind = Kind::text;
    bool summed = false;  // the totals row adds this column up
    bool person = false;  // a user id, written to files as the user's name (to_sheet)
};

SALES_ENUM(ReportName, sales, sales_summary, cancellations, unit_changes, payments,
           payments_summary, sales_control, conversion, mortgages);

struct ReportSpec {
    ReportName name;
    std::string title;      // 销售明细分析表
    std::string file_stem;  // the download's file name without extension
    std::vector<Column> columns;
};
const ReportSpec& spec_of(ReportName name);

// Groupings of the summaries.
SALES_ENUM(Period, day, week, month, quarter, year);
SALES_ENUM(Dimension, building, layout, channel, rep, plan);
// A summary groups by a period or by a dimension (sales_summary accepts both; the payments and
// conversion summaries only periods).
struct Grouping {
    std::optional<Period> period;
    std::optional<Dimension> dimension;
};
std::optional<Grouping> parse_grouping(std::string_view text);
std::string grouping_names(bool periods_only);
// The first day of the period holding `day` (weeks begin on Monday).
sales::Date period_start(sales::Date day, Period period);
// "2026-12-01", "2026-W49" (ISO week), "2026-12", "2026-Q4", "2026".
std::string period_label(sales::Date start, Period period);

// round_half_up(amount_fen × 100 / area_centi_m2): yuan per m² in fen; 0 without an area.
std::int64_t unit_price_fen_per_m2(std::int64_t amount_fen, std::int64_t area_centi_m2);
// round_half_up(part × 10000 / whole) basis points; 0 when whole is 0.
std::int64_t ratio_bp(std::int64_t part, std::int64_t whole);

// The Chinese label of a stored code (payment plan, contract status, ledger category, unit
// status, channel, mortgage status, loan kind); the code itself when unknown.
std::string label(std::string_view vocabulary, std::string_view code);

// Fills the computed columns of a row of `name` (unit price, rates, labels) from the stored ones;
// `grouping` names the summary's group (its label column).
void derive(ReportName name, Record& row, const Grouping& grouping = {});
// The totals row: "合计" in the first column and the sum of each summed column; the computed
// columns of the sums (average price, rates) follow from them.
Record totals_of(ReportName name, const std::vector<Record>& rows);
// As totals_of, from sums computed elsewhere (the database, over every page).
Record totals_from_sums(ReportName name, Record sums);

struct Report {
    const ReportSpec* spec = nullptr;
    std::vector<Record> rows;
    Record totals;
    std::int64_t total_rows = 0;
    std::int64_t limit = 0;
    std::int64_t offset = 0;
    std::map<std::string, std::string> filters;  // what the report was asked for, shown in JSON
};
// The report as a worksheet; the cells of person columns go through `person_label` (user id →
// the name a file shows) when given.
sales::sheet::Sheet to_sheet(
    const Report& report, const std::function<std::string(const std::string&)>& person_label = {});

}  // namespace reporting::domain
