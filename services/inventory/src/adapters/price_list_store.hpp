#pragma once
// Price lists and change requests in PostgreSQL (INV-2): the SQL of the pricing aggregates.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/pricing.hpp"
#include "domain/unit.hpp"
#include "sales/db.hpp"

namespace inventory::adapters {

struct PriceListRef {
    std::string project_id;
    domain::PriceListStatus status = domain::PriceListStatus::draft;
};

void insert_price_list(sales::db::Tx& tx, const std::string& id, const std::string& project_id,
                       const std::string& name, const std::string& actor,
                       const std::vector<domain::PriceListItem>& items);
// `id` must be a UUID; `for_update` locks the price list.
std::optional<PriceListRef> find_price_list(sales::db::Tx& tx, const std::string& id,
                                            bool for_update);
// The API representation with its items (list totals from the current gross areas, INV-1).
nlohmann::json price_list_view(sales::db::Tx& tx, const std::string& id);
// Items with the unit's current gross area, the units locked in id order (approval).
sales::db::Result lock_price_list_items(sales::db::Tx& tx, const std::string& id);
void mark_price_list_approved(sales::db::Tx& tx, const std::string& id, const std::string& actor);

struct ChangeRequest {
    std::string project_id;
    std::string unit_id;
    domain::ChangeRequestStatus status = domain::ChangeRequestStatus::pending;
    domain::UnitEdit edit;  // price and areas only
    nlohmann::json view;    // the API representation
};
void insert_change_request(sales::db::Tx& tx, const std::string& id, const std::string& project_id,
                           const std::string& unit_id, const domain::UnitEdit& edit,
                           const std::string& reason, const std::string& actor);
// `id` must be a UUID; `for_update` locks the request.
std::optional<ChangeRequest> find_change_request(sales::db::Tx& tx, const std::string& id,
                                                 bool for_update);
void decide_change_request(sales::db::Tx& tx, const std::string& id,
                           domain::ChangeRequestStatus status, const std::string& actor,
                           const std::optional<std::string>& note);

}  // namespace inventory::adapters
