// NATS connection, JetStream stream/consumer declaration, request/reply (nats.c 3.4.1).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nats/nats.h>
#include <nlohmann/json.hpp>

#include "nats_impl.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace sales::bus {

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr jsErrCode kStreamNameInUse = JSStreamNameExistErr;  // 10058: exists, other config

// The URL without "user:password@", for logs and error messages.
std::string without_credentials(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    const auto at = url.find('@', start);
    if (at == std::string::npos || url.find('/', start) < at)
        return url;
    return url.substr(0, start) + url.substr(at + 1);
}

std::string connected_url(natsConnection* nc) {
    char buf[256] = {0};
    if (natsConnection_GetConnectedUrl(nc, buf, sizeof(buf)) == NATS_OK && buf[0] != '\0') {
        return without_credentials(buf);
    }
    return "(unknown)";
}

// Connection event callbacks run on nats.c's callback thread, possibly after ~Nats returned:
// they must not touch the Nats object (closure is unused).
void on_disconnected(natsConnection* nc, void*) {
    if (natsConnection_IsClosed(nc))
        return;
    log::warn("NATS disconnected; reconnecting (outbox keeps events meanwhile)", {});
}

void on_reconnected(natsConnection* nc, void*) {
    log::info("NATS reconnected", {{"url", connected_url(nc)}});
}

void on_async_error(natsConnection*, natsSubscription* sub, natsStatus err, void*) {
    const char* subject = sub != nullptr ? natsSubscription_GetSubject(sub) : nullptr;
    log::error("NATS asynchronous error", {{"status", natsStatus_GetText(err)},
                                           {"code", static_cast<int>(err)},
                                           {"subscription", subject != nullptr ? subject : ""}});
}

struct OptionsGuard {
    natsOptions* opts = nullptr;
    ~OptionsGuard() { natsOptions_Destroy(opts); }
};

void check(natsStatus s, const std::string& what) {
    if (s != NATS_OK)
        throw NatsError(nats_error_text(what, s));
}

// Serve callbacks: the handler's return value is published to the reply subject.
void on_request(natsConnection* nc, natsSubscription*, natsMsg* msg, void* closure) {
    auto* server = static_cast<Nats::Impl::Server*>(closure);
    MsgGuard guard{msg};
    const char* reply = natsMsg_GetReply(msg);
    const char* data = natsMsg_GetData(msg);
    std::string request(data != nullptr ? data : "",
                        static_cast<std::size_t>(natsMsg_GetDataLength(msg)));

    log::Context ctx;
    const char* trace = nullptr;
    if (natsMsgHeader_Get(msg, "traceparent", &trace) == NATS_OK && trace != nullptr &&
        is_traceparent(trace)) {
        ctx.traceparent = child_traceparent(trace);
    } else {
        ctx.traceparent = new_traceparent();
    }
    log::ScopedContext scoped(std::move(ctx));

    std::string response;
    try {
        response = server->handler(request);
    } catch (const std::exception& e) {
        log::error("request handler failed", {{"subject", server->subject}, {"error", e.what()}});
        response = nlohmann::json{{"error", e.what()}}.dump();
    }
    if (!server->answers)
        return;
    if (reply == nullptr || *reply == '\0') {
        log::warn("request without a reply subject; response dropped",
                  {{"subject", server->subject}});
        return;
    }
    natsStatus s =
        natsConnection_Publish(nc, reply, response.data(), static_cast<int>(response.size()));
    if (s != NATS_OK) {
        log::warn("cannot publish reply",
                  {{"subject", server->subject}, {"error", nats_error_text("publish reply", s)}});
    }
}

struct Completion {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
};

void on_sub_complete(void* closure) {
    auto* c = static_cast<Completion*>(closure);
    std::lock_guard lock(c->mutex);
    c->done = true;
    c->cv.notify_all();
}

}  // namespace

std::string nats_error_text(const std::string& what, natsStatus status, jsErrCode jerr) {
    std::string text = what + ": " + natsStatus_GetText(status);
    if (jerr != 0)
        text += " [JetStream error " + std::to_string(static_cast<int>(jerr)) + "]";
    natsStatus last_status = NATS_OK;
    const char* last = nats_GetLastError(&last_status);
    if (last != nullptr && *last != '\0')
        text += " (" + std::string(last) + ")";
    return text;
}

