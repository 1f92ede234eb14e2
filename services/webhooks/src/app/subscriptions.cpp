#include "app/subscriptions.hpp"

#include <algorithm>

#include "adapters/webhook_store.hpp"
#include "domain/webhook.hpp"
#include "sales/auth.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace webhooks::app {
namespace {
using nlohmann::json;

bool covers(const sales::Principal& caller, const std::vector<std::string>& project_ids) {
    if (project_ids.empty())
        return caller.in_every_project();
    return std::all_of(project_ids.begin(), project_ids.end(),
                       [&](const std::string& id) { return caller.in_project(id); });
}

// The subscription locked, 404 when absent or not the caller's.
adapters::Subscription visible(adapters::Tx& tx, const sales::Principal& caller,
                               const std::string& subscription_id) {
    auto found = adapters::lock_subscription(tx, subscription_id);
    if (!found || !covers(caller, found->project_ids))
        sales::fail_not_found("webhook", subscription_id);
    return *found;
}

void refuse_uncovered(const sales::Principal& caller, const std::vector<std::string>& projects) {
    if (!covers(caller, projects))
        sales::fail_forbidden("project_forbidden",
                              projects.empty()
                                  ? "a subscription to every project needs access to every "
                                    "project; list the projects in project_ids"
                                  : "project_ids names a project outside your projects");
}

void apply(adapters::Subscription& s, const SubscriptionFields& f) {
    if (f.name)
        s.name = *f.name;
    if (f.url)
        s.url = *f.url;
    if (f.subjects)
        s.subjects = *f.subjects;
    if (f.project_ids)
        s.project_ids = *f.project_ids;
    if (f.active)
        s.active = *f.active;
}

json shown(adapters::Tx& tx, const std::string& subscription_id) {
    return *adapters::subscription_json(tx, subscription_id);
}

}  // namespace

json create_subscription(sales::db::Pool& db, const sales::Principal& caller,
                         const SubscriptionFields& fields) {
    adapters::Subscription s;
    s.subscription_id = sales::new_uuid();
    apply(s, fields);
    refuse_uncovered(caller, s.project_ids);
    const auto secret = sales::auth::random_token(32);
    return db.transaction([&](adapters::Tx& tx) {
        adapters::insert_subscription(tx, s, secret, caller.user_id);
        auto body = shown(tx, s.subscription_id);
        body["secret"] = secret;
        return body;
    });
}

json list_subscriptions(sales::db::Pool& db, const sales::Principal& caller) {
    return db.transaction([&](adapters::Tx& tx) {
        json items = json::array();
        for (auto& item : adapters::list_subscriptions(tx))
            if (covers(caller, item["project_ids"].get<std::vector<std::string>>()))
                items.push_back(std::move(item));
        return json{{"items", items}};
    });
}

json get_subscription(sales::db::Pool& db, const sales::Principal& caller,
                      const std::string& subscription_id) {
    return db.transaction([&](adapters::Tx& tx) {
        visible(tx, caller, subscription_id);
        return shown(tx, subscription_id);
    });
}

json update_subscription(sales::db::Pool& db, const sales::Principal& caller,
                         const std::string& subscription_id, const SubscriptionFields& fields) {
    return db.transaction([&](adapters::Tx& tx) {
        auto s = visible(tx, caller, subscription_id);
        apply(s, fields);
        refuse_uncovered(caller, s.project_ids);
        adapters::update_subscription(tx, s);
        return shown(tx, subscription_id);
    });
}

void delete_subscription(sales::db::Pool& db, const sales::Principal& caller,
                         const std::string& subscription_id) {
    db.transaction([&](adapters::Tx& tx) {
        visible(tx, caller, subscription_id);
        adapters::delete_subscription(tx, subscription_id);
    });
}

json rotate_secret(sales::db::Pool& db, const sales::Principal& caller,
                   const std::string& subscription_id) {
    const auto secret = sales::auth::random_token(32);
    return db.transaction([&](adapters::Tx& tx) {
        visible(tx, caller, subscription_id);
        adapters::set_secret(tx, subscription_id, secret);
        auto body = shown(tx, subscription_id);
        body["secret"] = secret;
        return body;
    });
}

json list_deliveries(sales::db::Pool& db, const sales::Principal& caller,
                     const std::string& subscription_id, const std::optional<std::string>& status,
                     std::int64_t limit, std::int64_t offset) {
    return db.transaction([&](adapters::Tx& tx) {
        visible(tx, caller, subscription_id);
        auto page = adapters::list_deliveries(tx, subscription_id, status, limit, offset);
        return json{
            {"items", page.items}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
    });
}

json redeliver(sales::db::Pool& db, const sales::Principal& caller,
               const std::string& subscription_id, const std::vector<std::string>& delivery_ids) {
    return db.transaction([&](adapters::Tx& tx) {
        visible(tx, caller, subscription_id);
        if (!delivery_ids.empty()) {
            const auto refused = adapters::not_dead(tx, subscription_id, delivery_ids);
            if (!refused.empty())
                sales::fail_conflict("delivery_not_dead",
                                     "only dead letters are redelivered: " + refused.front() +
                                         " is pending, delivered or not of this subscription",
                                     {{"delivery_ids", refused}});
        }
        return json{{"redelivered", adapters::redeliver_dead(tx, subscription_id, delivery_ids)}};
    });
}

}  // namespace webhooks::app
