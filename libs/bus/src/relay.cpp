// Outbox relay: publishes unsent outbox rows to JetStream (Nats-Msg-Id = event id) and marks
// them sent only after their publish ack, in the transaction that claimed them.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nats/nats.h>

#include "nats_impl.hpp"
#include "relay_wake.hpp"
#include "sales/bus.hpp"
#include "sales/fault.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"
#include "worker.hpp"

namespace sales::bus {

namespace {

constexpr const char* kMsgIdHeader = "Nats-Msg-Id";
constexpr auto kGaugeRefresh = std::chrono::seconds(1);
constexpr auto kPurgeInterval = std::chrono::minutes(10);
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);

struct BatchResult {
    int claimed = 0;
    int published = 0;
    std::string first_error;
};

}  // namespace

struct Relay::Impl {
    Impl(db::Pool& p, Nats& n, RelayOptions o) : pool(p), nats(n), options(o) {}

    db::Pool& pool;
    Nats& nats;
    RelayOptions options;
    jsCtx* js = nullptr;  // own context: its async-publish ack handler reports to this relay

    // Event ids whose publish was acknowledged by the stream (duplicates included), and the
    // reasons of failed acks; filled by the ack handler on nats.c's thread.
    std::mutex ack_mutex;
    std::unordered_set<std::string> acked;
    std::unordered_map<std::string, std::string> nacked;

    std::mutex batch_mutex;  // run_once() and the thread never publish at the same time

    std::mutex start_mutex;
    Worker worker;

    metrics::Gauge& backlog =
        metrics::registry().gauge("outbox_backlog", "Outbox rows not yet published to JetStream");
    metrics::Gauge& oldest_age = metrics::registry().gauge(
        "outbox_oldest_unsent_age_seconds", "Age of the oldest unpublished outbox row");
    metrics::Counter& published_total = metrics::registry().counter(
        "outbox_published_total", "Outbox rows published and acknowledged by JetStream");
    metrics::Counter& failures_total = metrics::registry().counter(
        "outbox_publish_failures_total",
        "Relay batches that failed (NATS or database unavailable, or unacknowledged publishes)");
    std::chrono::steady_clock::time_point gauges_refreshed{};

    static void on_ack(jsCtx*, natsMsg* msg, jsPubAck* pa, jsPubAckErr* pae, void* closure) {
        auto* self = static_cast<Impl*>(closure);
        const char* id = nullptr;
        if (natsMsgHeader_Get(msg, kMsgIdHeader, &id) == NATS_OK && id != nullptr) {
            std::lock_guard lock(self->ack_mutex);
            if (pa != nullptr) {
                self->acked.insert(id);
            } else if (pae != nullptr) {
                self->nacked[id] =
                    pae->ErrText != nullptr ? pae->ErrText : natsStatus_GetText(pae->Err);
            }
        }
        natsMsg_Destroy(msg);
    }

