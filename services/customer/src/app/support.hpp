#pragma once
// What the customer use cases share: the context, who is calling (with the permissions the
// rules need), the project lookup with its settings, and the outbox helper. Use cases refuse
// requests with sales::Failure (sales/failure.hpp).
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/customer.hpp"
#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/principal.hpp"

namespace customer::app {

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
    std::chrono::hours departure_deadline{48};  // CUS-5: reassign a leaver's customers in 2 days
    // CUS-8: whole-number phone searches per hour by a reader without customer.pii.read;
    // 0 = no limit.
    std::int64_t phone_searches_per_hour = 100;
};

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

// The row `find()` returns for `id` when `id` is a UUID and the row (with a project_id column)
// is in the caller's projects; 404 "<what>_not_found" otherwise.
template <class Find>
sales::db::Row load_scoped(const Caller& caller, const std::string& what, const std::string& id,
                           Find&& find) {
    std::optional<sales::db::Row> row;
    if (sales::is_uuid(id))
        row = find();
    if (!row || !caller.in_project(row->text("project_id")))
        sales::fail_not_found(what, id);
    return *row;
}

// The rows (with a project_id column) in the caller's projects, each as `to_json` makes it.
template <class ToJson>
nlohmann::json in_projects(const Caller& caller, const sales::db::Result& rows, ToJson&& to_json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : rows) {
        if (caller.in_project(row.text("project_id")))
            items.push_back(to_json(row));
    }
    return items;
}

// {column: its text} for each of `texts` and {column: its text or null} for each of
// `nullable_texts`: the common part of a row's JSON.
nlohmann::json row_json(const sales::db::Row& row, std::initializer_list<const char*> texts,
                        std::initializer_list<const char*> nullable_texts = {});

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
