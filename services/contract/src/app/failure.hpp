#pragma once
// A request the use cases turn down, by kind (sales/failure.hpp: the adapters map the kind to
// an HTTP status with sales::http_status).
#include "sales/failure.hpp"

namespace contract::app {

using Failure = sales::Failure;

}  // namespace contract::app