    BatchResult batch() {
        std::lock_guard batch_lock(batch_mutex);
        // Publishing while disconnected would only fill nats.c's reconnect buffer with copies.
        if (!nats.connected())
            throw NatsError("outbox relay: NATS is not connected");
        BatchResult result;
        pool.transaction([&](db::Tx& tx) {
            result = {};
            // One relay of the database publishes at a time: with replicas, two relays each
            // publishing the rows they claimed would interleave the stream out of outbox order,
            // the order consumers apply events in. The other replica's relay finds the rows on
            // its next poll (or takes over when this one dies: the lock ends with the
            // transaction).
            if (!tx.exec_one("SELECT pg_try_advisory_xact_lock(hashtext('sales.outbox.relay'))")
                     .boolean(0))
                return;
            auto rows = tx.exec(
                "SELECT id, event_id::text, subject, payload FROM outbox WHERE sent_at IS NULL "
                "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                {db::param(options.batch_size)});
            if (rows.empty())
                return;
            result.claimed = static_cast<int>(rows.size());
            {
                std::lock_guard lock(ack_mutex);
                acked.clear();
                nacked.clear();
            }

            std::vector<std::pair<std::int64_t, std::string>> claimed;  // (row id, event id)
            claimed.reserve(rows.size());
            for (const auto& row : rows) {
                claimed.emplace_back(row.int64(0), row.text(1));
                const auto& event_id = claimed.back().second;
                const std::string subject = row.text(2);
                const std::string payload = row.text(3);
                natsMsg* msg = nullptr;
                natsStatus s = natsMsg_Create(&msg, subject.c_str(), nullptr, payload.data(),
                                              static_cast<int>(payload.size()));
                if (s == NATS_OK)
                    s = natsMsgHeader_Set(msg, kMsgIdHeader, event_id.c_str());
                if (s == NATS_OK)
                    s = js_PublishMsgAsync(js, &msg, nullptr);  // takes msg on success
                if (s != NATS_OK) {
                    if (result.first_error.empty()) {
                        result.first_error =
                            nats_error_text("publish " + subject + " " + event_id, s);
                    }
                    natsMsg_Destroy(msg);
                }
            }

            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MaxWait = options.publish_timeout.count();
            natsStatus s = js_PublishAsyncComplete(js, &po);
            if (s != NATS_OK && result.first_error.empty()) {
                result.first_error =
                    nats_error_text("no publish ack within " +
                                        std::to_string(options.publish_timeout.count()) + " ms",
                                    s);
            }
            // Whatever is still pending is unacknowledged: take it back so that a late ack cannot
            // be confused with the next batch.
            natsMsgList pending{};
            if (js_PublishAsyncGetPendingList(&pending, js) == NATS_OK)
                natsMsgList_Destroy(&pending);

            // Only an acked event is known to be in the stream; anything else stays unsent and is
            // re-published later (the stream's duplicate window removes a second copy).
            std::string ids = "{";
            {
                std::lock_guard lock(ack_mutex);
                for (const auto& [row_id, event_id] : claimed) {
                    if (acked.count(event_id) != 0) {
                        if (result.published > 0)
                            ids += ',';
                        ids += std::to_string(row_id);
                        ++result.published;
                    } else if (result.first_error.empty()) {
                        auto it = nacked.find(event_id);
                        result.first_error =
                            "publish of event " + event_id + " not acknowledged" +
                            (it != nacked.end() ? ": " + it->second : std::string{});
                    }
                }
            }
            ids += '}';
            if (result.published == 0)
                return;

            fault::point("relay_after_publish");
            // The next batch need not wait for this commit's WAL flush: a mark lost with a
            // server crash only re-publishes the rows, which the stream's duplicate window and
            // every inbox absorb (as after a relay killed before this commit).
            tx.exec("SET LOCAL synchronous_commit = off");
            // clock_timestamp(), after the acks: a row marked sent before a stream backup
            // started is in that backup (pgbackrest.sh restore publishes again the rows sent
            // since); now() would be this transaction's start, before the publish.
            tx.exec("UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])",
                    {db::param(ids)});
        });
        published_total.inc(result.published);
        return result;
    }

    int run_once() {
        auto result = batch();
        if (result.published < result.claimed) {
            throw NatsError("outbox relay: " + std::to_string(result.claimed - result.published) +
                            " of " + std::to_string(result.claimed) +
                            " events not published: " + result.first_error);
        }
        return result.published;
    }

    std::chrono::steady_clock::time_point purged_at{};

    std::int64_t purge_sent() {
        return pool.transaction([&](db::Tx& tx) {
            return static_cast<std::int64_t>(
                tx.exec("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at < "
                        "now() - make_interval(secs => $1::bigint) ORDER BY id LIMIT 10000)",
                        {db::param(static_cast<std::int64_t>(options.sent_retention.count()))})
                    .affected_rows());
        });
    }

    void maybe_purge() {
        const auto now = std::chrono::steady_clock::now();
        if (now - purged_at < kPurgeInterval)
            return;
        purged_at = now;
        if (const auto deleted = purge_sent(); deleted > 0)
            log::info("outbox purged", {{"deleted", deleted}});
    }

    void refresh_gauges(bool force) {
        auto now = std::chrono::steady_clock::now();
        if (!force && now - gauges_refreshed < kGaugeRefresh)
            return;
        gauges_refreshed = now;
        pool.transaction([&](db::Tx& tx) {
            auto row = tx.exec_one(
                "SELECT count(*)::bigint, "
                "COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint "
                "FROM outbox WHERE sent_at IS NULL");
            backlog.set(row.int64(0));
            oldest_age.set(row.int64(1));
        });
    }

    void loop() {
        std::chrono::milliseconds backoff = kFirstBackoff;
        int failed_attempts = 0;
        while (!worker.should_stop()) {
            try {
                int published = run_once();
                refresh_gauges(false);
                maybe_purge();
                if (failed_attempts > 0) {
                    log::info("outbox relay recovered", {{"failed_attempts", failed_attempts}});
                    failed_attempts = 0;
                    backoff = kFirstBackoff;
                }
                if (published > 0)
                    continue;  // more rows may be waiting
                // Until a transaction that wrote the outbox commits (wake_relays()) or the
                // safety-net poll.
                if (!worker.wait(options.idle_poll))
                    break;
            } catch (const std::exception& e) {
                failures_total.inc();
                if (failed_attempts++ == 0) {
                    log::warn(
                        "outbox relay cannot publish; retrying with backoff",
                        {{"error", e.what()}, {"max_backoff_ms", options.max_backoff.count()}});
                } else {
                    log::debug("outbox relay still failing",
                               {{"error", e.what()}, {"attempt", failed_attempts}});
                }
                try {
                    refresh_gauges(false);
                } catch (const std::exception& ge) {
                    log::debug("outbox gauges not refreshed", {{"error", ge.what()}});
                }
                if (!worker.pause(backoff))  // commits meanwhile do not shorten a backoff
                    break;
                backoff = std::min(backoff * 2, options.max_backoff);
            }
        }
    }
};

namespace {

// The relays running in this process, woken by outbox_append()'s after-commit action.
class RelayRegistry {
  public:
    void add(Worker* relay) {
        std::lock_guard lock(mutex_);
        relays_.push_back(relay);
    }
    void remove(Worker* relay) {
        std::lock_guard lock(mutex_);
        relays_.erase(std::remove(relays_.begin(), relays_.end(), relay), relays_.end());
    }
    void wake_all() {
        std::lock_guard lock(mutex_);
        for (auto* relay : relays_)
            relay->wake();
    }

