#include "adapters/routes.hpp"

#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/enum_names.hpp"
#include "sales/input.hpp"

namespace finance::adapters {
namespace {
using namespace sales::http;
using namespace sales::service;

SALES_ENUM(ReportFormat, json, csv, xlsx);

const std::vector<std::string> kReaders = {"payment.collect", "finance.reconcile", "report.read"};

// The categories a cashier posts: every one but reversal (FIN-3 has its own route).
std::optional<domain::Category> parse_posted_category(std::string_view text) {
    const auto category = domain::parse_category(text);
    return category == domain::Category::reversal ? std::nullopt : category;
}

// Exactly one of contract_id / subscription_id.
void one_target(const Body& body, const std::optional<std::string>& contract_id,
                const std::optional<std::string>& subscription_id) {
    if (contract_id.has_value() == subscription_id.has_value())
        body.invalid("contract_id", "give exactly one of contract_id and subscription_id");
}

app::PaymentInput payment_input(const Body& body) {
    app::PaymentInput in;
    in.contract_id = body.opt_uuid("contract_id");
    in.subscription_id = body.opt_uuid("subscription_id");
    one_target(body, in.contract_id, in.subscription_id);
    in.category = body.enumeration("category", &parse_posted_category, domain::category_names());
    in.method = body.enumeration("method", domain::parse_method,
                                 sales::enum_names<domain::Method>().list());
    in.payer = body.text("payer", 200);
    in.amount_fen = body.integer("amount_fen", 1, kMaxFen);
    in.receipt_no = body.text("receipt_no", 64);
    in.paid_at = body.opt_time("paid_at");
    in.approval_ref = body.opt_uuid("approval_ref");
    in.note = body.opt_text("note", 2000);
    return in;
}

app::RefundApprovalInput refund_approval_input(const Body& body) {
    app::RefundApprovalInput in;
    in.contract_id = body.opt_uuid("contract_id");
    in.subscription_id = body.opt_uuid("subscription_id");
    one_target(body, in.contract_id, in.subscription_id);
    in.amount_fen = body.integer("amount_fen", 1, kMaxFen);
    in.reason = body.text("reason", 500);
    in.area_settlement_id = body.opt_uuid("area_settlement_id");
    if (in.area_settlement_id && !in.contract_id)
        body.invalid("area_settlement_id", "a settlement's refund is approved on its contract_id");
    return in;
}

EntryFilter entry_filter(const Query& query) {
    EntryFilter f;
    f.project_id = query.uuid("project_id");
    f.contract_id = query.uuid("contract_id");
    f.subscription_id = query.uuid("subscription_id");
    if (const auto category = query.enumeration("category", domain::parse_category,
                                                domain::category_names() + ", reversal"))
        f.category = std::string(domain::to_string(*category));
    const auto [from, to] = query.date_range("from", "to");
    f.from = from;
    f.to = to;
    f.limit = query.integer("limit", 100, 1, 1000);
    f.offset = query.integer("offset", 0, 0, 1'000'000'000);
    return f;
}

struct Period {
    std::string project_id;
    sales::Date from, to;
};

// FIN-6: a period of at most 367 days.
Period period(const Query& query) {
    Period p;
    p.project_id = query.required_uuid("project_id");
    const auto from = query.date("from");
    const auto to = query.date("to");
    for (const char* name : {"from", "to"}) {
        if (!query.has(name))
            query.invalid(name, "is required");
    }
    if (from && to) {
        const auto days = domain::days_between(*from, *to);
        if (days < 0)
            query.invalid("to", "must not be before from");
        if (days > 366)
            query.invalid("to", "the period is at most 367 days");
        p.from = *from;
        p.to = *to;
    }
    return p;
}

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx) {
    // FIN-2/FIN-4: a receipt (or an approved refund) by the cashier.
    service.route("POST", "/api/v1/payments", {"payment.collect"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto in = sales::service::read_body(
                          request,
                          {"contract_id", "subscription_id", "category", "method", "payer",
                           "amount_fen", "receipt_no", "paid_at", "approval_ref", "note"},
                          payment_input);
                      return Response::json(201, app::post_payment(ctx, caller, in));
                  });

    // FIN-3: red-ink reversal 红冲 with a reason (SEC-2).
    service.route("POST", "/api/v1/entries/{entry_id}/reverse", {"payment.collect"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const Body body(request, {"reason", "receipt_no"});
                      const auto reason = body.text("reason", 500);
                      const auto receipt_no = body.opt_text("receipt_no", 64);
                      body.check();
                      return Response::json(
                          201, app::reverse_entry(ctx, caller, request.params.at("entry_id"),
                                                  reason, receipt_no));
                  });

    // FIN-4: the finance director approves a refund; the refund entry references the id.
    service.route(
        "POST", "/api/v1/refund-approvals", {"refund.approve"},
        [&ctx](Request& request, const sales::Principal& caller) {
            const auto in = sales::service::read_body(
                request,
                {"contract_id", "subscription_id", "amount_fen", "reason", "area_settlement_id"},
                refund_approval_input);
            return Response::json(201, app::approve_refund(ctx, caller, in));
        });

    service.route("GET", "/api/v1/entries/{entry_id}", kReaders,
                  [&ctx](Request& request, const sales::Principal& caller) {
                      Query(request, {}).check();
                      return Response::json(
                          200, app::get_entry(ctx, caller, request.params.at("entry_id")));
                  });

    service.route("GET", "/api/v1/entries", kReaders,
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto filter = sales::service::read_query(
                          request,
                          {"project_id", "contract_id", "subscription_id", "category", "from", "to",
                           "limit", "offset"},
                          entry_filter);
                      return Response::json(200, app::list_entries(ctx, caller, filter));
                  });

