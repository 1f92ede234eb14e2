#pragma once
// The customer service's HTTP routes (/api/v1/...). `ctx` must outlive the service.
#include <string>

#include "app/support.hpp"
#include "sales/service.hpp"

namespace customer::adapters {

// Customers, their events, corrections and complaints (CUS-1/2/3/8/9/10).
void add_customer_routes(sales::service::Service& service, const app::Context& ctx);
// Sales-manager work: collisions, reassignment, stale list, departures, tasks, deals and
// commission validity, settings, export, archive, reports (CUS-3..9).
void add_manager_routes(sales::service::Service& service, const app::Context& ctx);

// What both route files use.
using sales::Principal;
using sales::http::Request;
using sales::http::Response;
using sales::service::Body;
using sales::service::Query;
using sales::service::read_body;
using sales::service::read_query;

// The caller of a request as the use cases see them; `route` ("GET /api/v1/customers/{id}",
// by default the request's method and path) goes to the CUS-8 PII access log.
app::Caller caller_of(const sales::http::Request& request, const sales::Principal& principal,
                      std::string route = {});

}  // namespace customer::adapters
