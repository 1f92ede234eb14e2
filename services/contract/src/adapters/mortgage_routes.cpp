// The mortgage desk 按揭 routes (CON-8): handlers read the request (sales/input.hpp) and call the
// use cases of app/mortgages.hpp, which apply the domain's rules.
#include "adapters/http_routes.hpp"
#include "app/mortgages.hpp"

namespace contract::adapters {
namespace {
using nlohmann::json;
using sales::Principal;
using namespace sales::http;
using namespace sales::service;

// The mortgage clerk runs the desk; sales reps record documents (DOMAIN.md roles); managers and
// executives read the 按揭情况列表.
const std::vector<std::string> kMortgageRead = {"mortgage.manage", "mortgage.documents",
                                                "report.read"};
const std::vector<std::string> kMortgageManage = {"mortgage.manage"};
const std::vector<std::string> kMortgageDocuments = {"mortgage.manage", "mortgage.documents"};

// POST /api/v1/mortgages/{id}/<verb> with a body of `fields`: `act(body, caller, id)` reads them,
// checks the body and returns the file (200).
template <class Act>
void add_mortgage_step(sales::service::Service& service, const std::string& verb,
                       std::vector<std::string> permissions, std::vector<std::string> fields,
                       Act act) {
    service.route("POST", "/api/v1/mortgages/{id}/" + verb, std::move(permissions),
                  [fields = std::move(fields), act](Request& request, const Principal& caller) {
                      const Body body(request, fields);
                      return Response::json(200, act(body, caller, request.params.at("id")));
                  });
}

}  // namespace

void add_mortgage_routes(sales::service::Service& service, const app::Context& ctx) {
    // 按揭情况列表.
    service.route(
        "GET", "/api/v1/mortgages", kMortgageRead,
        [&ctx](Request& request, const Principal& caller) {
            const auto filter = read_query(
                request, {"project_id", "status", "bank", "overdue_only", "limit", "offset"},
                [](const Query& q) {
                    app::MortgageListFilter f;
                    f.project_id = q.uuid("project_id");
                    f.status = q.enumeration("status", domain::parse_mortgage_status,
                                             sales::enum_names<domain::MortgageStatus>().list());
                    f.bank = q.text("bank", 100);
                    f.overdue_only = q.boolean("overdue_only", false);
                    f.limit = q.integer("limit", 50, 1, 500);
                    f.offset = q.integer("offset", 0, 0, 1'000'000);
                    return f;
                });
            return Response::json(200, app::list_mortgages(ctx, caller, filter));
        });
    service.route("GET", "/api/v1/mortgages/{id}", kMortgageRead,
                  [&ctx](Request& request, const Principal& caller) {
                      return Response::json(
                          200, app::find_mortgage(ctx, caller, request.params.at("id")));
                  });

    add_mortgage_step(
        service, "loan", kMortgageManage,
        {"loan_kind", "provident_fund_fen", "commercial_fen", "note"},
        [&ctx](const Body& b, const Principal& caller, const std::string& id) {
            const auto kind = b.enumeration("loan_kind", domain::parse_loan_kind,
                                            sales::enum_names<domain::LoanKind>().list());
            const auto provident = b.opt_integer("provident_fund_fen", 1, kMaxFen);
            const auto commercial = b.opt_integer("commercial_fen", 1, kMaxFen);
            const auto note = b.opt_text("note", kMaxReasonLength);
            b.check();
            return app::set_mortgage_loan(ctx, caller, id, kind, provident, commercial, note);
        });
    add_mortgage_step(
        service, "documents", kMortgageDocuments, {"documents", "note"},
        [&ctx](const Body& b, const Principal& caller, const std::string& id) {
            std::vector<domain::DocumentMark> marks;
            for (const auto& d : b.objects("documents", 20, {"kind", "received"})) {
                marks.push_back(
                    {d.enumeration("kind", domain::parse_mortgage_document,
                                   sales::enum_names<domain::MortgageDocument>().list()),
                     d.boolean("received")});
            }
            const auto note = b.opt_text("note", kMaxReasonLength);
            b.check();
            return app::record_mortgage_documents(ctx, caller, id, marks, note);
        });
    add_mortgage_step(service, "submit", kMortgageManage,
                      {"bank_name", "bank_branch", "submitted_on", "note"},
                      [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                          const auto bank = b.text("bank_name", 100);
                          const auto branch = b.opt_text("bank_branch", 100);
                          const auto on = b.date("submitted_on");
                          const auto note = b.opt_text("note", kMaxReasonLength);
                          b.check();
                          return app::submit_mortgage(ctx, caller, id, bank, branch, on, note);
                      });
    add_mortgage_step(service, "approve", kMortgageManage, {"approved_fen", "approved_on", "note"},
                      [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                          const auto amount = b.integer("approved_fen", 1, kMaxFen);
                          const auto on = b.date("approved_on");
                          const auto note = b.opt_text("note", kMaxReasonLength);
                          b.check();
                          return app::approve_mortgage(ctx, caller, id, amount, on, note);
                      });
    add_mortgage_step(service, "refuse", kMortgageManage, {"refused_on", "reason"},
                      [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                          const auto on = b.date("refused_on");
                          const auto reason = b.text("reason", kMaxReasonLength);
                          b.check();
                          return app::refuse_mortgage(ctx, caller, id, on, reason);
                      });
    add_mortgage_step(service, "registration", kMortgageManage,
                      {"registration_no", "registered_on", "note"},
                      [&ctx](const Body& b, const Principal& caller, const std::string& id) {
                          const auto number = b.text("registration_no", 64);
                          const auto on = b.date("registered_on");
                          const auto note = b.opt_text("note", kMaxReasonLength);
                          b.check();
                          return app::register_mortgage(ctx, caller, id, number, on, note);
                      });

    // Per-project deadlines (CON-8; DOMAIN.md: configurable per project).
    service.route("GET", "/api/v1/projects/{id}/mortgage-settings", kMortgageRead,
                  [&ctx](Request& request, const Principal& caller) {
                      return Response::json(
                          200, app::mortgage_settings(ctx, caller, request.params.at("id")));
                  });
    service.route(
        "PATCH", "/api/v1/projects/{id}/mortgage-settings", {"contract.settings"},
        [&ctx](Request& request, const Principal& caller) {
            const auto change =
                read_body(request, {"documents_due_days", "decision_due_days"}, [](const Body& b) {
                    mortgage_store::SettingsChange c;
                    c.documents_due_days =
                        b.opt_integer("documents_due_days", 1, domain::kMaxMortgageDueDays);
                    c.decision_due_days =
                        b.opt_integer("decision_due_days", 1, domain::kMaxMortgageDueDays);
                    if (!c.documents_due_days && !c.decision_due_days)
                        b.invalid("body", "must name at least one setting");
                    return c;
                });
            return Response::json(
                200, app::change_mortgage_settings(ctx, caller, request.params.at("id"), change));
        });
}

}  // namespace contract::adapters
