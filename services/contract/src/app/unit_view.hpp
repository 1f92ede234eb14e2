#pragma once
// The contract service's view of unit availability (domain/unit_availability.hpp), fed by
// inventory.unit.status_changed over a plain NATS subscription. Thread-safe. A NATS reconnect
// may have lost events, so the view is emptied when the connection's reconnect count changes.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "domain/unit_availability.hpp"

namespace contract::app {

class UnitView {
  public:
    // One message of inventory.unit.status_changed; anything unreadable is ignored (logged).
    void on_event(const std::string& payload, std::uint64_t reconnects);
    // The deal holding the unit, if the view knows one; nullopt = ask inventory.
    std::optional<domain::UnitTaken> taken(const std::string& unit_id, std::uint64_t reconnects);

  private:
    void follow(std::uint64_t reconnects);  // with mutex_ held

    std::mutex mutex_;
    domain::UnitAvailability units_;
    std::uint64_t reconnects_ = 0;
};

}  // namespace contract::app
