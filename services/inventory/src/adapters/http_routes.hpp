#pragma once
#include "sales/service.hpp"

namespace inventory::adapters {

// /api/v1/projects routes: projects, their settings, phases and buildings (INV-1).
void add_routes(sales::service::Service& service);
// Units: bulk creation, reads, edits, release/withdraw, reservations, boards (INV-1, -4, -5).
void add_unit_routes(sales::service::Service& service);
// Price lists and change requests (INV-2).
void add_pricing_routes(sales::service::Service& service);

}  // namespace inventory::adapters
