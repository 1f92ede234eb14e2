// /api/v1/subscriptions (CON-1, CON-2): handlers read the request (sales/input.hpp) and call the
// use cases of app/subscriptions.hpp.
#include "adapters/http_routes.hpp"
#include "adapters/idempotency_store.hpp"
#include "app/subscriptions.hpp"
#include "domain/idempotency.hpp"
#include "sales/ids.hpp"

namespace contract::adapters {
namespace {
using sales::Principal;
using namespace sales::http;
using namespace sales::service;

constexpr std::chrono::seconds kStaleClaim{60};

Response subscription_response(int status, const domain::Subscription& s) {
    auto response = Response::json(status, domain::to_json(s));
    if (status == 201)
        response.headers["Location"] = "/api/v1/subscriptions/" + s.id;
    return response;
}

domain::NewSubscription parse_new_subscription(const Body& b, const Principal& caller) {
    domain::NewSubscription input;
    input.unit_id = b.text("unit_id", 64);
    input.customer_id = b.text("customer_id", 64);
    input.rep_id = b.opt_text("rep_id", 64).value_or(caller.user_id);
    input.reservation_id = b.opt_text("reservation_id", 64);
    // Money signs and the other rules are the domain's (CON-1, REG-2).
    input.discount_fen = b.opt_integer("discount_fen", -kMaxFen, kMaxFen).value_or(0);
    input.payment_plan = b.text("payment_plan", 32);
    input.deposit_fen = b.integer("deposit_fen", -kMaxFen, kMaxFen);
    input.signing_deadline = b.text("signing_deadline", 32);
    return input;
}

app::ListFilter parse_subscription_filter(const Query& q) {
    app::ListFilter filter;
    filter.project_id = q.uuid("project_id");
    filter.status = q.enumeration("status", domain::parse_status, domain::status_names());
    filter.rep_id = q.text("rep_id", 64);
    const auto [from, to] = q.date_range("from", "to");
    filter.from = from;
    filter.to = to;
    filter.limit = q.integer("limit", 50, 1, 500);
    filter.offset = q.integer("offset", 0, 0, 1'000'000);
    return filter;
}

Response replayed(const idempotency_store::StoredResponse& stored) {
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
                             const Principal& caller, const nlohmann::json& body,
                             const CreateFn& create) {
    const auto key = request.header("Idempotency-Key");
    if (key.empty())
        return subscription_response(201, create(sales::new_uuid(), nullptr));
    if (!domain::valid_idempotency_key(key))
        sales::fail_invalid("Idempotency-Key", "must be 1–128 visible ASCII characters");
    const auto outcome = idempotency_store::claim(
        ctx.db, caller.user_id, key,
        domain::request_fingerprint(request.method, request.path, body), kStaleClaim);
    if (outcome.replay)
        return replayed(*outcome.replay);
    const auto& claim = *outcome.claim;
    try {
        return subscription_response(
            201,
            create(claim.subscription_id, [&](sales::db::Tx& tx, const domain::Subscription& s) {
                idempotency_store::complete(tx, claim, 201, domain::to_json(s).dump());
            }));
    } catch (const sales::Failure& e) {
        const auto status = sales::http_status(e.kind());
        if (status >= 500)
            idempotency_store::forget(ctx.db, claim);
        else
            idempotency_store::complete(ctx.db, claim, status,
                                        sales::http::Response::failure(e).body);
        throw;
    } catch (const std::exception&) {
        // A dependency failure (503 from Service::route): let a retry run again.
        idempotency_store::forget(ctx.db, claim);
        throw;
    }
}

using ActionFn =
    std::function<domain::Subscription(const Principal&, const std::string& id, const Body&)>;

// POST /api/v1/subscriptions/{id}/<verb>: a JSON body with only `fields`, 200 with the changed
// subscription. `act` reads the body's fields; they are checked before anything changes.
void add_action(sales::service::Service& service, const std::string& verb,
                const std::string& permission, std::vector<std::string> fields, ActionFn act) {
    service.route("POST", "/api/v1/subscriptions/{id}/" + verb, {permission},
                  [fields = std::move(fields), act = std::move(act)](Request& request,
                                                                     const Principal& caller) {
                      const Body body(request, fields);
                      return subscription_response(200, act(caller, request.params.at("id"), body));
                  });
}

// The reason or note of an action, checked (with the rest of the body) before it is used.
std::string reason(const Body& b, const std::string& name) {
    auto text = b.text(name, kMaxReasonLength);
    b.check();
    return text;
}

}  // namespace

void add_routes(sales::service::Service& service, const app::Context& ctx,
                std::chrono::milliseconds rpc_timeout, app::UnitView& units) {
    auto* svc = &service;
    const auto inventory = [svc, rpc_timeout] {
        return app::InventoryClient(svc->nats(), rpc_timeout);
    };

    service.route(
        "POST", "/api/v1/subscriptions", {"subscription.create"},
        [&ctx, inventory, svc, &units](Request& request, const Principal& caller) {
            const Body body(request,
                            {"unit_id", "customer_id", "rep_id", "reservation_id", "discount_fen",
                             "payment_plan", "deposit_fen", "signing_deadline"});
            const auto input = parse_new_subscription(body, caller);
            body.check();
            // Opening day: most requests are for units already taken; they cost nothing here.
            app::refuse_known_taken(units, svc->nats().reconnects(), caller, input.unit_id,
                                    !request.header("Idempotency-Key").empty());
            auto client = inventory();
            return create_idempotently(
                ctx, request, caller, body.raw(),
                [&](const std::string& id, const app::BeforeCommit& before_commit) {
                    return app::create_subscription(ctx, client, caller, input, id, before_commit);
                });
        });

    service.route(
        "GET", "/api/v1/subscriptions", {"subscription.read"},
        [&ctx](Request& request, const Principal& caller) {
            const auto filter = sales::service::read_query(
                request, {"project_id", "status", "rep_id", "from", "to", "limit", "offset"},
                parse_subscription_filter);
            nlohmann::json items = nlohmann::json::array();
            for (const auto& s : app::list_subscriptions(ctx, caller, filter))
                items.push_back(domain::to_json(s));
            return Response::json(
                200, {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}});
        });

