#include "adapters/report_routes.hpp"

#include "app/reports.hpp"
#include "sales/sheet.hpp"

namespace reporting::adapters {
namespace {
using domain::ReportName;
using sales::http::Request;
using sales::http::Response;
using sales::service::Query;

SALES_ENUM(Format, json, csv, xlsx);
SALES_ENUM(ContractStatusFilter, signed_, cancelling, cancelled, handed_over);
SALES_ENUM(MortgageStatusFilter, documents_pending, documents_complete, submitted, approved,
           refused, registered, disbursed);

struct Route {
    const char* path;
    ReportName name;
    bool paged;
    bool dated;  // takes from/to
    // The groupings it accepts (none: not a summary) and the default one.
    bool periods = false;
    bool dimensions = false;
    const char* default_group = nullptr;
};

const Route kRoutes[] = {
    {"/api/v1/reports/sales", ReportName::sales, true, true},
    {"/api/v1/reports/sales-summary", ReportName::sales_summary, false, true, true, true, "month"},
    {"/api/v1/reports/cancellations", ReportName::cancellations, true, true},
    {"/api/v1/reports/unit-changes", ReportName::unit_changes, true, true},
    {"/api/v1/reports/payments", ReportName::payments, true, true},
    {"/api/v1/reports/payments-summary", ReportName::payments_summary, false, true, true, false,
     "day"},
    {"/api/v1/reports/sales-control", ReportName::sales_control, false, false},
    {"/api/v1/reports/conversion", ReportName::conversion, false, true, true, false, "month"},
    {"/api/v1/reports/mortgages", ReportName::mortgages, true, true},
};

struct Asked {
    ReportFilter filter;
    std::optional<std::string> project_id;
    Format format = Format::json;
};

Asked read_request(const Request& request, const Route& route) {
    std::vector<std::string> allowed = {"project_id", "format"};
    if (route.dated)
        allowed.insert(allowed.end(), {"from", "to"});
    if (route.paged)
        allowed.insert(allowed.end(), {"limit", "offset"});
    if (route.periods)
        allowed.push_back("group");
    if (route.name == ReportName::sales)
        allowed.insert(allowed.end(), {"building_id", "rep_id", "status"});
    if (route.name == ReportName::sales_control)
        allowed.push_back("building_id");
    if (route.name == ReportName::mortgages)
        allowed.push_back("status");
    return sales::service::read_query(request, allowed, [&](const Query& q) {
        Asked a;
        a.project_id = q.uuid("project_id");
        a.format = q.enumeration<Format>("format", &sales::parse_enum<Format>,
                                         sales::enum_names<Format>().list())
                       .value_or(Format::json);
        if (route.dated) {
            const auto range = q.date_range("from", "to");
            if (range.from)
                a.filter.from = sales::to_string(*range.from);
            if (range.to)
                a.filter.to = sales::to_string(*range.to);
        }
        if (route.paged) {
            a.filter.limit = q.integer("limit", 50, 1, 500);
            a.filter.offset = q.integer("offset", 0, 0, 10'000'000);
        }
        if (route.periods) {
            const auto text = q.text("group", 32).value_or(route.default_group);
            a.filter.grouping = domain::parse_grouping(text);
            if (!a.filter.grouping || (!route.dimensions && a.filter.grouping->dimension))
                q.invalid("group", "must be one of " + domain::grouping_names(!route.dimensions));
        }
        if (route.name == ReportName::sales || route.name == ReportName::sales_control)
            a.filter.building_id = q.uuid("building_id");
        if (route.name == ReportName::sales) {
            a.filter.rep_id = q.text("rep_id", 200);
            if (const auto s = q.enumeration<ContractStatusFilter>(
                    "status", &sales::parse_enum<ContractStatusFilter>,
                    sales::enum_names<ContractStatusFilter>().list()))
                a.filter.status = std::string(to_string(*s));
        }
        if (route.name == ReportName::mortgages) {
            if (const auto s = q.enumeration<MortgageStatusFilter>(
                    "status", &sales::parse_enum<MortgageStatusFilter>,
                    sales::enum_names<MortgageStatusFilter>().list()))
                a.filter.status = std::string(to_string(*s));
        }
        return a;
    });
}

const char* kind_name(domain::Kind kind) {
    switch (kind) {
        case domain::Kind::text:
            return "text";
        case domain::Kind::integer:
            return "integer";
        case domain::Kind::fen:
            return "fen";
        case domain::Kind::centi:
            return "centi_m2";
        case domain::Kind::percent_bp:
            return "basis_points";
    }
    return "text";
}

nlohmann::json cell_json(const domain::Cell& cell) {
    if (const auto* text = std::get_if<std::string>(&cell))
        return *text;
    if (const auto* number = std::get_if<std::int64_t>(&cell))
        return *number;
    return nullptr;
}

nlohmann::json record_json(const domain::Record& record) {
    auto out = nlohmann::json::object();
    for (const auto& [key, cell] : record) {
        if (key != "group_start")
            out[key] = cell_json(cell);
    }
    return out;
}

nlohmann::json report_json(const domain::Report& report, const Route& route) {
    auto columns = nlohmann::json::array();
    for (const auto& c : report.spec->columns) {
        columns.push_back({{"key", c.key}, {"title", c.title}, {"kind", kind_name(c.kind)}});
    }
    auto rows = nlohmann::json::array();
    for (const auto& r : report.rows)
        rows.push_back(record_json(r));
    nlohmann::json body = {{"report", to_string(report.spec->name)},
                           {"title", report.spec->title},
                           {"columns", columns},
                           {"rows", rows},
                           {"totals", record_json(report.totals)},
                           {"total_rows", report.total_rows}};
    if (route.paged) {
        body["limit"] = report.limit;
        body["offset"] = report.offset;
    }
    return body;
}

Response download(sales::db::Pool& db, const domain::Report& report, Format format) {
    const auto names =
        db.transaction([](sales::db::Tx& tx) { return sales::service::StaffNames(tx); });
    auto file = sales::sheet::download(
        {domain::to_sheet(report, [&names](const std::string& id) { return names.label(id); })},
        format == Format::csv ? sales::sheet::FileFormat::csv : sales::sheet::FileFormat::xlsx,
        std::string(to_string(report.spec->name)), report.spec->file_stem);
    return Response::attachment(std::move(file.body), std::move(file.content_type),
                                std::move(file.content_disposition));
}

}  // namespace

void add_report_routes(sales::service::Service& service) {
    auto& db = service.db();
    for (const auto& route : kRoutes) {
        service.route(
            "GET", route.path, {"report.read"},
            [&db, &route](Request& request, const sales::Principal& caller) {
                auto asked = read_request(request, route);
                const bool export_all = asked.format != Format::json;
                if (export_all) {
                    asked.filter.limit = app::kMaxExportRows + 1;
                    asked.filter.offset = 0;
                }
                auto report =
                    app::run_report(db, caller, route.name, asked.filter, asked.project_id);
                if (export_all && report.total_rows > app::kMaxExportRows) {
                    sales::fail_rule("export_too_large",
                                     "the report has " + std::to_string(report.total_rows) +
                                         " rows; a download holds at most " +
                                         std::to_string(app::kMaxExportRows) +
                                         ": narrow the dates or the project",
                                     {{"rows", report.total_rows}, {"limit", app::kMaxExportRows}});
                }
                if (export_all)
                    return download(db, report, asked.format);
                return Response::json(200, report_json(report, route));
            });
    }
}

}  // namespace reporting::adapters
