#include "adapters/pack_routes.hpp"

#include "app/packs.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/sheet.hpp"

namespace reporting::adapters {
namespace {
using domain::PackKind;
using sales::http::Request;
using sales::http::Response;
using sales::service::Body;
using sales::service::Query;

}  // namespace

void add_pack_routes(sales::service::Service& service) {
    auto& db = service.db();
    const auto& clock = service.clock();
    const auto& config = service.config();
    using namespace std::chrono_literals;
    const auto interval = config.duration("SALES_REPORTING_PACK_INTERVAL", 5min, 100ms, 24h);
    const auto keep_days =
        static_cast<int>(config.integer("SALES_REPORTING_PACK_KEEP_DAYS", 400, 1, 36500));
    service.every("report-packs", interval,
                  [&db, &clock, keep_days] { app::make_due_packs(db, clock, keep_days); });

    service.route(
        "GET", "/api/v1/report-packs", {"report.read"},
        [&db](Request& r, const sales::Principal& caller) {
            struct Asked {
                std::optional<std::string> project_id;
                std::optional<PackKind> kind;
                std::int64_t limit = 50, offset = 0;
            };
            const auto asked = sales::service::read_query(
                r, {"project_id", "kind", "limit", "offset"}, [](const Query& q) {
                    Asked a;
                    a.project_id = q.uuid("project_id");
                    a.kind = q.enumeration<PackKind>("kind", &sales::parse_enum<PackKind>,
                                                     sales::enum_names<PackKind>().list());
                    a.limit = q.integer("limit", 50, 1, 500);
                    a.offset = q.integer("offset", 0, 0, 10'000'000);
                    return a;
                });
            return Response::json(200, app::list_packs(db, caller, asked.project_id, asked.kind,
                                                       asked.limit, asked.offset));
        });

    service.route("GET", "/api/v1/report-packs/{pack_id}", {"report.read"},
                  [&db](Request& r, const sales::Principal& caller) {
                      const auto pack_id = r.params.at("pack_id");
                      if (!sales::is_uuid(pack_id))
                          sales::fail_not_found("report_pack", pack_id);
                      const auto file = app::pack_download(db, caller, pack_id);
                      return Response::attachment(
                          file.content, sales::sheet::kXlsxType,
                          sales::sheet::attachment("report-pack.xlsx", file.file_name));
                  });

    service.route(
        "POST", "/api/v1/report-packs", {"report.read"},
        [&db, &clock](Request& r, const sales::Principal& caller) {
            struct Asked {
                PackKind kind = PackKind::daily;
                sales::Date date;
                std::string project_id;
            };
            const auto asked =
                sales::service::read_body(r, {"kind", "date", "project_id"}, [](const Body& b) {
                    Asked a;
                    a.kind = b.enumeration<PackKind>("kind", &sales::parse_enum<PackKind>,
                                                     sales::enum_names<PackKind>().list());
                    a.date = b.date("date");
                    a.project_id = b.uuid("project_id");
                    return a;
                });
            return Response::json(201, app::make_pack_on_request(db, clock, caller, asked.kind,
                                                                 asked.date, asked.project_id));
        });
}

}  // namespace reporting::adapters
