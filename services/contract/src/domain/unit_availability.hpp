#pragma once
// What contract knows of units from inventory's inventory.unit.status_changed events (INV-4):
// a unit known to be in a deal is refused at once, without a hold request or a database
// transaction. Knowing nothing is never a refusal: inventory's conditional hold stays the only
// authority for a yes, and the only one for a no about a unit this view has not seen taken.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace contract::domain {

struct UnitTaken {
    std::string project_id;
    std::string status;           // held, subscribed, signed, handed_over
    std::string subscription_id;  // the deal's subscription
    std::string held_by;          // the user whose subscription took the unit; "" if not seen
};

class UnitAvailability {
  public:
    // One status change. A version at or below the one known changes nothing (events of one
    // unit may be redelivered or, after a reconnect, arrive late).
    void apply(const std::string& unit_id, const std::string& project_id, const std::string& status,
               std::int64_t version, const std::string& subscription_id, const std::string& actor);
    // The deal holding the unit, when the last known status is one; nullopt otherwise.
    std::optional<UnitTaken> taken(const std::string& unit_id) const;
    // After a gap in the events (a NATS reconnect), nothing known is trusted any more.
    void forget_all() { units_.clear(); }
    std::size_t size() const { return units_.size(); }

  private:
    struct Known {
        std::string project_id;
        std::string status;
        std::int64_t version = 0;
        std::string subscription_id;
        std::string held_by;
    };
    std::unordered_map<std::string, Known> units_;
};

// Whether a new subscription for a unit held by `taken` is refused without asking inventory.
// A request with an Idempotency-Key by the user whose subscription holds the unit may be the
// retry of that very request (its stored 201 is replayed): it takes the normal path, as does
// any request when the holder is not known.
bool refuse_at_once(const UnitTaken& taken, const std::string& caller_id, bool has_idempotency_key);

}  // namespace contract::domain
