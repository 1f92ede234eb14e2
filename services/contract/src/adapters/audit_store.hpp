#pragma once
// contract_audits: the CON-4 audit chain of a contract (amendment_id null) or of an amendment.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "sales/db.hpp"

namespace contract::audit_store {

// The steps of one round so far, in order (the last one may be open).
std::vector<domain::AuditStep> round(sales::db::Tx& tx, const std::string& contract_id,
                                     const std::optional<std::string>& amendment_id,
                                     std::int64_t round);
void open_step(sales::db::Tx& tx, const std::string& contract_id,
               const std::optional<std::string>& amendment_id, std::int64_t round, int step,
               domain::Date opened_on, domain::Date due_on);
void decide_step(sales::db::Tx& tx, const std::string& contract_id,
                 const std::optional<std::string>& amendment_id, std::int64_t round, int step,
                 bool approve, const std::string& note, const std::string& actor);
// Every step of the contract and its amendments, oldest first, with `overdue` as of `today`.
nlohmann::json for_contract(sales::db::Tx& tx, const std::string& contract_id, domain::Date today);

}  // namespace contract::audit_store
