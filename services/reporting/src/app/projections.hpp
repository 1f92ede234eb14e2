#pragma once
// The read model's inbox handlers: each event of INVENTORY, CONTRACT, FINANCE and CUSTOMER that a
// report needs, applied in the inbox transaction (exactly once). Types no report needs change
// nothing; an event missing a field a report needs is a dead letter naming the field.
#include "sales/bus.hpp"
#include "sales/db.hpp"

namespace reporting::app {

inline constexpr const char* kInventoryEvents = "inventory.>";
inline constexpr const char* kContractEvents = "contract.>";
inline constexpr const char* kFinanceEvents = "finance.>";
inline constexpr const char* kCustomerEvents = "customer.>";

void apply_inventory_event(sales::db::Tx& tx, const sales::bus::Event& event);
void apply_contract_event(sales::db::Tx& tx, const sales::bus::Event& event);
void apply_finance_event(sales::db::Tx& tx, const sales::bus::Event& event);
void apply_customer_event(sales::db::Tx& tx, const sales::bus::Event& event);

}  // namespace reporting::app
