#pragma once
// Per-project settings (DOMAIN.md: every number is configurable per project) and the INV-4
// reservation rule that depends on them. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/problems.hpp"
#include "sales/clock.hpp"

namespace inventory::domain {

struct ProjectSettings {
    std::int64_t deposit_deadline_seconds = 43'200;  // CON-1: 12 hours
    std::int64_t signing_deadline_days = 30;         // CON-3: 1 month
    std::int64_t deposit_cap_percent = 20;           // REG-2: at most 20
    std::int64_t reservation_manager_only_days = 7;  // INV-4: first week after opening
};

struct SettingsPatch {
    std::optional<std::int64_t> deposit_deadline_seconds;
    std::optional<std::int64_t> signing_deadline_days;
    std::optional<std::int64_t> deposit_cap_percent;
    std::optional<std::int64_t> reservation_manager_only_days;
    bool empty() const;
};

ProjectSettings apply(ProjectSettings settings, const SettingsPatch& patch);
std::vector<FieldProblem> validate(const ProjectSettings& settings);

struct ReservationRequest {
    bool caller_is_sales_manager = false;       // sales_manager (or admin)
    std::optional<sales::TimePoint> opened_at;  // first release of the project; none yet = opening
    std::int64_t manager_only_days = 7;
    sales::TimePoint now;
    sales::TimePoint expires_at;
};

// INV-4: reservations expire in the future (400 invalid_expiry); within manager_only_days after
// opening only the sales manager may reserve (403 reservation_manager_only), and an unopened
// project counts as opening. Returns the refusal, or nullopt when allowed.
std::optional<sales::Failure> check_reservation(const ReservationRequest& request);

}  // namespace inventory::domain
