#include "app/subscriptions.hpp"

#include <algorithm>

#include "app/project_events.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using domain::Action;
using domain::Status;
using domain::Subscription;
using sales::db::Tx;

constexpr const char* kSystemActor = "system";
constexpr const char* kFinanceActor = "finance";

std::string timestamp_column(const std::string& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS " +
           column;
}

const std::string& select_columns() {
    static const std::string sql =
        "SELECT id::text, project_id::text, unit_id::text, customer_id::text, rep_id, status, "
        "payment_plan, list_total_fen, discount_fen, price_fen, deposit_fen, deposit_paid_fen, "
        "refund_due_fen, (extract(epoch FROM deposit_deadline) * 1000)::bigint AS "
        "deposit_deadline_ms, to_char(signing_deadline, 'YYYY-MM-DD') AS signing_deadline, "
        "cancellation_reason, cancellation_note, cancellation_requested_by, "
        "cancellation_decided_by, cancellation_decision_note, version, created_by, " +
        timestamp_column("created_at") + ", " + timestamp_column("updated_at") +
        " FROM subscriptions ";
    return sql;
}

Subscription from_row(const sales::db::Row& r) {
    const auto status = domain::parse_status(r.text("status"));
    const auto plan = domain::parse_payment_plan(r.text("payment_plan"));
    if (!status || !plan) {
        throw std::logic_error("subscription " + r.text("id") + " has unknown status '" +
                               r.text("status") + "' or payment plan '" + r.text("payment_plan") +
                               "'");
    }
    Subscription s;
    s.id = r.text("id");
    s.project_id = r.text("project_id");
    s.unit_id = r.text("unit_id");
    s.customer_id = r.text("customer_id");
    s.rep_id = r.text("rep_id");
    s.status = *status;
    s.payment_plan = *plan;
    s.terms = {r.int64("list_total_fen"), r.int64("discount_fen"), r.int64("price_fen"),
               r.int64("deposit_fen")};
    s.deposit_paid_fen = r.int64("deposit_paid_fen");
    s.refund_due_fen = r.int64("refund_due_fen");
    s.deposit_deadline =
        sales::TimePoint(std::chrono::milliseconds(r.int64("deposit_deadline_ms")));
    s.signing_deadline = r.text("signing_deadline");
    s.cancellation_reason = r.opt_text("cancellation_reason");
    s.cancellation_note = r.opt_text("cancellation_note");
    s.cancellation_requested_by = r.opt_text("cancellation_requested_by");
    s.cancellation_decided_by = r.opt_text("cancellation_decided_by");
    s.cancellation_decision_note = r.opt_text("cancellation_decision_note");
    s.version = r.int64("version");
    s.created_by = r.text("created_by");
    s.created_at = r.text("created_at");
    s.updated_at = r.text("updated_at");
    return s;
}

std::optional<Subscription> load(Tx& tx, const std::string& id, bool for_update) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    const auto row = tx.exec_maybe_one(
        select_columns() + "WHERE id = $1::uuid" + (for_update ? " FOR UPDATE" : ""), {id});
    if (!row)
        return std::nullopt;
    return from_row(*row);
}

[[noreturn]] void not_found(const std::string& id) {
    throw Failure(Failure::Kind::not_found, "subscription_not_found",
                  "no subscription with id " + id, {{"subscription_id", id}});
}

[[noreturn]] void invalid_field(const std::string& field, const std::string& problem) {
    throw Failure(Failure::Kind::invalid, "validation_failed", field + ": " + problem,
                  {{"field", field}, {"problem", problem}});
}

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

const char* event_type(Action action, Status to) {
    switch (action) {
        case Action::confirm_deposit:
            return kSubscriptionConfirmed;
        case Action::record_partial_deposit:
            return kDepositRecorded;
        case Action::cancel:
            return to == Status::cancelled ? kSubscriptionCancelled : kCancellationRequested;
        case Action::expire:
        case Action::approve_cancellation:
            return kSubscriptionCancelled;
        case Action::reject_cancellation:
            return kCancellationRejected;
        case Action::rename:
            return kSubscriptionRenamed;
        case Action::swap:
            return kSubscriptionSwapped;
        case Action::record_orphaned_deposit:
            return kDepositOrphaned;
        case Action::sign:
            return kSubscriptionSigned;
    }
    throw std::logic_error("no event type for action " + std::string(domain::to_string(action)));
}

