#pragma once
// INV-2 use cases: price lists (draft → approved by finance: prices applied to the units, unit
// master data locked) and change requests (the only way to change a price or an area after the
// lock; effective from the approval time; price history kept in unit_prices).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/pricing.hpp"
#include "domain/unit.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

inline constexpr const char* kPriceListApproved = "inventory.price_list.approved";

nlohmann::json create_price_list(sales::db::Pool& db, const std::string& project_id,
                                 const sales::Principal& caller, const std::string& name,
                                 const std::vector<domain::PriceListItem>& items);
nlohmann::json get_price_list(sales::db::Pool& db, const std::string& price_list_id,
                              const sales::Principal& caller);
nlohmann::json approve_price_list(sales::db::Pool& db, const std::string& price_list_id,
                                  const sales::Principal& caller);

// `edit` carries only price and areas (the adapter admits nothing else).
nlohmann::json create_change_request(sales::db::Pool& db, const std::string& unit_id,
                                     const sales::Principal& caller, const domain::UnitEdit& edit,
                                     const std::string& reason);
nlohmann::json decide_change_request(sales::db::Pool& db, const std::string& change_request_id,
                                     const sales::Principal& caller,
                                     domain::ChangeDecision decision,
                                     const std::optional<std::string>& note);

}  // namespace inventory::app
