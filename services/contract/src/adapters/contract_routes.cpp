// Contract routes (CON-3 … CON-9). Handlers check the permission and the body's JSON types;
// the rules are the domain's, applied by app/contracts.cpp.
#include <set>

#include "adapters/http_routes.hpp"
#include "adapters/route_support.hpp"
#include "app/contracts.hpp"
#include "sales/ids.hpp"

namespace contract::adapters {
namespace {
using nlohmann::json;
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;
using sales::service::query_integer;
using sales::service::reject_unknown_fields;
using sales::service::required_integer;
using sales::service::required_string;

// Contracts are read by every role that reads deals, and by the handover clerks.
void require_read(const Request& request) {
    if (!sales::auth::allowed(request.caller(), "subscription.read") &&
        !sales::auth::allowed(request.caller(), "handover.manage")) {
        require(request, "subscription.read");
    }
}

json checked_body(const Request& request, const std::vector<std::string>& fields) {
    const auto body = request.json();
    reject_unknown_fields(body, fields);
    return body;
}

[[noreturn]] void contract_not_found(const std::string& id) {
    throw HttpError(404, "contract_not_found", "no contract with id " + id, {{"contract_id", id}});
}

struct ApprovalRoute {
    domain::ApprovalKind kind;
    std::string path;                // "/api/v1/discount-slips"
    std::string request_permission;  // who asks
    std::string decide_permission;   // the GM
};

void add_approval_routes(sales::service::Service& service, const app::Context& ctx,
                         const ApprovalRoute& route) {
    const bool on_contract = route.kind == domain::ApprovalKind::early_handover;
    const bool with_discount = route.kind == domain::ApprovalKind::discount_slip;
    service.route("POST", route.path, [&ctx, route, on_contract, with_discount](Request& request) {
        require(request, route.request_permission);
        std::vector<std::string> fields = {on_contract ? "contract_id" : "subscription_id",
                                           "reason"};
        if (with_discount)
            fields.push_back("discount_fen");
        const auto body = checked_body(request, fields);
        const auto subject = required_string(body, fields.front(), 64);
        const auto reason = required_string(body, "reason", kMaxReasonLength);
        std::optional<std::int64_t> discount;
        if (with_discount)
            discount = required_integer(body, "discount_fen", 0, kMaxMoneyFen);
        return translated([&] {
            auto r = Response::json(201, app::request_approval(ctx, request.caller(), route.kind,
                                                               subject, discount, reason));
            return r;
        });
    });
    service.route("GET", route.path + "/{id}", [&ctx, route](Request& request) {
        require_read(request);
        const auto& id = request.params.at("id");
        const auto found = app::find_approval(ctx, request.caller(), route.kind, id);
        if (!found) {
            throw HttpError(404, "approval_not_found", "no approval with id " + id,
                            {{"approval_id", id}});
        }
        return Response::json(200, *found);
    });
    for (const bool approve : {true, false}) {
        service.route("POST", route.path + "/{id}/" + (approve ? "approve" : "reject"),
                      [&ctx, route, approve](Request& request) {
                          require(request, route.decide_permission);
                          const auto body = checked_body(request, {"note"});
                          const auto note = required_string(body, "note", kMaxReasonLength);
                          return translated([&] {
                              return Response::json(
                                  200,
                                  app::decide_approval(ctx, request.caller(), route.kind,
                                                       request.params.at("id"), approve, note));
                          });
                      });
    }
}

std::optional<domain::Plan> plan_of(const json& body, const app::Context& ctx) {
    if (!body.contains("plan"))
        return std::nullopt;
    std::vector<domain::FieldProblem> problems;
    const auto plan =
        domain::parse_plan(body["plan"], sales::shanghai_date(ctx.clock.now()), problems);
    if (!plan)
        invalid(problems.front().field, problems.front().problem);
    return plan;
}

}  // namespace

void add_contract_routes(sales::service::Service& service, const app::Context& ctx) {
    // CON-3 signing.
    service.route("POST", "/api/v1/subscriptions/{id}/sign", [&ctx](Request& request) {
        require(request, "contract.sign");
        const auto body =
            checked_body(request, {"plan", "discount_slip_id", "late_signing_approval_id"});
        if (!body.contains("plan"))
            invalid("plan", "is required");
        app::SignInput input{body["plan"], optional_string(body, "discount_slip_id", 64),
                             optional_string(body, "late_signing_approval_id", 64)};
        return translated([&] {
            const auto contract =
                app::sign_contract(ctx, request.caller(), request.params.at("id"), input);
            auto response = Response::json(201, contract);
            response.headers["Location"] = "/api/v1/contracts/" + contract["id"].get<std::string>();
            return response;
        });
    });

    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::discount_slip, "/api/v1/discount-slips",
                         "approval.request", "contract.approve_discount"});
    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::late_signing, "/api/v1/late-signing-approvals",
                         "approval.request", "contract.approve_late"});
    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::early_handover, "/api/v1/early-handover-approvals",
                         "handover.manage", "handover.approve_early"});

    service.route("GET", "/api/v1/contracts/{id}", [&ctx](Request& request) {
        require_read(request);
        const auto& id = request.params.at("id");
        const auto found = app::find_contract(ctx, request.caller(), id);
        if (!found)
            contract_not_found(id);
        return Response::json(200, *found);
    });

    // CON-4: audit (sales) and review (finance): the permission, then the step's role.
    for (const bool approve : {true, false}) {
        service.route(
            "POST", std::string("/api/v1/contracts/{id}/audit/") + (approve ? "approve" : "reject"),
            [&ctx, approve](Request& request) {
                if (!sales::auth::allowed(request.caller(), "contract.review"))
                    require(request, "contract.audit");
                const auto body = checked_body(request, {"note"});
                const auto note = required_string(body, "note", kMaxReasonLength);
                return translated([&] {
                    return Response::json(
                        200, app::decide_contract_audit(ctx, request.caller(),
                                                        request.params.at("id"), approve, note));
                });
            });
        service.route(
            "POST",
            std::string("/api/v1/amendments/{id}/audit/") + (approve ? "approve" : "reject"),
            [&ctx, approve](Request& request) {
                if (!sales::auth::allowed(request.caller(), "contract.review"))
                    require(request, "contract.audit");
                const auto body = checked_body(request, {"note"});
                const auto note = required_string(body, "note", kMaxReasonLength);
                return translated([&] {
                    return Response::json(
                        200, app::decide_amendment_audit(ctx, request.caller(),
                                                         request.params.at("id"), approve, note));
                });
            });
    }
    service.route("POST", "/api/v1/contracts/{id}/resubmit", [&ctx](Request& request) {
        require(request, "contract.sign");
        const auto body = checked_body(request, {"note"});
        const auto note = required_string(body, "note", kMaxReasonLength);
        return translated([&] {
            return Response::json(
                200, app::resubmit_contract(ctx, request.caller(), request.params.at("id"), note));
        });
    });
    service.route("POST", "/api/v1/contracts/{id}/stamp", [&ctx](Request& request) {
        require(request, "contract.stamp");
        const auto body = checked_body(request, {"stamped_on", "stamp_no"});
        const auto stamped_on = required_string(body, "stamped_on", 10);
        const auto stamp_no = required_string(body, "stamp_no", 64);
        return translated([&] {
            return Response::json(
                200, app::stamp_contract(ctx, request.caller(), request.params.at("id"), stamped_on,
                                         stamp_no));
        });
    });
    service.route("POST", "/api/v1/contracts/{id}/registration", [&ctx](Request& request) {
        require(request, "contract.register");
        const auto body =
            checked_body(request, {"filed_at", "registration_date", "registration_no"});
        const auto filed_at = required_string(body, "filed_at", 40);
        const auto date = required_string(body, "registration_date", 10);
        const auto number = required_string(body, "registration_no", 64);
        return translated([&] {
            return Response::json(
                200, app::register_contract(ctx, request.caller(), request.params.at("id"),
                                            filed_at, date, number));
        });
    });

    // CON-5 amendments.
    service.route("POST", "/api/v1/contracts/{id}/amendments", [&ctx](Request& request) {
        require(request, "contract.amend");
        const auto body = checked_body(request, {"customer_id", "discount_fen", "plan", "reason"});
        domain::AmendmentChange change;
        change.customer_id = optional_string(body, "customer_id", 64);
        if (body.contains("discount_fen"))
            change.discount_fen = required_integer(body, "discount_fen", 0, kMaxMoneyFen);
        change.plan = plan_of(body, ctx);
        const auto reason = required_string(body, "reason", kMaxReasonLength);
        return translated([&] {
            return Response::json(
                201, app::request_amendment(ctx, request.caller(), request.params.at("id"), change,
                                            reason));
        });
    });

    // CON-6 cancellation after review: a refund request the finance director decides.
    service.route("POST", "/api/v1/contracts/{id}/cancellation", [&ctx](Request& request) {
        require(request, "refund.request");
        const auto body = checked_body(request, {"refund_fen", "reason"});
        const auto refund = required_integer(body, "refund_fen", 0, kMaxMoneyFen);
        const auto reason = required_string(body, "reason", kMaxReasonLength);
        return translated([&] {
            return Response::json(
                200, app::request_contract_cancellation(ctx, request.caller(),
                                                        request.params.at("id"), refund, reason));
        });
    });
    for (const bool approve : {true, false}) {
        service.route(
            "POST",
            std::string("/api/v1/contracts/{id}/cancellation/") + (approve ? "approve" : "reject"),
            [&ctx, approve](Request& request) {
                require(request, "refund.approve");
                const auto body = checked_body(request, {"note"});
                const auto note = required_string(body, "note", kMaxReasonLength);
                return translated([&] {
                    return Response::json(
                        200, app::decide_contract_cancellation(
                                 ctx, request.caller(), request.params.at("id"), approve, note));
                });
            });
    }

    // CON-9 handover.
    service.route("POST", "/api/v1/contracts/{id}/handover", [&ctx](Request& request) {
        require(request, "handover.manage");
        const auto body = checked_body(request, {"notice_date", "handed_over_on", "confirmed_by"});
        const auto notice = required_string(body, "notice_date", 10);
        const auto actual = required_string(body, "handed_over_on", 10);
        const auto confirmed_by = required_string(body, "confirmed_by", 64);
        return translated([&] {
            return Response::json(
                200, app::hand_over(ctx, request.caller(), request.params.at("id"), notice, actual,
                                    confirmed_by));
        });
    });

    // Lists.
    for (const char* list :
         {"handover-eligible", "early-handover", "handed-over", "awaiting-audit"}) {
        service.route(
            "GET", std::string("/api/v1/contracts/") + list, [&ctx, list](Request& request) {
                require_read(request);
                static const std::set<std::string> known = {"project_id", "overdue", "limit",
                                                            "offset"};
                for (const auto& [name, value] : request.query) {
                    if (!known.contains(name))
                        invalid(name, "is not a known filter");
                }
                app::ContractListFilter filter;
                if (const auto it = request.query.find("project_id"); it != request.query.end()) {
                    if (!sales::is_uuid(it->second))
                        invalid("project_id", "must be a UUID");
                    filter.project_id = it->second;
                }
                if (const auto it = request.query.find("overdue"); it != request.query.end()) {
                    if (it->second != "true" && it->second != "false")
                        invalid("overdue", "must be true or false");
                    filter.overdue_only = it->second == "true";
                }
                filter.limit = query_integer(request, "limit", 100, 1, 500);
                filter.offset = query_integer(request, "offset", 0, 0, 1'000'000);
                return Response::json(
                    200, {{"items", app::list_contracts(ctx, request.caller(), list, filter)},
                          {"limit", filter.limit},
                          {"offset", filter.offset}});
            });
    }

    // Per-project contract settings (CON-3, CON-4, FIN-5).
    service.route("PATCH", "/api/v1/projects/{id}/contract-settings", [&ctx](Request& request) {
        require(request, "contract.settings");
        const auto body = checked_body(request, {"max_standard_discount_bp", "penalty_bp_per_day",
                                                 "audit_deadline_working_days"});
        app::ContractSettingsChange change;
        if (body.contains("max_standard_discount_bp"))
            change.max_standard_discount_bp =
                required_integer(body, "max_standard_discount_bp", 0, 10'000);
        if (body.contains("penalty_bp_per_day"))
            change.penalty_bp_per_day = required_integer(body, "penalty_bp_per_day", 0, 1'000);
        if (body.contains("audit_deadline_working_days"))
            change.audit_deadline_working_days =
                required_integer(body, "audit_deadline_working_days", 1, 30);
        if (!change.max_standard_discount_bp && !change.penalty_bp_per_day &&
            !change.audit_deadline_working_days)
            invalid("body", "must name at least one setting");
        return translated([&] {
            return Response::json(200, app::change_contract_settings(
                                           ctx, request.caller(), request.params.at("id"), change));
        });
    });
}

}  // namespace contract::adapters
