#pragma once
// Events between services (ARCHITECTURE.md "never lost, never applied twice"):
//  - Event: CloudEvents 1.0 structured JSON envelope with sequence and traceparent extensions;
//  - outbox_append(): writes an event row inside the caller's database transaction;
//  - Relay: publishes outbox rows to JetStream with Nats-Msg-Id = event id, marks them sent only
//    after the publish ack;
//  - InboxConsumer: pulls from a durable consumer, records the event id in `inbox` in the same
//    transaction as the handler's change, acks after commit; duplicates are acked and skipped;
//  - Nats: connection, idempotent stream/consumer declaration, request/reply.
// nats.h is included only by libs/bus/src.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace sales::bus {

struct Event {
    std::string id;             // UUID; also the Nats-Msg-Id and the inbox key
    std::string source;         // "/sales/<service>"
    std::string type;           // = the NATS subject, e.g. "inventory.project.created"
    std::string subject;        // aggregate id
    std::string time;           // RFC 3339
    std::int64_t sequence = 0;  // aggregate version
    std::string traceparent;
    nlohmann::json data = nlohmann::json::object();
};

class EnvelopeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// New event with a fresh id, the current time and the current trace context (log::current()).
Event make_event(const std::string& service, const std::string& type, const std::string& subject,
                 std::int64_t sequence, nlohmann::json data);
std::string to_json(const Event& event);
// Validates specversion "1.0", required attributes and types; throws EnvelopeError.
Event parse_event(const std::string& json_text);

// Inserts the event into `outbox` using the caller's transaction (same commit as the change);
// once that transaction commits, the relays of this process are woken.
void outbox_append(db::Tx& tx, const Event& event);

// Directory of the SQL migrations that create outbox, inbox and dead_letter tables
// (libs/bus/migrations); a service applies it as migration set "bus".
std::string migrations_directory();

// Releases the NATS library's process-wide resources; call once at process exit, after every
// Nats object is destroyed.
void shutdown_library();

struct NatsOptions {
    std::string url = "nats://127.0.0.1:4222";
    std::string name = "sales";
    // The NATS user of this connection (deploy/local/nats.conf); empty: none. Kept out of the
    // URL so that logs, which show the URL, never show the password.
    std::string user{};
    std::string password{};
    std::chrono::milliseconds connect_timeout{2'000};
    // Reconnect forever: the outbox keeps events while NATS is away.
};

struct StreamConfig {
    std::string name;                   // e.g. "INVENTORY"
    std::vector<std::string> subjects;  // e.g. {"inventory.>"}
    std::chrono::seconds duplicate_window{120};
    // 0: events are kept for ever, so that a read model (reporting) or another department's
    // consumer can be rebuilt by replaying the stream from its first event.
    std::chrono::hours max_age{0};
    // Copies kept by a JetStream cluster (1 on a single server; 3 in a three-node cluster).
    int replicas = 1;
};

struct ConsumerConfig {
    std::string stream;
    std::string durable;         // e.g. "contract"
    std::string filter_subject;  // e.g. "inventory.project.>"; empty = all
    std::chrono::milliseconds ack_wait{30'000};
    int max_deliver = 5;
    // Messages handed out and not yet acknowledged, over every replica sharing the durable. 1:
    // one message at a time in stream order, as a single process applies them, whatever the
    // number of replicas (an event never overtakes an earlier one of the same deal).
    int max_ack_pending = 1;
};

class NatsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One NATS connection with its JetStream context; thread-safe (nats.c is).
class Nats {
  public:
    explicit Nats(NatsOptions options);  // throws NatsError if the first connect fails
    ~Nats();
    Nats(const Nats&) = delete;
    Nats& operator=(const Nats&) = delete;

