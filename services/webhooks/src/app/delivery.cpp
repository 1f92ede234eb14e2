#include "app/delivery.hpp"

#include "adapters/webhook_store.hpp"
#include "sales/auth.hpp"
#include "sales/log.hpp"

namespace webhooks::app {
namespace {

struct Attempt {
    std::optional<std::int64_t> http_status;
    std::optional<std::string> error;
};

std::string truncated(std::string text, std::size_t max) {
    if (text.size() > max)
        text.resize(max);
    return text;
}

}  // namespace

sales::http::Client& Deliverer::client_for(const domain::Endpoint& endpoint) {
    const auto key = endpoint.host + ":" + std::to_string(endpoint.port);
    std::lock_guard lock(mutex_);
    auto& client = clients_[key];
    if (!client) {
        sales::http::ClientOptions options;
        options.connect_timeout = std::min(options_.timeout, std::chrono::milliseconds(2'000));
        options.request_timeout = options_.timeout;
        options.max_idle_connections = 4;
        client = std::make_unique<sales::http::Client>(endpoint.host, endpoint.port, options);
    }
    return *client;
}

int Deliverer::deliver_due(sales::db::Pool& db, std::chrono::milliseconds budget) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    int sent = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const bool claimed = db.transaction([&](sales::db::Tx& tx) {
            const auto due = adapters::claim_due_delivery(tx);
            if (!due)
                return false;
            Attempt attempt;
            std::string problem;
            const auto endpoint = domain::parse_endpoint(due->url, problem);
            if (!endpoint) {
                attempt.error = "url " + problem;
            } else {
                const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
                const sales::http::Headers headers = {
                    {"Content-Type", "application/cloudevents+json"},
                    {"X-Sales-Delivery-Id", due->delivery_id},
                    {"X-Sales-Event-Type", due->event_type},
                    {"X-Sales-Timestamp", std::to_string(now)},
                    {"X-Sales-Signature",
                     "v1=" + sales::auth::hmac_sha256_hex(due->secret,
                                                          domain::signed_text(now, due->payload))}};
                try {
                    const auto answer = client_for(*endpoint).request("POST", endpoint->target,
                                                                      due->payload, headers);
                    attempt.http_status = answer.status;
                    if (answer.status < 200 || answer.status >= 300)
                        attempt.error = "HTTP " + std::to_string(answer.status) + ": " +
                                        truncated(answer.body, 200);
                } catch (const sales::http::ClientError& e) {
                    attempt.error = truncated(e.what(), 300);
                }
            }
            auto outcome = domain::outcome_of(
                attempt.http_status ? std::optional<int>(static_cast<int>(*attempt.http_status))
                                    : std::nullopt);
            if (!endpoint)
                outcome = domain::Outcome::dead;
            if (outcome == domain::Outcome::retry &&
                domain::gives_up(options_.retry, std::chrono::milliseconds(due->pending_ms)))
                outcome = domain::Outcome::dead;
            const char* status = outcome == domain::Outcome::delivered ? "delivered"
                                 : outcome == domain::Outcome::dead    ? "dead"
                                                                       : "pending";
            const auto retry_in = domain::backoff(options_.retry, due->attempts + 1);
            adapters::record_attempt(tx, due->id, status, attempt.http_status, attempt.error,
                                     retry_in.count());
            if (outcome == domain::Outcome::dead)
                sales::log::warn("webhook delivery dead-lettered",
                                 {{"delivery_id", due->delivery_id},
                                  {"subscription_id", due->subscription_id},
                                  {"event_type", due->event_type},
                                  {"attempts", due->attempts + 1},
                                  {"error", attempt.error.value_or("")}});
            return true;
        });
        if (!claimed)
            break;
        ++sent;
    }
    return sent;
}

}  // namespace webhooks::app
