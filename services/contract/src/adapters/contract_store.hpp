#pragma once
// The contracts table and its history (CON-3 … CON-9): the contract as the API shows it, as the
// domain decides on it, the gap-free numbering, the fields a step fills in, and the one way a
// contract's change is saved — row, history rows and outbox event in the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "sales/db.hpp"

namespace contract::contract_store {

// The contract, locked FOR UPDATE when `for_update`; nullopt when unknown (or not a UUID).
std::optional<domain::Contract> find(sales::db::Tx& tx, const std::string& id, bool for_update);
// The contract as the API shows it: the row (minus internals), timestamps in RFC 3339 UTC.
nlohmann::json document(sales::db::Tx& tx, const std::string& id);
// The SELECT of documents (column `doc`) that list queries extend with WHERE … .
const std::string& select_documents();

// CON-3 numbering: the next serial of the project's year (the counter row stays locked until
// commit, and a rollback undoes the increment: gap-free).
std::int64_t next_serial(sales::db::Tx& tx, const std::string& project_id, int year);

struct Signing {
    int year = 0;
    std::int64_t serial = 0;
    std::optional<std::string> discount_slip_id;
    std::optional<std::string> late_signing_approval_id;
};
// The new contract's row (version 1); saved with save(signed_contract change) right after.
void insert(sales::db::Tx& tx, const domain::Contract& c, const Signing& signing,
            const std::string& signed_by);

// CON-11: the member who referred the buyer (recorded right after insert, at signing).
void set_referrer(sales::db::Tx& tx, const std::string& contract_id,
                  const std::string& referrer_id);
// CON-11: a member 会员 is an owner — the buyer of a contract that is not cancelled.
bool is_member(sales::db::Tx& tx, const std::string& customer_id);

// Writes a change made by the domain: the row's status, version, audit round and handover state
// (if still at change.from_version: Failure conflict "concurrent_change" otherwise; nothing to
// update when the change created the contract), the contract_history row, the
// handover_eligibility_history row of an eligibility change, and the event.
void save(sales::db::Tx& tx, const domain::Contract& after, const domain::ContractChange& change);

// The fields a step fills in.
// CON-4 stamping, with the CON-7 registration due day (YYYY-MM-DD).
void set_stamp(sales::db::Tx& tx, const std::string& id, const std::string& stamped_on,
               const std::string& stamp_no, const std::string& stamped_by,
               const std::string& registration_due_on);
// CON-7: stamped contracts without a registration due day (stamped before it was recorded), up
// to `limit`, with their project's working days; and setting it (only where still missing).
struct MissingDue {
    std::string id;
    std::string stamped_on;  // YYYY-MM-DD
    std::int64_t working_days = 2;
};
std::vector<MissingDue> missing_registration_due(sales::db::Tx& tx, std::int64_t limit);
void set_registration_due(sales::db::Tx& tx, const std::string& id, const std::string& due_on);
// CON-7: the contract number of another contract of the project with this registration number.
std::optional<std::string> registration_holder(sales::db::Tx& tx, const std::string& project_id,
                                               const std::string& registration_no,
                                               const std::string& except_id);
// At signing: the building and unit number the subscription recorded from inventory.
void copy_unit_location(sales::db::Tx& tx, const std::string& id);
void set_registration(sales::db::Tx& tx, const std::string& id, const std::string& filed_at,
                      const std::string& registration_date, const std::string& registration_no);
// CON-9: the handover as recorded (notice and actual dates, by whom) and its confirmation.
void set_handover(sales::db::Tx& tx, const std::string& id, const std::string& notice_date,
                  const std::string& handed_over_on, const std::string& recorded_by);
void set_handover_confirmed(sales::db::Tx& tx, const std::string& id,
                            const std::string& confirmed_by);
void set_cancelled(sales::db::Tx& tx, const std::string& id);
void set_early_handover_approval(sales::db::Tx& tx, const std::string& id,
                                 const std::string& approval_id);
// CON-5: an approved amendment's terms {customer_id, discount_fen, price_fen, plan}.
void set_terms(sales::db::Tx& tx, const std::string& id, const nlohmann::json& terms);
// CON-5 换房: an approved amendment's new unit, its location and the areas of its price.
void set_unit(sales::db::Tx& tx, const std::string& id, const domain::NewUnit& unit);

}  // namespace contract::contract_store
