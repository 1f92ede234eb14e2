#include "app/ledger.hpp"

#include <map>

#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/money.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;
using Kind = Failure::Kind;

std::string entry_select() {
    return "SELECT e.id::text AS id, e.project_id::text AS project_id, e.contract_id::text AS "
           "contract_id, e.subscription_id::text AS subscription_id, e.category, e.method, "
           "e.payer, e.amount_fen, e.receipt_no, " +
           iso("e.paid_at", "paid_at") +
           ", e.booked_on::text AS booked_on, e.effective_on::text AS effective_on, " +
           iso("e.recorded_at", "recorded_at") +
           ", e.recorded_by, e.reverses_entry_id::text AS reverses_entry_id, e.approval_ref::text "
           "AS approval_ref, e.reason, e.note, (SELECT r.id::text FROM ledger_entries r WHERE "
           "r.reverses_entry_id = e.id) AS reversed_by FROM ledger_entries e ";
}

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

nlohmann::json load_entry_json(Tx& tx, const std::string& id) {
    return entry_json(tx.exec_one(entry_select() + "WHERE e.id = $1::uuid", {id}));
}

[[noreturn]] void project_hidden(const std::string& what, const std::string& id) {
    not_found(what, id);
}

void check_receipt_free(Tx& tx, const std::string& project_id, const std::string& receipt_no) {
    if (tx.exec_maybe_one("SELECT 1 FROM ledger_entries WHERE project_id = $1::uuid AND "
                          "receipt_no = $2",
                          {project_id, receipt_no})) {
        throw Failure(Kind::conflict, "duplicate_receipt",
                      "receipt " + receipt_no + " is already in this project's ledger (FIN-2)",
                      {{"receipt_no", receipt_no}, {"project_id", project_id}});
    }
}

struct Target {
    std::string project_id;
    std::optional<std::string> subscription_id;
    std::optional<ContractBook> book;  // the contract the entry counts for, locked
};

Target lock_target(Tx& tx, const sales::Principal& caller,
                   const std::optional<std::string>& contract_id,
                   const std::optional<std::string>& subscription_id) {
    Target t;
    if (subscription_id) {
        const auto row = tx.exec_maybe_one(
            "SELECT project_id::text AS project_id FROM subscriptions WHERE subscription_id = "
            "$1::uuid FOR UPDATE",
            {*subscription_id});
        if (!row || !caller.in_project(row->text("project_id"))) {
            throw Failure(Kind::not_found, "subscription_not_found",
                          "subscription " + *subscription_id +
                              " is not known to finance (it learns subscriptions from "
                              "contract.subscription.created) or is outside your projects",
                          {{"subscription_id", *subscription_id}});
        }
        t.project_id = row->text("project_id");
        t.subscription_id = subscription_id;
        if (const auto c = tx.exec_maybe_one(
                "SELECT contract_id::text AS contract_id FROM contracts WHERE subscription_id = "
                "$1::uuid",
                {*subscription_id}))
            t.book = load_book(tx, c->text("contract_id"), true);
        return t;
    }
    t.book = load_book(tx, *contract_id, true);
    if (!t.book || !caller.in_project(t.book->project_id))
        project_hidden("contract", *contract_id);
    t.project_id = t.book->project_id;
    t.subscription_id = t.book->subscription_id;
    return t;
}

std::int64_t sum_of(const std::vector<domain::Movement>& movements) {
    std::int64_t s = 0;
    for (const auto& m : movements)
        s = sales::checked_add(s, m.amount_fen);
    return s;
}

nlohmann::json item_json(const domain::ItemBalance& i) {
    return {{"seq", i.seq},
            {"kind", domain::to_string(i.kind)},
            {"due_date", sales::to_string(i.due_date)},
            {"amount_fen", i.amount_fen},
            {"credited_fen", i.credited_fen},
            {"paid_fen", i.paid_fen},
            {"outstanding_fen", i.outstanding_fen},
            {"overdue_days", i.overdue_days},
            {"penalty_fen", i.penalty_fen}};
}

