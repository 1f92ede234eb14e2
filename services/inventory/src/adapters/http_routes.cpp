#include "adapters/http_routes.hpp"

#include "adapters/request.hpp"
#include "app/projects.hpp"
#include "domain/unit.hpp"

namespace inventory::adapters {
namespace {
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;
}  // namespace

void add_routes(sales::service::Service& service) {
    auto& db = service.db();

    service.route("POST", "/api/v1/projects", [&db](Request& request) {
        require(request, "project.manage");
        const auto body = request.json();
        sales::service::reject_unknown_fields(body, {"code", "name", "city"});
        domain::NewProject input{sales::service::required_string(body, "code", 8),
                                 sales::service::required_string(body, "name", 100),
                                 sales::service::required_string(body, "city", 50)};
        try {
            const auto project = app::create_project(db, input, request.caller().user_id);
            auto response = Response::json(201, app::to_json(project));
            response.headers["Location"] = "/api/v1/projects/" + project.id;
            return response;
        } catch (const app::InvalidProject& e) {
            nlohmann::json problems = nlohmann::json::array();
            for (const auto& p : e.problems())
                problems.push_back({{"field", p.field}, {"problem", p.problem}});
            throw HttpError(400, "validation_failed",
                            e.problems().front().field + ": " + e.problems().front().problem,
                            {{"problems", problems}});
        } catch (const app::DuplicateProjectCode& e) {
            throw HttpError(409, "project_code_taken", e.what(), {{"code", input.code}});
        }
    });

    service.route("GET", "/api/v1/projects", [&db](Request& request) {
        require(request, "unit.read");
        const auto limit = query_integer(request, "limit", 50, 1, 500);
        const auto offset = query_integer(request, "offset", 0, 0, 1'000'000);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& p : app::list_projects(db, limit, offset)) {
            if (request.caller().in_project(p.id))
                items.push_back(app::to_json(p));
        }
        return Response::json(200, {{"items", items}, {"limit", limit}, {"offset", offset}});
    });

    service.route("GET", "/api/v1/projects/{project_id}", [&db](Request& request) {
        require(request, "unit.read");
        const auto& id = request.params.at("project_id");
        const auto project = app::find_project(db, id);
        // Another project's existence is not disclosed: out of scope looks like not found.
        if (!project || !request.caller().in_project(project->id)) {
            throw HttpError(404, "project_not_found", "no project with id " + id);
        }
        return Response::json(200, app::to_json(*project));
    });

    add_route(service, "PATCH", "/api/v1/projects/{project_id}/settings", "project.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "",
                                 {"deposit_deadline_seconds", "signing_deadline_days",
                                  "deposit_cap_percent", "reservation_manager_only_days"});
                  const domain::SettingsPatch patch{f.opt_integer("deposit_deadline_seconds"),
                                                    f.opt_integer("signing_deadline_days"),
                                                    f.opt_integer("deposit_cap_percent"),
                                                    f.opt_integer("reservation_manager_only_days")};
                  return Response::json(
                      200, app::to_json(app::update_settings(db, request.params.at("project_id"),
                                                             caller, patch)));
              });

    add_route(service, "POST", "/api/v1/projects/{project_id}/phases", "unit.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "", {"name"});
                  return Response::json(
                      201, app::to_json(app::create_phase(db, request.params.at("project_id"),
                                                          caller, f.text("name", 50))));
              });

    add_route(service, "POST", "/api/v1/projects/{project_id}/buildings", "unit.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "", {"name", "floors", "phase_id"});
                  const auto name = f.text("name", 50);
                  const auto floors = f.integer("floors");
                  if (floors < 1 || floors > domain::kMaxFloors) {
                      throw HttpError(
                          400, "validation_failed",
                          "floors: must be between 1 and " + std::to_string(domain::kMaxFloors),
                          {{"field", "floors"}});
                  }
                  return Response::json(201, app::to_json(app::create_building(
                                                 db, request.params.at("project_id"), caller,
                                                 f.opt_uuid("phase_id"), name, floors)));
              });
}

}  // namespace inventory::adapters
