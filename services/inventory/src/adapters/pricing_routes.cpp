#include "adapters/http_routes.hpp"
#include "adapters/request.hpp"
#include "app/pricing.hpp"

namespace inventory::adapters {
namespace {
using sales::http::Request;
using sales::http::Response;

Handler decide_handler(sales::db::Pool& db, domain::ChangeDecision decision) {
    return [&db, decision](Request& request, const app::Caller& caller) {
        const auto body = body_or_empty(request);
        const Fields f(body, "", {"note"});
        return Response::json(200, app::decide_change_request(db, request.params.at("id"), caller,
                                                              decision, f.opt_text("note", 500)));
    };
}
}  // namespace

void add_pricing_routes(sales::service::Service& service) {
    auto& db = service.db();

    add_route(
        service, "POST", "/api/v1/projects/{project_id}/price-lists", "price_list.manage",
        [&db](Request& request, const app::Caller& caller) {
            const auto body = request.json();
            const Fields f(body, "", {"name", "items"});
            const auto name = f.text("name", 100);
            const auto& items = f.array("items", domain::kMaxPriceListItems);
            std::vector<domain::PriceListItem> parsed;
            for (std::size_t i = 0; i < items.size(); ++i) {
                const Fields item(items[i], "items[" + std::to_string(i) + "]",
                                  {"unit_id", "unit_price_fen_per_m2"});
                parsed.push_back({item.text("unit_id", 36), item.integer("unit_price_fen_per_m2")});
            }
            return Response::json(201, app::create_price_list(db, request.params.at("project_id"),
                                                              caller, name, parsed));
        });

    add_route(service, "GET", "/api/v1/price-lists/{id}", "unit.read",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::get_price_list(db, request.params.at("id"), caller));
              });

    add_route(service, "POST", "/api/v1/price-lists/{id}/approve", "price_list.approve",
              [&db](Request& request, const app::Caller& caller) {
                  return Response::json(
                      200, app::approve_price_list(db, request.params.at("id"), caller));
              });

    // INV-2: after the lock, prices and areas change only through these.
    add_route(service, "POST", "/api/v1/units/{unit_id}/change-requests", "unit.manage",
              [&db](Request& request, const app::Caller& caller) {
                  const auto body = request.json();
                  const Fields f(body, "",
                                 {"reason", "list_unit_price_fen_per_m2", "internal_area_centi_m2",
                                  "shared_area_centi_m2"});
                  domain::UnitEdit edit;
                  edit.list_unit_price_fen_per_m2 = f.opt_integer("list_unit_price_fen_per_m2");
                  edit.internal_area_centi_m2 = f.opt_integer("internal_area_centi_m2");
                  edit.shared_area_centi_m2 = f.opt_integer("shared_area_centi_m2");
                  const auto reason = f.text("reason", 200);
                  return Response::json(
                      201, app::create_change_request(db, request.params.at("unit_id"), caller,
                                                      edit, reason));
              });

    add_route(service, "POST", "/api/v1/change-requests/{id}/approve", "change_request.approve",
              decide_handler(db, domain::ChangeDecision::approve));
    add_route(service, "POST", "/api/v1/change-requests/{id}/reject", "change_request.approve",
              decide_handler(db, domain::ChangeDecision::reject));
}

}  // namespace inventory::adapters
