#include "adapters/audit_store.hpp"

namespace contract::audit_store {
namespace {
using nlohmann::json;
using namespace sales::db;

const std::string kRound =
    "SELECT step, role, decision, actor, " + sales::db::iso_date("due_on", "due_on") +
    " FROM contract_audits WHERE contract_id = $1::uuid AND amendment_id IS NOT DISTINCT FROM "
    "$2::uuid AND round = $3 ORDER BY step";

constexpr const char* kOpenStep = R"sql(
INSERT INTO contract_audits (contract_id, amendment_id, round, step, role, opened_on, due_on)
VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::date, $7::date))sql";

constexpr const char* kDecideStep = R"sql(
UPDATE contract_audits SET decision = $5, note = $6, actor = $7, decided_at = now()
WHERE contract_id = $1::uuid AND amendment_id IS NOT DISTINCT FROM $2::uuid AND round = $3
    AND step = $4 AND decision IS NULL)sql";

const std::string kForContract =
    "SELECT amendment_id::text AS amendment_id, round, step, role, " +
    sales::db::iso_date("opened_on", "opened_on") + ", " + sales::db::iso_date("due_on", "due_on") +
    ", decision, note, actor, " + sales::db::rfc3339("decided_at", "decided_at") +
    ", (decision IS NULL AND due_on < $2::date) AS overdue FROM contract_audits WHERE "
    "contract_id = $1::uuid ORDER BY id";

}  // namespace

std::vector<domain::AuditStep> round(Tx& tx, const std::string& contract_id,
                                     const std::optional<std::string>& amendment_id,
                                     std::int64_t round) {
    std::vector<domain::AuditStep> steps;
    for (const auto& r : tx.exec(kRound, {contract_id, param(amendment_id), round})) {
        steps.push_back({static_cast<int>(r.int64("step")), r.text("role"), r.opt_text("decision"),
                         r.opt_text("actor"), r.text("due_on")});
    }
    return steps;
}

void open_step(Tx& tx, const std::string& contract_id,
               const std::optional<std::string>& amendment_id, std::int64_t round, int step,
               domain::Date opened_on, domain::Date due_on) {
    tx.exec(kOpenStep,
            {contract_id, param(amendment_id), round, step, std::string(domain::audit_role(step)),
             sales::to_string(opened_on), sales::to_string(due_on)});
}

void decide_step(Tx& tx, const std::string& contract_id,
                 const std::optional<std::string>& amendment_id, std::int64_t round, int step,
                 bool approve, const std::string& note, const std::string& actor) {
    tx.exec(kDecideStep, {contract_id, param(amendment_id), round, step,
                          std::string(approve ? "approved" : "rejected"), note, actor});
}

json for_contract(Tx& tx, const std::string& contract_id, domain::Date today) {
    json audits = json::array();
    for (const auto& r : tx.exec(kForContract, {contract_id, sales::to_string(today)})) {
        audits.push_back({{"amendment_id", sales::db::nullable(r.opt_text("amendment_id"))},
                          {"round", r.int64("round")},
                          {"step", r.int64("step")},
                          {"role", r.text("role")},
                          {"opened_on", r.text("opened_on")},
                          {"due_on", r.text("due_on")},
                          {"decision", sales::db::nullable(r.opt_text("decision"))},
                          {"note", sales::db::nullable(r.opt_text("note"))},
                          {"actor", sales::db::nullable(r.opt_text("actor"))},
                          {"decided_at", sales::db::nullable(r.opt_text("decided_at"))},
                          {"overdue", r.boolean("overdue")}});
    }
    return audits;
}

}  // namespace contract::audit_store