std::string project_list(const sales::Principal& caller) {
    std::string out = "{";
    for (const auto& p : caller.project_ids) {
        if (!sales::is_uuid(p))
            continue;
        out += (out.size() > 1 ? "," : "") + p;
    }
    return out + "}";
}

bool all_projects(const sales::Principal& caller) {
    for (const auto& p : caller.project_ids)
        if (p == "*")
            return true;
    return false;
}

}  // namespace

nlohmann::json post_payment(const Context& ctx, const sales::Principal& caller,
                            const PaymentInput& in) {
    const auto amount = domain::booked_amount(
        {in.category, in.subscription_id ? domain::Target::subscription : domain::Target::contract,
         in.amount_fen, in.approval_ref.has_value()});
    const auto now = ctx.clock.now();
    const auto paid_at = in.paid_at.value_or(now);
    if (paid_at > now + std::chrono::minutes(5))
        invalid("paid_at", "must not be in the future");
    // FIN-2: entered the same day (Asia/Shanghai).
    if (sales::shanghai_date(paid_at) != sales::shanghai_date(now)) {
        throw Failure(Kind::rule, "late_entry",
                      "payments are entered the same day they are received (FIN-2); paid_at is "
                      "not today in Asia/Shanghai",
                      {{"paid_at", sales::to_rfc3339(paid_at)}});
    }
    const auto day = sales::to_string(sales::shanghai_date(paid_at));
    const auto id = sales::new_uuid();
    return ctx.db.transaction([&](Tx& tx) {
        auto target = lock_target(tx, caller, in.contract_id, in.subscription_id);
        if (in.category == domain::Category::refund) {
            // FIN-4: the approval must be for this target and cover the refund.
            const auto approval = tx.exec_maybe_one(
                "SELECT project_id::text AS project_id, contract_id::text AS contract_id, "
                "subscription_id::text AS subscription_id, amount_fen FROM refund_approvals "
                "WHERE id = $1::uuid FOR UPDATE",
                {*in.approval_ref});
            if (!approval || approval->text("project_id") != target.project_id)
                not_found("approval", *in.approval_ref);
            if (approval->opt_text("contract_id") != in.contract_id ||
                approval->opt_text("subscription_id") != in.subscription_id) {
                throw Failure(Kind::rule, "approval_mismatch",
                              "the refund approval is for another contract or subscription",
                              {{"approval_ref", *in.approval_ref}});
            }
            const auto used = -tx.exec_one(
                                     "SELECT coalesce(sum(amount_fen), 0) FROM "
                                     "ledger_entries WHERE approval_ref = $1::uuid",
                                     {*in.approval_ref})
                                   .int64(0);
            if (in.amount_fen > approval->int64("amount_fen") - used) {
                throw Failure(
                    Kind::rule, "refund_exceeds_approval",
                    "the refund is more than what remains of the approval",
                    {{"approved_fen", approval->int64("amount_fen")}, {"refunded_fen", used}});
            }
            const auto paid =
                in.contract_id ? sum_of(target.book->movements)
                               : tx.exec_one(
                                       "SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries "
                                       "WHERE contract_id IS NULL AND subscription_id = $1::uuid",
                                       {*in.subscription_id})
                                     .int64(0);
            if (in.amount_fen > paid) {
                throw Failure(Kind::rule, "refund_exceeds_paid",
                              "the refund is more than what was paid", {{"paid_fen", paid}});
            }
        }
        check_receipt_free(tx, target.project_id, in.receipt_no);
        tx.exec(
            "INSERT INTO ledger_entries (id, project_id, contract_id, subscription_id, category, "
            "method, payer, amount_fen, receipt_no, paid_at, booked_on, effective_on, "
            "recorded_by, approval_ref, note) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, "
            "$6, $7, $8, $9, $10::timestamptz, $11::date, $11::date, $12, $13::uuid, $14)",
            {id, target.project_id, sales::db::param(in.contract_id),
             sales::db::param(target.subscription_id), std::string(domain::to_string(in.category)),
             std::string(domain::to_string(in.method)), in.payer, amount, in.receipt_no,
             sales::to_rfc3339(paid_at), day, caller.user_id, sales::db::param(in.approval_ref),
             sales::db::param(in.note)});
        const auto paid_at_text = sales::to_rfc3339(paid_at);
        emit(tx, kPaymentRecorded, id, 1,
             {{"entry_id", id},
              {"project_id", target.project_id},
              {"contract_id", nullable(in.contract_id)},
              {"subscription_id", nullable(target.subscription_id)},
              {"category", domain::to_string(in.category)},
              {"amount_fen", amount},
              {"receipt_no", in.receipt_no},
              {"paid_at", paid_at_text}});
        if (in.category == domain::Category::deposit) {
            emit(tx, kDepositReceived, *in.subscription_id, 1,
                 {{"subscription_id", *in.subscription_id},
                  {"project_id", target.project_id},
                  {"amount_fen", amount},
                  {"receipt_no", in.receipt_no},
                  {"paid_at", paid_at_text},
                  {"entry_id", id}});
        }
        if (target.book) {
            target.book->movements.push_back({date_of(day), amount});
            recompute_clearance(tx, ctx.clock, *target.book,
                                std::string(domain::to_string(in.category)) + " " + id);
        }
        return load_entry_json(tx, id);
    });
}

