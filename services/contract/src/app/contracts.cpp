#include "app/contracts.hpp"

#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using domain::ContractAction;
using domain::ContractStatus;
using domain::HandoverState;
using nlohmann::json;
using sales::db::Param;
using sales::db::Tx;

constexpr const char* kFinanceActor = "finance";

std::string ts(const std::string& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

// The contract as the API shows it: the row (minus internals) with timestamps in RFC 3339 UTC.
const std::string& contract_select() {
    static const std::string sql =
        "SELECT to_jsonb(c) - 'year' - 'serial' - 'signed_at' - 'filed_at' - 'eligible_at' - "
        "'cancelled_at' - 'created_at' - 'updated_at' || jsonb_build_object('signed_at', " +
        ts("c.signed_at") + ", 'filed_at', " + ts("c.filed_at") + ", 'eligible_at', " +
        ts("c.eligible_at") + ", 'cancelled_at', " + ts("c.cancelled_at") + ", 'created_at', " +
        ts("c.created_at") + ", 'updated_at', " + ts("c.updated_at") + ") AS doc FROM contracts c ";
    return sql;
}

struct Contract {
    json doc;
    std::string id;
    std::string contract_no;
    std::string project_id;
    std::string subscription_id;
    std::string unit_id;
    ContractStatus status = ContractStatus::in_audit;
    HandoverState handover = HandoverState::not_eligible;
    std::int64_t version = 1;
    std::int64_t audit_round = 1;
    domain::ContractTerms terms;
    std::int64_t deposit_paid_fen = 0;
    bool discount_contract = false;
    bool early_approved = false;
};

domain::Plan stored_plan(const json& plan) {
    std::vector<domain::FieldProblem> problems;
    // Stored plans were validated at signing; their dates may lie in the past by now.
    const auto parsed = domain::parse_plan(
        plan, sales::Date{std::chrono::year{1}, std::chrono::month{1}, std::chrono::day{1}},
        problems);
    if (!parsed)
        throw std::logic_error("stored plan is unreadable: " + plan.dump());
    return *parsed;
}

Contract from_doc(json doc) {
    Contract c;
    c.id = doc.at("id");
    c.contract_no = doc.at("contract_no");
    c.project_id = doc.at("project_id");
    c.subscription_id = doc.at("subscription_id");
    c.unit_id = doc.at("unit_id");
    c.status = *domain::parse_contract_status(doc.at("status").get<std::string>());
    c.handover = *domain::parse_handover_state(doc.at("handover_state").get<std::string>());
    c.version = doc.at("version");
    c.audit_round = doc.at("audit_round");
    c.terms.customer_id = doc.at("customer_id");
    c.terms.list_total_fen = doc.at("list_total_fen");
    c.terms.discount_fen = doc.at("discount_fen");
    c.terms.price_fen = doc.at("price_fen");
    c.terms.plan = stored_plan(doc.at("plan"));
    c.deposit_paid_fen = doc.at("deposit_paid_fen");
    c.discount_contract = !doc.at("discount_slip_id").is_null();
    c.early_approved = !doc.at("early_handover_approval_id").is_null();
    c.doc = std::move(doc);
    return c;
}

std::optional<Contract> load(Tx& tx, const std::string& id, bool for_update) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    const auto row = tx.exec_maybe_one(
        contract_select() + "WHERE c.id = $1::uuid" + (for_update ? " FOR UPDATE" : ""), {id});
    if (!row)
        return std::nullopt;
    return from_doc(json::parse(row->text("doc")));
}

[[noreturn]] void contract_not_found(const std::string& id) {
    throw Failure(Failure::Kind::not_found, "contract_not_found", "no contract with id " + id,
                  {{"contract_id", id}});
}

Contract load_for(Tx& tx, const sales::Principal& caller, const std::string& id) {
    auto c = load(tx, id, /*for_update=*/true);
    if (!c || !caller.in_project(c->project_id))
        contract_not_found(id);
    return std::move(*c);
}

[[noreturn]] void invalid_field(const std::string& field, const std::string& problem) {
    throw Failure(Failure::Kind::invalid, "validation_failed", field + ": " + problem,
                  {{"field", field}, {"problem", problem}});
}

sales::Date today(const Context& ctx) {
    return sales::shanghai_date(ctx.clock.now());
}

domain::Date required_date(const std::string& field, const std::string& text) {
    const auto d = sales::parse_date(text);
    if (!d)
        invalid_field(field, "must be a calendar date YYYY-MM-DD");
    return *d;
}

struct ProjectContractSettings {
    std::string code;
    domain::ContractSettings settings;
};

ProjectContractSettings require_contract_settings(Tx& tx, const std::string& project_id) {
    const auto row = tx.exec_maybe_one(
        "SELECT code, signing_deadline_days, max_standard_discount_bp, penalty_bp_per_day, "
        "audit_deadline_working_days FROM project_refs WHERE project_id = $1::uuid",
        {project_id});
    if (!row) {
        throw Failure(Failure::Kind::unavailable, "project_not_synchronised",
                      "project " + project_id + " is not known to the contract service yet",
                      {{"project_id", project_id}});
    }
    ProjectContractSettings out;
    out.code = row->text("code");
    out.settings.signing_deadline_days = row->int64("signing_deadline_days");
    out.settings.max_standard_discount_bp = row->int64("max_standard_discount_bp");
    out.settings.penalty_bp_per_day = row->int64("penalty_bp_per_day");
    out.settings.audit_deadline_working_days = row->int64("audit_deadline_working_days");
    return out;
}

void emit(Tx& tx, const std::string& type, const std::string& subject, std::int64_t sequence,
          json data) {
    sales::bus::outbox_append(
        tx, sales::bus::make_event("contract", type, subject, sequence, std::move(data)));
}

// Version + 1, status, history row (SEC-2). Returns the new version.
std::int64_t record_change(Tx& tx, const Contract& before, ContractStatus to,
                           const std::string& action, const std::string& actor,
                           const std::optional<std::string>& reason, const json& details) {
    const auto row = tx.exec_maybe_one(
        "UPDATE contracts SET status = $3, version = version + 1, updated_at = now() "
        "WHERE id = $1::uuid AND version = $2 RETURNING version",
        {before.id, before.version, std::string(domain::to_string(to))});
    if (!row) {
        throw Failure(Failure::Kind::conflict, "concurrent_change",
                      "the contract changed meanwhile; reload and retry",
                      {{"contract_id", before.id}});
    }
    const auto version = row->int64("version");
    tx.exec(
        "INSERT INTO contract_history (contract_id, version, action, from_status, to_status, "
        "actor, reason, details) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        {before.id, version, action, std::string(domain::to_string(before.status)),
         std::string(domain::to_string(to)), actor, sales::db::param(reason), details.dump()});
    return version;
}

