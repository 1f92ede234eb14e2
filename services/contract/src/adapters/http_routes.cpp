#include "adapters/http_routes.hpp"

#include <set>

#include "adapters/route_support.hpp"
#include "app/idempotency.hpp"
#include "domain/idempotency.hpp"
#include "sales/auth.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/text.hpp"

namespace contract::adapters {
namespace {
using sales::http::HttpError;
using sales::http::Request;
using sales::http::Response;
using sales::service::query_integer;
using sales::service::required_integer;
using sales::service::required_string;

constexpr std::chrono::seconds kStaleClaim{60};

Response subscription_response(int status, const domain::Subscription& s) {
    auto response = Response::json(status, app::to_json(s));
    if (status == 201)
        response.headers["Location"] = "/api/v1/subscriptions/" + s.id;
    return response;
}

domain::NewSubscription parse_new_subscription(const Request& request, const nlohmann::json& body) {
    sales::service::reject_unknown_fields(
        body, {"unit_id", "customer_id", "rep_id", "reservation_id", "discount_fen", "payment_plan",
               "deposit_fen", "signing_deadline"});
    domain::NewSubscription input;
    input.unit_id = required_string(body, "unit_id", 64);
    input.customer_id = required_string(body, "customer_id", 64);
    input.rep_id = optional_string(body, "rep_id", 64).value_or(request.caller().user_id);
    input.reservation_id = optional_string(body, "reservation_id", 64);
    input.discount_fen = body.contains("discount_fen") ? money(body, "discount_fen") : 0;
    input.payment_plan = required_string(body, "payment_plan", 32);
    input.deposit_fen = money(body, "deposit_fen");
    input.signing_deadline = required_string(body, "signing_deadline", 32);
    return input;
}

app::ListFilter parse_filter(const Request& request) {
    static const std::set<std::string> known = {"project_id", "status", "rep_id", "from",
                                                "to",         "limit",  "offset"};
    for (const auto& [name, value] : request.query) {
        if (!known.contains(name))
            invalid(name, "is not a known filter");
    }
    const auto text = [&](const char* name) -> std::optional<std::string> {
        const auto it = request.query.find(name);
        if (it == request.query.end())
            return std::nullopt;
        return it->second;
    };
    app::ListFilter filter;
    filter.project_id = text("project_id");
    if (filter.project_id && !sales::is_uuid(*filter.project_id))
        invalid("project_id", "must be a UUID");
    if (const auto status = text("status")) {
        filter.status = domain::parse_status(*status);
        if (!filter.status)
            invalid("status", "must be one of " + domain::status_names());
    }
    filter.rep_id = text("rep_id");
    if (filter.rep_id && (filter.rep_id->empty() || sales::utf8_length(*filter.rep_id) > 64))
        invalid("rep_id", "must be 1–64 characters");
    for (auto [name, target] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
        if (const auto value = text(name)) {
            *target = domain::parse_date(*value);
            if (!*target)
                invalid(name, "must be a calendar date YYYY-MM-DD");
        }
    }
    if (filter.from && filter.to && *filter.from > *filter.to)
        invalid("from", "must not be after to");
    filter.limit = query_integer(request, "limit", 50, 1, 500);
    filter.offset = query_integer(request, "offset", 0, 0, 1'000'000);
    return filter;
}

Response replayed(const app::StoredResponse& stored) {
    Response response;
    response.status = stored.status;
    response.body = stored.body;
    response.headers["Idempotent-Replayed"] = "true";
    if (stored.status == 201) {
        const auto body = nlohmann::json::parse(stored.body, nullptr, /*allow_exceptions=*/false);
        if (body.is_object() && body.contains("id") && body["id"].is_string())
            response.headers["Location"] = "/api/v1/subscriptions/" + body["id"].get<std::string>();
    }
    return response;
}

using CreateFn = std::function<domain::Subscription(const std::string& subscription_id,
                                                    const app::BeforeCommit& before_commit)>;

// POST /api/v1/subscriptions, honouring Idempotency-Key: same key + same request → the stored
// response (201 or 4xx); same key + another request → 422; a transient failure (5xx) releases
// the key so that a retry runs again.
Response create_idempotently(const app::Context& ctx, const Request& request,
                             const nlohmann::json& body, const CreateFn& create) {
    const auto key = request.header("Idempotency-Key");
    if (key.empty()) {
        return translated(
            [&] { return subscription_response(201, create(sales::new_uuid(), nullptr)); });
    }
    if (!domain::valid_idempotency_key(key))
        invalid("Idempotency-Key", "must be 1–128 visible ASCII characters");
    const auto outcome = translated([&] {
        return app::claim_idempotency_key(
            ctx.db, request.caller().user_id, key,
            domain::request_fingerprint(request.method, request.path, body), kStaleClaim);
    });
    if (outcome.replay)
        return replayed(*outcome.replay);
    const auto& claim = *outcome.claim;
    try {
        return translated([&] {
            return subscription_response(
                201, create(claim.subscription_id, [&](sales::db::Tx& tx,
                                                       const domain::Subscription& s) {
                    app::complete_idempotency_key(tx, claim, 201, app::to_json(s).dump());
                }));
        });
    } catch (const HttpError& e) {
        if (e.status() >= 500)
            app::forget_idempotency_key(ctx.db, claim);
        else
            app::complete_idempotency_key(ctx.db, claim, e.status(), e.to_response().body);
        throw;
    } catch (const std::exception&) {
        // A dependency failure (503 from Service::route): let a retry run again.
        app::forget_idempotency_key(ctx.db, claim);
        throw;
    }
}

using ActionFn = std::function<domain::Subscription(const Request&, const nlohmann::json&)>;

// POST /api/v1/subscriptions/{id}/<verb>: permission, a JSON body with only `fields`, 200 with
// the changed subscription.
void add_action(sales::service::Service& service, const std::string& verb,
                const std::string& permission, std::vector<std::string> fields, ActionFn action) {
    service.route(
        "POST", "/api/v1/subscriptions/{id}/" + verb,
        [permission, fields = std::move(fields), action = std::move(action)](Request& request) {
            require(request, permission);
            const auto body = request.json();
            sales::service::reject_unknown_fields(body, fields);
            return translated([&] { return subscription_response(200, action(request, body)); });
        });
}

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx,
                std::chrono::milliseconds rpc_timeout) {
    auto* svc = &service;
    const auto inventory = [svc, rpc_timeout] {
        return app::InventoryClient(svc->nats(), rpc_timeout);
    };

    service.route("POST", "/api/v1/subscriptions", [&ctx, inventory](Request& request) {
        require(request, "subscription.create");
        const auto body = request.json();
        const auto input = parse_new_subscription(request, body);
        auto client = inventory();
        return create_idempotently(
            ctx, request, body, [&](const std::string& id, const app::BeforeCommit& before_commit) {
                return app::create_subscription(ctx, client, request.caller(), input, id,
                                                before_commit);
            });
    });

    service.route("GET", "/api/v1/subscriptions", [&ctx](Request& request) {
        require(request, "subscription.read");
        const auto filter = parse_filter(request);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& s : app::list_subscriptions(ctx, request.caller(), filter))
            items.push_back(app::to_json(s));
        return Response::json(
            200, {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}});
    });

    service.route("GET", "/api/v1/subscriptions/{id}", [&ctx](Request& request) {
        require(request, "subscription.read");
        const auto& id = request.params.at("id");
        const auto found = app::find_subscription(ctx, request.caller(), id);
        if (!found) {
            throw HttpError(404, "subscription_not_found", "no subscription with id " + id,
                            {{"subscription_id", id}});
        }
        return subscription_response(200, *found);
    });

    // CON-2: rename and swap by a sales supervisor/manager.
    add_action(service, "rename", "subscription.change", {"customer_id", "reason"},
               [&ctx](const Request& request, const nlohmann::json& body) {
                   const auto customer_id = required_string(body, "customer_id", 64);
                   const auto reason = required_string(body, "reason", kMaxReasonLength);
                   return app::rename_subscription(ctx, request.caller(), request.params.at("id"),
                                                   customer_id, reason);
               });
    add_action(service, "swap", "subscription.change", {"new_unit_id", "reason"},
               [&ctx, inventory](const Request& request, const nlohmann::json& body) {
                   const auto new_unit_id = required_string(body, "new_unit_id", 64);
                   const auto reason = required_string(body, "reason", kMaxReasonLength);
                   auto client = inventory();
                   return app::swap_subscription(ctx, client, request.caller(),
                                                 request.params.at("id"), new_unit_id, reason);
               });
    // CON-2: cancellation by sales control; after the deposit, a refund request that the
    // finance director approves or rejects.
    add_action(service, "cancel", "subscription.cancel", {"reason"},
               [&ctx](const Request& request, const nlohmann::json& body) {
                   const auto reason = required_string(body, "reason", kMaxReasonLength);
                   return app::cancel_subscription(ctx, request.caller(), request.params.at("id"),
                                                   reason);
               });
    for (const bool approve : {true, false}) {
        add_action(service, approve ? "cancellation/approve" : "cancellation/reject",
                   "refund.approve", {"note"},
                   [&ctx, approve](const Request& request, const nlohmann::json& body) {
                       const auto note = required_string(body, "note", kMaxReasonLength);
                       return app::decide_cancellation(ctx, request.caller(),
                                                       request.params.at("id"), approve, note);
                   });
    }
}

}  // namespace contract::adapters
