#include "app/support.hpp"

#include "adapters/project_store.hpp"
#include "sales/auth.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::app {

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

domain::Settings project_settings(sales::db::Tx& tx, const Caller& caller,
                                  const std::string& project_id) {
    if (!sales::is_uuid(project_id))
        sales::fail_invalid("project_id", "must be a UUID");
    const auto settings = caller.in_project(project_id)
                              ? adapters::find_project_settings(tx, project_id)
                              : std::nullopt;
    if (!settings) {
        throw sales::Failure(sales::Failure::Kind::not_found, "project_not_found",
                             "project " + project_id +
                                 " is not known to the customer service (it learns projects "
                                 "from inventory.project.created) or is outside your projects",
                             {{"project_id", project_id}});
    }
    return *settings;
}

nlohmann::json row_json(const sales::db::Row& row, std::initializer_list<const char*> texts,
                        std::initializer_list<const char*> nullable_texts) {
    nlohmann::json out = nlohmann::json::object();
    for (const char* column : texts)
        out[column] = row.text(column);
    for (const char* column : nullable_texts)
        out[column] = sales::db::nullable(row.opt_text(column));
    return out;
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