json reload(Tx& tx, const std::string& id) {
    return load(tx, id, /*for_update=*/false)->doc;
}

// ---- approvals ----

json approval_json(const sales::db::Row& r) {
    return json::parse(r.text("doc"));
}

const std::string& approval_select() {
    static const std::string sql =
        "SELECT (to_jsonb(a) - 'requested_at' - 'decided_at' || jsonb_build_object("
        "'requested_at', " +
        ts("a.requested_at") + ", 'decided_at', " + ts("a.decided_at") +
        "))::text AS doc FROM approvals a ";
    return sql;
}

domain::Approval approval_from(const json& doc) {
    domain::Approval a;
    a.id = doc.at("id");
    a.kind = *domain::parse_approval_kind(doc.at("kind").get<std::string>());
    a.status = doc.at("status");
    if (doc.at("subscription_id").is_string())
        a.subscription_id = doc.at("subscription_id");
    if (doc.at("contract_id").is_string())
        a.contract_id = doc.at("contract_id");
    if (doc.at("discount_fen").is_number_integer())
        a.discount_fen = doc.at("discount_fen");
    if (doc.at("used_by_contract_id").is_string())
        a.used_by_contract_id = doc.at("used_by_contract_id");
    return a;
}

// Locks and checks an approval named at signing (CON-3); marks it used by the contract.
std::string use_approval(Tx& tx, const std::string& field, const std::string& id,
                         domain::ApprovalKind kind, const domain::Subscription& s,
                         const std::string& contract_id) {
    if (!sales::is_uuid(id))
        invalid_field(field, "must be a UUID");
    const auto row =
        tx.exec_maybe_one(approval_select() + "WHERE a.id = $1::uuid FOR UPDATE", {id});
    if (!row) {
        throw Failure(Failure::Kind::rule, "approval_not_usable", field + ": no approval " + id,
                      {{"approval_id", id}});
    }
    domain::check_approval(approval_from(approval_json(*row)), kind, s.id, s.terms.discount_fen);
    tx.exec("UPDATE approvals SET used_by_contract_id = $2::uuid WHERE id = $1::uuid",
            {id, contract_id});
    return id;
}

// ---- audit chain ----

std::vector<domain::AuditStep> audit_round(Tx& tx, const std::string& contract_id,
                                           const std::optional<std::string>& amendment_id,
                                           std::int64_t round) {
    std::vector<domain::AuditStep> steps;
    for (const auto& r :
         tx.exec("SELECT step, role, decision, actor, to_char(due_on, 'YYYY-MM-DD') AS due_on "
                 "FROM contract_audits WHERE contract_id = $1::uuid AND amendment_id IS NOT "
                 "DISTINCT FROM $2::uuid AND round = $3 ORDER BY step",
                 {contract_id, sales::db::param(amendment_id), round})) {
        steps.push_back({static_cast<int>(r.int64("step")), r.text("role"), r.opt_text("decision"),
                         r.opt_text("actor"), r.text("due_on")});
    }
    return steps;
}

void open_step(Tx& tx, const Context& ctx, const std::string& contract_id,
               const std::optional<std::string>& amendment_id, std::int64_t round, int step,
               std::int64_t days, bool discount_contract) {
    const auto opened = today(ctx);
    const auto due = domain::step_due(opened, step, days, discount_contract);
    tx.exec(
        "INSERT INTO contract_audits (contract_id, amendment_id, round, step, role, opened_on, "
        "due_on) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::date, $7::date)",
        {contract_id, sales::db::param(amendment_id), round, static_cast<std::int64_t>(step),
         std::string(domain::audit_role(step)), sales::to_string(opened), sales::to_string(due)});
}

// Decides the open step; returns the outcome (the step row is updated).
domain::AuditOutcome decide_step(Tx& tx, const Context& ctx, const sales::Principal& caller,
                                 const Contract& c, const std::optional<std::string>& amendment_id,
                                 std::int64_t round, bool approve, const std::string& note) {
    const auto steps = audit_round(tx, c.id, amendment_id, round);
    domain::AuditOutcome outcome;
    try {
        outcome = domain::decide_audit(steps, caller.user_id, caller.roles, approve);
    } catch (const domain::AuditError& e) {
        throw Failure(e.code() == "wrong_role"     ? Failure::Kind::rule
                      : e.code() == "no_open_step" ? Failure::Kind::conflict
                                                   : Failure::Kind::rule,
                      e.code(), e.what(), e.details());
    }
    tx.exec(
        "UPDATE contract_audits SET decision = $5, note = $6, actor = $7, decided_at = now() "
        "WHERE contract_id = $1::uuid AND amendment_id IS NOT DISTINCT FROM $2::uuid AND "
        "round = $3 AND step = $4 AND decision IS NULL",
        {c.id, sales::db::param(amendment_id), round, static_cast<std::int64_t>(outcome.step),
         std::string(approve ? "approved" : "rejected"), note, caller.user_id});
    if (outcome.next_step) {
        const auto settings = require_contract_settings(tx, c.project_id);
        open_step(tx, ctx, c.id, amendment_id, round, *outcome.next_step,
                  settings.settings.audit_deadline_working_days, c.discount_contract);
    }
    return outcome;
}

json audit_event(const Contract& c, const domain::AuditOutcome& o, std::int64_t round,
                 const std::string& actor, const std::string& note) {
    return {{"contract_id", c.id},
            {"contract_no", c.contract_no},
            {"project_id", c.project_id},
            {"round", round},
            {"step", o.step},
            {"role", domain::audit_role(o.step)},
            {"decision", o.approved ? "approved" : "rejected"},
            {"complete", o.complete},
            {"actor", actor},
            {"note", note}};
}