// The history row and the outbox event of a change, in the caller's transaction.
void record(Tx& tx, const Subscription& after, std::optional<Status> from, std::string_view action,
            const std::string& actor, const std::optional<std::string>& reason,
            const std::string& type, nlohmann::json extra) {
    if (type == kSubscriptionCancelled)
        extra["reason"] = nullable(after.cancellation_reason);
    tx.exec(
        "INSERT INTO subscription_history (subscription_id, version, action, from_status, "
        "to_status, actor, reason, details) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        {after.id, after.version, std::string(action),
         from ? sales::db::Param(std::string(domain::to_string(*from))) : sales::db::Param(nullptr),
         std::string(domain::to_string(after.status)), actor, sales::db::param(reason),
         extra.dump()});
    auto data = to_json(after);
    data.erase("id");
    data["subscription_id"] = after.id;
    data.update(extra);
    sales::bus::outbox_append(
        tx, sales::bus::make_event("contract", type, after.id, after.version, std::move(data)));
}

// Writes `after` over `before` (whose row the caller holds FOR UPDATE): version + 1, history,
// event (ARCHITECTURE.md: the change and its event in one transaction).
void save_change(Tx& tx, const Subscription& before, Subscription& after, Action action,
                 const std::string& actor, const std::optional<std::string>& reason,
                 const nlohmann::json& extra) {
    after.version = before.version + 1;
    const auto row = tx.exec_maybe_one(
        "UPDATE subscriptions SET unit_id = $3::uuid, customer_id = $4::uuid, status = $5, "
        "list_total_fen = $6, discount_fen = $7, price_fen = $8, deposit_paid_fen = $9, "
        "refund_due_fen = $10, cancellation_reason = $11, cancellation_note = $12, "
        "cancellation_requested_by = $13, cancellation_decided_by = $14, "
        "cancellation_decision_note = $15, version = $16, updated_at = now() "
        "WHERE id = $1::uuid AND version = $2 RETURNING " +
            timestamp_column("updated_at"),
        {after.id, before.version, after.unit_id, after.customer_id,
         std::string(domain::to_string(after.status)), after.terms.list_total_fen,
         after.terms.discount_fen, after.terms.price_fen, after.deposit_paid_fen,
         after.refund_due_fen, sales::db::param(after.cancellation_reason),
         sales::db::param(after.cancellation_note),
         sales::db::param(after.cancellation_requested_by),
         sales::db::param(after.cancellation_decided_by),
         sales::db::param(after.cancellation_decision_note), after.version});
    if (!row) {
        throw Failure(Failure::Kind::conflict, "concurrent_change",
                      "the subscription changed meanwhile; reload and retry",
                      {{"subscription_id", after.id}});
    }
    after.updated_at = row->text("updated_at");
    record(tx, after, before.status, domain::to_string(action), actor, reason,
           event_type(action, after.status), extra);
}

using Mutation = std::function<Action(Tx&, Subscription&, nlohmann::json& extra)>;

// Load (locked, in the caller's projects) → mutate → save, in one transaction.
Subscription change(const Context& ctx, const sales::Principal& caller, const std::string& id,
                    const std::optional<std::string>& reason, const Mutation& mutate) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto before = load(tx, id, /*for_update=*/true);
        if (!before || !caller.in_project(before->project_id))
            not_found(id);
        Subscription after = *before;
        nlohmann::json extra = nlohmann::json::object();
        const Action action = mutate(tx, after, extra);
        save_change(tx, *before, after, action, caller.user_id, reason, extra);
        return after;
    });
}

// Undoes an inventory step (release, swap back) unless dismissed; the undo never throws.
class Compensation {
  public:
    Compensation() = default;
    Compensation(const Compensation&) = delete;
    Compensation& operator=(const Compensation&) = delete;
    ~Compensation() {
        if (undo_)
            undo_();
    }
    void arm(std::function<void()> undo) { undo_ = std::move(undo); }
    void dismiss() { undo_ = nullptr; }

  private:
    std::function<void()> undo_;
};

