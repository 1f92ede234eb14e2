#pragma once
// Customer use cases (CUS-1/2/3/8/9): record a customer with its first event (ownership by the
// first recorder, collisions for the others), read with masking and PII audit, search, change,
// stage by hand, events, corrections, reassignment and collisions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "domain/customer.hpp"
#include "domain/phone.hpp"

namespace customer::app {

struct NewEvent {
    domain::EventKind kind = domain::EventKind::visit;
    sales::TimePoint occurred_at;
    domain::Channel channel = domain::Channel::visit;
    std::optional<std::string> note;
    std::optional<std::int64_t> satisfaction;  // 1–5, surveys only (CUS-10)
};

struct Needs {
    std::optional<std::int64_t> budget_min_fen;
    std::optional<std::int64_t> budget_max_fen;
    std::optional<std::string> layout;
    std::optional<std::int64_t> area_min_centi_m2;
    std::optional<std::int64_t> area_max_centi_m2;
    std::optional<std::string> location;
    std::optional<domain::Horizon> horizon;
};

struct NewCustomer {
    std::string project_id;
    std::string name;
    std::optional<domain::Gender> gender;
    std::optional<std::int64_t> birth_year;
    domain::Phone phone;
    std::optional<std::string> id_number;
    std::optional<std::string> occupation;
    std::optional<std::string> address;
    domain::Channel channel = domain::Channel::visit;
    Needs needs;
    std::optional<domain::CustomerType> type;
    NewEvent first_event;    // CUS-2
    nlohmann::json attempt;  // the request body, kept with a collision (CUS-3)
};

// 201 with the customer, or 409 with a stored collision (CUS-3); both commit.
struct CreateOutcome {
    bool created = false;
    nlohmann::json body;
};
CreateOutcome create_customer(const Context& ctx, const Caller& caller, const NewCustomer& input);

// CUS-8: full PII for the owner and, audit-logged, for customer.pii.read; masked otherwise.
nlohmann::json get_customer(const Context& ctx, const Caller& caller, const std::string& id);

struct ListFilter {
    std::optional<std::string> project_id;
    // Name fragment, a whole phone (exact match) or at least 4 phone digits (CUS-8:
    // domain::phone_search); every search is logged in pii_access_log.
    std::optional<std::string> q;
    std::optional<domain::Stage> stage;
    std::optional<domain::CustomerType> type;
    std::optional<std::string> rep_id;
    std::optional<domain::Channel> channel;
    std::optional<sales::Date> last_contact_from;  // Asia/Shanghai days, inclusive
    std::optional<sales::Date> last_contact_to;
    bool archived = false;
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
// {items, total, limit, offset}; phones masked except for the caller's own customers.
nlohmann::json list_customers(const Context& ctx, const Caller& caller, const ListFilter& filter);

// Display data of several customers at once (the contract search shows its buyers): for each
// id in the caller's projects {id, project_id, name, phone, pii_masked, owner_id, stage,
// archived}, by id; unknown ids and customers of other projects are left out. CUS-8: the list
// rule, full phone only for the owning rep (customer.pii.read reads a full record through
// GET /api/v1/customers/{id}, audit-logged). At most kMaxLookupIds ids.
inline constexpr std::size_t kMaxLookupIds = 100;
nlohmann::json lookup_customers(const Context& ctx, const Caller& caller,
                                const std::vector<std::string>& ids);

struct CustomerPatch {
    std::optional<std::optional<domain::Gender>> gender;
    std::optional<std::optional<std::int64_t>> birth_year;
    std::optional<std::optional<std::string>> occupation;
    std::optional<std::optional<domain::CustomerType>> type;
    std::optional<Needs> needs;  // replaces all needs
};
nlohmann::json update_customer(const Context& ctx, const Caller& caller, const std::string& id,
                               const CustomerPatch& patch);
nlohmann::json change_stage(const Context& ctx, const Caller& caller, const std::string& id,
                            domain::Stage stage, const std::optional<std::string>& reason);

nlohmann::json add_event(const Context& ctx, const Caller& caller, const std::string& customer_id,
                         const NewEvent& event);
nlohmann::json list_events(const Context& ctx, const Caller& caller, const std::string& customer_id,
                           std::int64_t limit, std::int64_t offset);

// CUS-9: a customer's correction of name, phone, id_number or address (logged with the old value
// and the reason); only the owner or a sales manager.
inline constexpr const char* kCorrectableFields = "name, phone, id_number, address";
nlohmann::json correct_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                const std::string& field, const std::optional<std::string>& value,
                                const std::string& reason);
nlohmann::json list_corrections(const Context& ctx, const Caller& caller, const std::string& id);
nlohmann::json list_pii_access(const Context& ctx, const Caller& caller, const std::string& id);

// CUS-4 reassignment by a sales manager.
nlohmann::json reassign_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                 const std::string& to_rep_id, const std::string& reason);