json signed_data(const json& doc, const std::string& unit_id) {
    return {{"contract_id", doc.at("id")},
            {"contract_no", doc.at("contract_no")},
            {"subscription_id", doc.at("subscription_id")},
            {"project_id", doc.at("project_id")},
            {"unit_id", unit_id},
            {"customer_id", doc.at("customer_id")},
            {"rep_id", doc.at("rep_id")},
            {"signed_at", doc.at("signed_at")},
            {"list_total_fen", doc.at("list_total_fen")},
            {"discount_fen", doc.at("discount_fen")},
            {"price_fen", doc.at("price_fen")},
            {"deposit_paid_fen", doc.at("deposit_paid_fen")},
            {"penalty_bp_per_day", doc.at("penalty_bp_per_day")},
            {"payment_plan", doc.at("payment_plan")},
            {"plan", doc.at("plan")},
            {"version", doc.at("version")}};
}

void change_handover(Tx& tx, const Contract& c, HandoverState to, const std::string& cause,
                     const std::optional<std::string>& event_id, const std::string& actor) {
    tx.exec(
        "UPDATE contracts SET handover_state = $2, eligible_at = CASE WHEN $2 IN ('eligible', "
        "'early_eligible') THEN now() ELSE NULL END WHERE id = $1::uuid",
        {c.id, std::string(domain::to_string(to))});
    tx.exec(
        "INSERT INTO handover_eligibility_history (contract_id, from_state, to_state, cause, "
        "event_id) VALUES ($1::uuid, $2, $3, $4, $5::uuid)",
        {c.id, std::string(domain::to_string(c.handover)), std::string(domain::to_string(to)),
         cause, sales::db::param(event_id)});
    const auto version = record_change(
        tx, c, c.status, "handover_" + std::string(domain::to_string(to)), actor, cause,
        {{"from", domain::to_string(c.handover)},
         {"to", domain::to_string(to)},
         {"event_id", event_id ? json(*event_id) : json(nullptr)}});
    if (to == HandoverState::eligible || to == HandoverState::early_eligible) {
        emit(tx, kHandoverEligible, c.id, version,
             {{"contract_id", c.id},
              {"project_id", c.project_id},
              {"unit_id", c.unit_id},
              {"eligible_at", sales::to_rfc3339(sales::SystemClock().now())},
              {"early", to == HandoverState::early_eligible}});
    } else {
        emit(tx, kHandoverWithdrawn, c.id, version,
             {{"contract_id", c.id},
              {"project_id", c.project_id},
              {"unit_id", c.unit_id},
              {"reason", cause}});
    }
}

std::string scope_literal(const sales::Principal& caller) {
    std::string out = "{";
    for (const auto& p : caller.project_ids) {
        if (sales::is_uuid(p))
            out += (out.size() > 1 ? "," : "") + p;
    }
    return out + "}";
}

Param scope_param(const sales::Principal& caller) {
    return caller.in_project("*") ? Param(nullptr) : Param(scope_literal(caller));
}

}  // namespace

json sign_contract(const Context& ctx, const sales::Principal& caller,
                   const std::string& subscription_id, const SignInput& input) {
    const auto now = ctx.clock.now();
    const auto signing_day = sales::shanghai_date(now);
    std::vector<domain::FieldProblem> problems;
    const auto plan = domain::parse_plan(input.plan, signing_day, problems);
    if (!plan) {
        json list = json::array();
        for (const auto& p : problems)
            list.push_back({{"field", p.field}, {"problem", p.problem}});
        throw Failure(Failure::Kind::invalid, "validation_failed",
                      problems.front().field + ": " + problems.front().problem,
                      {{"problems", list}});
    }
    for (const auto& [field, value] :
         {std::pair{"discount_slip_id", input.discount_slip_id},
          std::pair{"late_signing_approval_id", input.late_signing_approval_id}}) {
        if (value && !sales::is_uuid(*value))
            invalid_field(field, "must be a UUID");
    }
    return ctx.db.transaction([&](Tx& tx) {
        const auto s = lock_subscription(tx, subscription_id);
        if (!s || !caller.in_project(s->project_id)) {
            throw Failure(Failure::Kind::not_found, "subscription_not_found",
                          "no subscription with id " + subscription_id,
                          {{"subscription_id", subscription_id}});
        }
        // CON-3: only a confirmed subscription (deposit paid) is signed.
        domain::next_status(s->status, domain::Action::sign);
        const auto project = require_contract_settings(tx, s->project_id);
        const auto& settings = project.settings;
        domain::check_plan(*plan, s->payment_plan, s->terms.price_fen);

        const std::string contract_id = sales::new_uuid();
        std::optional<std::string> slip, late;
        // CON-3: a discount beyond the standard rules needs an approved discount slip.
        if (domain::discount_needs_slip(s->terms.discount_fen, s->terms.list_total_fen,
                                        settings.max_standard_discount_bp)) {
            if (!input.discount_slip_id) {
                throw domain::RuleViolation(
                    "discount_slip_required",
                    "the discount is beyond the project's standard rules: an approved discount "
                    "slip is required (CON-3)",
                    {{"discount_fen", s->terms.discount_fen},
                     {"list_total_fen", s->terms.list_total_fen},
                     {"max_standard_discount_bp", settings.max_standard_discount_bp}});
            }
            slip = use_approval(tx, "discount_slip_id", *input.discount_slip_id,
                                domain::ApprovalKind::discount_slip, *s, contract_id);
        } else if (input.discount_slip_id) {
            slip = use_approval(tx, "discount_slip_id", *input.discount_slip_id,
                                domain::ApprovalKind::discount_slip, *s, contract_id);
        }
        // CON-3: signing later than the delay after subscription needs the GM's approval.
        const auto created = sales::parse_rfc3339(s->created_at);
        const auto subscribed_on = sales::shanghai_date(created ? *created : now);
        if (domain::signing_is_late(subscribed_on, signing_day, settings.signing_deadline_days)) {
            if (!input.late_signing_approval_id) {
                throw domain::RuleViolation(
                    "late_signing_approval_required",
                    "signing more than " + std::to_string(settings.signing_deadline_days) +
                        " days after the subscription needs the GM's approval (CON-3)",
                    {{"subscribed_on", sales::to_string(subscribed_on)},
                     {"signing_deadline_days", settings.signing_deadline_days}});
            }
            late = use_approval(tx, "late_signing_approval_id", *input.late_signing_approval_id,
                                domain::ApprovalKind::late_signing, *s, contract_id);
        }

        // CON-3 numbering: gap-free per project and year (the counter row is locked until
        // commit; a rollback undoes the increment).
        const int year = static_cast<int>(signing_day.year());
        const auto serial =
            tx.exec_one(
                  "INSERT INTO contract_counters (project_id, year, last_serial) "
                  "VALUES ($1::uuid, $2, 1) ON CONFLICT (project_id, year) DO UPDATE SET "
                  "last_serial = contract_counters.last_serial + 1 RETURNING last_serial",
                  {s->project_id, static_cast<std::int64_t>(year)})
                .int64("last_serial");
        const auto number = domain::contract_number(year, project.code, serial);

        tx.exec(
            "INSERT INTO contracts (id, contract_no, project_id, year, serial, subscription_id, "
            "unit_id, customer_id, rep_id, status, list_total_fen, discount_fen, price_fen, "
            "deposit_paid_fen, penalty_bp_per_day, payment_plan, plan, discount_slip_id, "
            "late_signing_approval_id, signed_at, signed_by) VALUES ($1::uuid, $2, $3::uuid, $4, "
            "$5, $6::uuid, $7::uuid, $8::uuid, $9, 'in_audit', $10, $11, $12, $13, $14, $15, "
            "$16::jsonb, $17::uuid, $18::uuid, $19::timestamptz, $20)",
            {contract_id,
             number,
             s->project_id,
             static_cast<std::int64_t>(year),
             serial,
             s->id,
             s->unit_id,
             s->customer_id,
             s->rep_id,
             s->terms.list_total_fen,
             s->terms.discount_fen,
             s->terms.price_fen,
             s->deposit_paid_fen,
             settings.penalty_bp_per_day,
             std::string(domain::to_string(s->payment_plan)),
             domain::to_json(*plan).dump(),
             sales::db::param(slip),
             sales::db::param(late),
             sales::to_rfc3339(now),
             caller.user_id});
        tx.exec(
            "INSERT INTO contract_history (contract_id, version, action, from_status, to_status, "
            "actor, reason, details) VALUES ($1::uuid, 1, 'sign', NULL, 'in_audit', $2, NULL, "
            "$3::jsonb)",
            {contract_id, caller.user_id, json{{"subscription_id", s->id}}.dump()});
        open_step(tx, ctx, contract_id, std::nullopt, 1, 1, settings.audit_deadline_working_days,
                  slip.has_value());
        mark_signed(tx, *s, caller.user_id, contract_id, number);
        const auto doc = reload(tx, contract_id);
        emit(tx, kContractSigned, contract_id, 1, signed_data(doc, s->unit_id));
        return doc;
    });
}

