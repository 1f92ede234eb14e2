#include "adapters/request.hpp"
#include "adapters/routes.hpp"
#include "app/customers.hpp"
#include "app/deals.hpp"
#include "app/follow_up.hpp"
#include "app/privacy.hpp"
#include "app/projects.hpp"
#include "sales/ids.hpp"

namespace customer::adapters {
namespace {
using sales::http::Request;
using sales::http::Response;

constexpr std::size_t kReasonLength = 500;
const std::vector<std::string> kManager = {"customer.reassign"};

std::string rep_id(const Body& b, const std::string& name) {
    return b.text(name, 64);
}

}  // namespace

void add_manager_routes(sales::service::Service& service, const app::Context& ctx) {
    const auto* c = &ctx;

    // CUS-4 reassignment by a sales manager.
    add_route(service, "POST", "/api/v1/customers/{id}/reassign", kManager,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"to_rep_id", "reason"});
                  const auto to = rep_id(b, "to_rep_id");
                  const auto reason = b.text("reason", kReasonLength);
                  return Response::json(
                      200, app::reassign_customer(*c, caller, request.params.at("id"), to, reason));
              });
    // CUS-8 audit of full PII reads.
    add_route(service, "GET", "/api/v1/customers/{id}/pii-access", kManager,
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::list_pii_access(*c, caller, request.params.at("id")));
              });

    // CUS-3 collisions.
    add_route(service, "GET", "/api/v1/collisions", kManager,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"project_id", "status", "limit", "offset"});
                  auto project_id = query_text(request, "project_id", 64);
                  if (project_id && !sales::is_uuid(*project_id))
                      invalid("project_id", "must be a UUID");
                  std::optional<domain::CollisionStatus> status = domain::CollisionStatus::open;
                  if (const auto s = query_text(request, "status", 16)) {
                      if (*s == "open")
                          status = domain::CollisionStatus::open;
                      else if (*s == "confirmed")
                          status = domain::CollisionStatus::confirmed;
                      else if (*s == "reassigned")
                          status = domain::CollisionStatus::reassigned;
                      else if (*s == "all")
                          status = std::nullopt;
                      else
                          invalid("status", "must be one of open, confirmed, reassigned, all");
                  }
                  return Response::json(
                      200, app::list_collisions(*c, caller, project_id, status,
                                                query_integer(request, "limit", 50, 1, 500),
                                                query_integer(request, "offset", 0, 0, 1'000'000)));
              });
    for (const bool confirm : {true, false}) {
        add_route(service, "POST",
                  std::string("/api/v1/collisions/{id}/") + (confirm ? "confirm" : "reassign"),
                  kManager, [c, confirm](Request& request, const app::Caller& caller) {
                      const auto json = body_of(request);
                      const Body b(json, "", {"note"});
                      const auto note = b.text("note", kReasonLength);
                      return Response::json(
                          200, app::resolve_collision(*c, caller, request.params.at("id"),
                                                      confirm ? domain::CollisionDecision::confirm
                                                              : domain::CollisionDecision::reassign,
                                                      note));
                  });
    }

    // CUS-4 stale list.
    add_route(service, "GET", "/api/v1/customers:stale", kManager,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"project_id", "rep_id", "limit", "offset"});
                  return Response::json(
                      200, app::list_stale(*c, caller, query_uuid(request, "project_id"),
                                           query_text(request, "rep_id", 64),
                                           query_integer(request, "limit", 50, 1, 500),
                                           query_integer(request, "offset", 0, 0, 1'000'000)));
              });
    // CUS-4/6/10 task list of a rep (the rep themself or a manager).
    add_route(service, "GET", "/api/v1/reps/{rep_id}/tasks", {"customer.manage"},
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::rep_tasks(*c, caller, request.params.at("rep_id")));
              });

    // CUS-5 departures.
    add_route(service, "POST", "/api/v1/departures", kManager,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"rep_id", "reason"});
                  const auto rep = rep_id(b, "rep_id");
                  const auto reason = b.text("reason", kReasonLength);
                  return Response::json(201, app::record_departure(*c, caller, rep, reason));
              });
    add_route(service, "GET", "/api/v1/departures", kManager,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"open"});
                  return Response::json(
                      200, app::list_departures(*c, caller, query_bool(request, "open", true)));
              });
    add_route(service, "POST", "/api/v1/departures/{id}/reassign", kManager,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"to_rep_id", "customer_ids"});
                  const auto to = rep_id(b, "to_rep_id");
                  std::optional<std::vector<std::string>> ids;
                  if (b.has("customer_ids") && !b.is_null("customer_ids"))
                      ids = b.uuids("customer_ids", 1000);
                  return Response::json(
                      200, app::reassign_departure(*c, caller, request.params.at("id"), to, ids));
              });

    // CUS-7 commission validity per deal.
    add_route(service, "GET", "/api/v1/deals", {"customer.reassign", "report.read"},
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"project_id", "flagged", "limit", "offset"});
                  return Response::json(
                      200, app::list_deals(*c, caller, query_uuid(request, "project_id"),
                                           query_bool(request, "flagged", false),
                                           query_integer(request, "limit", 50, 1, 500),
                                           query_integer(request, "offset", 0, 0, 1'000'000)));
              });
    add_route(service, "GET", "/api/v1/deals/{id}/commission", {"customer.manage", "report.read"},
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::commission_validity(*c, caller, request.params.at("id")));
              });
    add_route(service, "POST", "/api/v1/deals/{id}/commission-exception", kManager,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"note"});
                  const auto note = b.text("note", kReasonLength);
                  return Response::json(200, app::record_commission_exception(
                                                 *c, caller, request.params.at("id"), note));
              });

    // Per-project customer settings (stale_days, follow-up, complaint deadlines, archive).
    add_route(
        service, "GET", "/api/v1/projects/{id}/customer-settings",
        {"customer.manage", "customer.settings"}, [c](Request& request, const app::Caller& caller) {
            return Response::json(200, app::get_settings(*c, caller, request.params.at("id")));
        });
    add_route(service, "PATCH", "/api/v1/projects/{id}/customer-settings", {"customer.settings"},
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  std::vector<std::string> names;
                  for (const auto& r : domain::setting_ranges())
                      names.push_back(r.name);
                  const Body b(json, "", names);
                  domain::SettingsChange change;
                  std::optional<std::int64_t>* targets[] = {&change.stale_days,
                                                            &change.follow_up_days,
                                                            &change.complaint_first_response_days,
                                                            &change.complaint_final_days,
                                                            &change.archive_after_days,
                                                            &change.commission_min_events};
                  for (std::size_t i = 0; i < names.size(); ++i)
                      *targets[i] = b.opt_integer(names[i], INT64_MIN, INT64_MAX);
                  return Response::json(
                      200, app::patch_settings(*c, caller, request.params.at("id"), change));
              });

    // CUS-8 anonymised export; CUS-9 archive.
    add_route(service, "GET", "/api/v1/customers:export", {"customer.export"},
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"project_id", "limit", "offset"});
                  return Response::json(
                      200,
                      app::export_anonymised(*c, caller, query_uuid(request, "project_id"),
                                             query_integer(request, "limit", 1000, 1, 10'000),
                                             query_integer(request, "offset", 0, 0, 10'000'000)));
              });
    add_route(service, "POST", "/api/v1/customers:archive", {"customer.archive"},
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"project_id", "limit", "dry_run"});
                  const auto project_id = b.uuid("project_id");
                  const auto limit = b.opt_integer("limit", 1, 1000).value_or(100);
                  return Response::json(200, app::archive_inactive(*c, caller, project_id, limit,
                                                                   b.opt_bool("dry_run", false)));
              });

    // Calls/visits per day, rep and channel.
    add_route(
        service, "GET", "/api/v1/reports/contacts", {"report.read"},
        [c](Request& request, const app::Caller& caller) {
            known_query(request, {"project_id", "from", "to"});
            const auto project_id = query_uuid(request, "project_id");
            const auto from = query_date(request, "from");
            const auto to = query_date(request, "to");
            if (!from)
                invalid("from", "is required");
            if (!to)
                invalid("to", "is required");
            if (*from > *to)
                invalid("from", "must not be after to");
            if (std::chrono::sys_days{*to} - std::chrono::sys_days{*from} > std::chrono::days(366))
                invalid("to", "the range may cover at most 366 days");
            return Response::json(200, app::contact_counts(*c, caller, project_id, *from, *to));
        });
}

}  // namespace customer::adapters
