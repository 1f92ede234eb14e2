#pragma once
#include "sales/service.hpp"

namespace webhooks::adapters {

// /api/v1/webhooks…: subscriptions, their deliveries and redelivery (webhook.manage).
void add_webhook_routes(sales::service::Service& service);

}  // namespace webhooks::adapters