json request_approval(const Context& ctx, const sales::Principal& caller, domain::ApprovalKind kind,
                      const std::string& subject_id, std::optional<std::int64_t> discount_fen,
                      const std::string& reason) {
    const bool on_contract = kind == domain::ApprovalKind::early_handover;
    const std::string subject_field = on_contract ? "contract_id" : "subscription_id";
    if (!sales::is_uuid(subject_id))
        invalid_field(subject_field, "must be a UUID");
    if (kind == domain::ApprovalKind::discount_slip && (!discount_fen || *discount_fen < 0))
        invalid_field("discount_fen", "must be a non-negative integer (fen)");
    return ctx.db.transaction([&](Tx& tx) {
        std::string project_id;
        if (on_contract) {
            const auto c = load_for(tx, caller, subject_id);
            if (c.handover == HandoverState::handed_over || c.status == ContractStatus::cancelled) {
                throw Failure(Failure::Kind::conflict, "invalid_transition",
                              "the contract is already handed over or cancelled",
                              {{"contract_id", c.id}});
            }
            project_id = c.project_id;
        } else {
            const auto s = lock_subscription(tx, subject_id);
            if (!s || !caller.in_project(s->project_id)) {
                throw Failure(Failure::Kind::not_found, "subscription_not_found",
                              "no subscription with id " + subject_id,
                              {{"subscription_id", subject_id}});
            }
            if (kind == domain::ApprovalKind::discount_slip &&
                *discount_fen > s->terms.list_total_fen) {
                throw domain::RuleViolation("discount_exceeds_list_total",
                                            "the discount is larger than the unit's list total",
                                            {{"list_total_fen", s->terms.list_total_fen}});
            }
            project_id = s->project_id;
        }
        const auto id = sales::new_uuid();
        tx.exec(
            "INSERT INTO approvals (id, kind, project_id, subscription_id, contract_id, "
            "discount_fen, reason, status, requested_by) VALUES ($1::uuid, $2, $3::uuid, "
            "$4::uuid, $5::uuid, $6, $7, 'requested', $8)",
            {id, std::string(domain::to_string(kind)), project_id,
             on_contract ? Param(nullptr) : Param(subject_id),
             on_contract ? Param(subject_id) : Param(nullptr), sales::db::param(discount_fen),
             reason, caller.user_id});
        return approval_json(tx.exec_one(approval_select() + "WHERE a.id = $1::uuid", {id}));
    });
}

json decide_approval(const Context& ctx, const sales::Principal& caller, domain::ApprovalKind kind,
                     const std::string& id, bool approve, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = sales::is_uuid(id)
                             ? tx.exec_maybe_one(approval_select() +
                                                     "WHERE a.id = $1::uuid AND a.kind = $2 "
                                                     "FOR UPDATE",
                                                 {id, std::string(domain::to_string(kind))})
                             : std::nullopt;
        if (!row || !caller.in_project(approval_json(*row).at("project_id"))) {
            throw Failure(Failure::Kind::not_found, "approval_not_found",
                          "no " + std::string(domain::to_string(kind)) + " with id " + id,
                          {{"approval_id", id}});
        }
        const auto before = approval_from(approval_json(*row));
        if (before.status != "requested") {
            throw Failure(Failure::Kind::conflict, "invalid_transition",
                          "the approval is already " + before.status, {{"status", before.status}});
        }
        tx.exec(
            "UPDATE approvals SET status = $2, decided_by = $3, decided_at = now(), "
            "decision_note = $4 WHERE id = $1::uuid",
            {id, std::string(approve ? "approved" : "rejected"), caller.user_id, note});
        if (approve && kind == domain::ApprovalKind::early_handover) {
            // CON-9: an approved early handover puts the contract on the separate list.
            const auto c = load_for(tx, caller, *before.contract_id);
            tx.exec(
                "UPDATE contracts SET early_handover_approval_id = $2::uuid WHERE id = $1::uuid",
                {c.id, id});
            if (const auto to = domain::on_early_approved(c.handover))
                change_handover(tx, c, *to, "early_approval " + id, std::nullopt, caller.user_id);
        }
        return approval_json(tx.exec_one(approval_select() + "WHERE a.id = $1::uuid", {id}));
    });
}

