#include "domain/customer.hpp"

#include "sales/failure.hpp"

namespace customer::domain {
namespace {

int rank(Stage s) {
    return static_cast<int>(s);
}

}  // namespace

bool is_call(EventKind kind) {
    return kind == EventKind::call_in || kind == EventKind::call_out;
}
bool is_visit(EventKind kind) {
    return kind == EventKind::visit || kind == EventKind::post_purchase_visit;
}

const std::vector<SettingRange>& setting_ranges() {
    static const std::vector<SettingRange> ranges = {
        {"stale_days", 1, 365, &Settings::stale_days, &SettingsChange::stale_days},
        {"follow_up_days", 1, 60, &Settings::follow_up_days, &SettingsChange::follow_up_days},
        {"complaint_first_response_days", 1, 30, &Settings::complaint_first_response_days,
         &SettingsChange::complaint_first_response_days},
        {"complaint_final_days", 1, 120, &Settings::complaint_final_days,
         &SettingsChange::complaint_final_days},
        {"archive_after_days", 30, 3650, &Settings::archive_after_days,
         &SettingsChange::archive_after_days},
        {"commission_min_events", 1, 50, &Settings::commission_min_events,
         &SettingsChange::commission_min_events},
    };
    return ranges;
}

Settings apply(const Settings& current, const SettingsChange& change,
               std::vector<FieldProblem>& problems) {
    Settings next = current;
    for (const auto& range : setting_ranges()) {
        const auto& value = change.*range.change;
        if (!value)
            continue;
        if (*value < range.min || *value > range.max) {
            problems.push_back({range.name, "must be between " + std::to_string(range.min) +
                                                " and " + std::to_string(range.max)});
            continue;
        }
        next.*range.value = *value;
    }
    if (problems.empty() && next.complaint_final_days < next.complaint_first_response_days) {
        problems.push_back(
            {"complaint_final_days", "must not be shorter than complaint_first_response_days (" +
                                         std::to_string(next.complaint_first_response_days) + ")"});
    }
    if (problems.empty() && next.follow_up_days > next.stale_days) {
        problems.push_back({"follow_up_days", "must not be longer than stale_days (" +
                                                  std::to_string(next.stale_days) + ")"});
    }
    return next;
}

std::vector<FieldProblem> validate_event(EventKind kind, std::optional<std::int64_t> satisfaction,
                                         sales::TimePoint occurred_at, sales::TimePoint now) {
    std::vector<FieldProblem> problems;
    if (kind == EventKind::survey && !satisfaction)
        problems.push_back({"satisfaction", "is required for survey events (1–5)"});
    if (kind != EventKind::survey && satisfaction)
        problems.push_back({"satisfaction", "only survey events carry a satisfaction score"});
    if (satisfaction && (*satisfaction < 1 || *satisfaction > 5))
        problems.push_back({"satisfaction", "must be between 1 and 5"});
    if (occurred_at > now + std::chrono::minutes(5))
        problems.push_back({"occurred_at", "must not be in the future"});
    if (occurred_at < now - std::chrono::days(366))
        problems.push_back({"occurred_at", "must be within the last 366 days"});
    return problems;
}

ClaimOutcome decide_claim(const std::optional<std::string>& existing_owner,
                          const std::string& claimant) {
    if (!existing_owner)
        return ClaimOutcome::owner;
    return *existing_owner == claimant ? ClaimOutcome::duplicate : ClaimOutcome::collision;
}

CollisionStatus resolve(CollisionStatus current, CollisionDecision decision) {
    if (current != CollisionStatus::open) {
        sales::fail_conflict("collision_resolved", "the collision was already resolved (" +
                                                       std::string(to_string(current)) + ")");
    }
    return decision == CollisionDecision::confirm ? CollisionStatus::confirmed
                                                  : CollisionStatus::reassigned;
}

std::optional<Stage> next_stage(Stage current, const StageInput& input) {
    switch (input.cause) {
        case StageCause::manual: {
            if (!input.target)
                throw std::invalid_argument("manual stage change without a target");
            if (*input.target == Stage::closed || current == Stage::closed) {
                sales::fail_conflict("stage_closed_by_signing",
                                     "stage closed is set only by a signed contract "
                                     "(contract.signed) and cannot be set or left by hand");
            }
            if (*input.target == current)
                return std::nullopt;
            return input.target;
        }
        case StageCause::subscription_created:
            if (rank(current) < rank(Stage::prospect))
                return Stage::prospect;
            return std::nullopt;
        case StageCause::subscription_cancelled:
            if (current == Stage::prospect && !input.other_live_deals)
                return Stage::intent;
            return std::nullopt;
        case StageCause::contract_signed:
            if (current != Stage::closed)
                return Stage::closed;
            return std::nullopt;
    }
    return std::nullopt;
}

bool is_stale(sales::TimePoint last_event_at, sales::TimePoint now, std::int64_t stale_days) {
    return now - last_event_at >= std::chrono::days(stale_days);
}

bool follow_up_due(sales::TimePoint last_event_at, sales::TimePoint now,
                   std::int64_t follow_up_days) {
    return now - last_event_at >= std::chrono::days(follow_up_days);
}

sales::Date entry_deadline(sales::Date received) {
    return sales::add_working_days(received, 1);
}

bool is_late_entry(sales::Date received, sales::TimePoint recorded_at) {
    return sales::shanghai_date(recorded_at) > entry_deadline(received);
}

CommissionValidity commission_validity(std::int64_t event_count, std::int64_t min_events,
                                       bool has_exception_note) {
    if (event_count >= min_events) {
        return {true, false,
                "the customer has " + std::to_string(event_count) + " recorded events (at least " +
                    std::to_string(min_events) + " required)"};
    }
    if (has_exception_note) {
        return {true, false,
                "fewer than " + std::to_string(min_events) +
                    " recorded events, accepted by the sales manager's exception note"};
    }
    return {false, true,
            "the customer has only " + std::to_string(event_count) + " recorded events; at least " +
                std::to_string(min_events) +
                " are required unless a sales manager records an exception note"};
}

PiiView pii_view(const std::string& caller_id, const std::string& owner_id, bool has_pii_permission,
                 bool detail) {
    if (!caller_id.empty() && caller_id == owner_id)
        return PiiView::owner;
    if (detail && has_pii_permission)
        return PiiView::privileged;
    return PiiView::masked;
}

ComplaintDeadlines complaint_deadlines(sales::Date received, const Settings& settings) {
    return {sales::add_working_days(received, settings.complaint_first_response_days),
            sales::add_working_days(received, settings.complaint_final_days)};
}

ComplaintStatus complaint_next(ComplaintStatus current, ComplaintAction action) {
    if (current == ComplaintStatus::resolved) {
        sales::fail_conflict("complaint_closed", "the complaint is resolved already");
    }
    if (action == ComplaintAction::respond) {
        if (current != ComplaintStatus::open)
            sales::fail_conflict("complaint_closed", "the first response is recorded already");
        return ComplaintStatus::responded;
    }
    return ComplaintStatus::resolved;
}

bool complaint_overdue(ComplaintStatus status, const ComplaintDeadlines& due, sales::Date today) {
    if (status == ComplaintStatus::resolved)
        return false;
    if (today > due.final_due)
        return true;
    return status == ComplaintStatus::open && today > due.first_response_due;
}

bool archivable(sales::TimePoint last_event_at, sales::TimePoint now,
                std::int64_t archive_after_days, bool has_live_deal) {
    return !has_live_deal && now - last_event_at >= std::chrono::days(archive_after_days);
}

}  // namespace customer::domain