    bool connected() const;
    // Creates or updates the stream / durable pull consumer to match the config. A stream that
    // exists is left as it is when !update_existing (a consumer declaring its upstream: the
    // producing service owns the stream's settings).
    void ensure_stream(const StreamConfig& config, bool update_existing = true);
    void ensure_consumer(const ConsumerConfig& config);
    // Removes a durable consumer (an operator rebuilding a read model: the next
    // ensure_consumer starts it again from the stream's first event). False when it did not
    // exist.
    bool delete_consumer(const std::string& stream, const std::string& durable);
    // Core NATS publish (not JetStream); for tests and for replies.
    void publish(const std::string& subject, const std::string& payload);
    // Request/reply; std::nullopt on timeout or no responders.
    std::optional<std::string> request(const std::string& subject, const std::string& payload,
                                       std::chrono::milliseconds timeout);
    // Serves requests on subject within a queue group; the handler's return value is the reply.
    // Stops when the Nats object is destroyed.
    void serve(const std::string& subject, const std::string& queue_group,
               std::function<std::string(const std::string& request)> handler);

    // Core NATS subscription (no JetStream, no acknowledgement): every message published on
    // `subject` while connected, handed to `handler` on nats.c's callback thread. Messages
    // published while the connection is down are missed: compare reconnects() to notice.
    // Stops when the Nats object is destroyed.
    void subscribe(const std::string& subject,
                   std::function<void(const std::string& payload)> handler);
    // How many times the connection has been re-established since it was made.
    std::uint64_t reconnects() const;

    struct Impl;
    Impl& impl() { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

struct RelayOptions {
    int batch_size = 256;
    // Safety net: the outbox is read at least this often. The relays of this process are woken
    // as soon as a transaction that called outbox_append() commits (Tx::after_commit); the poll
    // covers rows written by other processes and wake-ups lost to a failure.
    std::chrono::milliseconds idle_poll{1'000};
    std::chrono::milliseconds max_backoff{5'000};  // when NATS or the database is down
    std::chrono::milliseconds publish_timeout{5'000};
    // Sent rows older than this are deleted (checked every 10 minutes); unsent rows never are.
    std::chrono::seconds sent_retention{7 * 24 * 3600};
};

// A background thread that drains the outbox, woken right after each commit of an outbox row
// in this process: no poll interval on an event's way (idle_poll is only the safety net).
// Several replicas may run: rows are claimed with FOR UPDATE SKIP LOCKED, and each replica's
// relay is woken by that replica's commits. Metrics: outbox_backlog,
// outbox_oldest_unsent_age_seconds, outbox_published_total, outbox_publish_failures_total.
class Relay {
  public:
    Relay(db::Pool& pool, Nats& nats, RelayOptions options = {});
    ~Relay();  // stops the thread after flushing the current batch
    void start();
    void stop();
    // One batch now, on the caller's thread; returns how many rows were published (tests).
    int run_once();
    // Deletes sent rows older than sent_retention now, up to 10,000; returns how many (tests).
    std::int64_t purge_sent();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A handler throws RetryLater for a transient condition (NAK with delay; e.g. an aggregate
// sequence not yet applicable) and PoisonMessage for an event it can never apply
// (terminated + dead_letter row). Any other exception is treated as transient.
class RetryLater : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
class PoisonMessage : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

using InboxHandler = std::function<void(db::Tx& tx, const Event& event)>;

struct InboxOptions {
    ConsumerConfig consumer;
    int batch_size = 64;
    std::chrono::milliseconds fetch_wait{500};
    std::chrono::milliseconds nak_delay{1'000};
};

// Forgets the applied events and the dead letters whose subject starts with one of
// `subject_prefixes`, in the caller's transaction: a read model about to be rebuilt by replaying
// those subjects from the start.
void forget_applied_events(db::Tx& tx, const std::vector<std::string>& subject_prefixes);

// A background thread: fetch → for each message: parse (malformed → dead letter + Term),
// in one transaction {insert inbox(event_id) ON CONFLICT DO NOTHING; if new, handler(tx, event)}
// → commit → ack. After max_deliver failed attempts the message is dead-lettered and terminated.
// Metrics: inbox_applied_total, inbox_duplicates_total, inbox_dead_letters_total.
class InboxConsumer {
  public:
    InboxConsumer(db::Pool& pool, Nats& nats, InboxOptions options, InboxHandler handler);
    ~InboxConsumer();
    void start();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sales::bus
