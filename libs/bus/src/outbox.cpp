// Transactional outbox: the event row commits or rolls back with the caller's change.
#include <cstdlib>
#include <string>

#include "relay_wake.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace sales::bus {

void outbox_append(db::Tx& tx, const Event& event) {
    if (!is_uuid(event.id)) {
        throw EnvelopeError("outbox_append: event id '" + event.id + "' is not a UUID");
    }
    if (event.type.empty())
        throw EnvelopeError("outbox_append: event " + event.id + " has no type");
    tx.exec("INSERT INTO outbox (event_id, subject, payload) VALUES ($1::uuid, $2, $3)",
            {db::param(event.id), db::param(event.type), db::param(to_json(event))});
    // The relay publishes the row as soon as it is committed, not at its next poll.
    tx.after_commit(&wake_relays);
}

std::string migrations_directory() {
    // Installed layouts (containers) put the SQL elsewhere than the source tree.
    if (const char* dir = std::getenv("SALES_BUS_MIGRATIONS_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    return SALES_BUS_MIGRATIONS_DIR;
}

}  // namespace sales::bus