HeldUnit require_held(const std::optional<HoldReply>& reply, const std::string& unit_id) {
    if (!reply) {
        throw Failure(Failure::Kind::unavailable, "dependency_unavailable",
                      "inventory did not answer in time; retry shortly");
    }
    switch (reply->result) {
        case HoldReply::Result::held:
            return *reply->unit;
        case HoldReply::Result::conflict:
            throw Failure(Failure::Kind::conflict, "unit_not_available",
                          "unit " + unit_id + " is " + reply->status,
                          {{"unit_id", unit_id}, {"status", reply->status}});
        case HoldReply::Result::not_found:
            throw Failure(Failure::Kind::not_found, "unit_not_found", "no unit with id " + unit_id,
                          {{"unit_id", unit_id}});
        case HoldReply::Result::invalid:
            break;
    }
    throw Failure(Failure::Kind::invalid, "validation_failed",
                  "inventory refused the request: " + reply->message, {{"unit_id", unit_id}});
}

domain::ProjectSettings require_settings(Tx& tx, const std::string& project_id) {
    auto settings = project_settings(tx, project_id);
    if (!settings) {
        throw Failure(Failure::Kind::unavailable, "project_not_synchronised",
                      "project " + project_id +
                          " is not known to the contract service yet (its "
                          "inventory.project.created event has not arrived); retry shortly",
                      {{"project_id", project_id}});
    }
    return *settings;
}

// The caller's projects for inventory requests (SEC-1): nullopt = every project. A caller with
// no project at all cannot hold anything: answered like an unknown unit.
ProjectScope inventory_scope(const sales::Principal& caller, const std::string& unit_id) {
    if (caller.in_project("*"))
        return std::nullopt;
    std::vector<std::string> ids;
    for (const auto& id : caller.project_ids) {
        if (sales::is_uuid(id))
            ids.push_back(id);
    }
    if (ids.empty()) {
        throw Failure(Failure::Kind::not_found, "unit_not_found", "no unit with id " + unit_id,
                      {{"unit_id", unit_id}});
    }
    return ids;
}

