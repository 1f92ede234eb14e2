#include "app/support.hpp"

#include "sales/auth.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::app {

const char* const kSettingsColumns =
    "stale_days, follow_up_days, complaint_first_response_days, complaint_final_days, "
    "archive_after_days, commission_min_events";

void invalid(const std::string& field, const std::string& problem) {
    throw Failure(Failure::Kind::invalid, "validation_failed", field + ": " + problem,
                  {{"field", field}, {"problem", problem}});
}

void not_found(const std::string& what, const std::string& id) {
    throw Failure(Failure::Kind::not_found, what + "_not_found", "no " + what + " with id " + id,
                  {{what + "_id", id}});
}

Caller caller_from(const sales::Principal& principal, std::string request_id, std::string route) {
    Caller c;
    c.principal = principal;
    c.request_id = std::move(request_id);
    c.route = std::move(route);
    c.pii = sales::auth::allowed(principal, "customer.pii.read");
    c.manager = sales::auth::allowed(principal, "customer.reassign");
    c.complaints = sales::auth::allowed(principal, "customer.complaint");
    return c;
}

domain::Settings settings_from_row(const sales::db::Row& row) {
    return {row.int64("stale_days"),
            row.int64("follow_up_days"),
            row.int64("complaint_first_response_days"),
            row.int64("complaint_final_days"),
            row.int64("archive_after_days"),
            row.int64("commission_min_events")};
}

domain::Settings project_settings(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& project_id) {
    if (!sales::is_uuid(project_id))
        invalid("project_id", "must be a UUID");
    const auto row = caller.in_project(project_id)
                         ? tx.exec_maybe_one(std::string("SELECT ") + kSettingsColumns +
                                                 " FROM project_refs WHERE project_id = $1::uuid",
                                             {project_id})
                         : std::nullopt;
    if (!row) {
        throw Failure(Failure::Kind::not_found, "project_not_found",
                      "project " + project_id +
                          " is not known to the customer service (it learns projects from "
                          "inventory.project.created) or is outside your projects",
                      {{"project_id", project_id}});
    }
    return settings_from_row(*row);
}

std::string iso(const std::string& column, const std::string& alias) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS " +
           alias;
}

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json nullable(const std::optional<std::int64_t>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

sales::TimePoint time_of(const std::string& rfc3339) {
    const auto t = sales::parse_rfc3339(rfc3339);
    if (!t)
        throw std::runtime_error("not an RFC 3339 timestamp: " + rfc3339);
    return *t;
}

void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data) {
    sales::bus::outbox_append(
        tx, sales::bus::make_event("customer", type, aggregate_id, sequence, std::move(data)));
}

std::string like_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '%' || c == '_')
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace customer::app
