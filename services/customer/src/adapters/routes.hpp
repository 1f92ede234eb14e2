#pragma once
// The customer service's HTTP routes (/api/v1/...). `ctx` must outlive the service.
#include "app/support.hpp"
#include "sales/service.hpp"

namespace customer::adapters {

// Customers, their events, corrections and complaints (CUS-1/2/3/8/9/10).
void add_customer_routes(sales::service::Service& service, const app::Context& ctx);
// Sales-manager work: collisions, reassignment, stale list, departures, tasks, deals and
// commission validity, settings, export, archive, reports (CUS-3..9).
void add_manager_routes(sales::service::Service& service, const app::Context& ctx);

}  // namespace customer::adapters
