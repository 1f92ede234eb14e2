#pragma once
// What every use case runs with: the database, the clock (every "now" and "today" comes from it)
// and the service's settings.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/event.hpp"
#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace contract::app {

// The actor recorded for changes that finance's events cause (deposits, clearance).
inline constexpr const char* kFinanceActor = "finance";

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
    // How long past the deposit deadline inventory keeps a hold if contract never cancels it.
    std::chrono::seconds hold_grace{600};

    // A change by `actor` now, for `reason` (SEC-2 history).
    domain::By by(const std::string& actor,
                  std::optional<std::string> reason = std::nullopt) const {
        return {actor, std::move(reason), clock.now()};
    }
    // Today in Asia/Shanghai.
    sales::Date today() const { return sales::shanghai_date(clock.now()); }
};

// The caller's projects for list queries (SEC-1): nullopt = every project.
inline std::optional<std::vector<std::string>> project_scope(const sales::Principal& caller) {
    if (caller.in_project("*"))
        return std::nullopt;
    return caller.project_ids;
}

}  // namespace contract::app