  private:
    std::mutex mutex_;
    std::vector<Worker*> relays_;  // each Relay's thread
};

RelayRegistry& relays_of_this_process() {
    static RelayRegistry registry;
    return registry;
}

}  // namespace

void wake_relays() {
    relays_of_this_process().wake_all();
}

Relay::Relay(db::Pool& pool, Nats& nats, RelayOptions options)
    : impl_(std::make_unique<Impl>(pool, nats, options)) {
    if (options.batch_size <= 0)
        throw std::invalid_argument("RelayOptions.batch_size must be positive");
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = options.publish_timeout.count();
    jo.PublishAsync.AckHandler = &Impl::on_ack;
    jo.PublishAsync.AckHandlerClosure = impl_.get();
    natsStatus s = natsConnection_JetStream(&impl_->js, nats.impl().nc, &jo);
    if (s != NATS_OK)
        throw NatsError(nats_error_text("outbox relay: cannot create JetStream context", s));
    relays_of_this_process().add(&impl_->worker);
}

std::int64_t Relay::purge_sent() {
    return impl_->purge_sent();
}

Relay::~Relay() {
    relays_of_this_process().remove(&impl_->worker);
    stop();
    jsCtx_Destroy(impl_->js);
}

void Relay::start() {
    std::lock_guard lock(impl_->start_mutex);
    impl_->worker.start([this] { impl_->loop(); });
}

void Relay::stop() {
    impl_->worker.stop();
}

int Relay::run_once() {
    return impl_->run_once();
}

}  // namespace sales::bus