nlohmann::json reverse_entry(const Context& ctx, const sales::Principal& caller,
                             const std::string& entry_id, const std::string& reason,
                             const std::optional<std::string>& receipt_no) {
    if (!sales::is_uuid(entry_id))
        not_found("entry", entry_id);
    const auto now = ctx.clock.now();
    const auto today = sales::to_string(sales::shanghai_date(now));
    const auto id = sales::new_uuid();
    return ctx.db.transaction([&](Tx& tx) {
        const auto original = tx.exec_maybe_one(
            "SELECT project_id::text AS project_id, contract_id::text AS contract_id, "
            "subscription_id::text AS subscription_id, category, amount_fen, effective_on::text "
            "AS effective_on, approval_ref::text AS approval_ref, EXISTS (SELECT 1 FROM "
            "ledger_entries r WHERE r.reverses_entry_id = e.id) AS reversed FROM ledger_entries e "
            "WHERE id = $1::uuid FOR UPDATE",
            {entry_id});
        if (!original || !caller.in_project(original->text("project_id")))
            not_found("entry", entry_id);
        const auto amount =
            domain::reversal_amount(domain::parse_category(original->text("category")).value(),
                                    original->int64("amount_fen"), original->boolean("reversed"));
        const auto project_id = original->text("project_id");
        const auto contract_id = original->opt_text("contract_id");
        const auto subscription_id = original->opt_text("subscription_id");
        std::optional<ContractBook> book;
        if (contract_id) {
            book = load_book(tx, *contract_id, true);
        } else if (const auto c = tx.exec_maybe_one(
                       "SELECT contract_id::text AS contract_id FROM contracts WHERE "
                       "subscription_id = $1::uuid",
                       {*subscription_id})) {
            book = load_book(tx, c->text("contract_id"), true);
        }
        if (receipt_no)
            check_receipt_free(tx, project_id, *receipt_no);
        tx.exec(
            "INSERT INTO ledger_entries (id, project_id, contract_id, subscription_id, category, "
            "amount_fen, receipt_no, paid_at, booked_on, effective_on, recorded_by, "
            "reverses_entry_id, approval_ref, reason) VALUES ($1::uuid, $2::uuid, $3::uuid, "
            "$4::uuid, 'reversal', $5, $6, $7::timestamptz, $8::date, $9::date, $10, $11::uuid, "
            "$12::uuid, $13)",
            {id, project_id, sales::db::param(contract_id), sales::db::param(subscription_id),
             amount, sales::db::param(receipt_no), sales::to_rfc3339(now), today,
             original->text("effective_on"), caller.user_id, entry_id,
             sales::db::param(original->opt_text("approval_ref")), reason});
        emit(tx, kEntryReversed, id, 1,
             {{"entry_id", id},
              {"reverses_entry_id", entry_id},
              {"project_id", project_id},
              {"contract_id", nullable(book ? std::optional(book->contract_id) : std::nullopt)},
              {"subscription_id", nullable(subscription_id)},
              {"reversed_category", original->text("category")},
              {"amount_fen", amount}});
        if (book) {
            book->movements.push_back({date_of(original->text("effective_on")), amount});
            recompute_clearance(tx, ctx.clock, *book, "entry " + entry_id + " reversed: " + reason);
        }
        return load_entry_json(tx, id);
    });
}

