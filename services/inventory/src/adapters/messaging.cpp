#include "adapters/messaging.hpp"

#include "adapters/hold_store.hpp"
#include "app/contract_events.hpp"
#include "app/holds.hpp"
#include "app/sales_control.hpp"
#include "sales/log.hpp"

namespace inventory::adapters {
namespace {
using Result = app::DealOutcome::Result;
using sales::service::Body;

nlohmann::json render(const app::DealOutcome& o) {
    switch (o.result) {
        case Result::held: {
            const auto& u = *o.unit;
            auto unit = app::unit_ref(u);
            unit.update({{"gross_area_centi_m2", u.gross_area_centi_m2},
                         {"internal_area_centi_m2", u.internal_area_centi_m2},
                         {"list_unit_price_fen_per_m2", u.list_unit_price_fen_per_m2},
                         {"list_total_fen", u.list_total_fen},
                         {"price_list_id", sales::db::nullable(u.price_list_id)}});
            return {{"result", "held"}, {"unit", unit}};
        }
        case Result::conflict:
            return {{"result", "conflict"}, {"status", o.status}};
        case Result::not_found:
            return {{"result", "not_found"}};
        case Result::invalid:
            return {{"result", "invalid"}, {"message", o.message}};
        case Result::released:
            return {{"result", "released"}};
        case Result::not_held:
            return {{"result", "not_held"}};
    }
    return {{"result", "invalid"}, {"message", "unknown outcome"}};
}

// hold_until must lie in the future, or the sweeper would free the unit at once.
std::string future_time(const Body& b, const std::string& name, const sales::Clock& clock) {
    const auto t = b.time(name);
    if (b.has(name) && t <= clock.now())
        b.invalid(name, "must be in the future");
    return sales::to_rfc3339(t);
}

// A reply that is already JSON (a listing) goes out as it is.
const nlohmann::json& render(const nlohmann::json& reply) {
    return reply;
}

// Reads the request (`parse`: Body → use case request, every problem checked), runs the use
// case and renders its outcome; a malformed request answers "invalid" and a failure "error"
// (the reply always has "result").
template <class Parse, class Run>
std::function<std::string(const std::string&)> responder(const std::string& subject,
                                                         std::vector<std::string> allowed,
                                                         Parse parse, Run run) {
    return [subject, allowed = std::move(allowed), parse, run](const std::string& payload) {
        nlohmann::json reply;
        try {
            auto request = nlohmann::json::parse(payload, nullptr, false);
            if (request.is_discarded()) {
                reply = {{"result", "invalid"}, {"message", "the request is not JSON"}};
            } else {
                const Body body(std::move(request), allowed);
                auto command = parse(body);
                body.check();
                reply = render(run(command));
            }
        } catch (const sales::Failure& e) {
            reply = {{"result", "invalid"}, {"message", e.what()}};
        } catch (const std::exception& e) {
            sales::log::error("request failed", {{"subject", subject}, {"error", e.what()}});
            reply = {{"result", "error"}, {"message", "inventory could not process the request"}};
        }
        return reply.dump();
    };
}

// Optional "project_ids": the caller's projects (absent = every project).
std::optional<std::vector<std::string>> project_scope(const Body& b) {
    if (!b.has("project_ids"))
        return std::nullopt;
    return b.uuids("project_ids", 10'000);
}

void sweep(const char* what, std::size_t count) {
    if (count > 0)
        sales::log::info("expired", {{"what", what}, {"units", count}});
}
}  // namespace

void add_messaging(sales::service::Service& service) {
    auto& db = service.db();
    const auto& clock = service.clock();
    const auto& config = service.config();
    using sales::service::kMaxFen;
    using namespace std::chrono_literals;
    const auto pending_hold =
        config.duration("SALES_INVENTORY_PENDING_HOLD", 2min, 1s, std::chrono::hours(24));
    const app::HoldSettings hold_settings{std::chrono::duration_cast<std::chrono::seconds>(
        config.duration("SALES_INVENTORY_HOLD_GRACE", 10min, 0ms, std::chrono::hours(24)))};

    const auto hold = responder(
        "rpc.inventory.hold",
        {"unit_id", "subscription_id", "hold_until", "actor", "reservation_id", "deal_price_fen",
         "project_ids"},
        [&clock, pending_hold](const Body& b) {
            // Without hold_until (contract's subscriptions): a short hold, extended to the
            // deposit deadline when contract.subscription.created arrives.
            return app::HoldRequest{b.uuid("unit_id"),
                                    b.uuid("subscription_id"),
                                    b.has("hold_until")
                                        ? future_time(b, "hold_until", clock)
                                        : sales::to_rfc3339(clock.now() + pending_hold),
                                    b.text("actor", 200),
                                    b.opt_uuid("reservation_id"),
                                    b.opt_integer("deal_price_fen", 0, kMaxFen),
                                    project_scope(b)};
        },
        [&db](const app::HoldRequest& r) { return app::hold(db, r); });
    const auto release = responder(
        "rpc.inventory.release", {"unit_id", "subscription_id", "actor", "reason"},
        [](const Body& b) {
            return app::ReleaseRequest{b.uuid("unit_id"), b.uuid("subscription_id"),
                                       b.text("actor", 200), b.text("reason", 500)};
        },
        [&db](const app::ReleaseRequest& r) { return app::release(db, r); });
    const auto swap = responder(
        "rpc.inventory.swap",
        {"subscription_id", "old_unit_id", "new_unit_id", "hold_until", "actor", "project_ids"},
        [&clock](const Body& b) {
            return app::SwapRequest{b.uuid("subscription_id"), b.uuid("old_unit_id"),
                                    b.uuid("new_unit_id"),     future_time(b, "hold_until", clock),
                                    b.text("actor", 200),      project_scope(b)};
        },
        [&db](const app::SwapRequest& r) { return app::swap(db, r); });
    // The units in a deal, a page at a time, for contract's reconciliation of holds.
    const auto deals = responder(
        "rpc.inventory.deals", {"after_unit_id", "limit"},
        [](const Body& b) {
            return std::pair{b.opt_uuid("after_unit_id").value_or(""),
                             static_cast<int>(b.opt_integer("limit", 1, 1000).value_or(500))};
        },
        [&db](const std::pair<std::string, int>& page) {
            auto items = nlohmann::json::array();
            db.transaction([&](sales::db::Tx& tx) {
                for (const auto& r : hold_store::deals_page(tx, page.first, page.second)) {
                    items.push_back({{"unit_id", r.text("unit_id")},
                                     {"project_id", r.text("project_id")},
                                     {"status", r.text("status")},
                                     {"subscription_id", r.text("subscription_id")},
                                     {"changed_at", r.text("changed_at")}});
                }
            });
            return nlohmann::json{{"result", "deals"}, {"deals", std::move(items)}};
        });
    const std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>> rpcs =
        {{"rpc.inventory.hold", hold},
         {"rpc.inventory.release", release},
         {"rpc.inventory.swap", swap},
         {"rpc.inventory.deals", deals}};
    // Each subscription of the queue group is served on its own thread: several per subject so
    // that requests run concurrently (the conditional UPDATE keeps them correct), as many holds
    // at once as contract has handlers, whose commits share their disk flushes.
    const auto workers = config.integer("SALES_INVENTORY_RPC_WORKERS", 16, 1, 64);
    for (std::int64_t i = 0; i < workers; ++i) {
        for (const auto& [subject, respond] : rpcs)
            service.serve(subject, respond);
    }

    // One consumer for every contract event keeps the stream's order between a subscription's
    // confirmed/swapped/cancelled and its contract's signed/cancelled/handed_over.
    service.consume("CONTRACT", "contract.>",
                    [hold_settings](sales::db::Tx& tx, const sales::bus::Event& event) {
                        app::on_contract_event(tx, event, hold_settings);
                    });

    const auto interval = config.duration("SALES_INVENTORY_SWEEP_INTERVAL", std::chrono::seconds(1),
                                          std::chrono::milliseconds(10), std::chrono::minutes(10));
    const int batch =
        static_cast<int>(config.integer("SALES_INVENTORY_SWEEP_BATCH", 500, 1, 100'000));
    service.every("hold-expiry", interval,
                  [&db, batch] { sweep("holds", app::expire_holds(db, batch)); });
    service.every("released-subscriptions-purge", 1h, [&db] { app::purge_released(db); });
    service.every("reservation-expiry", interval,
                  [&db, batch] { sweep("reservations", app::expire_reservations(db, batch)); });
}

}  // namespace inventory::adapters
