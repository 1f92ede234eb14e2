#pragma once
// A domain event into the outbox (libs/bus), in the caller's transaction: the bus gives it its
// id, time and trace context; source /sales/contract.
#include "domain/event.hpp"
#include "sales/bus.hpp"

namespace contract::outbox {

inline void append(sales::db::Tx& tx, const domain::Event& event) {
    sales::bus::outbox_append(tx, sales::bus::make_event("contract", event.type, event.subject,
                                                         event.sequence, event.data));
}

}  // namespace contract::outbox
