#include "adapters/referral_store.hpp"

namespace finance::adapters {
namespace {
using namespace sales::db;
using nlohmann::json;

constexpr const char* kInsertReferral = R"sql(
INSERT INTO referrals (contract_id, project_id, referrer_customer_id, buyer_customer_id,
                       contract_no, points, status, requested_at)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, 'requested', $7::timestamptz)
ON CONFLICT (contract_id) DO NOTHING)sql";
constexpr const char* kLockReferral = R"sql(
SELECT contract_id::text AS contract_id, project_id::text AS project_id,
       referrer_customer_id::text AS referrer_customer_id, points, status
FROM referrals WHERE contract_id = $1::uuid FOR UPDATE)sql";
constexpr const char* kSetReferralConfirmed = R"sql(
UPDATE referrals SET status = 'confirmed', confirmed_by = $2, confirmed_at = now(),
    confirm_note = $3
WHERE contract_id = $1::uuid)sql";
constexpr const char* kSetReferralStatus = R"sql(
UPDATE referrals SET status = $2,
    redeemable_at = CASE WHEN $2 = 'redeemable' THEN now() ELSE redeemable_at END,
    voided_at = CASE WHEN $2 = 'voided' THEN now() ELSE voided_at END
WHERE contract_id = $1::uuid)sql";

const std::string kReferralColumns =
    "SELECT contract_id::text AS contract_id, project_id::text AS project_id, "
    "referrer_customer_id::text AS referrer_customer_id, "
    "buyer_customer_id::text AS buyer_customer_id, contract_no, points, status, confirmed_by, "
    "confirm_note, " +
    rfc3339("requested_at", "requested_at") + ", " + rfc3339("confirmed_at", "confirmed_at") +
    ", " + rfc3339("redeemable_at", "redeemable_at") + ", " + rfc3339("voided_at", "voided_at") +
    " FROM referrals ";

constexpr const char* kInsertPointEntry = R"sql(
INSERT INTO referral_point_entries (id, project_id, referrer_customer_id, kind, points,
                                    contract_id, voucher_no, note, recorded_by, reverses_entry_id)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::uuid, $7, $8, $9, $10::uuid)
ON CONFLICT DO NOTHING)sql";
constexpr const char* kFindPointEntry = R"sql(
SELECT id::text AS id, project_id::text AS project_id,
       referrer_customer_id::text AS referrer_customer_id, kind, points,
       contract_id::text AS contract_id, voucher_no, note, recorded_by,
       reverses_entry_id::text AS reverses_entry_id
FROM referral_point_entries WHERE id = $1::uuid)sql";
// Redemptions of one member serialise on a transaction-scoped advisory lock.
constexpr const char* kLockMember = R"sql(
SELECT pg_advisory_xact_lock(hashtextextended('referral_points:' || $1 || ':' || $2, 0)))sql";
constexpr const char* kPointBalance = R"sql(
SELECT coalesce(sum(points), 0) FROM referral_point_entries
WHERE project_id = $1::uuid AND referrer_customer_id = $2::uuid)sql";
constexpr const char* kPointTotals = R"sql(
SELECT (SELECT coalesce(sum(points) FILTER (WHERE kind = 'credit'), 0) FROM referral_point_entries
        WHERE project_id = $1::uuid AND referrer_customer_id = $2::uuid) AS credited,
       (SELECT coalesce(-sum(points) FILTER (WHERE kind IN ('redemption', 'reversal')), 0)
        FROM referral_point_entries
        WHERE project_id = $1::uuid AND referrer_customer_id = $2::uuid) AS redeemed,
       (SELECT coalesce(sum(points), 0) FROM referrals
        WHERE project_id = $1::uuid AND referrer_customer_id = $2::uuid
          AND status IN ('requested', 'confirmed')) AS pending)sql";

json referral_json(const Row& r) {
    return {{"contract_id", r.text("contract_id")},
            {"project_id", r.text("project_id")},
            {"referrer_customer_id", r.text("referrer_customer_id")},
            {"buyer_customer_id", r.text("buyer_customer_id")},
            {"contract_no", r.text("contract_no")},
            {"points", r.int64("points")},
            {"status", r.text("status")},
            {"requested_at", r.text("requested_at")},
            {"confirmed_by", nullable(r.opt_text("confirmed_by"))},
            {"confirmed_at", nullable(r.opt_text("confirmed_at"))},
            {"confirm_note", nullable(r.opt_text("confirm_note"))},
            {"redeemable_at", nullable(r.opt_text("redeemable_at"))},
            {"voided_at", nullable(r.opt_text("voided_at"))}};
}

}  // namespace

bool insert_referral(Tx& tx, const NewReferral& r) {
    return tx.exec(kInsertReferral, {r.contract_id, r.project_id, r.referrer_customer_id,
                                     r.buyer_customer_id, r.contract_no, r.points, r.requested_at})
               .affected_rows() == 1;
}