nlohmann::json approve_refund(const Context& ctx, const sales::Principal& caller,
                              const RefundApprovalInput& in) {
    const auto id = sales::new_uuid();
    return ctx.db.transaction([&](Tx& tx) {
        std::string project_id;
        if (in.contract_id) {
            const auto row = tx.exec_maybe_one(
                "SELECT project_id::text AS project_id FROM contracts WHERE contract_id = $1::uuid",
                {*in.contract_id});
            if (!row || !caller.in_project(row->text("project_id")))
                not_found("contract", *in.contract_id);
            project_id = row->text("project_id");
        } else {
            const auto row = tx.exec_maybe_one(
                "SELECT project_id::text AS project_id FROM subscriptions WHERE subscription_id = "
                "$1::uuid",
                {*in.subscription_id});
            if (!row || !caller.in_project(row->text("project_id")))
                not_found("subscription", *in.subscription_id);
            project_id = row->text("project_id");
        }
        const auto r = tx.exec_one(
            "INSERT INTO refund_approvals (id, project_id, contract_id, subscription_id, "
            "amount_fen, reason, approved_by) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, "
            "$6, $7) RETURNING " +
                iso("approved_at", "approved_at"),
            {id, project_id, sales::db::param(in.contract_id), sales::db::param(in.subscription_id),
             in.amount_fen, in.reason, caller.user_id});
        return nlohmann::json{{"id", id},
                              {"project_id", project_id},
                              {"contract_id", nullable(in.contract_id)},
                              {"subscription_id", nullable(in.subscription_id)},
                              {"amount_fen", in.amount_fen},
                              {"reason", in.reason},
                              {"approved_by", caller.user_id},
                              {"approved_at", r.text("approved_at")}};
    });
}

nlohmann::json get_entry(const Context& ctx, const sales::Principal& caller,
                         const std::string& entry_id) {
    if (!sales::is_uuid(entry_id))
        not_found("entry", entry_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = tx.exec_maybe_one(entry_select() + "WHERE e.id = $1::uuid", {entry_id});
        if (!row || !caller.in_project(row->text("project_id")))
            not_found("entry", entry_id);
        return entry_json(*row);
    });
}

nlohmann::json list_entries(const Context& ctx, const sales::Principal& caller,
                            const EntryFilter& f) {
    std::string where = "WHERE true";
    sales::db::Params params;
    // condition + "$<n>" + cast, with the value as parameter n.
    const auto add = [&](const std::string& condition, sales::db::Param value,
                         const std::string& cast = "") {
        params.push_back(std::move(value));
        where += " AND " + condition + "$" + std::to_string(params.size()) + cast;
    };
    if (!all_projects(caller))
        add("e.project_id = ANY(", project_list(caller), "::uuid[])");
    if (f.project_id)
        add("e.project_id = ", *f.project_id, "::uuid");
    if (f.contract_id)
        add("e.contract_id = ", *f.contract_id, "::uuid");
    if (f.subscription_id)
        add("e.subscription_id = ", *f.subscription_id, "::uuid");
    if (f.category)
        add("e.category = ", *f.category);
    if (f.from)
        add("e.booked_on >= ", sales::to_string(*f.from), "::date");
    if (f.to)
        add("e.booked_on <= ", sales::to_string(*f.to), "::date");
    return ctx.db.transaction([&](Tx& tx) {
        const auto total = tx.exec_one(
            "SELECT count(*), coalesce(sum(e.amount_fen), 0) FROM "
            "ledger_entries e " +
                where,
            params);
        auto page = params;
        page.push_back(f.limit);
        page.push_back(f.offset);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec(entry_select() + where + " ORDER BY e.seq LIMIT $" +
                                         std::to_string(page.size() - 1) + " OFFSET $" +
                                         std::to_string(page.size()),
                                     page))
            items.push_back(entry_json(r));
        return nlohmann::json{{"items", items},
                              {"total", total.int64(0)},
                              {"sum_fen", total.int64(1)},
                              {"limit", f.limit},
                              {"offset", f.offset}};
    });
}

