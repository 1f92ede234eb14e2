// Inbox consumer: pull from a durable JetStream consumer; apply each event at most once by
// recording its id in `inbox` in the handler's transaction; ack only after the commit.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <nats/nats.h>
#include <nlohmann/json.hpp>

#include "nats_impl.hpp"
#include "sales/bus.hpp"
#include "sales/fault.hpp"
#include "sales/json_limits.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"
#include "worker.hpp"

namespace sales::bus {

namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5'000);
constexpr auto kQuickEmptyFetch = std::chrono::milliseconds(2);

std::string message_subject(natsMsg* msg) {
    const char* s = natsMsg_GetSubject(msg);
    return s != nullptr ? s : "";
}

std::string message_data(natsMsg* msg) {
    const char* d = natsMsg_GetData(msg);
    return std::string(d != nullptr ? d : "", static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
}

std::uint64_t delivery_count(natsMsg* msg) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK || meta == nullptr)
        return 1;
    std::uint64_t n = meta->NumDelivered;
    jsMsgMetaData_Destroy(meta);
    return n;
}

// For a malformed message, the id is still worth recording when it can be read.
std::optional<std::string> best_effort_id(const std::string& payload) {
    if (!json_depth_within(payload))
        return std::nullopt;
    auto doc = nlohmann::json::parse(payload, nullptr, false);
    if (doc.is_object()) {
        auto it = doc.find("id");
        if (it != doc.end() && it->is_string())
            return it->get<std::string>();
    }
    return std::nullopt;
}

}  // namespace

struct InboxConsumer::Impl {
    Impl(db::Pool& p, Nats& n, InboxOptions o, InboxHandler h)
        : pool(p), nats(n), options(std::move(o)), handler(std::move(h)) {}

    db::Pool& pool;
    Nats& nats;
    InboxOptions options;
    InboxHandler handler;
    natsSubscription* sub = nullptr;

    Worker worker;

    std::string labels() const { return "consumer=\"" + options.consumer.durable + "\""; }
    metrics::Counter& applied_total = metrics::registry().counter(
        "inbox_applied_total", "Events applied by an inbox handler", labels());
    metrics::Counter& duplicates_total = metrics::registry().counter(
        "inbox_duplicates_total", "Redelivered events acked without applying them again", labels());
    metrics::Counter& dead_letters_total = metrics::registry().counter(
        "inbox_dead_letters_total", "Events moved to dead_letter and terminated", labels());

    void subscribe() {
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = options.consumer.stream.c_str();
        so.Consumer =
            options.consumer.durable.c_str();  // bound: destroying the sub keeps the durable
        so.ManualAck = true;
        jsErrCode jerr{};
        natsStatus s = js_PullSubscribe(&sub, nats.impl().js, nullptr,
                                        options.consumer.durable.c_str(), nullptr, &so, &jerr);
        if (s != NATS_OK) {
            sub = nullptr;
            throw NatsError(nats_error_text("cannot bind to consumer " + options.consumer.durable +
                                                " on stream " + options.consumer.stream,
                                            s, jerr));
        }
    }

    // Runs fn until it does not fail with db::Unavailable. While the database is away the
    // messages of the batch are kept alive with InProgress, so an outage does not use up their
    // deliveries. Returns false if stop() interrupted the wait (messages left unacked).
    template <class F>
    bool with_database(natsMsgList& list, int from, F&& fn) {
        auto backoff = kFirstBackoff;
        int attempts = 0;
        for (;;) {
            try {
                fn();
                if (attempts > 0)
                    log::info("inbox: database reachable again", {{"attempts", attempts}});
                return true;
            } catch (const db::Unavailable& e) {
                if (attempts++ == 0) {
                    log::warn("inbox: database unavailable; holding messages and retrying",
                              {{"consumer", options.consumer.durable}, {"error", e.what()}});
                }
                for (int i = from; i < list.Count; ++i)
                    natsMsg_InProgress(list.Msgs[i], nullptr);
                if (!worker.wait(backoff))
                    return false;
                backoff = std::min(backoff * 2, kMaxBackoff);
            }
        }
    }

    void terminate(natsMsg* msg, const std::string& what) {
        natsStatus s = natsMsg_Term(msg, nullptr);
        if (s != NATS_OK)
            log::warn("inbox: cannot terminate message", {{"error", nats_error_text(what, s)}});
    }

