#include "app/fanout.hpp"

#include "adapters/webhook_store.hpp"
#include "domain/webhook.hpp"
#include "sales/event_fields.hpp"

namespace webhooks::app {

void fan_out(sales::db::Tx& tx, const sales::bus::Event& event) {
    const auto project_id = sales::bus::event_opt_uuid(event.data, "project_id");
    const auto ordering_key = event.subject.empty() ? event.type : event.subject;
    std::string payload;
    for (const auto& subscription : adapters::active_subscriptions(tx)) {
        if (!domain::any_subject_matches(subscription.subjects, event.type) ||
            !domain::project_matches(subscription.project_ids, project_id))
            continue;
        if (payload.empty())
            payload = sales::bus::to_json(event);
        adapters::insert_delivery(tx, subscription.subscription_id, event.id, event.type,
                                  ordering_key, payload);
    }
}

}  // namespace webhooks::app
