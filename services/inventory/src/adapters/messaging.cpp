#include "adapters/messaging.hpp"

#include "adapters/request.hpp"
#include "app/holds.hpp"
#include "app/units.hpp"
#include "sales/log.hpp"

namespace inventory::adapters {
namespace {
using Result = app::DealOutcome::Result;

nlohmann::json render(const app::DealOutcome& o) {
    switch (o.result) {
        case Result::held: {
            const auto& u = *o.unit;
            return {{"result", "held"},
                    {"unit",
                     {{"unit_id", u.unit_id},
                      {"project_id", u.project_id},
                      {"building_id", u.building_id},
                      {"unit_number", u.unit_number},
                      {"gross_area_centi_m2", u.gross_area_centi_m2},
                      {"list_unit_price_fen_per_m2", u.list_unit_price_fen_per_m2},
                      {"list_total_fen", u.list_total_fen},
                      {"price_list_id", app::nullable(u.price_list_id)}}}};
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
std::string future_time(const Fields& f, const std::string& name, const sales::Clock& clock) {
    const auto t = f.time(name);
    if (t <= clock.now()) {
        throw sales::http::HttpError(400, "validation_failed", name + ": must be in the future",
                                     {{"field", name}});
    }
    return sales::to_rfc3339(t);
}

// Parses the request, runs the use case; a malformed request answers "invalid" and a failure
// "error" (the reply always has "result").
std::function<std::string(const std::string&)> responder(
    const std::string& subject, std::function<app::DealOutcome(const nlohmann::json&)> handle) {
    return [subject, handle = std::move(handle)](const std::string& payload) {
        nlohmann::json reply;
        try {
            const auto request = nlohmann::json::parse(payload, nullptr, false);
            if (request.is_discarded())
                reply = {{"result", "invalid"}, {"message", "the request is not JSON"}};
            else
                reply = render(handle(request));
        } catch (const sales::http::HttpError& e) {
            reply = {{"result", "invalid"}, {"message", e.what()}};
        } catch (const std::exception& e) {
            sales::log::error("request failed", {{"subject", subject}, {"error", e.what()}});
            reply = {{"result", "error"}, {"message", "inventory could not process the request"}};
        }
        return reply.dump();
    };
}

// Optional "project_ids": the caller's projects (absent = every project).
std::optional<std::vector<std::string>> project_scope(const Fields& f) {
    if (!f.has("project_ids"))
        return std::nullopt;
    return f.uuids("project_ids", 10'000);
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
    using Handle = std::function<app::DealOutcome(const nlohmann::json&)>;

    const std::vector<std::pair<std::string, Handle>> rpcs = {
        {"rpc.inventory.hold",
         [&db, &clock](const nlohmann::json& body) {
             const Fields f(body, "",
                            {"unit_id", "subscription_id", "hold_until", "actor", "reservation_id",
                             "deal_price_fen", "project_ids"});
             app::HoldRequest r{f.uuid("unit_id"),
                                f.uuid("subscription_id"),
                                future_time(f, "hold_until", clock),
                                f.text("actor", 200),
                                f.opt_uuid("reservation_id"),
                                f.opt_integer("deal_price_fen"),
                                project_scope(f)};
             if (r.deal_price_fen && *r.deal_price_fen < 0)
                 return app::DealOutcome{Result::invalid, {}, "", "deal_price_fen must be >= 0"};
             return app::hold(db, r);
         }},
        {"rpc.inventory.release",
         [&db](const nlohmann::json& body) {
             const Fields f(body, "", {"unit_id", "subscription_id", "actor", "reason"});
             return app::release(db, {f.uuid("unit_id"), f.uuid("subscription_id"),
                                      f.text("actor", 200), f.text("reason", 500)});
         }},
        {"rpc.inventory.swap",
         [&db, &clock](const nlohmann::json& body) {
             const Fields f(body, "",
                            {"subscription_id", "old_unit_id", "new_unit_id", "hold_until", "actor",
                             "project_ids"});
             return app::swap(
                 db, {f.uuid("subscription_id"), f.uuid("old_unit_id"), f.uuid("new_unit_id"),
                      future_time(f, "hold_until", clock), f.text("actor", 200), project_scope(f)});
         }},
    };
    // Each subscription of the queue group is served on its own thread: several per subject so
    // that requests run concurrently (the conditional UPDATE keeps them correct).
    const auto workers = config.integer("SALES_INVENTORY_RPC_WORKERS", 4, 1, 64);
    for (std::int64_t i = 0; i < workers; ++i) {
        for (const auto& [subject, handle] : rpcs)
            service.serve(subject, responder(subject, handle));
    }

    // One consumer for every contract event keeps the stream's order between a subscription's
    // confirmed/swapped/cancelled and its contract's signed/cancelled/handed_over.
    service.consume("CONTRACT", "contract.>", app::on_contract_event);

    const auto interval = config.duration("SALES_INVENTORY_SWEEP_INTERVAL", std::chrono::seconds(1),
                                          std::chrono::milliseconds(10), std::chrono::minutes(10));
    const int batch =
        static_cast<int>(config.integer("SALES_INVENTORY_SWEEP_BATCH", 500, 1, 100'000));
    service.every("hold-expiry", interval,
                  [&db, batch] { sweep("holds", app::expire_holds(db, batch)); });
    service.every("reservation-expiry", interval,
                  [&db, batch] { sweep("reservations", app::expire_reservations(db, batch)); });
}

}  // namespace inventory::adapters
