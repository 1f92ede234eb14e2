#include "domain/settings.hpp"

#include <string>

namespace inventory::domain {
namespace {
void check_range(std::vector<FieldProblem>& problems, const char* field, std::int64_t value,
                 std::int64_t min, std::int64_t max, const char* rule) {
    if (value < min || value > max) {
        problems.push_back({field, "must be between " + std::to_string(min) + " and " +
                                       std::to_string(max) + " (" + rule + ")"});
    }
}
}  // namespace

bool SettingsPatch::empty() const {
    return !deposit_deadline_seconds && !signing_deadline_days && !deposit_cap_percent &&
           !reservation_manager_only_days;
}

ProjectSettings apply(ProjectSettings settings, const SettingsPatch& patch) {
    settings.deposit_deadline_seconds =
        patch.deposit_deadline_seconds.value_or(settings.deposit_deadline_seconds);
    settings.signing_deadline_days =
        patch.signing_deadline_days.value_or(settings.signing_deadline_days);
    settings.deposit_cap_percent = patch.deposit_cap_percent.value_or(settings.deposit_cap_percent);
    settings.reservation_manager_only_days =
        patch.reservation_manager_only_days.value_or(settings.reservation_manager_only_days);
    return settings;
}

std::vector<FieldProblem> validate(const ProjectSettings& s) {
    std::vector<FieldProblem> problems;
    check_range(problems, "deposit_deadline_seconds", s.deposit_deadline_seconds, 1, 7 * 86'400,
                "CON-1 deposit deadline, at most 7 days");
    check_range(problems, "signing_deadline_days", s.signing_deadline_days, 1, 365,
                "CON-3 signing deadline");
    check_range(problems, "deposit_cap_percent", s.deposit_cap_percent, 1, 20,
                "REG-2: a deposit may not exceed 20% of the price");
    check_range(problems, "reservation_manager_only_days", s.reservation_manager_only_days, 0, 365,
                "INV-4 opening period");
    return problems;
}

std::optional<sales::Failure> check_reservation(const ReservationRequest& r) {
    if (r.expires_at <= r.now) {
        return sales::Failure(sales::Failure::Kind::invalid, "invalid_expiry",
                              "expires_at must be in the future", {{"field", "expires_at"}});
    }
    if (r.caller_is_sales_manager)
        return std::nullopt;
    const auto window = std::chrono::hours(24 * r.manager_only_days);
    if (!r.opened_at || r.now < *r.opened_at + window) {
        return sales::Failure(sales::Failure::Kind::forbidden, "reservation_manager_only",
                              "INV-4: during the first " + std::to_string(r.manager_only_days) +
                                  " days after opening only the sales manager may reserve units");
    }
    return std::nullopt;
}

}  // namespace inventory::domain
