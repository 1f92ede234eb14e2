#pragma once
// CON-11 referral points in PostgreSQL: the referrals recorded at signing and each member's
// points ledger (append-only).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/referral.hpp"
#include "sales/db.hpp"

namespace finance::adapters {

struct NewReferral {
    std::string contract_id;
    std::string project_id;
    std::string referrer_customer_id;
    std::string buyer_customer_id;
    std::string contract_no;
    std::int64_t points = 0;
    std::string requested_at;  // RFC 3339: the signing
};
// False when the contract's referral is recorded already.
bool insert_referral(sales::db::Tx& tx, const NewReferral& referral);

struct Referral {
    std::string contract_id;
    std::string project_id;
    std::string referrer_customer_id;
    std::int64_t points = 0;
    domain::ReferralStatus status = domain::ReferralStatus::requested;
};
// Locked FOR UPDATE.
std::optional<Referral> lock_referral(sales::db::Tx& tx, const std::string& contract_id);
// status confirmed, with who, when and the note.
void set_confirmed(sales::db::Tx& tx, const std::string& contract_id, const std::string& by,
                   const std::optional<std::string>& note);
void set_referral_status(sales::db::Tx& tx, const std::string& contract_id,
                         domain::ReferralStatus status);
// The referral as the API shows it (nullopt: none for the contract).
std::optional<nlohmann::json> referral_document(sales::db::Tx& tx, const std::string& contract_id);
// The project's referrals, newest first, at most `limit`.
nlohmann::json referral_documents(sales::db::Tx& tx, const std::string& project_id,
                                  const std::optional<std::string>& status, std::int64_t limit);

struct PointEntry {
    std::string id;
    std::string project_id;
    std::string referrer_customer_id;
    std::string kind;  // credit | redemption | reversal
    std::int64_t points = 0;
    std::optional<std::string> contract_id;
    std::optional<std::string> voucher_no;
    std::optional<std::string> note;
    std::string recorded_by;
    std::optional<std::string> reverses_entry_id;  // reversal: the redemption it cancels
};
// The entry (nullopt: none).
std::optional<PointEntry> find_point_entry(sales::db::Tx& tx, const std::string& id);
// False (nothing written) when the voucher number is taken in the project, the contract was
// credited already or the redemption was reversed already.
bool insert_point_entry(sales::db::Tx& tx, const PointEntry& entry);
// The member's balance in the project, serialised with other redemptions of that member until
// the transaction ends.
std::int64_t lock_point_balance(sales::db::Tx& tx, const std::string& project_id,
                                const std::string& referrer_customer_id);
struct PointTotals {
    std::int64_t credited = 0;
    std::int64_t redeemed = 0;  // positive: redemptions less their reversals
    std::int64_t pending = 0;   // of referrals requested or confirmed, not credited yet
};
PointTotals point_totals(sales::db::Tx& tx, const std::string& project_id,
                         const std::string& referrer_customer_id);
// The member's entries in the project, oldest first.
nlohmann::json point_entries(sales::db::Tx& tx, const std::string& project_id,
                             const std::string& referrer_customer_id);

}  // namespace finance::adapters