// CUS-3 collisions for the sales manager.
nlohmann::json list_collisions(const Context& ctx, const Caller& caller,
                               const std::optional<std::string>& project_id,
                               std::optional<domain::CollisionStatus> status, std::int64_t limit,
                               std::int64_t offset);
nlohmann::json resolve_collision(const Context& ctx, const Caller& caller, const std::string& id,
                                 domain::CollisionDecision decision, const std::string& note);

// Internal, shared with the other use cases (inside the caller's transaction):
nlohmann::json customer_json(const sales::db::Row& row, domain::PiiView view);
// Changes the owner, history row and customer.reassigned event; returns the new version.
std::int64_t move_owner(sales::db::Tx& tx, const std::string& customer_id,
                        const std::string& to_rep_id, const std::string& cause,
                        const std::string& reason, const std::string& actor);
// Applies a stage change (history + customer.stage_changed) when next_stage says so.
void apply_stage(sales::db::Tx& tx, const std::string& customer_id, const domain::StageInput& input,
                 const std::string& cause, const std::optional<std::string>& source_event_id,
                 const std::string& actor, const std::optional<std::string>& reason);
// The customer row FOR UPDATE (or not); 404 when unknown or outside the caller's projects.
sales::db::Row load_customer(sales::db::Tx& tx, const Caller& caller, const std::string& id,
                             bool for_update);
// 403 not_owner unless the caller owns the customer or is a sales manager.
void require_owner_or_manager(const Caller& caller, const sales::db::Row& customer);
// CUS-8: how a single record shows to the caller; a privileged full read is audit-logged.
domain::PiiView detail_view(sales::db::Tx& tx, const Caller& caller,
                            const sales::db::Row& customer);
// CUS-8 for free text (notes, complaint texts, reasons): phones and ID numbers in `text` masked
// unless `view` is owner or privileged; `revealed` becomes true when a privileged reader is
// shown numbers a masked reader would not see (the caller then logs the read).
nlohmann::json free_text(const std::optional<std::string>& text, domain::PiiView view,
                         bool& revealed);
// CUS-8: a pii_access_log row for a full read of the customer's PII by a non-owner.
void log_full_read(sales::db::Tx& tx, const Caller& caller, const std::string& customer_id);
// The caller's roles, comma-separated (for the PII access log).
std::string roles_text(const Caller& caller);
// CUS-2/10: 400 for a complaint (its own route) or an event breaking validate_event; field
// names start with `prefix` ("first_event.").
void check_event(const NewEvent& event, sales::TimePoint now, const std::string& prefix);
// Inserts an event row and updates last_event_at / event_count; returns the event as JSON.
nlohmann::json insert_event(sales::db::Tx& tx, const std::string& customer_id,
                            const std::string& project_id, const NewEvent& event,
                            const std::string& rep_id, const std::string& recorded_by,
                            sales::TimePoint now);

}  // namespace customer::app
