// GET /api/v1/contracts (contract search 合同查询) and GET /api/v1/contracts/awaiting-registration
// (CON-7): read by whoever reads contracts.
#include "adapters/http_routes.hpp"
#include "app/contract_search.hpp"
#include "domain/registration.hpp"

namespace contract::adapters {
namespace {
using sales::Principal;
using namespace sales::http;
using namespace sales::service;

const std::vector<std::string> kContractReaders = {"subscription.read", "handover.manage"};

app::ContractSearch read_search(const Query& q) {
    app::ContractSearch f;
    f.project_id = q.uuid("project_id");
    f.building_id = q.uuid("building_id");
    if (const auto text = q.text("status", 200)) {
        std::string problem;
        if (const auto statuses = domain::parse_status_list(*text, problem)) {
            for (const auto s : *statuses)
                f.statuses.emplace_back(domain::to_string(s));
        } else {
            q.invalid("status", problem);
        }
    }
    // Signing days in Asia/Shanghai, both inclusive.
    const auto range = q.date_range("signed_from", "signed_to");
    if (range.from)
        f.signed_from = sales::to_rfc3339(sales::shanghai_midnight(*range.from));
    if (range.to) {
        const sales::Date next{std::chrono::sys_days{*range.to} + std::chrono::days(1)};
        f.signed_before = sales::to_rfc3339(sales::shanghai_midnight(next));
    }
    f.rep_id = q.text("rep_id", 64);
    if (const auto plan = q.enumeration("payment_plan", domain::parse_payment_plan,
                                        sales::enum_names<domain::PaymentPlan>().list()))
        f.payment_plan = std::string(domain::to_string(*plan));
    f.customer_id = q.uuid("customer_id");
    if (const auto prefix = q.text("contract_no", 32))
        f.contract_no_pattern = domain::prefix_pattern(*prefix);
    if (const auto state = q.enumeration("handover_state", domain::parse_handover_state,
                                         sales::enum_names<domain::HandoverState>().list()))
        f.handover_state = std::string(domain::to_string(*state));
    f.limit = q.integer("limit", 50, 1, 200);
    f.offset = q.integer("offset", 0, 0, 1'000'000);
    return f;
}

}  // namespace

void add_contract_search_routes(sales::service::Service& service, const app::Context& ctx) {
    service.route("GET", "/api/v1/contracts", kContractReaders,
                  [&ctx](Request& request, const Principal& caller) {
                      const auto filter =
                          read_query(request,
                                     {"project_id", "building_id", "status", "signed_from",
                                      "signed_to", "rep_id", "payment_plan", "customer_id",
                                      "contract_no", "handover_state", "limit", "offset"},
                                     read_search);
                      return Response::json(200, app::search_contracts(ctx, caller, filter));
                  });

    // CON-7: stamped, awaiting registration; `overdue=true` keeps only the overdue ones.
    service.route(
        "GET", "/api/v1/contracts/awaiting-registration", kContractReaders,
        [&ctx](Request& request, const Principal& caller) {
            const auto filter = read_query(request, {"project_id", "overdue", "limit", "offset"},
                                           [](const Query& q) {
                                               app::AwaitingRegistrationFilter f;
                                               f.project_id = q.uuid("project_id");
                                               f.overdue_only = q.boolean("overdue", false);
                                               f.limit = q.integer("limit", 100, 1, 500);
                                               f.offset = q.integer("offset", 0, 0, 1'000'000);
                                               return f;
                                           });
            return Response::json(200, app::list_awaiting_registration(ctx, caller, filter));
        });
}

}  // namespace contract::adapters
