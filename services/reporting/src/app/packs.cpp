#include "app/packs.hpp"

#include <algorithm>

#include "adapters/pack_store.hpp"
#include "app/reports.hpp"
#include "sales/enum_names.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"
#include "sales/sheet.hpp"

namespace reporting::app {
namespace {
using nlohmann::json;

// One workbook: a sheet per report of the period, as the project's own managers see them.
std::string make_pack(sales::db::Pool& db, domain::PackKind kind, const domain::PackPeriod& period,
                      const adapters::PackProject& project, const std::string& generated_by,
                      bool replace) {
    sales::Principal scope;
    scope.user_id = generated_by;
    scope.project_ids = {project.project_id};
    std::vector<sales::sheet::Sheet> sheets;
    std::int64_t rows = 0;
    const auto names =
        db.transaction([](sales::db::Tx& tx) { return sales::service::StaffNames(tx); });
    const auto person_label = [&names](const std::string& id) { return names.label(id); };
    for (const auto& sheet : domain::pack_sheets()) {
        adapters::ReportFilter filter;
        if (sheet.dated) {
            filter.from = sales::to_string(period.from);
            filter.to = sales::to_string(period.to);
        }
        if (sheet.grouping.period || sheet.grouping.dimension)
            filter.grouping = sheet.grouping;
        filter.limit = kMaxExportRows;
        const auto report = run_report(db, scope, sheet.report, filter, project.project_id);
        rows += static_cast<std::int64_t>(report.rows.size());
        sheets.push_back(domain::to_sheet(report, person_label));
    }
    sheets.front().title = domain::pack_file_stem(kind, period, project.code);
    const auto content = sales::sheet::xlsx(sheets);
    adapters::PackRow row{.pack_id = sales::new_uuid(),
                          .kind = std::string(to_string(kind)),
                          .period_from = sales::to_string(period.from),
                          .period_to = sales::to_string(period.to),
                          .project_id = project.project_id,
                          .file_name = domain::pack_file_stem(kind, period, project.code) + ".xlsx",
                          .sheets = static_cast<std::int64_t>(sheets.size()),
                          .data_rows = rows,
                          .generated_by = generated_by};
    return db.transaction(
        [&](sales::db::Tx& tx) { return adapters::store_pack(tx, row, content, replace); });
}

}  // namespace

int make_due_packs(sales::db::Pool& db, const sales::Clock& clock, int keep_days) {
    using namespace std::chrono;
    const auto today = sales::shanghai_date(clock.now());
    const auto projects =
        db.transaction([](sales::db::Tx& tx) { return adapters::pack_projects(tx); });
    int made = 0;
    for (const auto& item : sales::enum_names<domain::PackKind>().items) {
        const auto kind = item.first;
        const std::string kind_name(item.second);
        const auto period = domain::last_complete_period(kind, today);
        for (const auto& project : projects) {
            const bool exists = db.transaction([&](sales::db::Tx& tx) {
                return adapters::pack_exists(tx, kind_name, sales::to_string(period.from),
                                             project.project_id);
            });
            if (exists)
                continue;
            make_pack(db, kind, period, project, "schedule", false);
            ++made;
            sales::log::info("report pack made", {{"kind", kind_name},
                                                  {"period_from", sales::to_string(period.from)},
                                                  {"project", project.code}});
        }
    }
    const auto keep_from = sales::Date{sys_days(today) - days(keep_days)};
    db.transaction(
        [&](sales::db::Tx& tx) { adapters::prune_packs(tx, sales::to_string(keep_from)); });
    return made;
}

json make_pack_on_request(sales::db::Pool& db, const sales::Clock& clock,
                          const sales::Principal& caller, domain::PackKind kind, sales::Date day,
                          const std::string& project_id) {
    if (!caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
    if (sales::shanghai_date(clock.now()) < day)
        sales::fail_invalid("date", "must not be after today (Asia/Shanghai)");
    const auto project =
        db.transaction([&](sales::db::Tx& tx) { return adapters::pack_project(tx, project_id); });
    if (!project)
        sales::fail_not_found("project", project_id);
    const auto pack_id =
        make_pack(db, kind, domain::pack_period_of(kind, day), *project, caller.user_id, true);
    return db.transaction([&](sales::db::Tx& tx) { return *adapters::pack_json(tx, pack_id); });
}

json list_packs(sales::db::Pool& db, const sales::Principal& caller,
                const std::optional<std::string>& project_id,
                const std::optional<domain::PackKind>& kind, std::int64_t limit,
                std::int64_t offset) {
    std::optional<std::vector<std::string>> projects;
    if (project_id) {
        if (!caller.in_project(*project_id))
            sales::fail_not_found("project", *project_id);
        projects = std::vector<std::string>{*project_id};
    } else if (!caller.in_every_project()) {
        projects = caller.project_ids;
    }
    const auto kind_text =
        kind ? std::optional<std::string>(std::string(to_string(*kind))) : std::nullopt;
    return db.transaction([&](sales::db::Tx& tx) {
        auto page = adapters::list_packs(tx, projects, kind_text, limit, offset);
        return json{
            {"items", page.items}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
    });
}

PackDownload pack_download(sales::db::Pool& db, const sales::Principal& caller,
                           const std::string& pack_id) {
    auto file = db.transaction([&](sales::db::Tx& tx) { return adapters::pack_file(tx, pack_id); });
    if (!file || !caller.in_project(file->project_id))
        sales::fail_not_found("report_pack", pack_id);
    return {file->file_name, std::move(file->content)};
}

}  // namespace reporting::app
