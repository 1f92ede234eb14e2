#pragma once
// The inventory service's request/reply API (docs/events.md, RPC payloads): hold, release and
// swap a unit for a subscription. Inventory owns unit status (INV-4); contract only asks.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/area_settlement.hpp"
#include "sales/bus.hpp"

namespace contract::app {

inline constexpr const char* kHoldSubject = "rpc.inventory.hold";
inline constexpr const char* kReleaseSubject = "rpc.inventory.release";
inline constexpr const char* kSwapSubject = "rpc.inventory.swap";
inline constexpr const char* kDealsSubject = "rpc.inventory.deals";

struct HeldUnit {
    std::string unit_id;
    std::string project_id;
    std::string building_id;
    std::string unit_number;
    std::int64_t list_total_fen = 0;
    domain::DealAreas areas;  // 0 each when the reply does not name them
};

struct HoldReply {
    enum class Result { held, conflict, not_found, invalid };
    Result result = Result::invalid;
    std::optional<HeldUnit> unit;  // when held
    std::string status;            // when conflict: the unit's current status
    std::string message;           // when invalid
};

// Project ids a request is limited to; nullopt = every project.
using ProjectScope = std::optional<std::vector<std::string>>;

class InventoryClient {
  public:
    InventoryClient(sales::bus::Nats& nats, std::chrono::milliseconds timeout)
        : nats_(nats), timeout_(timeout) {}

    // nullopt: no answer within the timeout (the hold may still have happened: release it).
    // A malformed reply is logged and throws sales::Failure unavailable "dependency_unavailable";
    // NatsError when NATS is down.
    // `project_ids`: the caller's projects (nullopt = all); inventory answers not_found for a
    // unit outside them and holds nothing (SEC-1).
    // `hold_until` nullopt: inventory decides (a short hold, extended to the deposit deadline
    // when contract.subscription.created arrives).
    std::optional<HoldReply> hold(const std::string& unit_id, const std::string& subscription_id,
                                  const std::optional<std::string>& hold_until,
                                  const std::string& actor,
                                  const std::optional<std::string>& reservation_id,
                                  const ProjectScope& project_ids = std::nullopt);
    // Same replies as hold(); the unit is the new one. Inventory swaps in one transaction.
    std::optional<HoldReply> swap(const std::string& subscription_id,
                                  const std::string& old_unit_id, const std::string& new_unit_id,
                                  const std::string& hold_until, const std::string& actor,
                                  const ProjectScope& project_ids = std::nullopt);
    // Best effort, for compensation: logs (warn) when inventory does not confirm; never throws.
    // Inventory's own hold expiry is the safety net.
    void release_quietly(const std::string& unit_id, const std::string& subscription_id,
                         const std::string& actor, const std::string& reason) noexcept;
    void swap_back_quietly(const std::string& subscription_id, const std::string& swapped_to,
                           const std::string& swapped_from, const std::string& hold_until,
                           const std::string& actor) noexcept;

    // One page of the units in a deal (rpc.inventory.deals), by unit id after `after_unit_id`
    // ("" = from the start); nullopt when inventory did not answer or refused. Never throws.
    struct Deal {
        std::string unit_id;
        std::string project_id;
        std::string status;
        std::string subscription_id;
        std::string changed_at;  // RFC 3339
    };
    std::optional<std::vector<Deal>> deals(const std::string& after_unit_id, int limit) noexcept;

  private:
    std::optional<HoldReply> call(const char* subject, const nlohmann::json& request);

    sales::bus::Nats& nats_;
    std::chrono::milliseconds timeout_;
};

}  // namespace contract::app