std::optional<json> find_approval(const Context& ctx, const sales::Principal& caller,
                                  domain::ApprovalKind kind, const std::string& id) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    return ctx.db.transaction([&](Tx& tx) -> std::optional<json> {
        const auto row =
            tx.exec_maybe_one(approval_select() + "WHERE a.id = $1::uuid AND a.kind = $2",
                              {id, std::string(domain::to_string(kind))});
        if (!row)
            return std::nullopt;
        auto doc = approval_json(*row);
        if (!caller.in_project(doc.at("project_id")))
            return std::nullopt;
        return doc;
    });
}

std::optional<json> find_contract(const Context& ctx, const sales::Principal& caller,
                                  const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) -> std::optional<json> {
        const auto c = load(tx, id, /*for_update=*/false);
        if (!c || !caller.in_project(c->project_id))
            return std::nullopt;
        auto doc = c->doc;
        const auto today_text = sales::to_string(today(ctx));
        json audits = json::array();
        for (const auto& r :
             tx.exec("SELECT amendment_id::text AS amendment_id, round, step, role, "
                     "to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(due_on, 'YYYY-MM-DD') "
                     "AS due_on, decision, note, actor, " +
                         ts("decided_at") +
                         " AS decided_at, (decision IS NULL AND due_on < $2::date) AS overdue "
                         "FROM contract_audits WHERE contract_id = $1::uuid ORDER BY id",
                     {c->id, today_text})) {
            audits.push_back(
                {{"amendment_id",
                  r.is_null("amendment_id") ? json(nullptr) : json(r.text("amendment_id"))},
                 {"round", r.int64("round")},
                 {"step", r.int64("step")},
                 {"role", r.text("role")},
                 {"opened_on", r.text("opened_on")},
                 {"due_on", r.text("due_on")},
                 {"decision", r.is_null("decision") ? json(nullptr) : json(r.text("decision"))},
                 {"note", r.is_null("note") ? json(nullptr) : json(r.text("note"))},
                 {"actor", r.is_null("actor") ? json(nullptr) : json(r.text("actor"))},
                 {"decided_at",
                  r.is_null("decided_at") ? json(nullptr) : json(r.text("decided_at"))},
                 {"overdue", r.boolean("overdue")}});
        }
        doc["audits"] = audits;
        json amendments = json::array();
        for (const auto& r : tx.exec("SELECT (to_jsonb(a) - 'requested_at' - 'decided_at')::text "
                                     "AS doc FROM amendments a WHERE contract_id = $1::uuid "
                                     "ORDER BY requested_at",
                                     {c->id}))
            amendments.push_back(json::parse(r.text("doc")));
        doc["amendments"] = amendments;
        json refunds = json::array();
        for (const auto& r : tx.exec("SELECT (to_jsonb(r) - 'requested_at' - 'decided_at')::text "
                                     "AS doc FROM contract_refund_requests r WHERE contract_id = "
                                     "$1::uuid ORDER BY requested_at",
                                     {c->id}))
            refunds.push_back(json::parse(r.text("doc")));
        doc["refund_requests"] = refunds;
        return doc;
    });
}

json decide_contract_audit(const Context& ctx, const sales::Principal& caller,
                           const std::string& id, bool approve, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        if (c.status != ContractStatus::in_audit) {
            throw domain::ContractTransitionError(
                c.status, approve ? ContractAction::approve_audit : ContractAction::reject_audit);
        }
        const auto o = decide_step(tx, ctx, caller, c, std::nullopt, c.audit_round, approve, note);
        const auto action = !approve     ? ContractAction::reject_audit
                            : o.complete ? ContractAction::complete_audit
                                         : ContractAction::approve_audit;
        const auto to = domain::next_status(c.status, action);
        const auto version =
            record_change(tx, c, to, std::string(domain::to_string(action)), caller.user_id, note,
                          {{"round", c.audit_round}, {"step", o.step}});
        emit(tx, approve ? kAuditApproved : kAuditRejected, c.id, version,
             audit_event(c, o, c.audit_round, caller.user_id, note));
        return reload(tx, c.id);
    });
}

json resubmit_contract(const Context& ctx, const sales::Principal& caller, const std::string& id,
                       const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        const auto to = domain::next_status(c.status, ContractAction::resubmit);
        const auto round = c.audit_round + 1;
        tx.exec("UPDATE contracts SET audit_round = $2 WHERE id = $1::uuid", {c.id, round});
        const auto settings = require_contract_settings(tx, c.project_id);
        open_step(tx, ctx, c.id, std::nullopt, round, 1,
                  settings.settings.audit_deadline_working_days, c.discount_contract);
        record_change(tx, c, to, "resubmit", caller.user_id, note, {{"round", round}});
        return reload(tx, c.id);
    });
}

json stamp_contract(const Context& ctx, const sales::Principal& caller, const std::string& id,
                    const std::string& stamped_on, const std::string& stamp_no) {
    const auto day = required_date("stamped_on", stamped_on);
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        // CON-4: only a fully reviewed contract is stamped.
        const auto to = domain::next_status(c.status, ContractAction::stamp);
        if (day > today(ctx))
            invalid_field("stamped_on", "must not be in the future");
        tx.exec(
            "UPDATE contracts SET stamped_on = $2::date, stamp_no = $3, stamped_by = $4 "
            "WHERE id = $1::uuid",
            {c.id, stamped_on, stamp_no, caller.user_id});
        const auto version = record_change(tx, c, to, "stamp", caller.user_id, std::nullopt,
                                           {{"stamped_on", stamped_on}, {"stamp_no", stamp_no}});
        emit(tx, kContractStamped, c.id, version,
             {{"contract_id", c.id},
              {"contract_no", c.contract_no},
              {"project_id", c.project_id},
              {"stamped_on", stamped_on},
              {"stamp_no", stamp_no},
              {"stamped_by", caller.user_id}});
        return reload(tx, c.id);
    });
}

