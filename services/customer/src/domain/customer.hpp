#pragma once
// The customer record and its rules (DOMAIN.md CUS-1..10): enumerations, the stage machine,
// ownership and collisions, follow-up, timeliness, commission validity, PII visibility and
// complaint deadlines. Pure: no I/O; time and settings come in as arguments.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/enum_names.hpp"

namespace customer::domain {

// ---- CUS-1 enumerations -------------------------------------------------------------------
SALES_ENUM(Gender, male, female);
// 来访 来电 online 转介 活动
SALES_ENUM(Channel, visit, call, online, referral, event);
// 刚需 改善 投资
SALES_ENUM(CustomerType, first_home, upgrade, investment);
// 潜在 意向 准客户 成交
SALES_ENUM(Stage, potential, intent, prospect, closed);
SALES_ENUM(Horizon, within_3_months, within_6_months, within_1_year, later);
// CUS-2/4/10 customer events.
SALES_ENUM(EventKind, visit, call_in, call_out, follow_up, event_attended, complaint, survey,
           post_purchase_visit);

inline constexpr auto parse_gender = &sales::parse_enum<Gender>;
inline constexpr auto parse_channel = &sales::parse_enum<Channel>;
inline constexpr auto parse_type = &sales::parse_enum<CustomerType>;
inline constexpr auto parse_stage = &sales::parse_enum<Stage>;
inline constexpr auto parse_horizon = &sales::parse_enum<Horizon>;
inline constexpr auto parse_event_kind = &sales::parse_enum<EventKind>;

// Calls and visits are what the calls/visits report counts (CUS-2, seed 003 §4).
bool is_call(EventKind kind);
bool is_visit(EventKind kind);

// ---- Per-project settings (DOMAIN.md: defaults, configurable per project) -------------------
struct Settings {
    std::int64_t stale_days = 14;                    // CUS-4: no event for 14 days → stale
    std::int64_t follow_up_days = 5;                 // CUS-4: follow up every 3–5 days
    std::int64_t complaint_first_response_days = 1;  // CUS-10: N working days
    std::int64_t complaint_final_days = 10;          // CUS-10: M working days
    std::int64_t archive_after_days = 730;           // CUS-9: inactive period before archiving
    std::int64_t commission_min_events = 3;          // CUS-7: at least 3 recorded events
};

struct SettingsChange {
    std::optional<std::int64_t> stale_days;
    std::optional<std::int64_t> follow_up_days;
    std::optional<std::int64_t> complaint_first_response_days;
    std::optional<std::int64_t> complaint_final_days;
    std::optional<std::int64_t> archive_after_days;
    std::optional<std::int64_t> commission_min_events;
};

// One setting: its name (in JSON, events and SQL), allowed range and field in both structs.
struct SettingRange {
    const char* name;
    std::int64_t min;
    std::int64_t max;
    std::int64_t Settings::*value;
    std::optional<std::int64_t> SettingsChange::*change;
};
// The settings' names and allowed ranges, in the order of Settings.
const std::vector<SettingRange>& setting_ranges();

struct FieldProblem {
    std::string field;
    std::string problem;
};
// `current` with the change applied, or the problems (out of range; final complaint deadline
// before the first response; follow-up interval longer than the stale period).
Settings apply(const Settings& current, const SettingsChange& change,
               std::vector<FieldProblem>& problems);

// A customer event's own rules: surveys (and only surveys) carry a satisfaction score 1–5
// (CUS-10); the time is not in the future (5 minutes of clock skew allowed) and within the last
// 366 days. Problems name fields relative to the event ("occurred_at").
std::vector<FieldProblem> validate_event(EventKind kind, std::optional<std::int64_t> satisfaction,
                                         sales::TimePoint occurred_at, sales::TimePoint now);

// ---- CUS-3 ownership and collisions --------------------------------------------------------
enum class ClaimOutcome {
    owner,      // no live record for this phone: the claimant becomes the owner
    duplicate,  // the claimant already owns the record: nothing new
    collision   // another rep recorded the phone first: stored for the sales manager
};
// The first rep to record a phone in a project owns the customer (by system time: whichever
// INSERT commits first); later attempts by other reps are collisions.
ClaimOutcome decide_claim(const std::optional<std::string>& existing_owner,
                          const std::string& claimant);

SALES_ENUM(CollisionStatus, open, confirmed, reassigned);
inline constexpr auto parse_collision_status = &sales::parse_enum<CollisionStatus>;
enum class CollisionDecision { confirm, reassign };
// The status a sales manager's decision leads to; sales::Failure conflict "collision_resolved"
// unless the collision is open.
CollisionStatus resolve(CollisionStatus current, CollisionDecision decision);

// ---- Stage machine (CUS-1: potential → intent → prospect → closed) -------------------------
enum class StageCause {
    manual,                  // owner or sales manager sets potential / intent / prospect
    subscription_created,    // contract.subscription.created / confirmed / renamed (to)
    subscription_cancelled,  // contract.subscription.cancelled / renamed (from)
    contract_signed          // contract.signed
};
struct StageInput {
    StageCause cause = StageCause::manual;
    std::optional<Stage> target;    // manual only
    bool other_live_deals = false;  // subscription_cancelled: another deal still holds
};
// The new stage, or nullopt when nothing changes. Manual changes move among potential, intent
// and prospect; `closed` comes only from a signed contract and is never left by hand
// (sales::Failure conflict "stage_closed_by_signing"). A subscription lifts potential/intent to
// prospect; its cancellation brings prospect back to intent when no other deal is live; signing
// closes.
std::optional<Stage> next_stage(Stage current, const StageInput& input);

// ---- CUS-4 follow-up ---------------------------------------------------------------------
// Stale: no customer event for `stale_days` days or more.
bool is_stale(sales::TimePoint last_event_at, sales::TimePoint now, std::int64_t stale_days);
// A follow-up is due once `follow_up_days` have passed since the last event.
bool follow_up_due(sales::TimePoint last_event_at, sales::TimePoint now,
                   std::int64_t follow_up_days);

// ---- CUS-6 timeliness ----------------------------------------------------------------------
// A customer received on `received` must be entered by the end of the next working day.
sales::Date entry_deadline(sales::Date received);
bool is_late_entry(sales::Date received, sales::TimePoint recorded_at);

// ---- CUS-7 commission validity -------------------------------------------------------------
struct CommissionValidity {
    bool valid = false;    // counts for the rep's commission
    bool flagged = false;  // too few events and no exception note: listed for the manager
    std::string reason;
};
CommissionValidity commission_validity(std::int64_t event_count, std::int64_t min_events,
                                       bool has_exception_note);

// ---- CUS-8 confidentiality -----------------------------------------------------------------
enum class PiiView {
    masked,     // 138****5678
    owner,      // the owning rep: full, not audit-logged
    privileged  // a non-owner with customer.pii.read: full, audit-logged
};
// Lists, searches and exports show full PII only to the owner; a single record's detail also
// shows it to roles with customer.pii.read (and that read is audit-logged).
PiiView pii_view(const std::string& caller_id, const std::string& owner_id, bool has_pii_permission,
                 bool detail);

// ---- CUS-10 complaints -----------------------------------------------------------------------
SALES_ENUM(ComplaintCategory, quality, delivery, service, contract, payment, property, other);
inline constexpr auto parse_complaint_category = &sales::parse_enum<ComplaintCategory>;

SALES_ENUM(ComplaintStatus, open, responded, resolved);
inline constexpr auto parse_complaint_status = &sales::parse_enum<ComplaintStatus>;

struct ComplaintDeadlines {
    sales::Date first_response_due;  // end of that day, Asia/Shanghai
    sales::Date final_due;
};
// First response within N working days and final result within M working days of receipt.
ComplaintDeadlines complaint_deadlines(sales::Date received, const Settings& settings);
enum class ComplaintAction { respond, resolve };
// sales::Failure conflict "complaint_closed" when the complaint is resolved already, or when
// responding twice.
ComplaintStatus complaint_next(ComplaintStatus current, ComplaintAction action);
// Overdue: past a due day (Asia/Shanghai) without the matching answer.
bool complaint_overdue(ComplaintStatus status, const ComplaintDeadlines& due, sales::Date today);

// ---- CUS-9 archiving -----------------------------------------------------------------------
// Archivable once no event for `archive_after_days`; never a customer with a live deal.
bool archivable(sales::TimePoint last_event_at, sales::TimePoint now,
                std::int64_t archive_after_days, bool has_live_deal);

}  // namespace customer::domain
