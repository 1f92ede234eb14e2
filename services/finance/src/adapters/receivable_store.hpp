#pragma once
// What changes a contract's receivable after signing (CON-5 amendments, CON-9 fees, CON-10 area
// settlements) and the refunds contract decisions approve (CON-6, CON-10), in PostgreSQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/schedule.hpp"
#include "sales/db.hpp"

namespace finance::adapters {

// The plan's schedule as last built (contract.signed or an approved amendment); nullopt for a
// contract scheduled before base schedules were kept (its stored items are the plan's).
std::optional<std::vector<domain::ScheduleItem>> base_schedule(sales::db::Tx& tx,
                                                               const std::string& contract_id);
struct Terms {
    std::int64_t price_fen = 0;
    std::string payment_plan;
    std::int64_t ledger_deposit_fen = 0;
    std::int64_t terms_version = 1;
    bool cancelled = false;
};
Terms terms(sales::db::Tx& tx, const std::string& contract_id);
// CON-5: the approved amendment's price, plan kind and schedule, as of contract version
// `terms_version`.
void set_terms(sales::db::Tx& tx, const std::string& contract_id, std::int64_t price_fen,
               const std::string& payment_plan, const std::vector<domain::ScheduleItem>& base,
               std::int64_t terms_version);
void set_base_schedule(sales::db::Tx& tx, const std::string& contract_id,
                       const std::vector<domain::ScheduleItem>& base);
// schedule_items := `items`.
void replace_schedule(sales::db::Tx& tx, const std::string& contract_id,
                      const std::vector<domain::ScheduleItem>& items);

struct NewAdjustment {
    std::string id;
    std::string contract_id;
    domain::ItemKind kind = domain::ItemKind::area_settlement;
    std::string source_id;
    std::string label;
    std::int64_t amount_fen = 0;
    sales::Date due_date;
    std::string recorded_by;
    std::optional<std::string> source_event_id;
    std::optional<std::string> fee_kind;  // kind fee only
    std::optional<std::string> note;
};
// False (nothing written) when the source was booked already.
bool insert_adjustment(sales::db::Tx& tx, const NewAdjustment& adjustment);
std::vector<domain::Adjustment> adjustments(sales::db::Tx& tx, const std::string& contract_id);
// The contract's adjustments of `kind` as the API shows them (oldest first).
nlohmann::json adjustment_rows(sales::db::Tx& tx, const std::string& contract_id,
                               domain::ItemKind kind);

// CON-10 settlements finance booked.
struct Settlement {
    std::string settlement_id;
    std::string contract_id;
    std::string project_id;
    std::int64_t buyer_pays_fen = 0;
    std::int64_t developer_refunds_fen = 0;
    std::int64_t refund_due_fen = 0;
    bool settled = false;
};
bool insert_settlement(sales::db::Tx& tx, const Settlement& s);
std::optional<Settlement> settlement(sales::db::Tx& tx, const std::string& settlement_id);
std::vector<Settlement> open_settlements(sales::db::Tx& tx, const std::string& contract_id);
void mark_settled(sales::db::Tx& tx, const std::string& settlement_id, const std::string& how);
// Net area-settlement receipts of the contract (receipts less their reversals).
std::int64_t area_settlement_received(sales::db::Tx& tx, const std::string& contract_id);

// Refund approvals that name what they pay.
struct PurposedApproval {
    std::string id;
    std::string project_id;
    std::string contract_id;
    std::string purpose;  // contract_cancellation | area_settlement
    std::string source_id;
    std::int64_t amount_fen = 0;
    std::string reason;
    std::string approved_by;
};
// False (nothing written) when the source already has its approval (cancellations).
bool insert_purposed_approval(sales::db::Tx& tx, const PurposedApproval& approval);
// Approvals of the contract whose refunds are not yet all paid.
std::vector<PurposedApproval> unpaid_approvals(sales::db::Tx& tx, const std::string& contract_id);
void mark_approval_paid(sales::db::Tx& tx, const std::string& approval_id);
// What the approvals for one source allow in total, and what their refunds paid (≥ 0).
std::int64_t approved_for(sales::db::Tx& tx, const std::string& purpose,
                          const std::string& source_id);
std::int64_t refunded_for(sales::db::Tx& tx, const std::string& purpose,
                          const std::string& source_id);

// The project's refund approvals as GET /api/v1/refund-approvals shows them (newest first, at
// most 500).
nlohmann::json list_approvals(sales::db::Tx& tx, const std::string& project_id, bool unpaid_only);

// contract.cancelled: the contract is no longer owed.
void set_cancelled(sales::db::Tx& tx, const std::string& contract_id);

}  // namespace finance::adapters
