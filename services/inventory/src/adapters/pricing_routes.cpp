#include "adapters/http_routes.hpp"
#include "app/pricing.hpp"

namespace inventory::adapters {
namespace {

// An optional body {note}.
Handler decide_handler(sales::db::Pool& db, domain::ChangeDecision decision) {
    return [&db, decision](Request& request, const Principal& caller) {
        const auto body = Body::optional(request, {"note"});
        const auto note = body.opt_text("note", 500);
        body.check();
        return Response::json(
            200, app::decide_change_request(db, request.params.at("id"), caller, decision, note));
    };
}
}  // namespace

void add_pricing_routes(sales::service::Service& service) {
    auto& db = service.db();

    service.route(
        "POST", "/api/v1/projects/{project_id}/price-lists", {"price_list.manage"},
        [&db](Request& request, const Principal& caller) {
            const auto [name, items] =
                sales::service::read_body(request, {"name", "items"}, [](const Body& b) {
                    std::vector<domain::PriceListItem> parsed;
                    for (const auto& item : b.objects("items", domain::kMaxPriceListItems,
                                                      {"unit_id", "unit_price_fen_per_m2"})) {
                        parsed.push_back({item.text("unit_id", 36),
                                          item.integer("unit_price_fen_per_m2", kAnyMin, kAnyMax)});
                    }
                    return std::pair{b.text("name", 100), std::move(parsed)};
                });
            return Response::json(201, app::create_price_list(db, request.params.at("project_id"),
                                                              caller, name, items));
        });

    service.route("GET", "/api/v1/price-lists/{id}", {"unit.read"},
                  [&db](Request& request, const Principal& caller) {
                      return Response::json(
                          200, app::get_price_list(db, request.params.at("id"), caller));
                  });

    service.route("POST", "/api/v1/price-lists/{id}/approve", {"price_list.approve"},
                  [&db](Request& request, const Principal& caller) {
                      return Response::json(
                          200, app::approve_price_list(db, request.params.at("id"), caller));
                  });

    // INV-2: after the lock, prices and areas change only through these.
    service.route("POST", "/api/v1/units/{unit_id}/change-requests", {"unit.manage"},
                  [&db](Request& request, const Principal& caller) {
                      const auto [edit, reason] = sales::service::read_body(
                          request,
                          {"reason", "list_unit_price_fen_per_m2", "internal_area_centi_m2",
                           "shared_area_centi_m2"},
                          [](const Body& b) {
                              domain::UnitEdit e;
                              e.list_unit_price_fen_per_m2 =
                                  b.opt_integer("list_unit_price_fen_per_m2", kAnyMin, kAnyMax);
                              e.internal_area_centi_m2 =
                                  b.opt_integer("internal_area_centi_m2", kAnyMin, kAnyMax);
                              e.shared_area_centi_m2 =
                                  b.opt_integer("shared_area_centi_m2", kAnyMin, kAnyMax);
                              return std::pair{e, b.text("reason", 200)};
                          });
                      return Response::json(
                          201, app::create_change_request(db, request.params.at("unit_id"), caller,
                                                          edit, reason));
                  });

    service.route("POST", "/api/v1/change-requests/{id}/approve", {"change_request.approve"},
                  decide_handler(db, domain::ChangeDecision::approve));
    service.route("POST", "/api/v1/change-requests/{id}/reject", {"change_request.approve"},
                  decide_handler(db, domain::ChangeDecision::reject));
}

}  // namespace inventory::adapters