    service.route("GET", "/api/v1/subscriptions/{id}", {"subscription.read"},
                  [&ctx](Request& request, const Principal& caller) {
                      return subscription_response(
                          200, app::find_subscription(ctx, caller, request.params.at("id")));
                  });

    // CON-2: rename and swap by a sales supervisor/manager.
    add_action(service, "rename", "subscription.change", {"customer_id", "reason"},
               [&ctx](const Principal& caller, const std::string& id, const Body& b) {
                   const auto customer_id = b.uuid("customer_id");
                   return app::rename_subscription(ctx, caller, id, customer_id,
                                                   reason(b, "reason"));
               });
    add_action(service, "swap", "subscription.change", {"new_unit_id", "reason"},
               [&ctx, inventory](const Principal& caller, const std::string& id, const Body& b) {
                   const auto new_unit_id = b.uuid("new_unit_id");
                   const auto why = reason(b, "reason");
                   auto client = inventory();
                   return app::swap_subscription(ctx, client, caller, id, new_unit_id, why);
               });
    // CON-2: cancellation by sales control; after the deposit, a refund request that the
    // finance director approves or rejects.
    add_action(service, "cancel", "subscription.cancel", {"reason"},
               [&ctx](const Principal& caller, const std::string& id, const Body& b) {
                   return app::cancel_subscription(ctx, caller, id, reason(b, "reason"));
               });
    for (const bool approve : {true, false}) {
        add_action(service, approve ? "cancellation/approve" : "cancellation/reject",
                   "refund.approve", {"note"},
                   [&ctx, approve](const Principal& caller, const std::string& id, const Body& b) {
                       return app::decide_cancellation(ctx, caller, id, approve, reason(b, "note"));
                   });
    }
}

}  // namespace contract::adapters
