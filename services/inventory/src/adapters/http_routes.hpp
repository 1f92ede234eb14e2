#pragma once
// The inventory HTTP API, every route through Service::route with its permission(s); bodies
// and queries read with sales/input.hpp.
#include <cstdint>
#include <limits>

#include "sales/service.hpp"

namespace inventory::adapters {

using sales::Principal;
using sales::http::Request;
using sales::http::Response;
using sales::service::Body;
using Handler = sales::service::Service::RouteHandler;

// Integers whose bounds the domain checks (INV-1 areas and prices, settings): the reader only
// requires a JSON integer, the domain names the rule that is broken.
inline constexpr std::int64_t kAnyMin = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kAnyMax = std::numeric_limits<std::int64_t>::max();

// /api/v1/projects routes: projects, their settings, phases and buildings (INV-1).
void add_project_routes(sales::service::Service& service);
// Units: bulk creation, reads, edits, release/withdraw, reservations, boards (INV-1, -4, -5).
void add_unit_routes(sales::service::Service& service);
// Price lists and change requests (INV-2).
void add_pricing_routes(sales::service::Service& service);
// Title-area survey batches (CON-10).
void add_title_area_routes(sales::service::Service& service);

}  // namespace inventory::adapters
