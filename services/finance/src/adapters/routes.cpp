#include "adapters/routes.hpp"

#include "app/ledger.hpp"
#include "sales/auth.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/text.hpp"

namespace finance::adapters {
namespace {
using nlohmann::json;
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;

constexpr std::int64_t kMaxFen = 1'000'000'000'000'000;  // 10^13 yuan: far beyond any sale

[[noreturn]] void invalid(const std::string& field, const std::string& problem) {
    throw HttpError(400, "validation_failed", field + ": " + problem,
                    {{"field", field}, {"problem", problem}});
}

using Handler = std::function<Response(Request&, const sales::Principal&)>;

// A route that needs any one of `permissions`; app failures and rule violations become the
// error envelope (nothing was written: the transaction rolled back).
void add_route(sales::service::Service& service, const std::string& method,
               const std::string& pattern, std::vector<std::string> permissions, Handler handler) {
    service.route(
        method, pattern,
        [permissions = std::move(permissions),
         handler = std::move(handler)](Request& request) -> Response {
            const auto& caller = request.caller();
            std::string names;
            bool granted = false;
            for (const auto& p : permissions) {
                granted = granted || sales::auth::allowed(caller, p);
                names += (names.empty() ? "" : " or ") + p;
            }
            if (!granted)
                throw HttpError(403, "forbidden", "your roles do not grant " + names,
                                {{"permission", names}});
            try {
                return handler(request, caller);
            } catch (const app::Failure& e) {
                throw HttpError(sales::http_status(e.kind()), e.code(), e.what(), e.details());
            } catch (const domain::RuleViolation& e) {
                // A state conflict (409) or a rule the request breaks (422).
                const bool state =
                    e.code() == "already_reversed" || e.code() == "cannot_reverse_reversal";
                throw HttpError(state ? 409 : 422, e.code(), e.what());
            } catch (const sales::db::UniqueViolation& e) {
                // Two cashiers racing with the same receipt number (FIN-2).
                if (e.constraint() == "ledger_receipt_per_project")
                    throw HttpError(409, "duplicate_receipt",
                                    "this receipt number is already in the project's "
                                    "ledger (FIN-2)");
                if (e.constraint() == "ledger_entries_reverses_entry_id_key")
                    throw HttpError(409, "already_reversed",
                                    "this entry has already been reversed");
                throw;
            }
        });
}

std::optional<std::string> opt_text(const json& body, const std::string& name,
                                    std::size_t max_length) {
    if (!body.contains(name) || body[name].is_null())
        return std::nullopt;
    const auto value = sales::service::required_string(body, name, max_length);
    if (value.find_first_not_of(" \t\r\n") == std::string::npos)
        invalid(name, "must not be blank");
    for (unsigned char c : value)
        if (c < 0x20)
            invalid(name, "must not contain control characters");
    return value;
}

std::string text(const json& body, const std::string& name, std::size_t max_length) {
    const auto value = opt_text(body, name, max_length);
    if (!value)
        invalid(name, "is required");
    return *value;
}

std::optional<std::string> opt_uuid(const json& body, const std::string& name) {
    const auto value = opt_text(body, name, 64);
    if (value && !sales::is_uuid(*value))
        invalid(name, "must be a UUID");
    return value;
}

// Exactly one of contract_id / subscription_id.
void one_target(const std::optional<std::string>& contract_id,
                const std::optional<std::string>& subscription_id) {
    if (contract_id.has_value() == subscription_id.has_value())
        invalid("contract_id", "give exactly one of contract_id and subscription_id");
}

void known_query(const Request& request, const std::vector<std::string>& allowed) {
    for (const auto& [name, value] : request.query) {
        bool known = false;
        for (const auto& a : allowed)
            known = known || a == name;
        if (!known)
            invalid(name, "is not a known query parameter");
    }
}

std::optional<std::string> query_uuid(const Request& request, const std::string& name) {
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return std::nullopt;
    if (!sales::is_uuid(it->second))
        invalid(name, "must be a UUID");
    return it->second;
}

std::string required_query_uuid(const Request& request, const std::string& name) {
    const auto value = query_uuid(request, name);
    if (!value)
        invalid(name, "is required");
    return *value;
}

std::optional<sales::Date> query_date(const Request& request, const std::string& name) {
    const auto it = request.query.find(name);
    if (it == request.query.end())
        return std::nullopt;
    const auto date = sales::parse_date(it->second);
    if (!date)
        invalid(name, "must be a calendar date YYYY-MM-DD");
    return date;
}

sales::Date required_query_date(const Request& request, const std::string& name) {
    const auto value = query_date(request, name);
    if (!value)
        invalid(name, "is required");
    return *value;
}

const std::vector<std::string> kReaders = {"payment.collect", "finance.reconcile", "report.read"};

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx) {
    // FIN-2/FIN-4: a receipt (or an approved refund) by the cashier.
    add_route(service, "POST", "/api/v1/payments", {"payment.collect"},
              [&ctx](Request& request, const sales::Principal& caller) {
                  const auto body = request.json();
                  sales::service::reject_unknown_fields(
                      body, {"contract_id", "subscription_id", "category", "method", "payer",
                             "amount_fen", "receipt_no", "paid_at", "approval_ref", "note"});
                  app::PaymentInput in;
                  in.contract_id = opt_uuid(body, "contract_id");
                  in.subscription_id = opt_uuid(body, "subscription_id");
                  one_target(in.contract_id, in.subscription_id);
                  const auto category = domain::parse_category(text(body, "category", 32));
                  if (!category || *category == domain::Category::reversal)
                      invalid("category", "must be one of " + domain::category_names());
                  in.category = *category;
                  const auto method = domain::parse_method(text(body, "method", 32));
                  if (!method)
                      invalid("method", "must be one of " + domain::method_names());
                  in.method = *method;
                  in.payer = text(body, "payer", 200);
                  in.amount_fen = sales::service::required_integer(body, "amount_fen", 1, kMaxFen);
                  in.receipt_no = text(body, "receipt_no", 64);
                  if (const auto paid_at = opt_text(body, "paid_at", 64)) {
                      const auto t = sales::parse_rfc3339(*paid_at);
                      if (!t)
                          invalid("paid_at", "must be an RFC 3339 timestamp");
                      in.paid_at = t;
                  }
                  in.approval_ref = opt_uuid(body, "approval_ref");
                  in.note = opt_text(body, "note", 2000);
                  return Response::json(201, app::post_payment(ctx, caller, in));
              });

    // FIN-3: red-ink reversal 红冲 with a reason (SEC-2).
    add_route(service, "POST", "/api/v1/entries/{entry_id}/reverse", {"payment.collect"},
              [&ctx](Request& request, const sales::Principal& caller) {
                  const auto body = request.json();
                  sales::service::reject_unknown_fields(body, {"reason", "receipt_no"});
                  const auto reason = text(body, "reason", 500);
                  const auto receipt_no = opt_text(body, "receipt_no", 64);
                  return Response::json(
                      201, app::reverse_entry(ctx, caller, request.params.at("entry_id"), reason,
                                              receipt_no));
              });

    // FIN-4: the finance director approves a refund; the refund entry references the id.
    add_route(service, "POST", "/api/v1/refund-approvals", {"refund.approve"},
              [&ctx](Request& request, const sales::Principal& caller) {
                  const auto body = request.json();
                  sales::service::reject_unknown_fields(
                      body, {"contract_id", "subscription_id", "amount_fen", "reason"});
                  app::RefundApprovalInput in;
                  in.contract_id = opt_uuid(body, "contract_id");
                  in.subscription_id = opt_uuid(body, "subscription_id");
                  one_target(in.contract_id, in.subscription_id);
                  in.amount_fen = sales::service::required_integer(body, "amount_fen", 1, kMaxFen);
                  in.reason = text(body, "reason", 500);
                  return Response::json(201, app::approve_refund(ctx, caller, in));
              });

    add_route(service, "GET", "/api/v1/entries/{entry_id}", kReaders,
              [&ctx](Request& request, const sales::Principal& caller) {
                  known_query(request, {});
                  return Response::json(200,
                                        app::get_entry(ctx, caller, request.params.at("entry_id")));
              });

    add_route(service, "GET", "/api/v1/entries", kReaders,
              [&ctx](Request& request, const sales::Principal& caller) {
                  known_query(request, {"project_id", "contract_id", "subscription_id", "category",
                                        "from", "to", "limit", "offset"});
                  app::EntryFilter f;
                  f.project_id = query_uuid(request, "project_id");
                  f.contract_id = query_uuid(request, "contract_id");
                  f.subscription_id = query_uuid(request, "subscription_id");
                  if (const auto it = request.query.find("category"); it != request.query.end()) {
                      if (!domain::parse_category(it->second))
                          invalid("category",
                                  "must be one of " + domain::category_names() + ", reversal");
                      f.category = it->second;
                  }
                  f.from = query_date(request, "from");
                  f.to = query_date(request, "to");
                  f.limit = sales::service::query_integer(request, "limit", 100, 1, 1000);
                  f.offset = sales::service::query_integer(request, "offset", 0, 0, 1'000'000'000);
                  return Response::json(200, app::list_entries(ctx, caller, f));
              });

    add_route(service, "GET", "/api/v1/contracts/{contract_id}/balance", kReaders,
              [&ctx](Request& request, const sales::Principal& caller) {
                  known_query(request, {"as_of"});
                  return Response::json(
                      200, app::contract_balance(ctx, caller, request.params.at("contract_id"),
                                                 query_date(request, "as_of")));
              });

    // FIN-6: receipts/refunds detail (收退款明细表), by day and in total.
    add_route(service, "GET", "/api/v1/reports/receipts", kReaders,
              [&ctx](Request& request, const sales::Principal& caller) {
                  known_query(request, {"project_id", "from", "to"});
                  const auto project_id = required_query_uuid(request, "project_id");
                  const auto from = required_query_date(request, "from");
                  const auto to = required_query_date(request, "to");
                  const auto days = domain::days_between(from, to);
                  if (days < 0)
                      invalid("to", "must not be before from");
                  if (days > 366)
                      invalid("to", "the period is at most 367 days");
                  return Response::json(200,
                                        app::receipts_report(ctx, caller, project_id, from, to));
              });

    // FIN-5: arrears (不合理欠款明细表) with aging buckets.
    add_route(service, "GET", "/api/v1/reports/arrears", kReaders,
              [&ctx](Request& request, const sales::Principal& caller) {
                  known_query(request, {"project_id", "as_of"});
                  const auto project_id = required_query_uuid(request, "project_id");
                  return Response::json(200, app::arrears_report(ctx, caller, project_id,
                                                                 query_date(request, "as_of")));
              });
}

}  // namespace finance::adapters
