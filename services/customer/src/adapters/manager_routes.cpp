#include <chrono>

#include "adapters/routes.hpp"
#include "app/customers.hpp"
#include "app/deals.hpp"
#include "app/follow_up.hpp"
#include "app/privacy.hpp"
#include "app/projects.hpp"

namespace customer::adapters {
namespace {

constexpr std::size_t kReasonLength = 500;
SALES_ENUM(ReportFormat, json, csv, xlsx);
const std::vector<std::string> kManager = {"customer.reassign"};

// A project's page of a list: ?project_id=…&limit=…&offset=… (plus `extra` parameters).
struct Page {
    std::string project_id;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
Page read_page(const Query& q, std::int64_t default_limit = 50, std::int64_t max_limit = 500,
               std::int64_t max_offset = 1'000'000) {
    return {q.required_uuid("project_id"), q.integer("limit", default_limit, 1, max_limit),
            q.integer("offset", 0, 0, max_offset)};
}

// A body with one required text field (a note or reason), at most kReasonLength characters.
std::string read_note(const Request& r, const std::string& name) {
    return read_body(r, {name}, [&](const Body& b) { return b.text(name, kReasonLength); });
}

}  // namespace

void add_manager_routes(sales::service::Service& service, const app::Context& ctx) {
    const auto* c = &ctx;

    // CUS-4 reassignment by a sales manager.
    service.route(
        "POST", "/api/v1/customers/{id}/reassign", kManager, [c](Request& r, const Principal& p) {
            const auto [to, reason] = read_body(r, {"to_rep_id", "reason"}, [](const Body& b) {
                return std::pair{b.text("to_rep_id", 64), b.text("reason", kReasonLength)};
            });
            return Response::json(
                200, app::reassign_customer(*c, caller_of(r, p), r.params.at("id"), to, reason));
        });
    // CUS-8 audit of full PII reads.
    service.route("GET", "/api/v1/customers/{id}/pii-access", kManager,
                  [c](Request& r, const Principal& p) {
                      return Response::json(
                          200, app::list_pii_access(*c, caller_of(r, p), r.params.at("id")));
                  });

    // CUS-3 collisions.
    service.route("GET", "/api/v1/collisions", kManager, [c](Request& r, const Principal& p) {
        struct Filter {
            std::optional<std::string> project_id;
            std::optional<domain::CollisionStatus> status = domain::CollisionStatus::open;
            std::int64_t limit = 50, offset = 0;
        };
        const auto f =
            read_query(r, {"project_id", "status", "limit", "offset"}, [](const Query& q) {
                Filter f;
                f.project_id = q.uuid("project_id");
                if (const auto s = q.text("status", 16)) {
                    f.status = domain::parse_collision_status(*s);
                    if (!f.status && *s != "all")
                        q.invalid("status",
                                  "must be one of " +
                                      sales::enum_names<domain::CollisionStatus>().list() +
                                      ", all");
                }
                f.limit = q.integer("limit", 50, 1, 500);
                f.offset = q.integer("offset", 0, 0, 1'000'000);
                return f;
            });
        return Response::json(200, app::list_collisions(*c, caller_of(r, p), f.project_id, f.status,
                                                        f.limit, f.offset));
    });
    for (const bool confirm : {true, false}) {
        service.route(
            "POST", std::string("/api/v1/collisions/{id}/") + (confirm ? "confirm" : "reassign"),
            kManager, [c, confirm](Request& r, const Principal& p) {
                const auto note = read_note(r, "note");
                return Response::json(
                    200, app::resolve_collision(*c, caller_of(r, p), r.params.at("id"),
                                                confirm ? domain::CollisionDecision::confirm
                                                        : domain::CollisionDecision::reassign,
                                                note));
            });
    }

    // CUS-4 stale list.
    service.route("GET", "/api/v1/customers:stale", kManager, [c](Request& r, const Principal& p) {
        std::optional<std::string> rep_id;
        const auto page =
            read_query(r, {"project_id", "rep_id", "limit", "offset"}, [&](const Query& q) {
                rep_id = q.text("rep_id", 64);
                return read_page(q);
            });
        return Response::json(200, app::list_stale(*c, caller_of(r, p), page.project_id, rep_id,
                                                   page.limit, page.offset));
    });
    // CUS-4/6/10 task list of a rep (the rep themself or a manager).
    service.route("GET", "/api/v1/reps/{rep_id}/tasks", {"customer.manage"},
                  [c](Request& r, const Principal& p) {
                      return Response::json(
                          200, app::rep_tasks(*c, caller_of(r, p), r.params.at("rep_id")));
                  });

    // CUS-5 departures.
    service.route("POST", "/api/v1/departures", kManager, [c](Request& r, const Principal& p) {
        const auto [rep, reason] = read_body(r, {"rep_id", "reason"}, [](const Body& b) {
            return std::pair{b.text("rep_id", 64), b.text("reason", kReasonLength)};
        });
        return Response::json(201, app::record_departure(*c, caller_of(r, p), rep, reason));
    });
    service.route("GET", "/api/v1/departures", kManager, [c](Request& r, const Principal& p) {
        const auto open =
            read_query(r, {"open"}, [](const Query& q) { return q.boolean("open", true); });
        return Response::json(200, app::list_departures(*c, caller_of(r, p), open));
    });
    service.route(
        "POST", "/api/v1/departures/{id}/reassign", kManager, [c](Request& r, const Principal& p) {
            const auto [to, ids] = read_body(r, {"to_rep_id", "customer_ids"}, [](const Body& b) {
                std::optional<std::vector<std::string>> ids;
                if (b.has("customer_ids"))
                    ids = b.uuids("customer_ids", 1000);
                return std::pair{b.text("to_rep_id", 64), ids};
            });
            return Response::json(
                200, app::reassign_departure(*c, caller_of(r, p), r.params.at("id"), to, ids));
        });

    // CUS-7 commission validity per deal.
    service.route(
        "GET", "/api/v1/deals", {"customer.reassign", "report.read"},
        [c](Request& r, const Principal& p) {
            bool flagged = false;
            const auto page =
                read_query(r, {"project_id", "flagged", "limit", "offset"}, [&](const Query& q) {
                    flagged = q.boolean("flagged", false);
                    return read_page(q);
                });
            return Response::json(200, app::list_deals(*c, caller_of(r, p), page.project_id,
                                                       flagged, page.limit, page.offset));
        });
    service.route("GET", "/api/v1/deals/{id}/commission", {"customer.manage", "report.read"},
                  [c](Request& r, const Principal& p) {
                      return Response::json(
                          200, app::commission_validity(*c, caller_of(r, p), r.params.at("id")));
                  });
    service.route("POST", "/api/v1/deals/{id}/commission-exception", kManager,
                  [c](Request& r, const Principal& p) {
                      const auto note = read_note(r, "note");
                      return Response::json(200, app::record_commission_exception(
                                                     *c, caller_of(r, p), r.params.at("id"), note));
                  });

    // Per-project customer settings (stale_days, follow-up, complaint deadlines, archive).
    service.route("GET", "/api/v1/projects/{id}/customer-settings",
                  {"customer.manage", "customer.settings"}, [c](Request& r, const Principal& p) {
                      return Response::json(
                          200, app::get_settings(*c, caller_of(r, p), r.params.at("id")));
                  });
    service.route("PATCH", "/api/v1/projects/{id}/customer-settings", {"customer.settings"},
                  [c](Request& r, const Principal& p) {
                      std::vector<std::string> names;
                      for (const auto& range : domain::setting_ranges())
                          names.push_back(range.name);
                      const auto change = read_body(r, names, [&](const Body& b) {
                          domain::SettingsChange change;
                          for (const auto& range : domain::setting_ranges())
                              change.*range.change =
                                  b.opt_integer(range.name, INT64_MIN, INT64_MAX);
                          return change;
                      });
                      return Response::json(
                          200, app::patch_settings(*c, caller_of(r, p), r.params.at("id"), change));
                  });

    // CUS-8 anonymised export; CUS-9 archive.
    service.route(
        "GET", "/api/v1/customers:export", {"customer.export"},
        [c](Request& r, const Principal& p) {
            const auto page = read_query(r, {"project_id", "limit", "offset"}, [](const Query& q) {
                return read_page(q, 1000, 10'000, 10'000'000);
            });
            return Response::json(200, app::export_anonymised(*c, caller_of(r, p), page.project_id,
                                                              page.limit, page.offset));
        });
    service.route(
        "POST", "/api/v1/customers:archive", {"customer.archive"},
        [c](Request& r, const Principal& p) {
            struct Archive {
                std::string project_id;
                std::int64_t limit;
                bool dry_run;
            };
            const auto in = read_body(r, {"project_id", "limit", "dry_run"}, [](const Body& b) {
                return Archive{b.uuid("project_id"), b.opt_integer("limit", 1, 1000).value_or(100),
                               b.opt_boolean("dry_run", false)};
            });
            return Response::json(200, app::archive_inactive(*c, caller_of(r, p), in.project_id,
                                                             in.limit, in.dry_run));
        });

    // Calls/visits per day, rep and channel (来电来访明细表); CSV or xlsx with `format`.
    service.route(
        "GET", "/api/v1/reports/contacts", {"report.read"}, [c](Request& r, const Principal& p) {
            struct Range {
                std::string project_id;
                std::optional<sales::Date> from, to;
                ReportFormat format = ReportFormat::json;
            };
            const auto range =
                read_query(r, {"project_id", "from", "to", "format"}, [](const Query& q) {
                    const auto dates = q.date_range("from", "to");
                    Range range{
                        q.required_uuid("project_id"), dates.from, dates.to,
                        q.enumeration<ReportFormat>("format", &sales::parse_enum<ReportFormat>,
                                                    sales::enum_names<ReportFormat>().list())
                            .value_or(ReportFormat::json)};
                    for (const char* name : {"from", "to"}) {
                        if (!q.has(name))
                            q.invalid(name, "is required");
                    }
                    if (range.from && range.to &&
                        std::chrono::sys_days{*range.to} - std::chrono::sys_days{*range.from} >
                            std::chrono::days(366))
                        q.invalid("to", "the range may cover at most 366 days");
                    return range;
                });
            auto counts =
                app::contact_counts(*c, caller_of(r, p), range.project_id, *range.from, *range.to);
            if (range.format == ReportFormat::json)
                return Response::json(200, counts);
            const auto names =
                c->db.transaction([](sales::db::Tx& tx) { return sales::service::StaffNames(tx); });
            auto file = sales::sheet::download(
                {app::contact_sheet(counts,
                                    [&names](const std::string& id) { return names.label(id); })},
                range.format == ReportFormat::csv ? sales::sheet::FileFormat::csv
                                                  : sales::sheet::FileFormat::xlsx,
                "contacts",
                "来电来访明细表-" + counts["from"].get<std::string>() + "-" +
                    counts["to"].get<std::string>());
            return Response::attachment(std::move(file.body), std::move(file.content_type),
                                        std::move(file.content_disposition));
        });
}

}  // namespace customer::adapters