json register_contract(const Context& ctx, const sales::Principal& caller, const std::string& id,
                       const std::string& filed_at, const std::string& registration_date,
                       const std::string& registration_no) {
    const auto filed = sales::parse_rfc3339(filed_at);
    if (!filed)
        invalid_field("filed_at", "must be an RFC 3339 timestamp");
    const auto day = required_date("registration_date", registration_date);
    if (*filed > ctx.clock.now())
        invalid_field("filed_at", "must not be in the future");
    if (day < sales::shanghai_date(*filed))
        invalid_field("registration_date", "must not be before the filing day");
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        // CON-7: registration follows stamping.
        const auto to = domain::next_status(c.status, ContractAction::register_);
        tx.exec(
            "UPDATE contracts SET filed_at = $2::timestamptz, registration_date = $3::date, "
            "registration_no = $4 WHERE id = $1::uuid",
            {c.id, sales::to_rfc3339(*filed), registration_date, registration_no});
        const auto version = record_change(tx, c, to, "register", caller.user_id, std::nullopt,
                                           {{"filed_at", sales::to_rfc3339(*filed)},
                                            {"registration_date", registration_date},
                                            {"registration_no", registration_no}});
        emit(tx, kContractRegistered, c.id, version,
             {{"contract_id", c.id},
              {"contract_no", c.contract_no},
              {"project_id", c.project_id},
              {"filed_at", sales::to_rfc3339(*filed)},
              {"registration_date", registration_date},
              {"registration_no", registration_no}});
        return reload(tx, c.id);
    });
}

json request_amendment(const Context& ctx, const sales::Principal& caller,
                       const std::string& contract_id, const domain::AmendmentChange& change,
                       const std::string& reason) {
    if (change.customer_id && !sales::is_uuid(*change.customer_id))
        invalid_field("customer_id", "must be a UUID");
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, contract_id);
        // CON-5: an amendment changes a reviewed contract that is still in force.
        if (!domain::is_reviewed(c.status) || c.handover == HandoverState::handed_over) {
            throw Failure(Failure::Kind::conflict, "invalid_transition",
                          "only a reviewed contract in force can be amended (CON-5); it is " +
                              std::string(domain::to_string(c.status)),
                          {{"status", domain::to_string(c.status)}});
        }
        const auto next = domain::amended_terms(c.terms, change, c.deposit_paid_fen);
        const auto settings = require_contract_settings(tx, c.project_id);
        if (next.discount_fen != c.terms.discount_fen &&
            domain::discount_needs_slip(next.discount_fen, next.list_total_fen,
                                        settings.settings.max_standard_discount_bp)) {
            throw domain::RuleViolation(
                "discount_slip_required",
                "a discount beyond the standard rules is not amended without a signing-time "
                "discount slip (CON-3)",
                {{"discount_fen", next.discount_fen},
                 {"max_standard_discount_bp", settings.settings.max_standard_discount_bp}});
        }
        json changes = json::object();
        if (change.customer_id)
            changes["customer_id"] = *change.customer_id;
        if (change.discount_fen)
            changes["discount_fen"] = *change.discount_fen;
        if (change.plan)
            changes["plan"] = domain::to_json(*change.plan);
        const json terms = {{"customer_id", next.customer_id},
                            {"list_total_fen", next.list_total_fen},
                            {"discount_fen", next.discount_fen},
                            {"price_fen", next.price_fen},
                            {"payment_plan", domain::to_string(next.plan.kind)},
                            {"plan", domain::to_json(next.plan)}};
        const auto id = sales::new_uuid();
        try {
            tx.exec(
                "INSERT INTO amendments (id, contract_id, status, changes, new_terms, reason, "
                "requested_by) VALUES ($1::uuid, $2::uuid, 'in_audit', $3::jsonb, $4::jsonb, $5, "
                "$6)",
                {id, c.id, changes.dump(), terms.dump(), reason, caller.user_id});
        } catch (const sales::db::UniqueViolation&) {
            throw Failure(Failure::Kind::conflict, "amendment_open",
                          "the contract already has an amendment in audit",
                          {{"contract_id", c.id}});
        }
        open_step(tx, ctx, c.id, id, 1, 1, settings.settings.audit_deadline_working_days,
                  c.discount_contract);
        const auto version = record_change(tx, c, c.status, "amendment_requested", caller.user_id,
                                           reason, {{"amendment_id", id}});
        emit(tx, kAmendmentRequested, c.id, version,
             {{"contract_id", c.id},
              {"amendment_id", id},
              {"project_id", c.project_id},
              {"changes", changes},
              {"reason", reason}});
        return json{{"id", id},
                    {"contract_id", c.id},
                    {"status", "in_audit"},
                    {"changes", changes},
                    {"new_terms", terms},
                    {"reason", reason},
                    {"requested_by", caller.user_id}};
    });
}