std::string project_scope_literal(const sales::Principal& caller) {
    std::string literal = "{";
    for (const auto& id : caller.project_ids) {
        literal += literal.size() > 1 ? ",\"" : "\"";
        for (char c : id) {
            if (c == '"' || c == '\\')
                literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    return literal + "}";
}

}  // namespace

nlohmann::json to_json(const Subscription& s) {
    return {{"id", s.id},
            {"project_id", s.project_id},
            {"unit_id", s.unit_id},
            {"customer_id", s.customer_id},
            {"rep_id", s.rep_id},
            {"status", domain::to_string(s.status)},
            {"payment_plan", domain::to_string(s.payment_plan)},
            {"list_total_fen", s.terms.list_total_fen},
            {"discount_fen", s.terms.discount_fen},
            {"price_fen", s.terms.price_fen},
            {"deposit_fen", s.terms.deposit_fen},
            {"deposit_paid_fen", s.deposit_paid_fen},
            {"refund_due_fen", s.refund_due_fen},
            {"deposit_deadline", sales::to_rfc3339(s.deposit_deadline)},
            {"signing_deadline", s.signing_deadline},
            {"cancellation_reason", nullable(s.cancellation_reason)},
            {"cancellation_note", nullable(s.cancellation_note)},
            {"cancellation_requested_by", nullable(s.cancellation_requested_by)},
            {"cancellation_decided_by", nullable(s.cancellation_decided_by)},
            {"cancellation_decision_note", nullable(s.cancellation_decision_note)},
            {"version", s.version},
            {"created_by", s.created_by},
            {"created_at", s.created_at},
            {"updated_at", s.updated_at}};
}

Subscription create_subscription(const Context& ctx, InventoryClient& inventory,
                                 const sales::Principal& caller,
                                 const domain::NewSubscription& input,
                                 const std::string& subscription_id,
                                 const BeforeCommit& before_commit) {
    const auto now = ctx.clock.now();
    const auto problems = domain::validate(input, domain::shanghai_date(now));
    if (!problems.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : problems)
            list.push_back({{"field", p.field}, {"problem", p.problem}});
        throw Failure(Failure::Kind::invalid, "validation_failed",
                      problems.front().field + ": " + problems.front().problem,
                      {{"problems", list}});
    }

    // The unit's project (hence its deposit deadline) is known only from the hold reply, so the
    // hold outlives the longest deadline of any project: contract cancels at the real deadline
    // (CON-1) and inventory's expiry is only the safety net.
    const auto longest =
        ctx.db.transaction([](Tx& tx) { return longest_deposit_deadline_seconds(tx); });
    const auto hold_until = sales::to_rfc3339(now + std::chrono::seconds(longest) + ctx.hold_grace);

    Compensation release;
    release.arm([&] {
        inventory.release_quietly(input.unit_id, subscription_id, caller.user_id,
                                  "subscription not created");
    });
    const auto scope = inventory_scope(caller, input.unit_id);
    const auto reply = inventory.hold(input.unit_id, subscription_id, hold_until, caller.user_id,
                                      input.reservation_id, scope);
    if (reply && reply->result != HoldReply::Result::held)
        release.dismiss();  // nothing of ours to release
    const auto unit = require_held(reply, input.unit_id);
    if (!caller.in_project(unit.project_id)) {
        throw Failure(Failure::Kind::not_found, "unit_not_found",
                      "no unit with id " + input.unit_id, {{"unit_id", input.unit_id}});
    }

    try {
        auto created = ctx.db.transaction([&](Tx& tx) {
            const auto settings = require_settings(tx, unit.project_id);
            Subscription s;
            s.id = subscription_id;
            s.project_id = unit.project_id;
            s.unit_id = input.unit_id;
            s.customer_id = input.customer_id;
            s.rep_id = input.rep_id;
            s.payment_plan = *domain::parse_payment_plan(input.payment_plan);
            // REG-2 (deposit cap) and the discount bound, against the unit's list total.
            s.terms = domain::price_terms(unit.list_total_fen, input.discount_fen,
                                          input.deposit_fen, settings.deposit_cap_percent);
            s.deposit_deadline = domain::deposit_deadline(now, settings);  // CON-1
            s.signing_deadline = input.signing_deadline;
            s.created_by = caller.user_id;
            s.created_at = s.updated_at = sales::to_rfc3339(now);
            tx.exec(
                "INSERT INTO subscriptions (id, project_id, unit_id, customer_id, rep_id, status, "
                "list_total_fen, discount_fen, price_fen, payment_plan, deposit_fen, "
                "deposit_deadline, signing_deadline, version, created_by, created_at, updated_at) "
                "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10, $11, "
                "$12::timestamptz, $13::date, $14, $15, $16::timestamptz, $16::timestamptz)",
                {s.id, s.project_id, s.unit_id, s.customer_id, s.rep_id,
                 std::string(domain::to_string(s.status)), s.terms.list_total_fen,
                 s.terms.discount_fen, s.terms.price_fen,
                 std::string(domain::to_string(s.payment_plan)), s.terms.deposit_fen,
                 sales::to_rfc3339(s.deposit_deadline), s.signing_deadline, s.version, s.created_by,
                 s.created_at});
            record(tx, s, std::nullopt, "create", caller.user_id, std::nullopt,
                   kSubscriptionCreated, nlohmann::json::object());
            if (before_commit)
                before_commit(tx, s);
            return s;
        });
        release.dismiss();
        return created;
    } catch (const sales::db::UniqueViolation& e) {
        if (e.constraint() != "subscriptions_one_live_per_unit")
            throw;
        // INV-4 second line of defence: inventory held a unit that already has a live deal here.
        sales::log::error("inventory held a unit that has a live subscription",
                          {{"unit_id", input.unit_id}, {"subscription_id", subscription_id}});
        throw Failure(Failure::Kind::conflict, "unit_not_available",
                      "unit " + input.unit_id + " already has a live subscription",
                      {{"unit_id", input.unit_id}, {"status", "subscribed"}});
    }
}

std::optional<Subscription> find_subscription(const Context& ctx, const sales::Principal& caller,
                                              const std::string& id) {
    auto found = ctx.db.transaction([&](Tx& tx) { return load(tx, id, /*for_update=*/false); });
    if (found && !caller.in_project(found->project_id))
        return std::nullopt;
    return found;
}

