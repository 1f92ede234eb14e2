#pragma once
// CON-10 area settlements in PostgreSQL.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace contract::area_settlement_store {

struct NewSettlement {
    std::string id;
    std::string contract_id;
    std::string unit_id;
    std::string survey_id;
    std::string pricing_basis;
    std::int64_t price_fen = 0;
    nlohmann::json gross;
    nlohmann::json internal;  // null when the contract's internal area is not recorded
    std::string status;
};

// The live (not cancelled) contract of a unit, locked; nullopt when the unit has none.
std::optional<std::string> lock_live_contract_of_unit(sales::db::Tx& tx,
                                                      const std::string& unit_id);
// Marks the contract's earlier settlements superseded; false (nothing written) when this survey
// was settled for the contract already.
bool insert(sales::db::Tx& tx, const NewSettlement& s);
// How many settlements the contract has (the sequence of its settlement events).
std::int64_t count(sales::db::Tx& tx, const std::string& contract_id);
// The contract's settlements, newest first.
nlohmann::json list(sales::db::Tx& tx, const std::string& contract_id);

}  // namespace contract::area_settlement_store
