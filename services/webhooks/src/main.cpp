// Webhooks: the bridge to other departments without a NATS client. Administrators subscribe an
// HTTP endpoint to event subjects (/api/v1/webhooks, permission webhook.manage); every event of
// INVENTORY, CONTRACT, FINANCE and CUSTOMER that a subscription takes becomes one delivery in the
// event's inbox transaction, and delivery workers POST it signed (HMAC-SHA256), in order per
// event subject, retried with backoff, dead-lettered after the give-up time or when the receiver
// refuses it (4xx), redelivered by hand (app/delivery.hpp has the request format).
//
// Configuration: the runtime's (sales/service.hpp) with <NAME> = WEBHOOKS, port 8086, and
//   SALES_WEBHOOKS_DELIVERY_WORKERS (2): deliveries sent at once (each holds a database
//     connection while it waits for the receiver);
//   SALES_WEBHOOKS_DELIVERY_POLL (200ms): how often an idle worker looks for due deliveries;
//   SALES_WEBHOOKS_DELIVERY_TIMEOUT (10s): per attempt;
//   SALES_WEBHOOKS_RETRY_BASE (1s), SALES_WEBHOOKS_RETRY_MAX (5m): the backoff doubles from base
//     up to max;
//   SALES_WEBHOOKS_GIVE_UP_AFTER (24h): a delivery failing for this long becomes a dead letter.
#include "adapters/webhook_routes.hpp"
#include "app/delivery.hpp"
#include "app/fanout.hpp"
#include "sales/service.hpp"

int main() {
    using namespace std::chrono_literals;
    std::vector<std::string> streams;
    for (const auto& offer : webhooks::app::kOfferedStreams)
        streams.push_back(offer.stream);
    return sales::service::serve_main(
        sales::service::spec_of("webhooks", 8086, SERVICE_MIGRATIONS_DIR, streams),
        [](sales::service::Service& service, const sales::Config& config) {
            webhooks::app::DeliveryOptions options;
            options.retry.base = config.duration("SALES_WEBHOOKS_RETRY_BASE", 1s, 10ms, 1h);
            options.retry.max = config.duration("SALES_WEBHOOKS_RETRY_MAX", 5min, 10ms, 24h);
            options.retry.give_up_after = std::chrono::duration_cast<std::chrono::seconds>(
                config.duration("SALES_WEBHOOKS_GIVE_UP_AFTER", 24h, 1s, 24h * 30));
            options.timeout = config.duration("SALES_WEBHOOKS_DELIVERY_TIMEOUT", 10s, 100ms, 2min);
            const auto poll = config.duration("SALES_WEBHOOKS_DELIVERY_POLL", 200ms, 10ms, 1min);
            const auto workers = config.integer("SALES_WEBHOOKS_DELIVERY_WORKERS", 2, 1, 32);

            webhooks::adapters::add_webhook_routes(service);
            for (const auto& offer : webhooks::app::kOfferedStreams)
                service.consume(offer.stream, std::string(offer.prefix) + ".>",
                                webhooks::app::fan_out);
            auto deliverer = std::make_shared<webhooks::app::Deliverer>(options);
            for (std::int64_t w = 1; w <= workers; ++w)
                service.every("webhook-delivery-" + std::to_string(w), poll, [deliverer, &service] {
                    deliverer->deliver_due(service.db(), std::chrono::seconds(5));
                });
            return service.run();
        });
}
