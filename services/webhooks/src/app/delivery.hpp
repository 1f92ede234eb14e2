#pragma once
// Sending due deliveries: each worker claims the oldest due delivery that heads its key
// (subscription, event subject), POSTs the envelope signed with the subscription's secret, and
// records the outcome in the same transaction (domain::outcome_of, backoff, give-up).
//
// Request: POST <url>, body = the CloudEvents envelope, headers
//   Content-Type: application/cloudevents+json
//   X-Sales-Delivery-Id: <uuid, the same on every attempt of this delivery>
//   X-Sales-Event-Type: <type>
//   X-Sales-Timestamp: <unix seconds of this attempt>
//   X-Sales-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "domain/webhook.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"

namespace webhooks::app {

struct DeliveryOptions {
    domain::RetryPolicy retry;
    std::chrono::milliseconds timeout{10'000};  // connect + answer, per attempt
};

class Deliverer {
  public:
    explicit Deliverer(DeliveryOptions options) : options_(std::move(options)) {}

    // Sends due deliveries until none is due or `budget` has passed; returns how many it sent.
    int deliver_due(sales::db::Pool& db, std::chrono::milliseconds budget);

  private:
    sales::http::Client& client_for(const domain::Endpoint& endpoint);

    DeliveryOptions options_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<sales::http::Client>> clients_;
};

}  // namespace webhooks::app
