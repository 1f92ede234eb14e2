#pragma once
// project_refs: the projects contract knows from inventory.project.* events, with the settings
// of the subscription rules (CON-1, CON-3, REG-2) and of the contract rules (CON-3/4, FIN-5).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "domain/project_ref.hpp"
#include "sales/db.hpp"

namespace contract::project_store {

struct Held {
    std::int64_t version = 0;
    domain::ProjectSettings settings;
};
// The project's version and subscription settings, locked when `for_update`.
std::optional<Held> find(sales::db::Tx& tx, const std::string& project_id, bool for_update);
// A project seen for the first time / a newer version of one (code and name kept when absent).
void insert(sales::db::Tx& tx, const domain::ProjectRef& ref,
            const domain::ProjectSettings& settings);
void update(sales::db::Tx& tx, const domain::ProjectRef& ref,
            const domain::ProjectSettings& settings);
void log_event(sales::db::Tx& tx, const std::string& event_id, const std::string& project_id,
               const std::string& type);

struct ContractSettings {
    std::string code;
    domain::ContractSettings settings;
};
std::optional<ContractSettings> contract_settings(sales::db::Tx& tx, const std::string& project_id);

struct ContractSettingsChange {
    std::optional<std::int64_t> max_standard_discount_bp;
    std::optional<std::int64_t> penalty_bp_per_day;
    std::optional<std::int64_t> audit_deadline_working_days;
    std::optional<std::int64_t> refund_interest_bp_per_year;
    std::optional<std::int64_t> registration_deadline_working_days;  // CON-7
};
// Applies the settings given; the project's contract settings afterwards as the API shows them,
// nullopt for an unknown project.
std::optional<nlohmann::json> change_contract_settings(sales::db::Tx& tx,
                                                       const std::string& project_id,
                                                       const ContractSettingsChange& change);

}  // namespace contract::project_store
