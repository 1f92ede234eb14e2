#include "adapters/ledger_store.hpp"

#include "sales/failure.hpp"

namespace finance::adapters {
namespace {
using namespace sales::db;

const std::string kSelectEntries =
    R"sql(
SELECT e.id::text AS id, e.project_id::text AS project_id, e.contract_id::text AS contract_id,
       e.subscription_id::text AS subscription_id, e.category, e.method, e.payer, e.amount_fen,
       e.receipt_no, )sql" +
    sales::db::rfc3339("e.paid_at", "paid_at") +
    R"sql(, e.booked_on::text AS booked_on, e.effective_on::text AS effective_on, )sql" +
    sales::db::rfc3339("e.recorded_at", "recorded_at") + R"sql(, e.recorded_by,
       e.reverses_entry_id::text AS reverses_entry_id, e.approval_ref::text AS approval_ref,
       e.reason, e.note,
       (SELECT r.id::text FROM ledger_entries r WHERE r.reverses_entry_id = e.id) AS reversed_by
FROM ledger_entries e )sql";

const std::string kSelectEntry = kSelectEntries + "WHERE e.id = $1::uuid";

const std::string kSelectEntriesBooked = kSelectEntries + R"sql(
WHERE e.project_id = $1::uuid AND e.booked_on BETWEEN $2::date AND $3::date
ORDER BY e.booked_on, e.seq)sql";

// $1 all projects, $2 the caller's projects, $3..$8 optional filters.
constexpr const char* kEntryFilter = R"sql(
WHERE ($1::boolean OR e.project_id = ANY($2::uuid[]))
  AND ($3::uuid IS NULL OR e.project_id = $3::uuid)
  AND ($4::uuid IS NULL OR e.contract_id = $4::uuid)
  AND ($5::uuid IS NULL OR e.subscription_id = $5::uuid)
  AND ($6::text IS NULL OR e.category = $6::text)
  AND ($7::date IS NULL OR e.booked_on >= $7::date)
  AND ($8::date IS NULL OR e.booked_on <= $8::date))sql";

const std::string kCountEntries =
    std::string("SELECT count(*), coalesce(sum(e.amount_fen), 0) FROM ledger_entries e ") +
    kEntryFilter;

const std::string kSelectEntryPage = kSelectEntries + kEntryFilter + R"sql(
ORDER BY e.seq LIMIT $9 OFFSET $10)sql";

constexpr const char* kBookedTotals = R"sql(
SELECT coalesce(sum(amount_fen), 0), count(*) FROM ledger_entries
WHERE project_id = $1::uuid AND booked_on BETWEEN $2::date AND $3::date)sql";

constexpr const char* kInsertEntry = R"sql(
INSERT INTO ledger_entries (id, project_id, contract_id, subscription_id, category, method,
                            payer, amount_fen, receipt_no, paid_at, booked_on, effective_on,
                            recorded_by, reverses_entry_id, approval_ref, reason, note)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10::timestamptz, $11::date,
        $12::date, $13, $14::uuid, $15::uuid, $16, $17))sql";

constexpr const char* kSelectReceipt = R"sql(
SELECT 1 FROM ledger_entries WHERE project_id = $1::uuid AND receipt_no = $2)sql";

constexpr const char* kLockEntry = R"sql(
SELECT project_id::text AS project_id, contract_id::text AS contract_id,
       subscription_id::text AS subscription_id, category, amount_fen,
       effective_on::text AS effective_on, approval_ref::text AS approval_ref,
       EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_entry_id = e.id) AS reversed
FROM ledger_entries e WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kSubscriptionSum = R"sql(
SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries
WHERE contract_id IS NULL AND subscription_id = $1::uuid)sql";

const std::string kInsertApproval = R"sql(
INSERT INTO refund_approvals (id, project_id, contract_id, subscription_id, amount_fen, reason,
                              approved_by)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7)
RETURNING )sql" + sales::db::rfc3339("approved_at", "approved_at");

constexpr const char* kLockApproval = R"sql(
SELECT id::text AS id, project_id::text AS project_id, contract_id::text AS contract_id,
       subscription_id::text AS subscription_id, amount_fen, reason, approved_by
FROM refund_approvals WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kRefundedOnApproval = R"sql(
SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE approval_ref = $1::uuid)sql";

nlohmann::json entry_json(const sales::db::Row& r) {
    return {{"id", r.text("id")},
            {"project_id", r.text("project_id")},
            {"contract_id", nullable(r.opt_text("contract_id"))},
            {"subscription_id", nullable(r.opt_text("subscription_id"))},
            {"category", r.text("category")},
            {"method", nullable(r.opt_text("method"))},
            {"payer", nullable(r.opt_text("payer"))},
            {"amount_fen", r.int64("amount_fen")},
            {"receipt_no", nullable(r.opt_text("receipt_no"))},
            {"paid_at", r.text("paid_at")},
            {"booked_on", r.text("booked_on")},
            {"effective_on", r.text("effective_on")},
            {"recorded_at", r.text("recorded_at")},
            {"recorded_by", r.text("recorded_by")},
            {"reverses_entry_id", nullable(r.opt_text("reverses_entry_id"))},
            {"reversed_by", nullable(r.opt_text("reversed_by"))},
            {"approval_ref", nullable(r.opt_text("approval_ref"))},
            {"reason", nullable(r.opt_text("reason"))},
            {"note", nullable(r.opt_text("note"))}};
}

