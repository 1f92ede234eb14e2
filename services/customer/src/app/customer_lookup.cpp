// Several customers' display data at once, masked by CUS-8's list rule.
#include "adapters/customer_queries.hpp"
#include "app/customers.hpp"
#include "sales/ids.hpp"

namespace customer::app {

nlohmann::json lookup_customers(const Context& ctx, const Caller& caller,
                                const std::vector<std::string>& ids) {
    std::optional<std::vector<std::string>> projects;
    if (!caller.in_project("*")) {
        projects.emplace();
        for (const auto& id : caller.principal.project_ids) {
            if (sales::is_uuid(id))  // only UUIDs can name a project
                projects->push_back(id);
        }
    }
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& row : adapters::customers_by_ids(tx, ids, projects)) {
            // CUS-8: as in lists, full PII only for the owner (never audit-logged: no
            // privileged read happens here).
            const auto full = customer_json(
                row, domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, false));
            items.push_back({{"id", full["id"]},
                             {"project_id", full["project_id"]},
                             {"name", full["name"]},
                             {"phone", full["phone"]},
                             {"pii_masked", full["pii_masked"]},
                             {"owner_id", full["owner_id"]},
                             {"stage", full["stage"]},
                             {"archived", !full["archived_at"].is_null()}});
        }
        return nlohmann::json{{"items", std::move(items)}};
    });
}

}  // namespace customer::app