Nats::Nats(NatsOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    const auto& o = impl_->options;

    OptionsGuard opts;
    check(natsOptions_Create(&opts.opts), "NATS options");
    // One URL, or a cluster's seed servers separated by commas (nats.c takes those only as a
    // list); the servers the cluster announces are added by the client itself.
    std::vector<std::string> servers;
    for (std::size_t start = 0; start <= o.url.size();) {
        const auto comma = std::min(o.url.find(',', start), o.url.size());
        if (comma > start)
            servers.push_back(o.url.substr(start, comma - start));
        start = comma + 1;
    }
    std::vector<const char*> server_pointers;
    for (const auto& server : servers)
        server_pointers.push_back(server.c_str());
    check(server_pointers.size() > 1
              ? natsOptions_SetServers(opts.opts, server_pointers.data(),
                                       static_cast<int>(server_pointers.size()))
              : natsOptions_SetURL(opts.opts, o.url.c_str()),
          "NATS URL '" + without_credentials(o.url) + "'");
    if (!o.user.empty()) {
        check(natsOptions_SetUserInfo(opts.opts, o.user.c_str(), o.password.c_str()), "NATS user");
        // Replies (JetStream API answers, acks, RPC answers) come on the user's own inbox
        // subjects, which the server lets no other user subscribe to (deploy/local/nats.conf).
        const auto inbox_prefix = "_INBOX_" + o.user;
        check(natsOptions_SetCustomInboxPrefix(opts.opts, inbox_prefix.c_str()),
              "NATS inbox prefix");
    }
    check(natsOptions_SetName(opts.opts, o.name.c_str()), "NATS connection name");
    check(natsOptions_SetTimeout(opts.opts, o.connect_timeout.count()), "NATS connect timeout");
    // The first connect must succeed (fail fast at start-up); afterwards reconnect for ever.
    check(natsOptions_SetMaxReconnect(opts.opts, -1), "NATS max reconnect");
    check(natsOptions_SetReconnectWait(opts.opts, 250), "NATS reconnect wait");
    check(natsOptions_SetPingInterval(opts.opts, 10'000), "NATS ping interval");
    check(natsOptions_SetMaxPingsOut(opts.opts, 3), "NATS max pings out");
    check(natsOptions_SetDisconnectedCB(opts.opts, on_disconnected, nullptr), "NATS callbacks");
    check(natsOptions_SetReconnectedCB(opts.opts, on_reconnected, nullptr), "NATS callbacks");
    check(natsOptions_SetErrorHandler(opts.opts, on_async_error, nullptr), "NATS callbacks");

    natsStatus s = natsConnection_Connect(&impl_->nc, opts.opts);
    if (s != NATS_OK) {
        throw NatsError(nats_error_text("cannot connect to NATS at " + without_credentials(o.url) +
                                            (o.user.empty() ? "" : " as " + o.user),
                                        s));
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5'000;
    s = natsConnection_JetStream(&impl_->js, impl_->nc, &jo);
    if (s != NATS_OK) {
        std::string text =
            nats_error_text("cannot create JetStream context for " + without_credentials(o.url), s);
        natsConnection_Destroy(impl_->nc);
        throw NatsError(text);
    }
    log::info("NATS connected", {{"url", connected_url(impl_->nc)}, {"name", o.name}});
}

Nats::~Nats() {
    std::vector<std::unique_ptr<Impl::Server>> servers;
    {
        std::lock_guard lock(impl_->servers_mutex);
        servers.swap(impl_->servers);
    }
    for (auto& server : servers) {
        Completion done;
        bool wait =
            natsSubscription_SetOnCompleteCB(server->sub, on_sub_complete, &done) == NATS_OK;
        natsStatus s = natsSubscription_Unsubscribe(server->sub);
        if (s != NATS_OK) {
            log::debug(
                "unsubscribe on shutdown failed",
                {{"subject", server->subject}, {"error", nats_error_text("unsubscribe", s)}});
        }
        bool finished = true;
        if (wait) {
            std::unique_lock lock(done.mutex);
            finished = done.cv.wait_for(lock, std::chrono::seconds(10), [&] { return done.done; });
        }
        natsSubscription_Destroy(server->sub);
        if (!finished) {
            // A handler is still running after 10 s; keep its state alive rather than free it
            // under the running callback.
            log::error("request handler still running at shutdown; leaking its state",
                       {{"subject", server->subject}});
            (void)server.release();
        }
    }
    if (natsConnection_Status(impl_->nc) == NATS_CONN_STATUS_CONNECTED) {
        natsStatus s = natsConnection_FlushTimeout(impl_->nc, 2'000);
        if (s != NATS_OK) {
            log::warn("NATS flush on shutdown failed", {{"error", nats_error_text("flush", s)}});
        }
    }
    jsCtx_Destroy(impl_->js);
    natsConnection_Destroy(impl_->nc);
}

bool Nats::connected() const {
    return natsConnection_Status(impl_->nc) == NATS_CONN_STATUS_CONNECTED;
}

void Nats::ensure_stream(const StreamConfig& config, bool update_existing) {
    if (config.name.empty() || config.subjects.empty()) {
        throw NatsError("ensure_stream: a stream needs a name and at least one subject");
    }
    std::vector<const char*> subjects;
    subjects.reserve(config.subjects.size());
    for (const auto& s : config.subjects)
        subjects.push_back(s.c_str());

    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = config.name.c_str();
    cfg.Subjects = subjects.data();
    cfg.SubjectsLen = static_cast<int>(subjects.size());
    cfg.Storage = js_FileStorage;
    cfg.Duplicates =
        std::chrono::duration_cast<std::chrono::seconds>(config.duplicate_window).count() *
        kNanosPerSecond;
    cfg.MaxAge =
        std::chrono::duration_cast<std::chrono::seconds>(config.max_age).count() * kNanosPerSecond;
    cfg.Replicas = config.replicas;

    jsStreamInfo* si = nullptr;
    jsErrCode jerr{};
    natsStatus s = js_AddStream(&si, impl_->js, &cfg, nullptr, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return;
    }
    if (jerr != kStreamNameInUse) {
        throw NatsError(nats_error_text("cannot create stream " + config.name, s, jerr));
    }
    if (!update_existing)
        return;
    si = nullptr;
    jerr = {};
    s = js_UpdateStream(&si, impl_->js, &cfg, nullptr, &jerr);
    if (s != NATS_OK) {
        throw NatsError(nats_error_text(
            "stream " + config.name + " exists with another configuration and cannot be updated", s,
            jerr));
    }
    jsStreamInfo_Destroy(si);
    log::info("stream configuration updated", {{"stream", config.name}});
}

void Nats::ensure_consumer(const ConsumerConfig& config) {
    if (config.stream.empty() || config.durable.empty()) {
        throw NatsError("ensure_consumer: stream and durable name are required");
    }
    jsConsumerConfig cfg;
    jsConsumerConfig_Init(&cfg);
    cfg.Durable = config.durable.c_str();
    cfg.AckPolicy = js_AckExplicit;
    cfg.DeliverPolicy = js_DeliverAll;
    cfg.AckWait = config.ack_wait.count() * kNanosPerMilli;
    cfg.MaxDeliver = config.max_deliver;
    cfg.MaxAckPending = config.max_ack_pending;
    if (!config.filter_subject.empty())
        cfg.FilterSubject = config.filter_subject.c_str();

    jsConsumerInfo* ci = nullptr;
    jsErrCode jerr{};
    natsStatus s = js_AddConsumer(&ci, impl_->js, config.stream.c_str(), &cfg, nullptr, &jerr);
    if (s == NATS_OK) {
        jsConsumerInfo_Destroy(ci);
        return;
    }
    // A durable that exists with other settings: the reason is only in nats_GetLastError.
    const std::string add_error = nats_error_text(
        "cannot create consumer " + config.durable + " on stream " + config.stream, s, jerr);
    ci = nullptr;
    jerr = {};
    s = js_UpdateConsumer(&ci, impl_->js, config.stream.c_str(), &cfg, nullptr, &jerr);
    if (s != NATS_OK) {
        throw NatsError(add_error + "; " + nats_error_text("update also failed", s, jerr));
    }
    jsConsumerInfo_Destroy(ci);
    log::info("consumer configuration updated",
              {{"stream", config.stream}, {"durable", config.durable}, {"after", add_error}});
}

bool Nats::delete_consumer(const std::string& stream, const std::string& durable) {
    jsErrCode jerr{};
    const natsStatus s =
        js_DeleteConsumer(impl_->js, stream.c_str(), durable.c_str(), nullptr, &jerr);
    if (s == NATS_OK)
        return true;
    if (s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr)
        return false;
    throw NatsError(
        nats_error_text("cannot delete consumer " + durable + " of " + stream, s, jerr));
}

void Nats::publish(const std::string& subject, const std::string& payload) {
    natsStatus s = natsConnection_Publish(impl_->nc, subject.c_str(), payload.data(),
                                          static_cast<int>(payload.size()));
    if (s != NATS_OK)
        throw NatsError(nats_error_text("cannot publish to " + subject, s));
}

std::optional<std::string> Nats::request(const std::string& subject, const std::string& payload,
                                         std::chrono::milliseconds timeout) {
    MsgGuard req;
    check(natsMsg_Create(&req.msg, subject.c_str(), nullptr, payload.data(),
                         static_cast<int>(payload.size())),
          "request to " + subject);
    const auto& trace = log::current().traceparent;
    if (is_traceparent(trace)) {
        check(natsMsgHeader_Set(req.msg, "traceparent", trace.c_str()), "request to " + subject);
    }
    MsgGuard reply;
    natsStatus s = natsConnection_RequestMsg(&reply.msg, impl_->nc, req.msg, timeout.count());
    if (s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS)
        return std::nullopt;
    if (s != NATS_OK)
        throw NatsError(nats_error_text("request to " + subject + " failed", s));
    const char* data = natsMsg_GetData(reply.msg);
    return std::string(data != nullptr ? data : "",
                       static_cast<std::size_t>(natsMsg_GetDataLength(reply.msg)));
}

void Nats::serve(const std::string& subject, const std::string& queue_group,
                 std::function<std::string(const std::string& request)> handler) {
    auto server = std::make_unique<Impl::Server>();
    server->subject = subject;
    server->handler = std::move(handler);
    natsStatus s = natsConnection_QueueSubscribe(&server->sub, impl_->nc, subject.c_str(),
                                                 queue_group.c_str(), on_request, server.get());
    if (s != NATS_OK) {
        throw NatsError(
            nats_error_text("cannot serve " + subject + " (queue " + queue_group + ")", s));
    }
    // Make sure the server knows the subscription before a caller's request can arrive.
    s = natsConnection_FlushTimeout(impl_->nc, 5'000);
    if (s != NATS_OK) {
        log::warn("flush after subscribe failed; requests may miss this server briefly",
                  {{"subject", subject}, {"error", nats_error_text("flush", s)}});
    }
    std::lock_guard lock(impl_->servers_mutex);
    impl_->servers.push_back(std::move(server));
}

void Nats::subscribe(const std::string& subject,
                     std::function<void(const std::string& payload)> handler) {
    auto server = std::make_unique<Impl::Server>();
    server->subject = subject;
    server->answers = false;
    server->handler = [handler = std::move(handler)](const std::string& payload) {
        handler(payload);
        return std::string();
    };
    natsStatus s = natsConnection_Subscribe(&server->sub, impl_->nc, subject.c_str(), on_request,
                                            server.get());
    if (s != NATS_OK)
        throw NatsError(nats_error_text("cannot subscribe to " + subject, s));
    s = natsConnection_FlushTimeout(impl_->nc, 5'000);
    if (s != NATS_OK) {
        log::warn("flush after subscribe failed; messages may be missed briefly",
                  {{"subject", subject}, {"error", nats_error_text("flush", s)}});
    }
    std::lock_guard lock(impl_->servers_mutex);
    impl_->servers.push_back(std::move(server));
}

std::uint64_t Nats::reconnects() const {
    natsStatistics* stats = nullptr;
    if (natsStatistics_Create(&stats) != NATS_OK)
        return 0;
    std::uint64_t in_msgs = 0, in_bytes = 0, out_msgs = 0, out_bytes = 0, reconnected = 0;
    if (natsConnection_GetStats(impl_->nc, stats) == NATS_OK)
        natsStatistics_GetCounts(stats, &in_msgs, &in_bytes, &out_msgs, &out_bytes, &reconnected);
    natsStatistics_Destroy(stats);
    return reconnected;
}

void shutdown_library() {
    nats_Close();
}

}  // namespace sales::bus