[[noreturn]] void duplicate_receipt(const std::string& project_id, const std::string& receipt_no) {
    sales::fail_conflict("duplicate_receipt",
                         "receipt " + receipt_no + " is already in this project's ledger (FIN-2)",
                         {{"receipt_no", receipt_no}, {"project_id", project_id}});
}

sales::db::Params period_params(const std::string& project_id, sales::Date from, sales::Date to) {
    return {project_id, sales::to_string(from), sales::to_string(to)};
}

}  // namespace

sales::TimePoint database_now(Tx& tx) {
    const auto row = tx.exec_maybe_one("SELECT (extract(epoch FROM now()) * 1000)::bigint AS ms");
    return sales::TimePoint(std::chrono::milliseconds(row->int64("ms")));
}

void insert_entry(Tx& tx, const NewEntry& e) {
    try {
        tx.exec(kInsertEntry,
                {e.id, e.project_id, param(e.contract_id), param(e.subscription_id), e.category,
                 param(e.method), param(e.payer), e.amount_fen, param(e.receipt_no), e.paid_at,
                 e.booked_on, e.effective_on, e.recorded_by, param(e.reverses_entry_id),
                 param(e.approval_ref), param(e.reason), param(e.note)});
    } catch (const sales::db::UniqueViolation& violation) {
        // Two cashiers racing with the same receipt number, or with the same reversal.
        if (violation.constraint() == "ledger_receipt_per_project")
            duplicate_receipt(e.project_id, e.receipt_no.value_or(""));
        if (violation.constraint() == "ledger_entries_reverses_entry_id_key")
            sales::fail_conflict("already_reversed", "this entry has already been reversed");
        throw;
    }
}

void check_receipt_free(Tx& tx, const std::string& project_id, const std::string& receipt_no) {
    if (tx.exec_maybe_one(kSelectReceipt, {project_id, receipt_no}))
        duplicate_receipt(project_id, receipt_no);
}

std::optional<nlohmann::json> find_entry(Tx& tx, const std::string& entry_id) {
    const auto row = tx.exec_maybe_one(kSelectEntry, {entry_id});
    return row ? std::optional(entry_json(*row)) : std::nullopt;
}

std::optional<ReversibleEntry> lock_entry(Tx& tx, const std::string& entry_id) {
    const auto r = tx.exec_maybe_one(kLockEntry, {entry_id});
    if (!r)
        return std::nullopt;
    return ReversibleEntry{r->text("project_id"),          r->opt_text("contract_id"),
                           r->opt_text("subscription_id"), r->text("category"),
                           r->int64("amount_fen"),         r->text("effective_on"),
                           r->opt_text("approval_ref"),    r->boolean("reversed")};
}

std::int64_t subscription_sum(Tx& tx, const std::string& subscription_id) {
    return tx.exec_one(kSubscriptionSum, {subscription_id}).int64(0);
}

EntryPage list_entries(Tx& tx, const EntryFilter& f) {
    const auto day = [](const std::optional<sales::Date>& d) {
        return d ? std::optional(sales::to_string(*d)) : std::nullopt;
    };
    sales::db::Params params;
    // Built in place: GCC 12 sees moved-from temporaries of Param as maybe-uninitialized.
    params.reserve(10);
    params.emplace_back(std::in_place_type<bool>, f.all_projects);
    params.emplace_back(std::in_place_type<std::vector<std::string>>, f.projects);
    for (const auto* value : {&f.project_id, &f.contract_id, &f.subscription_id, &f.category})
        params.push_back(param(*value));
    params.push_back(param(day(f.from)));
    params.push_back(param(day(f.to)));
    EntryPage page;
    const auto total = tx.exec_one(kCountEntries, params);
    page.total = total.int64(0);
    page.sum_fen = total.int64(1);
    params.emplace_back(std::in_place_type<std::int64_t>, f.limit);
    params.emplace_back(std::in_place_type<std::int64_t>, f.offset);
    for (const auto& r : tx.exec(kSelectEntryPage, params))
        page.items.push_back(entry_json(r));
    return page;
}

std::vector<nlohmann::json> entries_booked(Tx& tx, const std::string& project_id, sales::Date from,
                                           sales::Date to) {
    std::vector<nlohmann::json> out;
    for (const auto& r : tx.exec(kSelectEntriesBooked, period_params(project_id, from, to)))
        out.push_back(entry_json(r));
    return out;
}

std::pair<std::int64_t, std::int64_t> booked_totals(Tx& tx, const std::string& project_id,
                                                    sales::Date from, sales::Date to) {
    const auto r = tx.exec_one(kBookedTotals, period_params(project_id, from, to));
    return {r.int64(0), r.int64(1)};
}

std::string insert_approval(Tx& tx, const Approval& a) {
    return tx
        .exec_one(kInsertApproval,
                  {a.id, a.project_id, param(a.contract_id), param(a.subscription_id), a.amount_fen,
                   a.reason, a.approved_by})
        .text("approved_at");
}

std::optional<Approval> lock_approval(Tx& tx, const std::string& id) {
    const auto r = tx.exec_maybe_one(kLockApproval, {id});
    if (!r)
        return std::nullopt;
    return Approval{r->text("id"),
                    r->text("project_id"),
                    r->opt_text("contract_id"),
                    r->opt_text("subscription_id"),
                    r->int64("amount_fen"),
                    r->text("reason"),
                    r->text("approved_by")};
}

std::int64_t refunded_on_approval(Tx& tx, const std::string& id) {
    return -tx.exec_one(kRefundedOnApproval, {id}).int64(0);
}

}  // namespace finance::adapters
