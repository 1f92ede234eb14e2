#pragma once
#include "sales/service.hpp"

namespace inventory::adapters {

// NATS side: rpc.inventory.hold|release|swap responders, the contract.subscription.confirmed /
// cancelled consumers, and the hold and reservation expiry sweepers.
// Configuration: SALES_INVENTORY_RPC_WORKERS (16 per subject), SALES_INVENTORY_SWEEP_INTERVAL
// (1s), SALES_INVENTORY_SWEEP_BATCH (500).
void add_messaging(sales::service::Service& service);

}  // namespace inventory::adapters