    service.route(
        "GET", "/api/v1/contracts/{contract_id}/balance", kReaders,
        [&ctx](Request& request, const sales::Principal& caller) {
            const Query query(request, {"as_of"});
            const auto as_of = query.date("as_of");
            query.check();
            return Response::json(
                200, app::contract_balance(ctx, caller, request.params.at("contract_id"), as_of));
        });

    // FIN-6: receipts/refunds detail (收退款明细表), by day and in total.
    service.route("GET", "/api/v1/reports/receipts", kReaders,
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto p =
                          sales::service::read_query(request, {"project_id", "from", "to"}, period);
                      return Response::json(
                          200, app::receipts_report(ctx, caller, p.project_id, p.from, p.to));
                  });

    // CON-9: fees charged at handover are receivables that count for clearance.
    service.route("POST", "/api/v1/contracts/{contract_id}/fees", {"handover.manage"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const auto in = sales::service::read_body(
                          request, {"kind", "amount_fen", "due_date", "note"}, [](const Body& b) {
                              app::FeeInput f;
                              f.kind = b.enumeration("kind", domain::parse_fee_kind,
                                                     "maintenance_fund, property_fee, agency_fee");
                              f.amount_fen = b.integer("amount_fen", 1, kMaxFen);
                              f.due_date = b.date("due_date");
                              f.note = b.opt_text("note", 500);
                              return f;
                          });
                      return Response::json(
                          201, app::add_fee(ctx, caller, request.params.at("contract_id"), in));
                  });
    service.route("GET", "/api/v1/contracts/{contract_id}/fees",
                  {"payment.collect", "finance.reconcile", "report.read", "handover.manage"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      Query(request, {}).check();
                      return Response::json(
                          200, app::list_fees(ctx, caller, request.params.at("contract_id")));
                  });

    // FIN-4: the refund approvals of a project (the cashier pays the unpaid ones).
    service.route("GET", "/api/v1/refund-approvals",
                  {"payment.collect", "finance.reconcile", "refund.approve"},
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const Query query(request, {"project_id", "unpaid_only"});
                      const auto project_id = query.required_uuid("project_id");
                      const auto unpaid_only = query.boolean("unpaid_only", false);
                      query.check();
                      return Response::json(
                          200, app::list_refund_approvals(ctx, caller, project_id, unpaid_only));
                  });

    // FIN-5: arrears (不合理欠款明细表) with aging buckets and owning reps; CSV or xlsx with
    // `format` (one row per overdue item).
    service.route("GET", "/api/v1/reports/arrears", kReaders,
                  [&ctx](Request& request, const sales::Principal& caller) {
                      const Query query(request, {"project_id", "as_of", "format"});
                      const auto project_id = query.required_uuid("project_id");
                      const auto as_of = query.date("as_of");
                      const auto format =
                          query
                              .enumeration<ReportFormat>("format", &sales::parse_enum<ReportFormat>,
                                                         sales::enum_names<ReportFormat>().list())
                              .value_or(ReportFormat::json);
                      query.check();
                      auto report = app::arrears_report(ctx, caller, project_id, as_of);
                      if (format == ReportFormat::json)
                          return Response::json(200, report);
                      auto file = sales::sheet::download(
                          {app::arrears_sheet(report)},
                          format == ReportFormat::csv ? sales::sheet::FileFormat::csv
                                                      : sales::sheet::FileFormat::xlsx,
                          "arrears", "不合理欠款明细表-" + report["as_of"].get<std::string>());
                      return Response::attachment(std::move(file.body),
                                                  std::move(file.content_type),
                                                  std::move(file.content_disposition));
                  });
    add_referral_routes(service, ctx);
}

}  // namespace finance::adapters