std::optional<Referral> lock_referral(Tx& tx, const std::string& contract_id) {
    const auto row = tx.exec_maybe_one(kLockReferral, {contract_id});
    if (!row)
        return std::nullopt;
    return Referral{row->text("contract_id"), row->text("project_id"),
                    row->text("referrer_customer_id"), row->int64("points"),
                    domain::parse_referral_status(row->text("status"))
                        .value_or(domain::ReferralStatus::requested)};
}

void set_confirmed(Tx& tx, const std::string& contract_id, const std::string& by,
                   const std::optional<std::string>& note) {
    tx.exec(kSetReferralConfirmed, {contract_id, by, param(note)});
}

void set_referral_status(Tx& tx, const std::string& contract_id, domain::ReferralStatus status) {
    tx.exec(kSetReferralStatus, {contract_id, std::string(to_string(status))});
}

std::optional<json> referral_document(Tx& tx, const std::string& contract_id) {
    const auto row =
        tx.exec_maybe_one(kReferralColumns + "WHERE contract_id = $1::uuid", {contract_id});
    if (!row)
        return std::nullopt;
    return referral_json(*row);
}

json referral_documents(Tx& tx, const std::string& project_id,
                        const std::optional<std::string>& status, std::int64_t limit) {
    auto items = json::array();
    for (const auto& r :
         tx.exec(kReferralColumns + "WHERE project_id = $1::uuid AND ($2::text IS NULL OR "
                                    "status = $2) ORDER BY requested_at DESC, contract_id "
                                    "LIMIT $3",
                 {project_id, param(status), limit}))
        items.push_back(referral_json(r));
    return items;
}

bool insert_point_entry(Tx& tx, const PointEntry& e) {
    return tx.exec(kInsertPointEntry, {e.id, e.project_id, e.referrer_customer_id, e.kind, e.points,
                                       param(e.contract_id), param(e.voucher_no), param(e.note),
                                       e.recorded_by, param(e.reverses_entry_id)})
               .affected_rows() == 1;
}

std::optional<PointEntry> find_point_entry(Tx& tx, const std::string& id) {
    const auto r = tx.exec_maybe_one(kFindPointEntry, {id});
    if (!r)
        return std::nullopt;
    return PointEntry{r->text("id"),
                      r->text("project_id"),
                      r->text("referrer_customer_id"),
                      r->text("kind"),
                      r->int64("points"),
                      r->opt_text("contract_id"),
                      r->opt_text("voucher_no"),
                      r->opt_text("note"),
                      r->text("recorded_by"),
                      r->opt_text("reverses_entry_id")};
}

std::int64_t lock_point_balance(Tx& tx, const std::string& project_id,
                                const std::string& referrer_customer_id) {
    tx.exec(kLockMember, {project_id, referrer_customer_id});
    return tx.exec_one(kPointBalance, {project_id, referrer_customer_id}).int64(0);
}

PointTotals point_totals(Tx& tx, const std::string& project_id,
                         const std::string& referrer_customer_id) {
    const auto r = tx.exec_one(kPointTotals, {project_id, referrer_customer_id});
    return {r.int64("credited"), r.int64("redeemed"), r.int64("pending")};
}

json point_entries(Tx& tx, const std::string& project_id, const std::string& referrer_customer_id) {
    auto items = json::array();
    for (const auto& r :
         tx.exec("SELECT e.id::text AS id, e.kind, e.points, e.contract_id::text AS contract_id, "
                 "e.voucher_no, e.note, e.recorded_by, "
                 "e.reverses_entry_id::text AS reverses_entry_id, "
                 "r.id::text AS reversed_by_entry_id, " +
                     rfc3339("e.recorded_at", "recorded_at") +
                     " FROM referral_point_entries e LEFT JOIN referral_point_entries r ON "
                     "r.reverses_entry_id = e.id WHERE e.project_id = $1::uuid AND "
                     "e.referrer_customer_id = $2::uuid ORDER BY e.recorded_at, e.id",
                 {project_id, referrer_customer_id})) {
        items.push_back({{"id", r.text("id")},
                         {"kind", r.text("kind")},
                         {"points", r.int64("points")},
                         {"contract_id", nullable(r.opt_text("contract_id"))},
                         {"voucher_no", nullable(r.opt_text("voucher_no"))},
                         {"note", nullable(r.opt_text("note"))},
                         {"recorded_by", r.text("recorded_by")},
                         {"recorded_at", r.text("recorded_at")},
                         {"reverses_entry_id", nullable(r.opt_text("reverses_entry_id"))},
                         {"reversed_by_entry_id", nullable(r.opt_text("reversed_by_entry_id"))}});
    }
    return items;
}

}  // namespace finance::adapters
