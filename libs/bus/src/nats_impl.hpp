#pragma once
// Private to libs/bus/src: the nats.c handles behind sales::bus::Nats, shared by the relay and
// the inbox consumer.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nats/nats.h>

#include "sales/bus.hpp"

namespace sales::bus {

struct Nats::Impl {
    struct Server {
        std::string subject;
        std::function<std::string(const std::string&)> handler;
        bool answers = true;  // serve(): the handler's result is published to the reply subject
        natsSubscription* sub = nullptr;
    };

    NatsOptions options;
    natsConnection* nc = nullptr;
    jsCtx* js = nullptr;
    std::mutex servers_mutex;
    std::vector<std::unique_ptr<Server>> servers;
};

// Destroys the message it holds.
struct MsgGuard {
    natsMsg* msg = nullptr;
    ~MsgGuard() { natsMsg_Destroy(msg); }
};

// "<what>: <status text> [JetStream error N] (<nats_GetLastError>)"; call right after the
// failing nats.c call, on the same thread (the last error is per thread).
std::string nats_error_text(const std::string& what, natsStatus status,
                            jsErrCode jerr = static_cast<jsErrCode>(0));

}  // namespace sales::bus
