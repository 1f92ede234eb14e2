#include "adapters/http_routes.hpp"
#include "app/projects.hpp"
#include "domain/unit.hpp"

namespace inventory::adapters {
namespace {
using sales::service::Query;
}  // namespace

void add_project_routes(sales::service::Service& service) {
    auto& db = service.db();

    service.route("POST", "/api/v1/projects", {"project.manage"},
                  [&db](Request& request, const Principal& caller) {
                      const auto input = sales::service::read_body(
                          request, {"code", "name", "city"}, [](const Body& b) {
                              return domain::NewProject{b.text("code", 8), b.text("name", 100),
                                                        b.text("city", 50)};
                          });
                      const auto project = app::create_project(db, input, caller.user_id);
                      auto response = Response::json(201, app::to_json(project));
                      response.headers["Location"] = "/api/v1/projects/" + project.id;
                      return response;
                  });

    service.route(
        "GET", "/api/v1/projects", {"unit.read"}, [&db](Request& request, const Principal& caller) {
            const auto [limit, offset] =
                sales::service::read_query(request, {"limit", "offset"}, [](const Query& q) {
                    return std::pair{q.integer("limit", 50, 1, 500),
                                     q.integer("offset", 0, 0, 1'000'000)};
                });
            auto items = nlohmann::json::array();
            for (const auto& p : app::list_projects(db, caller, limit, offset))
                items.push_back(app::to_json(p));
            return Response::json(200, {{"items", items}, {"limit", limit}, {"offset", offset}});
        });

    // Another project's existence is not disclosed: out of scope looks like not found.
    service.route("GET", "/api/v1/projects/{project_id}", {"unit.read"},
                  [&db](Request& request, const Principal& caller) {
                      return Response::json(200, app::to_json(app::get_project(
                                                     db, request.params.at("project_id"), caller)));
                  });

    service.route("PATCH", "/api/v1/projects/{project_id}/settings", {"project.manage"},
                  [&db](Request& request, const Principal& caller) {
                      const auto patch = sales::service::read_body(
                          request,
                          {"deposit_deadline_seconds", "signing_deadline_days",
                           "deposit_cap_percent", "reservation_manager_only_days"},
                          [](const Body& b) {
                              return domain::SettingsPatch{
                                  b.opt_integer("deposit_deadline_seconds", kAnyMin, kAnyMax),
                                  b.opt_integer("signing_deadline_days", kAnyMin, kAnyMax),
                                  b.opt_integer("deposit_cap_percent", kAnyMin, kAnyMax),
                                  b.opt_integer("reservation_manager_only_days", kAnyMin, kAnyMax)};
                          });
                      return Response::json(
                          200, app::to_json(app::update_settings(
                                   db, request.params.at("project_id"), caller, patch)));
                  });

    service.route("POST", "/api/v1/projects/{project_id}/phases", {"unit.manage"},
                  [&db](Request& request, const Principal& caller) {
                      const auto name = sales::service::read_body(
                          request, {"name"}, [](const Body& b) { return b.text("name", 50); });
                      return Response::json(
                          201, app::to_json(app::create_phase(db, request.params.at("project_id"),
                                                              caller, name)));
                  });

    service.route("POST", "/api/v1/projects/{project_id}/buildings", {"unit.manage"},
                  [&db](Request& request, const Principal& caller) {
                      struct NewBuilding {
                          std::string name;
                          std::int64_t floors;
                          std::optional<std::string> phase_id;
                      };
                      const auto input = sales::service::read_body(
                          request, {"name", "floors", "phase_id"}, [](const Body& b) {
                              return NewBuilding{b.text("name", 50),
                                                 b.integer("floors", 1, domain::kMaxFloors),
                                                 b.opt_uuid("phase_id")};
                          });
                      return Response::json(201, app::to_json(app::create_building(
                                                     db, request.params.at("project_id"), caller,
                                                     input.phase_id, input.name, input.floors)));
                  });
}

}  // namespace inventory::adapters
