#pragma once
// The ledger (ledger_entries, FIN-2..4: append-only, a correction is a reversal row) and the
// refund approvals entries reference (refund_approvals, FIN-4). Entries are returned as the
// JSON the API shows.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/calendar.hpp"
#include "sales/db.hpp"

namespace finance::adapters {

struct NewEntry {
    std::string id;
    std::string project_id;
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    std::string category;
    std::optional<std::string> method;
    std::optional<std::string> payer;
    std::int64_t amount_fen = 0;  // signed
    std::optional<std::string> receipt_no;
    std::string paid_at;       // RFC 3339
    std::string booked_on;     // YYYY-MM-DD
    std::string effective_on;  // YYYY-MM-DD
    std::string recorded_by;
    std::optional<std::string> reverses_entry_id;
    std::optional<std::string> approval_ref;
    std::optional<std::string> reason;
    std::optional<std::string> note;
};
// The database's clock (the transaction's now()): the one clock of paid_at, so that a deposit's
// time is finance's record of when the money was taken, never a client's (CON-1).
sales::TimePoint database_now(sales::db::Tx& tx);

// Appends the entry. Failure conflict duplicate_receipt (FIN-2: the receipt number is taken in
// the project) or already_reversed (FIN-3: the original has a reversal already).
void insert_entry(sales::db::Tx& tx, const NewEntry& entry);
// Failure conflict duplicate_receipt when the project's ledger has the receipt number (FIN-2).
void check_receipt_free(sales::db::Tx& tx, const std::string& project_id,
                        const std::string& receipt_no);

std::optional<nlohmann::json> find_entry(sales::db::Tx& tx, const std::string& entry_id);

// An entry about to be reversed, locked.
struct ReversibleEntry {
    std::string project_id;
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    std::string category;
    std::int64_t amount_fen = 0;
    std::string effective_on;
    std::optional<std::string> approval_ref;
    bool reversed = false;
};
std::optional<ReversibleEntry> lock_entry(sales::db::Tx& tx, const std::string& entry_id);

// The sum of a subscription's entries not attributed to a contract (its deposits and refunds).
std::int64_t subscription_sum(sales::db::Tx& tx, const std::string& subscription_id);

// The ledger listing: filters are optional; `projects` limits the rows unless `all_projects`.
struct EntryFilter {
    bool all_projects = false;
    std::vector<std::string> projects;
    std::optional<std::string> project_id;
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    std::optional<std::string> category;
    std::optional<sales::Date> from;  // booked_on ≥
    std::optional<sales::Date> to;    // booked_on ≤
    std::int64_t limit = 100;
    std::int64_t offset = 0;
};
struct EntryPage {
    nlohmann::json items = nlohmann::json::array();
    std::int64_t total = 0;    // rows matching the filter
    std::int64_t sum_fen = 0;  // their amounts
};
EntryPage list_entries(sales::db::Tx& tx, const EntryFilter& filter);

// FIN-6: a project's entries booked in [from, to], by day and ledger order, and the same period
// counted by the database: (sum of amount_fen, count).
std::vector<nlohmann::json> entries_booked(sales::db::Tx& tx, const std::string& project_id,
                                           sales::Date from, sales::Date to);
std::pair<std::int64_t, std::int64_t> booked_totals(sales::db::Tx& tx,
                                                    const std::string& project_id, sales::Date from,
                                                    sales::Date to);

// FIN-4 refund approvals.
struct Approval {
    std::string id;
    std::string project_id;
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    std::int64_t amount_fen = 0;
    std::string reason;
    std::string approved_by;
};
// Stores the approval; returns its approved_at (RFC 3339).
std::string insert_approval(sales::db::Tx& tx, const Approval& approval);
std::optional<Approval> lock_approval(sales::db::Tx& tx, const std::string& id);
// What the refunds against the approval paid out so far (≥ 0).
std::int64_t refunded_on_approval(sales::db::Tx& tx, const std::string& id);

}  // namespace finance::adapters
