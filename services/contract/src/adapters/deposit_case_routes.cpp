// /api/v1/deposit-cases (CON-1, FIN-3): the operator list of deposits contract could not settle
// by itself, read by sales control and resolved after the refund or the swap was made.
#include "adapters/http_routes.hpp"
#include "app/deposits.hpp"
#include "sales/input.hpp"

namespace contract::adapters {
namespace {
using sales::Principal;
using namespace sales::http;

// 现场销控, the sales manager and the general manager (admin has every permission).
const std::vector<std::string> kDepositCases = {"deposit_case.manage"};

app::DepositCaseFilter parse_filter(const sales::service::Query& q) {
    app::DepositCaseFilter filter;
    filter.state = q.text("state", 16);
    if (filter.state && *filter.state != "open" && *filter.state != "resolved")
        q.invalid("state", "must be one of open, resolved");
    filter.project_id = q.uuid("project_id");
    filter.limit = q.integer("limit", 50, 1, 500);
    filter.offset = q.integer("offset", 0, 0, 1'000'000);
    return filter;
}

}  // namespace

void add_deposit_case_routes(sales::service::Service& service, const app::Context& ctx) {
    service.route("GET", "/api/v1/deposit-cases", kDepositCases,
                  [&ctx](Request& request, const Principal& caller) {
                      const auto filter = sales::service::read_query(
                          request, {"state", "project_id", "limit", "offset"}, parse_filter);
                      nlohmann::json items = nlohmann::json::array();
                      for (auto& c : app::list_deposit_cases(ctx, caller, filter))
                          items.push_back(std::move(c));
                      return Response::json(
                          200,
                          {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}});
                  });
    service.route(
        "POST", "/api/v1/deposit-cases/{id}/resolve", kDepositCases,
        [&ctx](Request& request, const Principal& caller) {
            const sales::service::Body body(request, {"resolution"});
            auto resolution = body.text("resolution", kMaxReasonLength);
            body.check();
            return Response::json(
                200, app::resolve_deposit_case(ctx, caller, request.params.at("id"), resolution));
        });
}

}  // namespace contract::adapters