    // Records the message in dead_letter and terminates it. If the row cannot be written the
    // message is left for redelivery instead (never terminated without a trace).
    void dead_letter(natsMsgList& list, int index, const std::optional<std::string>& event_id,
                     const std::string& payload, const std::string& reason,
                     std::uint64_t deliveries) {
        natsMsg* msg = list.Msgs[index];
        const std::string subject = message_subject(msg);
        bool written = false;
        try {
            written = with_database(list, index, [&] {
                pool.transaction([&](db::Tx& tx) {
                    tx.exec(
                        "INSERT INTO dead_letter (event_id, subject, payload, reason, deliveries) "
                        "VALUES ($1, $2, $3, $4, $5)",
                        {db::param(event_id), db::param(subject), db::param(payload),
                         db::param(reason), db::param(static_cast<std::int64_t>(deliveries))});
                });
            });
        } catch (const std::exception& e) {
            log::error("inbox: cannot write dead letter; message left for redelivery",
                       {{"consumer", options.consumer.durable},
                        {"event_id", event_id.value_or("")},
                        {"subject", subject},
                        {"reason", reason},
                        {"error", e.what()},
                        {"payload", payload}});
            natsMsg_NakWithDelay(msg, options.nak_delay.count(), nullptr);
            return;
        }
        if (!written)
            return;  // stopping: unacked, will be redelivered
        dead_letters_total.inc();
        log::warn("inbox: event dead-lettered", {{"consumer", options.consumer.durable},
                                                 {"event_id", event_id.value_or("")},
                                                 {"subject", subject},
                                                 {"reason", reason},
                                                 {"deliveries", deliveries}});
        terminate(msg, "term after dead letter");
    }

    void handle(natsMsgList& list, int index) {
        natsMsg* msg = list.Msgs[index];
        const std::string payload = message_data(msg);
        const std::uint64_t deliveries = delivery_count(msg);

        Event event;
        try {
            event = parse_event(payload);
        } catch (const EnvelopeError& e) {
            dead_letter(list, index, best_effort_id(payload), payload,
                        std::string("malformed: ") + e.what(), deliveries);
            return;
        }

        log::ScopedContext scoped(log::Context{log::current().request_id, event.traceparent});
        try {
            bool duplicate = false;
            bool done = with_database(list, index, [&] {
                pool.transaction([&](db::Tx& tx) {
                    auto r = tx.exec(
                        "INSERT INTO inbox (event_id, subject) VALUES ($1::uuid, $2) "
                        "ON CONFLICT DO NOTHING",
                        {db::param(event.id), db::param(event.type)});
                    duplicate = r.affected_rows() == 0;
                    if (!duplicate)
                        handler(tx, event);
                });
            });
            if (!done)
                return;  // stopping while the database is away: redelivered later
            if (duplicate) {
                duplicates_total.inc();
                log::debug("inbox: duplicate event skipped",
                           {{"event_id", event.id}, {"type", event.type}});
            } else {
                applied_total.inc();
            }
            fault::point("inbox_after_commit");
            natsStatus s = natsMsg_Ack(msg, nullptr);
            if (s != NATS_OK) {
                // The inbox row makes the redelivery harmless.
                log::warn("inbox: ack failed; event will be redelivered and skipped",
                          {{"event_id", event.id}, {"error", nats_error_text("ack", s)}});
            }
        } catch (const PoisonMessage& e) {
            dead_letter(list, index, event.id, payload, std::string("poison: ") + e.what(),
                        deliveries);
        } catch (const std::exception& e) {
            const bool retry_later = dynamic_cast<const RetryLater*>(&e) != nullptr;
            if (deliveries >=
                static_cast<std::uint64_t>(std::max(options.consumer.max_deliver, 1))) {
                dead_letter(
                    list, index, event.id, payload,
                    "failed after " + std::to_string(deliveries) + " deliveries: " + e.what(),
                    deliveries);
                return;
            }
            nlohmann::json fields = {{"event_id", event.id},
                                     {"type", event.type},
                                     {"delivery", deliveries},
                                     {"error", e.what()}};
            if (retry_later) {
                log::info("inbox: event not applicable yet; redelivery later", std::move(fields));
            } else {
                log::warn("inbox: handler failed; redelivery later", std::move(fields));
            }
            natsStatus s = natsMsg_NakWithDelay(msg, options.nak_delay.count(), nullptr);
            if (s != NATS_OK) {
                log::warn("inbox: nak failed; redelivery after ack wait",
                          {{"event_id", event.id}, {"error", nats_error_text("nak", s)}});
            }
        }
    }

    // Up to batch_size messages, returned as soon as at least one is available: a no-wait pull
    // request with an expiry waits on the server until the first message (or the expiry), then
    // delivers what is there and ends (nats-server 2.9 semantics). natsSubscription_Fetch would
    // instead wait for a full batch or the expiry, delaying a lone event by up to fetch_wait.
    natsStatus fetch(natsMsgList& list) {
        jsFetchRequest request;
        jsFetchRequest_Init(&request);
        // Never more than the durable lets out unacknowledged (nats-server parks a larger
        // request instead of answering it with what it may hand out).
        request.Batch = std::min(options.batch_size, std::max(1, options.consumer.max_ack_pending));
        request.NoWait = true;
        request.Expires = std::chrono::duration_cast<std::chrono::nanoseconds>(options.fetch_wait)
                              .count();  // nanoseconds here; milliseconds in Fetch's timeout
        return natsSubscription_FetchRequest(&list, sub, &request);
    }

