#pragma once
// The inbox handler of every consumed stream: one pending delivery per active subscription whose
// subjects (and projects) take the event, written in the event's inbox transaction, so that an
// event reaches each subscription exactly once however often the stream redelivers it.
#include "sales/bus.hpp"
#include "sales/db.hpp"

namespace webhooks::app {

// The streams offered to subscriptions (IDENTITY, the accounts' security events, is not).
struct OfferedStream {
    const char* stream;
    const char* prefix;  // of its subjects: "<prefix>.>"
};
inline constexpr OfferedStream kOfferedStreams[] = {{"INVENTORY", "inventory"},
                                                    {"CONTRACT", "contract"},
                                                    {"FINANCE", "finance"},
                                                    {"CUSTOMER", "customer"}};

void fan_out(sales::db::Tx& tx, const sales::bus::Event& event);

}  // namespace webhooks::app