nlohmann::json contract_balance(const Context& ctx, const sales::Principal& caller,
                                const std::string& contract_id, std::optional<sales::Date> as_of) {
    if (!sales::is_uuid(contract_id))
        not_found("contract", contract_id);
    const auto day = as_of.value_or(sales::shanghai_date(ctx.clock.now()));
    return ctx.db.transaction([&](Tx& tx) {
        const auto book = load_book(tx, contract_id, false);
        if (!book || !caller.in_project(book->project_id))
            not_found("contract", contract_id);
        const auto b =
            domain::compute_balance(book->schedule, book->movements, book->penalty_bp_per_day, day);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& i : b.items)
            items.push_back(item_json(i));
        return nlohmann::json{{"contract_id", book->contract_id},
                              {"contract_no", book->contract_no},
                              {"project_id", book->project_id},
                              {"subscription_id", book->subscription_id},
                              {"as_of", sales::to_string(day)},
                              {"penalty_bp_per_day", book->penalty_bp_per_day},
                              {"total_fen", b.total_fen},
                              {"due_fen", b.due_fen},
                              {"paid_fen", b.paid_fen},
                              {"overdue_fen", b.overdue_fen},
                              {"penalty_fen", b.penalty_fen},
                              {"balance_fen", b.balance_fen},
                              {"cleared", b.cleared},
                              {"clearance_state", book->cleared ? "cleared" : "open"},
                              {"items", items}};
    });
}

namespace {
void check_project(const sales::Principal& caller, const std::string& project_id) {
    if (!caller.in_project(project_id))
        not_found("project", project_id);
}
}  // namespace

nlohmann::json receipts_report(const Context& ctx, const sales::Principal& caller,
                               const std::string& project_id, sales::Date from, sales::Date to) {
    check_project(caller, project_id);
    return ctx.db.transaction([&](Tx& tx) {
        const sales::db::Params params{project_id, sales::to_string(from), sales::to_string(to)};
        struct Day {
            std::int64_t receipts = 0, refunds = 0, reversals = 0, count = 0;
            nlohmann::json entries = nlohmann::json::array();
        };
        std::map<std::string, Day> days;
        for (const auto& r :
             tx.exec(entry_select() + "WHERE e.project_id = $1::uuid AND e.booked_on BETWEEN "
                                      "$2::date AND $3::date ORDER BY e.booked_on, e.seq",
                     params)) {
            auto& d = days[r.text("booked_on")];
            const auto amount = r.int64("amount_fen");
            const auto category = r.text("category");
            auto& bucket = category == "refund"     ? d.refunds
                           : category == "reversal" ? d.reversals
                                                    : d.receipts;
            bucket = sales::checked_add(bucket, amount);
            ++d.count;
            d.entries.push_back(entry_json(r));
        }
        nlohmann::json out_days = nlohmann::json::array();
        std::int64_t receipts = 0, refunds = 0, reversals = 0, count = 0;
        for (auto& [date, d] : days) {
            const auto net = d.receipts + d.refunds + d.reversals;
            out_days.push_back({{"date", date},
                                {"receipts_fen", d.receipts},
                                {"refunds_fen", d.refunds},
                                {"reversals_fen", d.reversals},
                                {"net_fen", net},
                                {"count", d.count},
                                {"entries", std::move(d.entries)}});
            receipts += d.receipts;
            refunds += d.refunds;
            reversals += d.reversals;
            count += d.count;
        }
        // FIN-6: the report adds up to the ledger: the same period summed by the database.
        const auto ledger = tx.exec_one(
            "SELECT coalesce(sum(amount_fen), 0), count(*) FROM ledger_entries WHERE project_id "
            "= $1::uuid AND booked_on BETWEEN $2::date AND $3::date",
            params);
        return nlohmann::json{{"project_id", project_id},
                              {"from", sales::to_string(from)},
                              {"to", sales::to_string(to)},
                              {"days", out_days},
                              {"totals",
                               {{"receipts_fen", receipts},
                                {"refunds_fen", refunds},
                                {"reversals_fen", reversals},
                                {"net_fen", receipts + refunds + reversals},
                                {"count", count}}},
                              {"ledger_sum_fen", ledger.int64(0)},
                              {"ledger_count", ledger.int64(1)}};
    });
}

