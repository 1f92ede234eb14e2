#pragma once
// Deals from the contract service's events, the customer's stage they drive, and CUS-7
// commission validity per deal.
//
// Consumed: contract.subscription.{created, confirmed, cancelled, renamed} (data: the
// subscription snapshot with subscription_id, project_id, customer_id, rep_id; renamed also
// previous_customer_id) and contract.signed (data: contract_id, subscription_id, customer_id,
// project_id, rep_id, signed_at RFC 3339).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/support.hpp"

namespace customer::app {

inline constexpr const char* kContractSigned = "contract.signed";

// Inbox handler (inside the inbox transaction): records the deal and moves the customer's stage
// (domain::next_stage). A customer this service never recorded is logged and only the deal is
// kept. Malformed data → PoisonMessage (dead letter).
void apply_contract_event(sales::db::Tx& tx, const sales::bus::Event& event);

// `deal_id`: a subscription id or a contract id.
nlohmann::json commission_validity(const Context& ctx, const Caller& caller,
                                   const std::string& deal_id);
nlohmann::json record_commission_exception(const Context& ctx, const Caller& caller,
                                           const std::string& deal_id, const std::string& note);
// Signed deals of a project with their validity; flagged_only lists those CUS-7 flags.
nlohmann::json list_deals(const Context& ctx, const Caller& caller, const std::string& project_id,
                          bool flagged_only, std::int64_t limit, std::int64_t offset);

}  // namespace customer::app