std::vector<Subscription> list_subscriptions(const Context& ctx, const sales::Principal& caller,
                                             const ListFilter& filter) {
    const bool all_projects = caller.in_project("*");
    const auto date = [](const std::optional<domain::Date>& d) {
        return d ? sales::db::Param(domain::to_string(*d)) : sales::db::Param(nullptr);
    };
    return ctx.db.transaction([&](Tx& tx) {
        std::vector<Subscription> out;
        const auto rows = tx.exec(
            select_columns() +
                "WHERE ($1::uuid IS NULL OR project_id = $1::uuid) "
                "AND ($2::text IS NULL OR status = $2::text) "
                "AND ($3::text IS NULL OR rep_id = $3::text) "
                "AND ($4::date IS NULL OR created_at >= $4::date::timestamp AT TIME ZONE "
                "'Asia/Shanghai') "
                "AND ($5::date IS NULL OR created_at < ($5::date + 1)::timestamp AT TIME ZONE "
                "'Asia/Shanghai') "
                "AND ($6::text[] IS NULL OR project_id::text = ANY ($6::text[])) "
                "ORDER BY created_at DESC, id LIMIT $7 OFFSET $8",
            {sales::db::param(filter.project_id),
             filter.status ? sales::db::Param(std::string(domain::to_string(*filter.status)))
                           : sales::db::Param(nullptr),
             sales::db::param(filter.rep_id), date(filter.from), date(filter.to),
             all_projects ? sales::db::Param(nullptr)
                          : sales::db::Param(project_scope_literal(caller)),
             filter.limit, filter.offset});
        for (const auto& row : rows)
            out.push_back(from_row(row));
        return out;
    });
}

Subscription rename_subscription(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& customer_id,
                                 const std::string& reason) {
    if (!sales::is_uuid(customer_id))
        invalid_field("customer_id", "must be a UUID");
    return change(ctx, caller, id, reason, [&](Tx&, Subscription& s, nlohmann::json& extra) {
        extra["previous_customer_id"] = s.customer_id;
        domain::rename(s, customer_id);  // CON-2
        return Action::rename;
    });
}

Subscription swap_subscription(const Context& ctx, InventoryClient& inventory,
                               const sales::Principal& caller, const std::string& id,
                               const std::string& new_unit_id, const std::string& reason) {
    if (!sales::is_uuid(new_unit_id))
        invalid_field("new_unit_id", "must be a UUID");
    // Declared outside the transaction: if anything fails after inventory swapped (the price
    // rules, the commit), the swap is undone once the transaction has rolled back.
    Compensation swap_back;
    auto swapped =
        change(ctx, caller, id, reason, [&](Tx& tx, Subscription& s, nlohmann::json& extra) {
            domain::next_status(s.status, Action::swap);  // refuse before asking inventory
            if (new_unit_id == s.unit_id)
                invalid_field("new_unit_id", "is already the subscription's unit");
            const auto hold_until =
                sales::to_rfc3339(std::max(s.deposit_deadline, ctx.clock.now()) + ctx.hold_grace);
            const auto old_unit_id = s.unit_id;
            swap_back.arm([&inventory, sid = s.id, new_unit_id, old_unit_id, hold_until,
                           actor = caller.user_id] {
                inventory.swap_back_quietly(sid, new_unit_id, old_unit_id, hold_until, actor);
            });
            // Scoped to the subscription's project: a unit elsewhere is never touched (CON-2).
            const auto reply =
                inventory.swap(s.id, old_unit_id, new_unit_id, hold_until, caller.user_id,
                               std::vector<std::string>{s.project_id});
            if (reply && reply->result != HoldReply::Result::held)
                swap_back.dismiss();
            const auto unit = require_held(reply, new_unit_id);
            if (unit.project_id != s.project_id) {
                throw Failure(Failure::Kind::rule, "unit_in_another_project",
                              "a swap stays within the subscription's project",
                              {{"unit_id", new_unit_id}, {"project_id", s.project_id}});
            }
            const auto settings = require_settings(tx, s.project_id);
            extra["old_unit_id"] = old_unit_id;
            // CON-2 swap; the new price keeps the discount and must satisfy REG-2 again.
            domain::swap(s, new_unit_id, unit.list_total_fen, settings.deposit_cap_percent);
            return Action::swap;
        });
    swap_back.dismiss();
    return swapped;
}

Subscription cancel_subscription(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& reason) {
    return change(ctx, caller, id, reason, [&](Tx&, Subscription& s, nlohmann::json&) {
        domain::cancel(s, caller.user_id, reason);  // CON-2
        return Action::cancel;
    });
}

Subscription decide_cancellation(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, bool approve, const std::string& note) {
    return change(ctx, caller, id, note, [&](Tx&, Subscription& s, nlohmann::json&) {
        domain::decide_cancellation(s, approve, caller.user_id, note);  // CON-2
        return approve ? Action::approve_cancellation : Action::reject_cancellation;
    });
}

std::optional<Subscription> lock_subscription(Tx& tx, const std::string& id) {
    return load(tx, id, /*for_update=*/true);
}

