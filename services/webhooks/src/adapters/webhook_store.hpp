#pragma once
// The webhook tables (migrations/0001_webhooks.sql): subscriptions and their deliveries.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace webhooks::adapters {

using sales::db::Tx;

struct Subscription {
    std::string subscription_id;
    std::string name;
    std::string url;
    std::vector<std::string> subjects;
    std::vector<std::string> project_ids;
    bool active = true;
};

// For the fan-out of an event: the active subscriptions (few rows).
std::vector<Subscription> active_subscriptions(Tx& tx);

void insert_subscription(Tx& tx, const Subscription& s, const std::string& secret,
                         const std::string& created_by);
// The subscription as the API shows it (no secret; counts of deliveries by status).
std::optional<nlohmann::json> subscription_json(Tx& tx, const std::string& subscription_id);
std::vector<nlohmann::json> list_subscriptions(Tx& tx);
// The stored subscription, locked for an update; nullopt when absent.
std::optional<Subscription> lock_subscription(Tx& tx, const std::string& subscription_id);
void update_subscription(Tx& tx, const Subscription& s);
void set_secret(Tx& tx, const std::string& subscription_id, const std::string& secret);
bool delete_subscription(Tx& tx, const std::string& subscription_id);

// One delivery of the event to the subscription; nothing when it already has one.
void insert_delivery(Tx& tx, const std::string& subscription_id, const std::string& event_id,
                     const std::string& event_type, const std::string& ordering_key,
                     const std::string& payload);

struct DueDelivery {
    std::int64_t id = 0;
    std::string delivery_id;
    std::string subscription_id;
    std::string event_type;
    std::string payload;
    std::string url;
    std::string secret;
    std::int64_t pending_ms = 0;  // how long it has been waiting
    int attempts = 0;
};
// The oldest due delivery that is the first pending one of its key, locked (SKIP LOCKED: other
// workers and replicas take others); nullopt when none is due.
std::optional<DueDelivery> claim_due_delivery(Tx& tx);
// `status`: "pending" (retry after `retry_in_ms`), "delivered" or "dead".
void record_attempt(Tx& tx, std::int64_t id, const std::string& status,
                    std::optional<std::int64_t> http_status,
                    const std::optional<std::string>& error, std::int64_t retry_in_ms);

struct DeliveryPage {
    std::vector<nlohmann::json> items;
    std::int64_t total = 0;
};
DeliveryPage list_deliveries(Tx& tx, const std::string& subscription_id,
                             const std::optional<std::string>& status, std::int64_t limit,
                             std::int64_t offset);
// Dead letters of the subscription back to pending (all of them when `delivery_ids` is empty),
// due now, their attempts counted afresh; returns how many.
std::int64_t redeliver_dead(Tx& tx, const std::string& subscription_id,
                            const std::vector<std::string>& delivery_ids);
// The delivery ids among `delivery_ids` that are not dead letters of the subscription.
std::vector<std::string> not_dead(Tx& tx, const std::string& subscription_id,
                                  const std::vector<std::string>& delivery_ids);

}  // namespace webhooks::adapters
