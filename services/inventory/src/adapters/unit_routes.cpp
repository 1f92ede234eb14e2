#include "adapters/http_routes.hpp"
#include "adapters/request.hpp"
#include "app/units.hpp"

namespace inventory::adapters {
namespace {
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;

domain::UnitTemplate template_of(const nlohmann::json& item, const std::string& path) {
    const Fields f(item, path,
                   {"position", "floors", "layout", "orientation", "decoration",
                    "internal_area_centi_m2", "shared_area_centi_m2", "gross_area_centi_m2",
                    "list_unit_price_fen_per_m2", "floor_price_step_fen_per_m2"});
    const Fields floors(f.object("floors"), f.path("floors"), {"from", "to"});
    domain::UnitTemplate t;
    t.position = f.integer("position");
    t.floor_from = floors.integer("from");
    t.floor_to = floors.integer("to");
    t.layout = f.text("layout", 20);
    t.orientation = f.text("orientation", 20);
    t.decoration = f.text("decoration", 20);
    t.internal_area_centi_m2 = f.integer("internal_area_centi_m2");
    t.shared_area_centi_m2 = f.integer("shared_area_centi_m2");
    t.gross_area_centi_m2 = f.opt_integer("gross_area_centi_m2");
    t.list_unit_price_fen_per_m2 = f.integer("list_unit_price_fen_per_m2");
    t.floor_price_step_fen_per_m2 = f.opt_integer("floor_price_step_fen_per_m2").value_or(0);
    return t;
}

// Body {building_id} or {unit_ids: [...]}, exactly one, plus an optional reason.
Handler release_handler(sales::db::Pool& db, domain::UnitAction action,
                        const std::string& default_reason) {
    return [&db, action, default_reason](Request& request, const app::Caller& caller) {
        const auto body = request.json();
        const Fields f(body, "", {"building_id", "unit_ids", "reason"});
        if (f.has("building_id") == f.has("unit_ids")) {
            throw HttpError(400, "validation_failed",
                            "body: give either building_id or unit_ids, not both",
                            {{"field", "body"}});
        }
        app::UnitSelection selection;
        selection.building_id = f.opt_uuid("building_id");
        if (f.has("unit_ids"))
            selection.unit_ids = f.uuids("unit_ids", domain::kMaxUnitsPerRequest);
        const auto reason = f.opt_text("reason", 200).value_or(default_reason);
        return Response::json(200, app::release_or_withdraw(db, caller, selection, action, reason));
    };
}
}  // namespace

void add_unit_routes(sales::service::Service& service) {
    auto& db = service.db();
    const auto& clock = service.clock();

    // A compact body for a whole building: one template per position with its floor range.
    add_route(service, "POST", "/api/v1/buildings/{building_id}/units:bulk", "unit.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "", {"templates"});
                  const auto& items = f.array("templates", domain::kMaxPosition);
                  std::vector<domain::UnitTemplate> templates;
                  for (std::size_t i = 0; i < items.size(); ++i)
                      templates.push_back(template_of(
                          items[i], f.path("templates") + "[" + std::to_string(i) + "]"));
                  return Response::json(201, app::create_units(db, request.params.at("building_id"),
                                                               caller, templates));
              });

    add_route(service, "GET", "/api/v1/units/{unit_id}", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::get_unit(db, request.params.at("unit_id"), caller));
              });

    add_route(service, "PATCH", "/api/v1/units/{unit_id}", "unit.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "",
                                 {"layout", "orientation", "decoration", "internal_area_centi_m2",
                                  "shared_area_centi_m2", "list_unit_price_fen_per_m2"});
                  const domain::UnitEdit edit{f.opt_text("layout", 20),
                                              f.opt_text("orientation", 20),
                                              f.opt_text("decoration", 20),
                                              f.opt_integer("internal_area_centi_m2"),
                                              f.opt_integer("shared_area_centi_m2"),
                                              f.opt_integer("list_unit_price_fen_per_m2")};
                  if (edit.empty()) {
                      throw HttpError(400, "validation_failed", "body: name a field to change",
                                      {{"field", "body"}});
                  }
                  return Response::json(
                      200, app::edit_unit(db, request.params.at("unit_id"), caller, edit));
              });

    add_route(service, "GET", "/api/v1/units/{unit_id}/history", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::unit_history(db, request.params.at("unit_id"), caller));
              });

    add_route(service, "GET", "/api/v1/units/{unit_id}/prices", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::unit_prices(db, request.params.at("unit_id"), caller));
              });

    add_route(service, "POST", "/api/v1/units:release", "unit.release",
              release_handler(db, domain::UnitAction::release, "release batch"));
    add_route(service, "POST", "/api/v1/units:withdraw", "unit.release",
              release_handler(db, domain::UnitAction::withdraw, "withdrawn from sale"));

    add_route(service, "POST", "/api/v1/units/{unit_id}/reservation", "unit.reserve",
              [&db, &clock](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "", {"reason", "expires_at"});
                  const auto reason = f.text("reason", 200);
                  const auto expires_at = f.time("expires_at");
                  return Response::json(
                      200, app::reserve_unit(db, request.params.at("unit_id"), caller, reason,
                                             expires_at, clock.now()));
              });

    add_route(service, "DELETE", "/api/v1/units/{unit_id}/reservation", "unit.reserve",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::cancel_reservation(db, request.params.at("unit_id"), caller));
              });

    add_route(service, "GET", "/api/v1/buildings/{building_id}/board", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::building_board(db, request.params.at("building_id"), caller));
              });

    add_route(service, "GET", "/api/v1/projects/{project_id}/board", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::project_board(db, request.params.at("project_id"), caller));
              });
}

}  // namespace inventory::adapters