json decide_amendment_audit(const Context& ctx, const sales::Principal& caller,
                            const std::string& amendment_id, bool approve,
                            const std::string& note) {
    const auto not_found = [&] {
        return Failure(Failure::Kind::not_found, "amendment_not_found",
                       "no amendment with id " + amendment_id, {{"amendment_id", amendment_id}});
    };
    if (!sales::is_uuid(amendment_id))
        throw not_found();
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = tx.exec_maybe_one(
            "SELECT contract_id::text AS contract_id, status, new_terms::text AS new_terms FROM "
            "amendments WHERE id = $1::uuid",
            {amendment_id});
        if (!row)
            throw not_found();
        auto c = load(tx, row->text("contract_id"), /*for_update=*/true);
        if (!c || !caller.in_project(c->project_id))
            throw not_found();
        if (row->text("status") != "in_audit") {
            throw Failure(Failure::Kind::conflict, "invalid_transition",
                          "the amendment is already " + row->text("status"),
                          {{"status", row->text("status")}});
        }
        const auto o = decide_step(tx, ctx, caller, *c, amendment_id, 1, approve, note);
        const auto new_terms = json::parse(row->text("new_terms"));
        std::string event_type;
        json data = {{"contract_id", c->id},
                     {"amendment_id", amendment_id},
                     {"project_id", c->project_id},
                     {"step", o.step},
                     {"role", domain::audit_role(o.step)},
                     {"note", note}};
        if (!approve) {
            // CON-5: a rejected amendment leaves the original untouched.
            tx.exec(
                "UPDATE amendments SET status = 'rejected', decided_at = now() WHERE id = "
                "$1::uuid",
                {amendment_id});
            event_type = kAmendmentRejected;
        } else if (o.complete) {
            // CON-5: the contract's terms change only now; the original was in force until here.
            if (c->status == ContractStatus::cancelled) {
                throw Failure(Failure::Kind::conflict, "invalid_transition",
                              "the contract was cancelled meanwhile", {{"contract_id", c->id}});
            }
            tx.exec(
                "UPDATE amendments SET status = 'approved', decided_at = now() WHERE id = "
                "$1::uuid",
                {amendment_id});
            tx.exec(
                "UPDATE contracts SET customer_id = $2::uuid, discount_fen = $3, price_fen = $4, "
                "plan = $5::jsonb WHERE id = $1::uuid",
                {c->id, new_terms.at("customer_id").get<std::string>(),
                 new_terms.at("discount_fen").get<std::int64_t>(),
                 new_terms.at("price_fen").get<std::int64_t>(), new_terms.at("plan").dump()});
            event_type = kAmendmentApproved;
            data["terms"] = new_terms;
            data["deposit_paid_fen"] = c->deposit_paid_fen;
        }
        const auto version =
            record_change(tx, *c, c->status,
                          !approve     ? "amendment_rejected"
                          : o.complete ? "amendment_approved"
                                       : "amendment_audit_approved",
                          caller.user_id, note, {{"amendment_id", amendment_id}, {"step", o.step}});
        if (event_type.empty()) {
            auto audit = audit_event(*c, o, 1, caller.user_id, note);
            audit["amendment_id"] = amendment_id;
            emit(tx, kAuditApproved, c->id, version, std::move(audit));
        } else {
            data["version"] = version;
            emit(tx, event_type, c->id, version, data);
        }
        return json::parse(tx.exec_one("SELECT (to_jsonb(a) - 'requested_at' - 'decided_at')::text "
                                       "AS doc FROM amendments a WHERE id = $1::uuid",
                                       {amendment_id})
                               .text("doc"));
    });
}

json request_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                   const std::string& id, std::int64_t refund_fen,
                                   const std::string& reason) {
    if (refund_fen < 0)
        invalid_field("refund_fen", "must not be negative");
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        // CON-6: cancellation after review; a handed-over contract is not cancelled here.
        domain::next_status(c.status, ContractAction::cancel);
        if (c.handover == HandoverState::handed_over) {
            throw Failure(Failure::Kind::conflict, "invalid_transition",
                          "the unit was handed over: the contract is not cancelled here",
                          {{"contract_id", c.id}});
        }
        const auto request_id = sales::new_uuid();
        try {
            tx.exec(
                "INSERT INTO contract_refund_requests (id, contract_id, refund_fen, reason, "
                "status, requested_by) VALUES ($1::uuid, $2::uuid, $3, $4, 'requested', $5)",
                {request_id, c.id, refund_fen, reason, caller.user_id});
        } catch (const sales::db::UniqueViolation&) {
            throw Failure(Failure::Kind::conflict, "refund_request_open",
                          "the contract already has a refund request awaiting a decision",
                          {{"contract_id", c.id}});
        }
        record_change(tx, c, c.status, "cancellation_requested", caller.user_id, reason,
                      {{"refund_request_id", request_id}, {"refund_fen", refund_fen}});
        return reload(tx, c.id);
    });
}

json decide_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                  const std::string& id, bool approve, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        const auto request = tx.exec_maybe_one(
            "SELECT id::text AS id, refund_fen, reason FROM contract_refund_requests WHERE "
            "contract_id = $1::uuid AND status = 'requested' FOR UPDATE",
            {c.id});
        if (!request) {
            throw Failure(Failure::Kind::conflict, "no_refund_request",
                          "the contract has no refund request awaiting a decision",
                          {{"contract_id", c.id}});
        }
        const auto request_id = request->text("id");
        tx.exec(
            "UPDATE contract_refund_requests SET status = $2, decided_by = $3, decided_at = "
            "now(), decision_note = $4 WHERE id = $1::uuid",
            {request_id, std::string(approve ? "approved" : "rejected"), caller.user_id, note});
        if (!approve) {
            record_change(tx, c, c.status, "cancellation_rejected", caller.user_id, note,
                          {{"refund_request_id", request_id}});
            return reload(tx, c.id);
        }
        const auto to = domain::next_status(c.status, ContractAction::cancel);
        if (c.handover == HandoverState::handed_over) {
            throw Failure(Failure::Kind::conflict, "invalid_transition",
                          "the unit was handed over: the contract is not cancelled here",
                          {{"contract_id", c.id}});
        }
        tx.exec("UPDATE contracts SET cancelled_at = now() WHERE id = $1::uuid", {c.id});
        // Open amendments die with the contract.
        tx.exec(
            "UPDATE amendments SET status = 'rejected', decided_at = now() WHERE contract_id "
            "= $1::uuid AND status = 'in_audit'",
            {c.id});
        const auto version = record_change(tx, c, to, "cancel", caller.user_id, note,
                                           {{"refund_request_id", request_id}});
        emit(tx, kContractCancelled, c.id, version,
             {{"contract_id", c.id},
              {"subscription_id", c.subscription_id},
              {"project_id", c.project_id},
              {"unit_id", c.unit_id},
              {"reason", request->text("reason")},
              {"refund_fen", request->int64("refund_fen")},
              {"refund_approval_id", request_id}});
        return reload(tx, c.id);
    });
}

json hand_over(const Context& ctx, const sales::Principal& caller, const std::string& id,
               const std::string& notice_date, const std::string& handed_over_on,
               const std::string& confirmed_by) {
    const auto notice = required_date("notice_date", notice_date);
    const auto actual = required_date("handed_over_on", handed_over_on);
    if (actual < notice)
        invalid_field("handed_over_on", "must not be before notice_date");
    if (actual > today(ctx))
        invalid_field("handed_over_on", "must not be in the future");
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = load_for(tx, caller, id);
        domain::check_handover(c.handover, c.status);  // CON-9
        tx.exec(
            "UPDATE contracts SET handover_state = 'handed_over', handover_notice_date = "
            "$2::date, handed_over_on = $3::date, handover_confirmed_by = $4 WHERE id = $1::uuid",
            {c.id, notice_date, handed_over_on, confirmed_by});
        tx.exec(
            "INSERT INTO handover_eligibility_history (contract_id, from_state, to_state, cause) "
            "VALUES ($1::uuid, $2, 'handed_over', 'handover')",
            {c.id, std::string(domain::to_string(c.handover))});
        const auto version =
            record_change(tx, c, c.status, "hand_over", caller.user_id, std::nullopt,
                          {{"notice_date", notice_date},
                           {"handed_over_on", handed_over_on},
                           {"confirmed_by", confirmed_by},
                           {"early", c.handover == HandoverState::early_eligible}});
        emit(tx, kHandedOver, c.id, version,
             {{"contract_id", c.id},
              {"subscription_id", c.subscription_id},
              {"project_id", c.project_id},
              {"unit_id", c.unit_id},
              {"notice_date", notice_date},
              {"handed_over_on", handed_over_on},
              {"confirmed_by", confirmed_by}});
        return reload(tx, c.id);
    });
}