Subscription mark_signed(Tx& tx, const Subscription& before, const std::string& actor,
                         const std::string& contract_id, const std::string& contract_no) {
    Subscription after = before;
    domain::sign(after);  // CON-3: confirmed → signed
    save_change(tx, before, after, Action::sign, actor, "contract " + contract_no + " signed",
                {{"contract_id", contract_id}, {"contract_no", contract_no}});
    return after;
}

void apply_deposit_received(Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto poison = [&](const std::string& problem) {
        return sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);
    };
    const auto text = [&](const char* field) {
        if (!d.is_object() || !d.contains(field) || !d[field].is_string() ||
            d[field].get_ref<const std::string&>().empty()) {
            throw poison(std::string("data.") + field + " must be a non-empty string");
        }
        return d[field].get<std::string>();
    };
    const auto id = text("subscription_id");
    const auto receipt_no = text("receipt_no");
    const auto paid_at = text("paid_at");
    if (!d.contains("amount_fen") || !d["amount_fen"].is_number_integer() ||
        d["amount_fen"].get<std::int64_t>() <= 0) {
        throw poison("data.amount_fen must be a positive integer (fen)");
    }
    if (!domain::is_rfc3339(paid_at))
        throw poison("data.paid_at must be an RFC 3339 timestamp");
    const auto amount = d["amount_fen"].get<std::int64_t>();

    const auto before = load(tx, id, /*for_update=*/true);
    if (!before)
        throw poison("no subscription with id " + id);
    Subscription after = *before;
    const auto outcome = domain::receive_deposit(after, amount);
    const nlohmann::json fields = {{"subscription_id", id},
                                   {"receipt_no", receipt_no},
                                   {"amount_fen", amount},
                                   {"event_id", event.id},
                                   {"outcome", domain::to_string(outcome)}};
    // A receipt applies once, even if finance re-sends it under another event id.
    const auto inserted = tx.exec(
        "INSERT INTO subscription_deposits (project_id, receipt_no, subscription_id, amount_fen, "
        "paid_at, outcome, event_id) VALUES ($1::uuid, $2, $3::uuid, $4, $5::timestamptz, $6, "
        "$7::uuid) ON CONFLICT DO NOTHING",
        {before->project_id, receipt_no, id, amount, paid_at,
         std::string(domain::to_string(outcome)), event.id});
    if (inserted.affected_rows() == 0) {
        sales::log::warn("deposit receipt already applied; ignored", fields);
        return;
    }
    Action action = Action::confirm_deposit;
    switch (outcome) {
        case domain::DepositOutcome::duplicate:
            sales::log::warn("deposit received for a subscription already paid: flagged for refund",
                             fields);
            action = Action::record_orphaned_deposit;
            break;
        case domain::DepositOutcome::orphaned:
            sales::log::warn("deposit received after cancellation: flagged for refund", fields);
            action = Action::record_orphaned_deposit;
            break;
        case domain::DepositOutcome::partial:
            action = Action::record_partial_deposit;
            break;
        case domain::DepositOutcome::confirmed:
            break;
    }
    save_change(tx, *before, after, action, kFinanceActor, "receipt " + receipt_no,
                {{"amount_fen", amount}, {"receipt_no", receipt_no}, {"paid_at", paid_at}});
}

int expire_overdue(const Context& ctx, int batch) {
    int expired = 0;
    while (expired < batch) {
        const bool found = ctx.db.transaction([&](Tx& tx) {
            const auto row = tx.exec_maybe_one(
                select_columns() +
                    "WHERE status = 'pending_deposit' AND deposit_deadline < $1::timestamptz "
                    "ORDER BY deposit_deadline LIMIT 1 FOR UPDATE SKIP LOCKED",
                {sales::to_rfc3339(ctx.clock.now())});
            if (!row)
                return false;
            const auto before = from_row(*row);
            Subscription after = before;
            domain::expire(after);  // CON-1: no deposit by the deadline
            save_change(tx, before, after, Action::expire, kSystemActor,
                        "deposit not received by the deadline (CON-1)", nlohmann::json::object());
            sales::log::info("subscription cancelled: deposit deadline passed",
                             {{"subscription_id", after.id}, {"unit_id", after.unit_id}});
            return true;
        });
        if (!found)
            break;
        ++expired;
    }
    return expired;
}

}  // namespace contract::app
