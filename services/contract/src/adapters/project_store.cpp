#include "adapters/project_store.hpp"

namespace contract::project_store {
namespace {
using namespace sales::db;

constexpr const char* kFind = R"sql(
SELECT version, deposit_deadline_seconds, signing_deadline_days, deposit_cap_percent
FROM project_refs WHERE project_id = $1::uuid)sql";

constexpr const char* kLock = R"sql(
SELECT version, deposit_deadline_seconds, signing_deadline_days, deposit_cap_percent
FROM project_refs WHERE project_id = $1::uuid FOR UPDATE)sql";

constexpr const char* kInsert = R"sql(
INSERT INTO project_refs (project_id, code, name, version, deposit_deadline_seconds,
    signing_deadline_days, deposit_cap_percent)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7))sql";

constexpr const char* kUpdate = R"sql(
UPDATE project_refs SET code = coalesce($2, code), name = coalesce($3, name), version = $4,
    deposit_deadline_seconds = $5, signing_deadline_days = $6, deposit_cap_percent = $7,
    updated_at = now()
WHERE project_id = $1::uuid)sql";

constexpr const char* kLogEvent = R"sql(
INSERT INTO project_event_log (event_id, project_id, type) VALUES ($1::uuid, $2::uuid, $3))sql";

constexpr const char* kContractSettings = R"sql(
SELECT code, signing_deadline_days, max_standard_discount_bp, penalty_bp_per_day,
    audit_deadline_working_days, refund_interest_bp_per_year, registration_deadline_working_days
FROM project_refs WHERE project_id = $1::uuid)sql";

constexpr const char* kChangeContractSettings = R"sql(
UPDATE project_refs SET max_standard_discount_bp = coalesce($2, max_standard_discount_bp),
    penalty_bp_per_day = coalesce($3, penalty_bp_per_day),
    audit_deadline_working_days = coalesce($4, audit_deadline_working_days),
    refund_interest_bp_per_year = coalesce($5, refund_interest_bp_per_year),
    registration_deadline_working_days = coalesce($6, registration_deadline_working_days),
    updated_at = now()
WHERE project_id = $1::uuid
RETURNING code, signing_deadline_days, max_standard_discount_bp, penalty_bp_per_day,
    audit_deadline_working_days, refund_interest_bp_per_year, registration_deadline_working_days)sql";

}  // namespace

std::optional<Held> find(Tx& tx, const std::string& project_id, bool for_update) {
    const auto row = tx.exec_maybe_one(for_update ? kLock : kFind, {project_id});
    if (!row)
        return std::nullopt;
    return Held{row->int64("version"),
                {row->int64("deposit_deadline_seconds"), row->int64("signing_deadline_days"),
                 row->int64("deposit_cap_percent")}};
}

void insert(Tx& tx, const domain::ProjectRef& ref, const domain::ProjectSettings& settings) {
    tx.exec(kInsert, {ref.project_id, param(ref.code), param(ref.name), ref.version,
                      settings.deposit_deadline_seconds, settings.signing_deadline_days,
                      settings.deposit_cap_percent});
}

void update(Tx& tx, const domain::ProjectRef& ref, const domain::ProjectSettings& settings) {
    tx.exec(kUpdate, {ref.project_id, param(ref.code), param(ref.name), ref.version,
                      settings.deposit_deadline_seconds, settings.signing_deadline_days,
                      settings.deposit_cap_percent});
}

void log_event(Tx& tx, const std::string& event_id, const std::string& project_id,
               const std::string& type) {
    tx.exec(kLogEvent, {event_id, project_id, type});
}

std::optional<ContractSettings> contract_settings(Tx& tx, const std::string& project_id) {
    const auto row = tx.exec_maybe_one(kContractSettings, {project_id});
    if (!row)
        return std::nullopt;
    ContractSettings out;
    out.code = row->text("code");
    out.settings.signing_deadline_days = row->int64("signing_deadline_days");
    out.settings.max_standard_discount_bp = row->int64("max_standard_discount_bp");
    out.settings.penalty_bp_per_day = row->int64("penalty_bp_per_day");
    out.settings.audit_deadline_working_days = row->int64("audit_deadline_working_days");
    out.settings.refund_interest_bp_per_year = row->int64("refund_interest_bp_per_year");
    out.settings.registration_deadline_working_days =
        row->int64("registration_deadline_working_days");
    return out;
}

std::optional<nlohmann::json> change_contract_settings(Tx& tx, const std::string& project_id,
                                                       const ContractSettingsChange& change) {
    const auto row = tx.exec_maybe_one(
        kChangeContractSettings,
        {project_id, param(change.max_standard_discount_bp), param(change.penalty_bp_per_day),
         param(change.audit_deadline_working_days), param(change.refund_interest_bp_per_year),
         param(change.registration_deadline_working_days)});
    if (!row)
        return std::nullopt;
    return nlohmann::json{
        {"project_id", project_id},
        {"code", row->text("code")},
        {"signing_deadline_days", row->int64("signing_deadline_days")},
        {"max_standard_discount_bp", row->int64("max_standard_discount_bp")},
        {"penalty_bp_per_day", row->int64("penalty_bp_per_day")},
        {"audit_deadline_working_days", row->int64("audit_deadline_working_days")},
        {"refund_interest_bp_per_year", row->int64("refund_interest_bp_per_year")},
        {"registration_deadline_working_days", row->int64("registration_deadline_working_days")}};
}

}  // namespace contract::project_store