    void loop() {
        auto backoff = kFirstBackoff;
        int failed_fetches = 0;
        while (!worker.should_stop()) {
            natsMsgList list{};
            const auto fetch_started = std::chrono::steady_clock::now();
            natsStatus s = fetch(list);
            if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND) {  // nothing to do
                if (failed_fetches > 0) {
                    log::info("inbox: fetching again", {{"consumer", options.consumer.durable}});
                    failed_fetches = 0;
                    backoff = kFirstBackoff;
                }
                // An empty answer without the long poll (another replica's request is served
                // first, or an expired request's late status): do not spin on it.
                if (std::chrono::steady_clock::now() - fetch_started < kQuickEmptyFetch &&
                    !worker.wait(kQuickEmptyFetch))
                    break;
                continue;
            }
            if (s != NATS_OK) {
                std::string text = nats_error_text("fetch from " + options.consumer.durable, s);
                if (failed_fetches++ == 0) {
                    log::warn("inbox: fetch failing; retrying with backoff", {{"error", text}});
                }
                if (s == NATS_NO_RESPONDERS) {
                    // Nothing serves the consumer's pull subject: the durable vanished (stream
                    // re-created, server store lost). Declare it again.
                    try {
                        nats.ensure_consumer(options.consumer);
                        log::info("inbox: consumer re-created",
                                  {{"consumer", options.consumer.durable}});
                    } catch (const std::exception& e) {
                        log::debug("inbox: consumer not re-created yet", {{"error", e.what()}});
                    }
                }
                if (!worker.wait(backoff))
                    break;
                backoff = std::min(backoff * 2, kMaxBackoff);
                continue;
            }
            if (failed_fetches > 0) {
                log::info("inbox: fetching again", {{"consumer", options.consumer.durable}});
                failed_fetches = 0;
                backoff = kFirstBackoff;
            }
            for (int i = 0; i < list.Count; ++i) {
                try {
                    handle(list, i);
                } catch (const std::exception& e) {
                    // handle() deals with every expected failure; this is a bug or resource
                    // exhaustion. The message stays unacked and comes back after the ack wait.
                    log::error("inbox: unexpected failure handling a message",
                               {{"consumer", options.consumer.durable}, {"error", e.what()}});
                }
            }
            natsMsgList_Destroy(&list);
            // Acks are buffered by nats.c: push them out now.
            s = natsConnection_FlushTimeout(nats.impl().nc, 2'000);
            if (s != NATS_OK)
                log::debug("inbox: flush after batch failed",
                           {{"error", nats_error_text("flush", s)}});
        }
    }
};

InboxConsumer::InboxConsumer(db::Pool& pool, Nats& nats, InboxOptions options, InboxHandler handler)
    : impl_(std::make_unique<Impl>(pool, nats, std::move(options), std::move(handler))) {
    if (!impl_->handler)
        throw std::invalid_argument("InboxConsumer needs a handler");
    if (impl_->options.batch_size <= 0)
        throw std::invalid_argument("InboxOptions.batch_size must be positive");
}

InboxConsumer::~InboxConsumer() {
    stop();
}

void InboxConsumer::start() {
    if (impl_->worker.running())
        return;
    if (impl_->sub == nullptr) {
        impl_->nats.ensure_consumer(impl_->options.consumer);
        impl_->subscribe();
    }
    impl_->worker.start([this] { impl_->loop(); });
}

void InboxConsumer::stop() {
    impl_->worker.stop();
    if (impl_->sub != nullptr) {
        natsStatus s = natsConnection_FlushTimeout(impl_->nats.impl().nc, 2'000);
        if (s != NATS_OK)
            log::debug("inbox: flush on stop failed", {{"error", nats_error_text("flush", s)}});
        // Destroy only: the subscription is bound, so the durable consumer stays on the server.
        natsSubscription_Destroy(impl_->sub);
        impl_->sub = nullptr;
    }
}

void forget_applied_events(db::Tx& tx, const std::vector<std::string>& subject_prefixes) {
    for (const auto& prefix : subject_prefixes) {
        tx.exec("DELETE FROM inbox WHERE starts_with(subject, $1)", {db::param(prefix)});
        tx.exec("DELETE FROM dead_letter WHERE starts_with(subject, $1)", {db::param(prefix)});
    }
}

}  // namespace sales::bus
