// CON-11 referral points 会员积分: the cashier confirms, finance redeems, both read.
#include "adapters/routes.hpp"
#include "app/referrals.hpp"
#include "sales/input.hpp"

namespace finance::adapters {
namespace {
using namespace sales::http;
using namespace sales::service;

const std::vector<std::string> kReferralReaders = {
    "payment.collect", "finance.reconcile", "referral.confirm", "referral.redeem", "report.read"};

}  // namespace

void add_referral_routes(sales::service::Service& service, const app::Context& ctx) {
    service.route(
        "GET", "/api/v1/referrals", kReferralReaders,
        [&ctx](Request& request, const sales::Principal& caller) {
            const Query query(request, {"project_id", "status"});
            const auto project_id = query.required_uuid("project_id");
            const auto status =
                query.enumeration("status", domain::parse_referral_status,
                                  sales::enum_names<domain::ReferralStatus>().list());
            query.check();
            return Response::json(
                200, app::list_referrals(
                         ctx, caller, project_id,
                         status ? std::optional<std::string>(to_string(*status)) : std::nullopt));
        });

    // seed 003 §3.10.2: the cashier confirms the application the sales manager approved.
    service.route("POST", "/api/v1/referrals/{id}/confirm", {"referral.confirm"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto body = Body::optional(request, {"note"});
                      const auto note = body.opt_text("note", 500);
                      body.check();
                      return Response::json(
                          200, app::confirm_referral(ctx, caller, request.params.at("id"), note));
                  });

    service.route("GET", "/api/v1/referral-points", kReferralReaders,
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const Query query(request, {"project_id", "referrer_customer_id"});
                      const auto project_id = query.required_uuid("project_id");
                      const auto referrer = query.required_uuid("referrer_customer_id");
                      query.check();
                      return Response::json(200,
                                            app::member_points(ctx, caller, project_id, referrer));
                  });

    // seed 003 §3.10.3: 销售会计 redeems against a 会员积分兑换单.
    service.route("POST", "/api/v1/referral-points/redemptions", {"referral.redeem"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto in = read_body(
                          request,
                          {"project_id", "referrer_customer_id", "points", "voucher_no", "note"},
                          [](const Body& b) {
                              return app::RedemptionInput{
                                  b.uuid("project_id"), b.uuid("referrer_customer_id"),
                                  b.integer("points", 1, 1'000'000'000'000),
                                  b.text("voucher_no", 64), b.opt_text("note", 500)};
                          });
                      return Response::json(201, app::redeem_points(ctx, caller, in));
                  });

    // A wrong redemption is reversed (红冲) with a reason, never edited or deleted.
    service.route("POST", "/api/v1/referral-points/entries/{id}/reverse", {"referral.redeem"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const Body body(request, {"reason"});
                      const auto reason = body.text("reason", 500);
                      body.check();
                      return Response::json(201, app::reverse_redemption(
                                                     ctx, caller, request.params.at("id"), reason));
                  });
}

}  // namespace finance::adapters
