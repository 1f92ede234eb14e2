#include "adapters/http_routes.hpp"
#include "app/title_areas.hpp"

namespace inventory::adapters {
namespace {

// A body {note}: required to reject, optional to approve.
Handler decide_survey_handler(sales::db::Pool& db, domain::SurveyDecision decision) {
    return [&db, decision](Request& request, const Principal& caller) {
        const auto body = Body::optional(request, {"note"});
        const auto note = decision == domain::SurveyDecision::reject
                              ? std::optional<std::string>(body.text("note", 500))
                              : body.opt_text("note", 500);
        body.check();
        return Response::json(200, app::decide_title_area_survey(db, request.params.at("id"),
                                                                 caller, decision, note));
    };
}
}  // namespace

void add_title_area_routes(sales::service::Service& service) {
    auto& db = service.db();

    service.route(
        "POST", "/api/v1/buildings/{building_id}/title-area-surveys", {"title.manage"},
        [&db](Request& request, const Principal& caller) {
            const auto [note, items] =
                sales::service::read_body(request, {"note", "items"}, [](const Body& b) {
                    std::vector<domain::TitleAreaItem> parsed;
                    for (const auto& item :
                         b.objects("items", domain::kMaxTitleAreaItems,
                                   {"unit_id", "gross_area_centi_m2", "internal_area_centi_m2"})) {
                        parsed.push_back(
                            {item.text("unit_id", 36),
                             item.integer("gross_area_centi_m2", kAnyMin, kAnyMax),
                             item.integer("internal_area_centi_m2", kAnyMin, kAnyMax)});
                    }
                    return std::pair{b.text("note", 500), std::move(parsed)};
                });
            return Response::json(201, app::record_title_areas(db, request.params.at("building_id"),
                                                               caller, note, items));
        });

    service.route("GET", "/api/v1/buildings/{building_id}/title-area-surveys", {"unit.read"},
                  [&db](Request& request, const Principal& caller) {
                      return Response::json(200, app::list_title_area_surveys(
                                                     db, request.params.at("building_id"), caller));
                  });

    service.route("GET", "/api/v1/title-area-surveys/{id}", {"unit.read"},
                  [&db](Request& request, const Principal& caller) {
                      return Response::json(
                          200, app::get_title_area_survey(db, request.params.at("id"), caller));
                  });

    service.route("POST", "/api/v1/title-area-surveys/{id}/approve", {"title.approve"},
                  decide_survey_handler(db, domain::SurveyDecision::approve));
    service.route("POST", "/api/v1/title-area-surveys/{id}/reject", {"title.approve"},
                  decide_survey_handler(db, domain::SurveyDecision::reject));
}

}  // namespace inventory::adapters
