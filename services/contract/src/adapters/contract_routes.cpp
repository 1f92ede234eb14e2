// Contract routes (CON-3 … CON-9): handlers read the request (sales/input.hpp) and call the use
// cases of app/contracts.hpp, which apply the domain's rules.
#include "adapters/http_routes.hpp"
#include "app/contracts.hpp"

namespace contract::adapters {
namespace {
using nlohmann::json;
using sales::Principal;
using namespace sales::http;
using namespace sales::service;

// Contracts are read by every role that reads deals, and by the handover clerks.
const std::vector<std::string> kRead = {"subscription.read", "handover.manage"};
// CON-4: audit (sales) and review (finance); the step's role is the domain's check.
const std::vector<std::string> kAudit = {"contract.review", "contract.audit"};

// A payment plan read against today (CON-3: no date in the past); problems go to the body's.
std::optional<domain::Plan> read_plan(const Body& b, sales::Date today) {
    if (!b.has("plan"))
        return std::nullopt;
    std::vector<domain::FieldProblem> problems;
    auto plan = domain::parse_plan(b.value("plan"), today, problems);
    for (const auto& p : problems)
        b.invalid(p.field, p.problem);
    return plan;
}

// POST <path>/{id}/approve|reject with {"note"}: `decide(caller, id, approve, note)`.
template <class Decide>
void add_decisions(sales::service::Service& service, const std::string& path,
                   std::vector<std::string> permissions, Decide decide) {
    for (const bool approve : {true, false}) {
        service.route("POST", path + (approve ? "approve" : "reject"), permissions,
                      [decide, approve](Request& request, const Principal& caller) {
                          const auto note = read_body(request, {"note"}, [](const Body& b) {
                              return b.text("note", kMaxReasonLength);
                          });
                          return Response::json(
                              200, decide(caller, request.params.at("id"), approve, note));
                      });
    }
}

// POST /api/v1/contracts/{id}/<verb> with a body of `fields`: `act(body, caller, id)` reads
// them, checks the body and returns the contract (200).
template <class Act>
void add_step(sales::service::Service& service, const std::string& verb,
              const std::string& permission, std::vector<std::string> fields, Act act) {
    service.route("POST", "/api/v1/contracts/{id}/" + verb, {permission},
                  [fields = std::move(fields), act](Request& request, const Principal& caller) {
                      const Body body(request, fields);
                      return Response::json(200, act(body, caller, request.params.at("id")));
                  });
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
    std::vector<std::string> fields = {on_contract ? "contract_id" : "subscription_id", "reason"};
    if (with_discount)
        fields.push_back("discount_fen");
    service.route(
        "POST", route.path, {route.request_permission},
        [&ctx, route, fields, with_discount](Request& request, const Principal& caller) {
            struct Ask {
                std::string subject;
                std::string reason;
                std::optional<std::int64_t> discount;
            };
            const auto ask = read_body(request, fields, [&](const Body& b) {
                return Ask{b.uuid(fields.front()), b.text("reason", kMaxReasonLength),
                           with_discount ? std::optional(b.integer("discount_fen", 0, kMaxFen))
                                         : std::nullopt};
            });
            return Response::json(201, app::request_approval(ctx, caller, route.kind, ask.subject,
                                                             ask.discount, ask.reason));
        });
    service.route("GET", route.path + "/{id}", kRead,
                  [&ctx, route](Request& request, const Principal& caller) {
                      return Response::json(200, app::find_approval(ctx, caller, route.kind,
                                                                    request.params.at("id")));
                  });
    add_decisions(service, route.path + "/{id}/", {route.decide_permission},
                  [&ctx, route](const Principal& caller, const std::string& id, bool approve,
                                const std::string& note) {
                      return app::decide_approval(ctx, caller, route.kind, id, approve, note);
                  });
}

void add_signing_and_audit_routes(sales::service::Service& service, const app::Context& ctx) {
    // CON-3 signing.
    service.route(
        "POST", "/api/v1/subscriptions/{id}/sign", {"contract.sign"},
        [&ctx](Request& request, const Principal& caller) {
            const auto input = read_body(
                request,
                {"plan", "discount_slip_id", "late_signing_approval_id", "referrer_customer_id"},
                [&](const Body& b) {
                    if (!b.has("plan"))
                        b.invalid("plan", "is required");
                    const auto plan = read_plan(b, ctx.today());
                    return app::SignInput{
                        plan.value_or(domain::Plan{}), b.opt_uuid("discount_slip_id"),
                        b.opt_uuid("late_signing_approval_id"), b.opt_uuid("referrer_customer_id")};
                });
            const auto contract = app::sign_contract(ctx, caller, request.params.at("id"), input);
            auto response = Response::json(201, contract);
            response.headers["Location"] = "/api/v1/contracts/" + contract["id"].get<std::string>();
            return response;
        });

    service.route(
        "GET", "/api/v1/contracts/{id}", kRead, [&ctx](Request& request, const Principal& caller) {
            return Response::json(200, app::find_contract(ctx, caller, request.params.at("id")));
        });

    // CON-4: audit (sales) and review (finance): the permission, then the step's role.
    add_decisions(service, "/api/v1/contracts/{id}/audit/", kAudit,
                  [&ctx](const Principal& caller, const std::string& id, bool approve,
                         const std::string& note) {
                      return app::decide_contract_audit(ctx, caller, id, approve, note);
                  });
    add_decisions(service, "/api/v1/amendments/{id}/audit/", kAudit,
                  [&ctx](const Principal& caller, const std::string& id, bool approve,
                         const std::string& note) {
                      return app::decide_amendment_audit(ctx, caller, id, approve, note);
                  });
    add_step(service, "resubmit", "contract.sign", {"note"},
             [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                 const auto note = b.text("note", kMaxReasonLength);
                 b.check();
                 return app::resubmit_contract(ctx, caller, id, note);
             });
    add_step(service, "stamp", "contract.stamp", {"stamped_on", "stamp_no"},
             [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                 const auto stamped_on = b.date("stamped_on");
                 const auto stamp_no = b.text("stamp_no", 64);
                 b.check();
                 return app::stamp_contract(ctx, caller, id, stamped_on, stamp_no);
             });
    add_step(service, "registration", "contract.register",
             {"filed_at", "registration_date", "registration_no"},
             [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                 const auto filed_at = b.time("filed_at");
                 const auto date = b.date("registration_date");
                 const auto number = b.text("registration_no", 64);
                 b.check();
                 return app::register_contract(ctx, caller, id, filed_at, date, number);
             });
}

void add_amendment_cancellation_handover_routes(sales::service::Service& service,
                                                const app::Context& ctx,
                                                std::chrono::milliseconds rpc_timeout) {
    auto* svc = &service;
    // CON-5 amendments; `new_unit_id`: a unit change after signing 换房 (held in inventory).
    service.route(
        "POST", "/api/v1/contracts/{id}/amendments", {"contract.amend"},
        [&ctx, svc, rpc_timeout](Request& request, const Principal& caller) {
            const Body b(request, {"customer_id", "discount_fen", "plan", "new_unit_id", "reason"});
            domain::AmendmentChange change;
            change.customer_id = b.opt_uuid("customer_id");
            change.discount_fen = b.opt_integer("discount_fen", 0, kMaxFen);
            change.plan = read_plan(b, ctx.today());
            const auto new_unit_id = b.opt_uuid("new_unit_id");
            const auto reason = b.text("reason", kMaxReasonLength);
            b.check();
            app::InventoryClient inventory(svc->nats(), rpc_timeout);
            return Response::json(
                201, app::request_amendment(ctx, inventory, caller, request.params.at("id"), change,
                                            new_unit_id, reason));
        });

    // CON-6 cancellation after review: a refund request the finance director decides.
    add_step(service, "cancellation", "refund.request", {"refund_fen", "reason"},
             [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                 const auto refund = b.integer("refund_fen", 0, kMaxFen);
                 const auto reason = b.text("reason", kMaxReasonLength);
                 b.check();
                 return app::request_contract_cancellation(ctx, caller, id, refund, reason);
             });
    add_decisions(service, "/api/v1/contracts/{id}/cancellation/", {"refund.approve"},
                  [&ctx, svc, rpc_timeout](const Principal& caller, const std::string& id,
                                           bool approve, const std::string& note) {
                      app::InventoryClient inventory(svc->nats(), rpc_timeout);
                      return app::decide_contract_cancellation(ctx, inventory, caller, id, approve,
                                                               note);
                  });

    // CON-10 area settlement steps (the settlement's contract decides the project scope).
    const auto settlement_step = [&service](const std::string& verb,
                                            std::vector<std::string> permissions,
                                            std::vector<std::string> fields, auto act) {
        service.route("POST", "/api/v1/area-settlements/{id}/" + verb, std::move(permissions),
                      [fields = std::move(fields), act](Request& request, const Principal& caller) {
                          const Body body(request, fields);
                          return Response::json(200, act(body, caller, request.params.at("id")));
                      });
    };
    settlement_step("choice", {"title.manage"}, {"choice", "paid_fen", "note"},
                    [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                        app::BuyerChoice choice;
                        const auto kind = b.text("choice", 16);
                        if (kind != "keep" && kind != "cancel" && !kind.empty())
                            b.invalid("choice", "must be keep or cancel");
                        choice.cancel = kind == "cancel";
                        if (choice.cancel)
                            choice.paid_fen = b.integer("paid_fen", 0, kMaxFen);
                        else if (b.present("paid_fen"))
                            b.invalid("paid_fen", "is only given when the buyer cancels");
                        choice.note = b.text("note", kMaxReasonLength);
                        b.check();
                        return app::record_buyer_choice(ctx, caller, id, choice);
                    });
    settlement_step("agreement", {"title.manage"},
                    {"agreement_no", "signed_on", "payment_due_date"},
                    [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                        app::Agreement a;
                        a.agreement_no = b.text("agreement_no", 64);
                        a.signed_on = b.date("signed_on");
                        a.payment_due_date = b.opt_date("payment_due_date");
                        if (b.has("signed_on") && a.signed_on > ctx.today())
                            b.invalid("signed_on", "must not be in the future");
                        b.check();
                        return app::record_agreement(ctx, caller, id, a);
                    });
    settlement_step("invoice", {"title.manage", "payment.collect"}, {"invoice_no", "invoice_date"},
                    [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                        const auto invoice_no = b.text("invoice_no", 64);
                        const auto invoice_date = b.date("invoice_date");
                        if (b.has("invoice_date") && invoice_date > ctx.today())
                            b.invalid("invoice_date", "must not be in the future");
                        b.check();
                        return app::record_invoice(ctx, caller, id, invoice_no, invoice_date);
                    });

    // CON-9 handover.
    add_step(service, "handover", "handover.manage", {"notice_date", "handed_over_on"},
             [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                 const auto notice = b.date("notice_date");
                 const auto actual = b.date("handed_over_on");
                 b.check();
                 return app::hand_over(ctx, caller, id, notice, actual);
             });
    // The supervisor confirms the recorded handover, or returns it with a note.
    add_decisions(service, "/api/v1/contracts/{id}/handover/", {"handover.confirm"},
                  [&ctx](const Principal& caller, const std::string& id, bool approve,
                         const std::string& note) {
                      return app::decide_handover(ctx, caller, id, approve, note);
                  });
}

}  // namespace

void add_contract_routes(sales::service::Service& service, const app::Context& ctx,
                         std::chrono::milliseconds rpc_timeout) {
    add_signing_and_audit_routes(service, ctx);
    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::discount_slip, "/api/v1/discount-slips",
                         "approval.request", "contract.approve_discount"});
    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::late_signing, "/api/v1/late-signing-approvals",
                         "approval.request", "contract.approve_late"});
    add_approval_routes(service, ctx,
                        {domain::ApprovalKind::early_handover, "/api/v1/early-handover-approvals",
                         "handover.manage", "handover.approve_early"});
    add_amendment_cancellation_handover_routes(service, ctx, rpc_timeout);

    // Lists.
    for (const char* list : {"handover-eligible", "early-handover", "handover-to-confirm",
                             "handed-over", "awaiting-audit"}) {
        service.route("GET", std::string("/api/v1/contracts/") + list, kRead,
                      [&ctx, list](Request& request, const Principal& caller) {
                          const auto filter = sales::service::read_query(
                              request, {"project_id", "overdue", "limit", "offset"},
                              [](const sales::service::Query& q) {
                                  app::ContractListFilter f;
                                  f.project_id = q.uuid("project_id");
                                  f.overdue_only = q.boolean("overdue", false);
                                  f.limit = q.integer("limit", 100, 1, 500);
                                  f.offset = q.integer("offset", 0, 0, 1'000'000);
                                  return f;
                              });
                          return Response::json(
                              200, {{"items", app::list_contracts(ctx, caller, list, filter)},
                                    {"limit", filter.limit},
                                    {"offset", filter.offset}});
                      });
    }

    // Per-project contract settings (CON-3, CON-4, CON-7, FIN-5, REG-1).
    service.route(
        "PATCH", "/api/v1/projects/{id}/contract-settings", {"contract.settings"},
        [&ctx](Request& request, const Principal& caller) {
            const auto change = read_body(
                request,
                {"max_standard_discount_bp", "penalty_bp_per_day", "audit_deadline_working_days",
                 "registration_deadline_working_days", "refund_interest_bp_per_year"},
                [](const Body& b) {
                    app::ContractSettingsChange c;
                    c.max_standard_discount_bp =
                        b.opt_integer("max_standard_discount_bp", 0, 10'000);
                    c.penalty_bp_per_day = b.opt_integer("penalty_bp_per_day", 0, 1'000);
                    c.audit_deadline_working_days =
                        b.opt_integer("audit_deadline_working_days", 1, 30);
                    c.registration_deadline_working_days =
                        b.opt_integer("registration_deadline_working_days", 1, 30);  // CON-7
                    c.refund_interest_bp_per_year =
                        b.opt_integer("refund_interest_bp_per_year", 0, 10'000);  // REG-1
                    if (!c.max_standard_discount_bp && !c.penalty_bp_per_day &&
                        !c.audit_deadline_working_days && !c.registration_deadline_working_days &&
                        !c.refund_interest_bp_per_year)
                        b.invalid("body", "must name at least one setting");
                    return c;
                });
            return Response::json(
                200, app::change_contract_settings(ctx, caller, request.params.at("id"), change));
        });
}

}  // namespace contract::adapters
