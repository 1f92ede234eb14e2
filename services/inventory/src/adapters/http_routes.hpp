#pragma once
#include "sales/service.hpp"

namespace inventory::adapters {

// /api/v1/projects routes.
void add_routes(sales::service::Service& service);

}  // namespace inventory::adapters