void apply_finance_contract_event(Tx& tx, const sales::bus::Event& event) {
    if (event.type != kFinanceCleared && event.type != kFinanceUncleared)
        return;
    const auto& d = event.data;
    if (!d.is_object() || !d.contains("contract_id") || !d["contract_id"].is_string() ||
        !sales::is_uuid(d["contract_id"].get<std::string>())) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.contract_id must be a UUID");
    }
    const std::string id = d["contract_id"];
    const auto c = load(tx, id, /*for_update=*/true);
    if (!c)
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": no contract " + id);
    const bool cleared = event.type == kFinanceCleared;
    const auto to = cleared ? domain::on_cleared(c->handover)
                            : domain::on_uncleared(c->handover, c->early_approved);
    const json fields = {{"contract_id", id},
                         {"event_id", event.id},
                         {"type", event.type},
                         {"handover_state", domain::to_string(c->handover)}};
    if (!to) {
        // Already in the state the event asks for (a repeat), or handed over: nothing changes.
        if (!cleared && c->handover == HandoverState::handed_over)
            sales::log::warn("uncleared after handover: eligibility not withdrawn", fields);
        else
            sales::log::info("finance clearance event changes nothing", fields);
        return;
    }
    std::string cause = event.type;
    if (!cleared && d.contains("reason") && d["reason"].is_string())
        cause += ": " + d["reason"].get<std::string>();
    change_handover(tx, *c, *to, cause, event.id, kFinanceActor);
}

json list_contracts(const Context& ctx, const sales::Principal& caller, const std::string& list,
                    const ContractListFilter& filter) {
    return ctx.db.transaction([&](Tx& tx) {
        json items = json::array();
        if (list == "awaiting-audit") {
            for (const auto& r : tx.exec(
                     "SELECT c.id::text AS contract_id, c.contract_no, c.project_id::text AS "
                     "project_id, a.amendment_id::text AS amendment_id, a.round, a.step, a.role, "
                     "to_char(a.opened_on, 'YYYY-MM-DD') AS opened_on, to_char(a.due_on, "
                     "'YYYY-MM-DD') AS due_on, a.due_on < $1::date AS overdue FROM "
                     "contract_audits a JOIN contracts c ON c.id = a.contract_id WHERE "
                     "a.decision IS NULL AND c.status <> 'cancelled' "
                     "AND ($2::uuid IS NULL OR c.project_id = $2::uuid) "
                     "AND ($3::text[] IS NULL OR c.project_id::text = ANY ($3::text[])) "
                     "AND (NOT $4 OR a.due_on < $1::date) ORDER BY a.due_on, c.contract_no "
                     "LIMIT $5 OFFSET $6",
                     {sales::to_string(today(ctx)), sales::db::param(filter.project_id),
                      scope_param(caller), filter.overdue_only, filter.limit, filter.offset})) {
                items.push_back(
                    {{"contract_id", r.text("contract_id")},
                     {"contract_no", r.text("contract_no")},
                     {"project_id", r.text("project_id")},
                     {"amendment_id",
                      r.is_null("amendment_id") ? json(nullptr) : json(r.text("amendment_id"))},
                     {"round", r.int64("round")},
                     {"step", r.int64("step")},
                     {"role", r.text("role")},
                     {"opened_on", r.text("opened_on")},
                     {"due_on", r.text("due_on")},
                     {"overdue", r.boolean("overdue")}});
            }
            return items;
        }
        const std::string state = list == "handover-eligible" ? "eligible"
                                  : list == "early-handover"  ? "early_eligible"
                                                              : "handed_over";
        for (const auto& r :
             tx.exec(contract_select() + "WHERE c.handover_state = $1 AND c.status <> "
                                         "'cancelled' AND ($2::uuid IS NULL OR c.project_id = "
                                         "$2::uuid) AND ($3::text[] IS NULL OR c.project_id::text "
                                         "= ANY ($3::text[])) ORDER BY c.contract_no LIMIT $4 "
                                         "OFFSET $5",
                     {state, sales::db::param(filter.project_id), scope_param(caller), filter.limit,
                      filter.offset}))
            items.push_back(json::parse(r.text("doc")));
        return items;
    });
}

json change_contract_settings(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, const ContractSettingsChange& change) {
    const auto not_found = [&] {
        return Failure(Failure::Kind::not_found, "project_not_found",
                       "no project with id " + project_id, {{"project_id", project_id}});
    };
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        throw not_found();
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = tx.exec_maybe_one(
            "UPDATE project_refs SET max_standard_discount_bp = coalesce($2, "
            "max_standard_discount_bp), penalty_bp_per_day = coalesce($3, penalty_bp_per_day), "
            "audit_deadline_working_days = coalesce($4, audit_deadline_working_days), updated_at "
            "= now() WHERE project_id = $1::uuid RETURNING code, signing_deadline_days, "
            "max_standard_discount_bp, penalty_bp_per_day, audit_deadline_working_days",
            {project_id, sales::db::param(change.max_standard_discount_bp),
             sales::db::param(change.penalty_bp_per_day),
             sales::db::param(change.audit_deadline_working_days)});
        if (!row)
            throw not_found();
        sales::log::info("contract settings changed",
                         {{"project_id", project_id}, {"by", caller.user_id}});
        return json{{"project_id", project_id},
                    {"code", row->text("code")},
                    {"signing_deadline_days", row->int64("signing_deadline_days")},
                    {"max_standard_discount_bp", row->int64("max_standard_discount_bp")},
                    {"penalty_bp_per_day", row->int64("penalty_bp_per_day")},
                    {"audit_deadline_working_days", row->int64("audit_deadline_working_days")}};
    });
}

}  // namespace contract::app
