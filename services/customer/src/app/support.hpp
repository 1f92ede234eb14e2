#pragma once
// What the customer use cases share: the context, who is calling (with the permissions the
// rules need), one error type the adapters map to HTTP statuses, the project lookup with its
// settings, and the outbox helper.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/customer.hpp"
#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/failure.hpp"
#include "sales/principal.hpp"

namespace customer::app {

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
    std::chrono::hours departure_deadline{48};  // CUS-5: reassign a leaver's customers in 2 days
};

// A request the use cases turn down (sales/failure.hpp).
using Failure = sales::Failure;

[[noreturn]] void invalid(const std::string& field, const std::string& problem);
[[noreturn]] void not_found(const std::string& what, const std::string& id);

// The caller as the rules see them.
struct Caller {
    sales::Principal principal;
    std::string request_id;
    std::string route;        // for the PII access log
    bool pii = false;         // customer.pii.read (CUS-8)
    bool manager = false;     // customer.reassign: sales manager decisions (CUS-3/4/5/7)
    bool complaints = false;  // customer.complaint (CUS-10)
    const std::string& id() const { return principal.user_id; }
    bool in_project(const std::string& project_id) const {
        return principal.in_project(project_id);
    }
};
Caller caller_from(const sales::Principal& principal, std::string request_id, std::string route);

// The settings of a project the caller may act on; 404 project_not_found when the project is
// unknown to this service (inventory.project.created not received) or outside the caller's
// projects.
domain::Settings project_settings(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& project_id);
domain::Settings settings_from_row(const sales::db::Row& row);
extern const char* const kSettingsColumns;  // the settings columns of project_refs, comma-separated

// SQL: a timestamptz column as RFC 3339 UTC text with milliseconds ("... AS <alias>").
std::string iso(const std::string& column, const std::string& alias);
nlohmann::json nullable(const std::optional<std::string>& value);
nlohmann::json nullable(const std::optional<std::int64_t>& value);
sales::TimePoint time_of(const std::string& rfc3339);

// Writes a customer.* event to the outbox in the caller's transaction.
void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data);

// Escapes LIKE wildcards (\, %, _) in a user's search fragment.
std::string like_escape(const std::string& text);

inline constexpr const char* kCustomerCreated = "customer.created";
inline constexpr const char* kCustomerReassigned = "customer.reassigned";
inline constexpr const char* kCustomerStageChanged = "customer.stage_changed";
inline constexpr const char* kCollisionRecorded = "customer.collision_recorded";
inline constexpr const char* kCollisionResolved = "customer.collision_resolved";
inline constexpr const char* kCustomerArchived = "customer.archived";
inline constexpr const char* kCustomerUpdated = "customer.updated";

}  // namespace customer::app
