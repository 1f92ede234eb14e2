#pragma once
// The finance service's HTTP routes (/api/v1/...). `ctx` must outlive the service.
#include "app/support.hpp"
#include "sales/service.hpp"

namespace finance::adapters {

// Payments, reversals, refund approvals, ledger queries, balances and reports (FIN-2..7).
void add_routes(sales::service::Service& service, const app::Context& ctx);
// CON-11 referral points (referral_routes.cpp).
void add_referral_routes(sales::service::Service& service, const app::Context& ctx);

}  // namespace finance::adapters
