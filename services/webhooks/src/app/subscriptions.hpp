#pragma once
// Managing webhook subscriptions (administrators, permission webhook.manage). A subscription is
// visible to a caller whose projects cover it: one limited to projects needs each of them in the
// caller's scope, one for every project needs the scope "*". Others answer 404.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace webhooks::app {

struct SubscriptionFields {
    std::optional<std::string> name;
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> subjects;
    std::optional<std::vector<std::string>> project_ids;
    std::optional<bool> active;
};

// Returns the subscription with its secret (shown only here and on rotation).
nlohmann::json create_subscription(sales::db::Pool& db, const sales::Principal& caller,
                                   const SubscriptionFields& fields);
nlohmann::json list_subscriptions(sales::db::Pool& db, const sales::Principal& caller);
nlohmann::json get_subscription(sales::db::Pool& db, const sales::Principal& caller,
                                const std::string& subscription_id);
nlohmann::json update_subscription(sales::db::Pool& db, const sales::Principal& caller,
                                   const std::string& subscription_id,
                                   const SubscriptionFields& fields);
void delete_subscription(sales::db::Pool& db, const sales::Principal& caller,
                         const std::string& subscription_id);
// A new secret; the old one stops signing at once.
nlohmann::json rotate_secret(sales::db::Pool& db, const sales::Principal& caller,
                             const std::string& subscription_id);
nlohmann::json list_deliveries(sales::db::Pool& db, const sales::Principal& caller,
                               const std::string& subscription_id,
                               const std::optional<std::string>& status, std::int64_t limit,
                               std::int64_t offset);
// Dead letters back to pending (all when `delivery_ids` is empty); 409 when a named one is not
// a dead letter (a delivered event is never sent again).
nlohmann::json redeliver(sales::db::Pool& db, const sales::Principal& caller,
                         const std::string& subscription_id,
                         const std::vector<std::string>& delivery_ids);

}  // namespace webhooks::app