nlohmann::json arrears_report(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, std::optional<sales::Date> as_of) {
    check_project(caller, project_id);
    const auto day = as_of.value_or(sales::shanghai_date(ctx.clock.now()));
    return ctx.db.transaction([&](Tx& tx) {
        std::map<std::string, ContractBook> books;
        for (const auto& r :
             tx.exec("SELECT contract_id::text AS contract_id, contract_no, customer_id::text AS "
                     "customer_id, penalty_bp_per_day FROM contracts WHERE project_id = $1::uuid",
                     {project_id})) {
            auto& b = books[r.text("contract_id")];
            b.contract_id = r.text("contract_id");
            b.contract_no = r.text("contract_no");
            b.customer_id = r.text("customer_id");
            b.project_id = project_id;
            b.penalty_bp_per_day = r.int64("penalty_bp_per_day");
        }
        for (const auto& r :
             tx.exec("SELECT s.contract_id::text AS contract_id, s.seq, s.kind, s.due_date::text "
                     "AS due_date, s.amount_fen, s.credited_fen FROM schedule_items s JOIN "
                     "contracts c ON c.contract_id = s.contract_id WHERE c.project_id = $1::uuid "
                     "ORDER BY s.contract_id, s.seq",
                     {project_id})) {
            books[r.text("contract_id")].schedule.push_back(
                {static_cast<int>(r.int64("seq")), domain::parse_item_kind(r.text("kind")).value(),
                 date_of(r.text("due_date")), r.int64("amount_fen"), r.int64("credited_fen")});
        }
        for (const auto& r :
             tx.exec(std::string("SELECT c.contract_id::text AS contract_id, e.amount_fen, "
                                 "e.effective_on::text AS effective_on FROM contracts c JOIN "
                                 "ledger_entries e ON ") +
                         kAttributed + " WHERE c.project_id = $1::uuid",
                     {project_id})) {
            books[r.text("contract_id")].movements.push_back(
                {date_of(r.text("effective_on")), r.int64("amount_fen")});
        }
        std::map<std::string, std::int64_t> buckets;
        for (const auto name : domain::kAgingBuckets)
            buckets[std::string(name)] = 0;
        std::int64_t overdue = 0, penalty = 0;
        nlohmann::json contracts = nlohmann::json::array();
        for (const auto& [id, book] : books) {
            const auto b = domain::compute_balance(book.schedule, book.movements,
                                                   book.penalty_bp_per_day, day);
            if (b.overdue_fen == 0)
                continue;
            nlohmann::json items = nlohmann::json::array();
            for (const auto& i : b.items) {
                if (i.overdue_days == 0)
                    continue;
                const auto bucket = std::string(domain::aging_bucket(i.overdue_days));
                buckets[bucket] = sales::checked_add(buckets[bucket], i.outstanding_fen);
                auto j = item_json(i);
                j["bucket"] = bucket;
                items.push_back(std::move(j));
            }
            overdue = sales::checked_add(overdue, b.overdue_fen);
            penalty = sales::checked_add(penalty, b.penalty_fen);
            contracts.push_back({{"contract_id", id},
                                 {"contract_no", book.contract_no},
                                 {"customer_id", book.customer_id},
                                 {"overdue_fen", b.overdue_fen},
                                 {"penalty_fen", b.penalty_fen},
                                 {"paid_fen", b.paid_fen},
                                 {"balance_fen", b.balance_fen},
                                 {"items", items}});
        }
        return nlohmann::json{{"project_id", project_id}, {"as_of", sales::to_string(day)},
                              {"buckets", buckets},       {"overdue_fen", overdue},
                              {"penalty_fen", penalty},   {"contracts", contracts}};
    });
}

}  // namespace finance::app
