#pragma once
// A state change and what it tells the rest of the system (ARCHITECTURE.md "A state change"):
// each transition of a subscription or a contract returns the event it produces, so that events
// are decided — and tested — without a database. The adapters give the event its id, time and
// trace context and write it to the outbox in the transaction of the change. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/clock.hpp"

namespace contract::domain {

// Event types of the CONTRACT stream (docs/events.md).
inline constexpr const char* kSubscriptionCreated = "contract.subscription.created";
inline constexpr const char* kSubscriptionConfirmed = "contract.subscription.confirmed";
inline constexpr const char* kSubscriptionCancelled = "contract.subscription.cancelled";
inline constexpr const char* kSubscriptionRenamed = "contract.subscription.renamed";
inline constexpr const char* kSubscriptionSwapped = "contract.subscription.swapped";
inline constexpr const char* kSubscriptionSigned = "contract.subscription.signed";
inline constexpr const char* kCancellationRequested =
    "contract.subscription.cancellation_requested";
inline constexpr const char* kCancellationRejected = "contract.subscription.cancellation_rejected";
inline constexpr const char* kDepositRecorded = "contract.subscription.deposit_recorded";
inline constexpr const char* kDepositOrphaned = "contract.subscription.deposit_orphaned";
// FIN-3: the deposit was reversed; the subscription awaits its deposit again (inventory: the
// unit goes back to held until data.hold_until).
inline constexpr const char* kDepositReversed = "contract.subscription.deposit_reversed";
inline constexpr const char* kContractSigned = "contract.signed";
inline constexpr const char* kAuditApproved = "contract.audit.approved";
inline constexpr const char* kAuditRejected = "contract.audit.rejected";
inline constexpr const char* kContractStamped = "contract.stamped";
inline constexpr const char* kContractRegistered = "contract.registered";
inline constexpr const char* kAmendmentRequested = "contract.amendment.requested";
inline constexpr const char* kAmendmentApproved = "contract.amendment.approved";
inline constexpr const char* kAmendmentRejected = "contract.amendment.rejected";
// CON-6: the finance director approved the cancellation; finance pays the refund.
inline constexpr const char* kCancellationApproved = "contract.cancellation.approved";
inline constexpr const char* kContractCancelled = "contract.cancelled";
inline constexpr const char* kHandoverEligible = "contract.handover.eligible";
inline constexpr const char* kHandoverWithdrawn = "contract.handover.withdrawn";
inline constexpr const char* kHandedOver = "contract.handed_over";

struct Event {
    std::string type;     // = the NATS subject, e.g. "contract.signed"
    std::string subject;  // the aggregate id
    nlohmann::json data = nlohmann::json::object();
    std::int64_t sequence = 0;  // the aggregate's version after the change
};

// Who makes a change, why (the history row's reason; null when none) and when (SEC-2).
struct By {
    std::string actor;
    std::optional<std::string> reason;
    sales::TimePoint at;
};

inline nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace contract::domain
