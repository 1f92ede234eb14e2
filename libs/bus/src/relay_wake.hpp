#pragma once
// Private to libs/bus/src: how a committed outbox row reaches the relay without waiting for its
// poll.

namespace sales::bus {

// Ends the idle wait of every Relay of this process (cheap; safe from any thread). Registered by
// outbox_append() as an after-commit action, so the relay reads the row once it is visible.
void wake_relays();

}  // namespace sales::bus
