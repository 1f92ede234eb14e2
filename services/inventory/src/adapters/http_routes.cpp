#include "adapters/http_routes.hpp"

#include "app/projects.hpp"
#include "sales/auth.hpp"

namespace inventory::adapters {
namespace {
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;

void require(const Request& request, const std::string& permission) {
    if (!sales::auth::allowed(request.caller(), permission)) {
        throw HttpError(403, "forbidden", "your roles do not grant " + permission,
                        {{"permission", permission}});
    }
}

std::int64_t query_integer(const Request& request, const std::string& name, std::int64_t fallback,
                           std::int64_t min, std::int64_t max) {
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return fallback;
    try {
        std::size_t used = 0;
        const auto value = std::stoll(it->second, &used);
        if (used == it->second.size() && value >= min && value <= max)
            return value;
    } catch (const std::exception&) {
        // fall through to the error below
    }
    throw HttpError(
        400, "validation_failed",
        name + " must be an integer between " + std::to_string(min) + " and " + std::to_string(max),
        {{"field", name}});
}
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
}

}  // namespace inventory::adapters
