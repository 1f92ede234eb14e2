#include "adapters/http_routes.hpp"
#include "app/boards.hpp"
#include "app/sales_control.hpp"
#include "app/units.hpp"

namespace inventory::adapters {
namespace {

domain::UnitTemplate template_of(const Body& t) {
    const auto floors = t.object("floors", {"from", "to"});
    return {.position = t.integer("position", kAnyMin, kAnyMax),
            .floor_from = floors.integer("from", kAnyMin, kAnyMax),
            .floor_to = floors.integer("to", kAnyMin, kAnyMax),
            .layout = t.text("layout", 20),
            .orientation = t.text("orientation", 20),
            .decoration = t.text("decoration", 20),
            .internal_area_centi_m2 = t.integer("internal_area_centi_m2", kAnyMin, kAnyMax),
            .shared_area_centi_m2 = t.integer("shared_area_centi_m2", kAnyMin, kAnyMax),
            .gross_area_centi_m2 = t.opt_integer("gross_area_centi_m2", kAnyMin, kAnyMax),
            .list_unit_price_fen_per_m2 = t.integer("list_unit_price_fen_per_m2", kAnyMin, kAnyMax),
            .floor_price_step_fen_per_m2 =
                t.opt_integer("floor_price_step_fen_per_m2", kAnyMin, kAnyMax).value_or(0)};
}

std::vector<domain::UnitTemplate> templates_of(const Body& b) {
    std::vector<domain::UnitTemplate> out;
    for (const auto& t :
         b.objects("templates", domain::kMaxPosition,
                   {"position", "floors", "layout", "orientation", "decoration",
                    "internal_area_centi_m2", "shared_area_centi_m2", "gross_area_centi_m2",
                    "list_unit_price_fen_per_m2", "floor_price_step_fen_per_m2"}))
        out.push_back(template_of(t));
    return out;
}

// PATCH: at least one field.
domain::UnitEdit edit_of(const Body& b) {
    domain::UnitEdit e{b.opt_text("layout", 20),
                       b.opt_text("orientation", 20),
                       b.opt_text("decoration", 20),
                       b.opt_integer("internal_area_centi_m2", kAnyMin, kAnyMax),
                       b.opt_integer("shared_area_centi_m2", kAnyMin, kAnyMax),
                       b.opt_integer("list_unit_price_fen_per_m2", kAnyMin, kAnyMax)};
    if (e.empty())
        b.invalid("body", "name a field to change");
    return e;
}

// Body {building_id} or {unit_ids: [...]}, exactly one, plus an optional reason.
Handler release_handler(sales::db::Pool& db, domain::UnitAction action,
                        const std::string& default_reason) {
    return [&db, action, default_reason](Request& request, const Principal& caller) {
        struct Command {
            app::UnitSelection selection;
            std::string reason;
        };
        const auto command = sales::service::read_body(
            request, {"building_id", "unit_ids", "reason"}, [&](const Body& b) {
                Command c{{b.opt_uuid("building_id"), {}},
                          b.opt_text("reason", 200).value_or(default_reason)};
                if (b.has("building_id") == b.has("unit_ids"))
                    b.invalid("body", "give either building_id or unit_ids, not both");
                else if (b.has("unit_ids"))
                    c.selection.unit_ids = b.uuids("unit_ids", domain::kMaxUnitsPerRequest);
                return c;
            });
        return Response::json(
            200, app::release_or_withdraw(db, caller, command.selection, action, command.reason));
    };
}

// GET of one resource by its path id.
template <class F>
Handler read(sales::db::Pool& db, const char* id, F use_case) {
    return [&db, id, use_case](Request& request, const Principal& caller) {
        return Response::json(200, use_case(db, request.params.at(id), caller));
    };
}
}  // namespace

void add_unit_routes(sales::service::Service& service) {
    auto& db = service.db();
    const auto& clock = service.clock();

    // A compact body for a whole building: one template per position with its floor range.
    service.route(
        "POST", "/api/v1/buildings/{building_id}/units:bulk", {"unit.manage"},
        [&db](Request& request, const Principal& caller) {
            const auto templates = sales::service::read_body(request, {"templates"}, templates_of);
            return Response::json(
                201, app::create_units(db, request.params.at("building_id"), caller, templates));
        });

    service.route("GET", "/api/v1/units/{unit_id}", {"unit.read"},
                  read(db, "unit_id", app::get_unit));

    service.route("PATCH", "/api/v1/units/{unit_id}", {"unit.manage"},
                  [&db](Request& request, const Principal& caller) {
                      const auto edit = sales::service::read_body(
                          request,
                          {"layout", "orientation", "decoration", "internal_area_centi_m2",
                           "shared_area_centi_m2", "list_unit_price_fen_per_m2"},
                          edit_of);
                      return Response::json(
                          200, app::edit_unit(db, request.params.at("unit_id"), caller, edit));
                  });

    service.route("GET", "/api/v1/units/{unit_id}/history", {"unit.read"},
                  read(db, "unit_id", app::unit_history));
    service.route("GET", "/api/v1/units/{unit_id}/prices", {"unit.read"},
                  read(db, "unit_id", app::unit_prices));

    service.route("POST", "/api/v1/units:release", {"unit.release"},
                  release_handler(db, domain::UnitAction::release, "release batch"));
    service.route("POST", "/api/v1/units:withdraw", {"unit.release"},
                  release_handler(db, domain::UnitAction::withdraw, "withdrawn from sale"));

    service.route(
        "POST", "/api/v1/units/{unit_id}/reservation", {"unit.reserve"},
        [&db, &clock](Request& request, const Principal& caller) {
            const auto [reason, expires_at] =
                sales::service::read_body(request, {"reason", "expires_at"}, [](const Body& b) {
                    return std::pair{b.text("reason", 200), b.time("expires_at")};
                });
            return Response::json(200, app::reserve_unit(db, request.params.at("unit_id"), caller,
                                                         reason, expires_at, clock.now()));
        });
    service.route("DELETE", "/api/v1/units/{unit_id}/reservation", {"unit.reserve"},
                  read(db, "unit_id", app::cancel_reservation));

    service.route("GET", "/api/v1/buildings/{building_id}/board", {"unit.read"},
                  read(db, "building_id", app::building_board));
    service.route("GET", "/api/v1/projects/{project_id}/board", {"unit.read"},
                  [&db, boards = std::make_shared<app::BoardCache>()](Request& request,
                                                                      const Principal& caller) {
                      // JSON serialised and compressed once per change of the project
                      const auto board =
                          boards->project_board(db, request.params.at("project_id"), caller);
                      Response response;
                      response.headers["Vary"] = "Accept-Encoding";
                      if (sales::http::accepts_gzip(request)) {
                          response.headers["Content-Encoding"] = "gzip";
                          response.body = board->gzipped;
                      } else {
                          response.body = board->body;
                      }
                      return response;
                  });
}

}  // namespace inventory::adapters
