// The changes of a contract (CON-3 … CON-9) and the events they produce.
#include <utility>

#include "domain/contract.hpp"

namespace contract::domain {
namespace {

// `c` moves to `to` by `action`: version + 1; the change records it with `details`.
ContractChange changed(Contract& c, ContractStatus to, std::string action, nlohmann::json details,
                       const By& by) {
    ContractChange change;
    change.contract_id = c.id;
    change.from = c.status;
    change.to = to;
    change.from_version = c.version;
    change.version = c.version + 1;
    change.action = std::move(action);
    change.actor = by.actor;
    change.reason = by.reason;
    change.details = std::move(details);
    c.status = to;
    c.version = change.version;
    return change;
}

void emits(ContractChange& change, const std::string& type, nlohmann::json data) {
    change.event = Event{type, change.contract_id, std::move(data), change.version};
}

// The data of contract.audit.approved / rejected.
nlohmann::json audit_data(const Contract& c, const AuditOutcome& o, std::int64_t round,
                          const By& by) {
    return {{"contract_id", c.id},
            {"contract_no", c.contract_no},
            {"project_id", c.project_id},
            {"round", round},
            {"step", o.step},
            {"role", audit_role(o.step)},
            {"decision", o.approved ? "approved" : "rejected"},
            {"complete", o.complete},
            {"actor", by.actor},
            {"note", by.reason.value_or("")}};
}

// The data of an event about the deal: `fields` with the ids of the contract, its subscription,
// project and unit.
nlohmann::json deal_data(const Contract& c, nlohmann::json fields) {
    fields.update({{"contract_id", c.id},
                   {"subscription_id", c.subscription_id},
                   {"project_id", c.project_id},
                   {"unit_id", c.unit_id}});
    return fields;
}

// CON-5 换房: what inventory needs to move the deal: the units and the hold's id.
nlohmann::json unit_change_data(const std::string& old_unit_id, const std::string& new_unit_id,
                                const std::string& amendment_id) {
    return {{"old_unit_id", old_unit_id}, {"new_unit_id", new_unit_id}, {"hold_id", amendment_id}};
}

// CON-6: cancellation after review; a handed-over contract is not cancelled here.
ContractStatus cancellable(const Contract& c) {
    const auto to = next_status(c.status, ContractAction::cancel);
    if (c.handover == HandoverState::handed_over) {
        sales::fail_conflict("invalid_transition",
                             "the unit was handed over: the contract is not cancelled here",
                             {{"contract_id", c.id}});
    }
    return to;
}

}  // namespace

ContractChange signed_contract(const Contract& c, const By& by) {
    ContractChange change;
    change.contract_id = c.id;
    change.to = ContractStatus::in_audit;
    change.version = 1;
    change.action = "sign";
    change.actor = by.actor;
    change.details = {{"subscription_id", c.subscription_id}};
    emits(change, kContractSigned,
          deal_data(
              c, {{"contract_no", c.contract_no},
                  {"customer_id", c.terms.customer_id},
                  {"rep_id", c.rep_id},
                  {"signed_at", c.signed_at},
                  {"list_total_fen", c.terms.list_total_fen},
                  {"discount_fen", c.terms.discount_fen},
                  {"price_fen", c.terms.price_fen},
                  {"pricing_basis", to_string(c.pricing_basis)},
                  {"contract_gross_area_centi_m2", area_or_null(c.areas.gross_area_centi_m2)},
                  {"contract_internal_area_centi_m2", area_or_null(c.areas.internal_area_centi_m2)},
                  {"deposit_paid_fen", c.deposit_paid_fen},
                  {"penalty_bp_per_day", c.penalty_bp_per_day},
                  {"payment_plan", to_string(c.terms.plan.kind)},
                  {"plan", to_json(c.terms.plan)},
                  {"referrer_customer_id", c.referrer_customer_id
                                               ? nlohmann::json(*c.referrer_customer_id)
                                               : nlohmann::json(nullptr)},
                  {"version", 1}}));
    return change;
}

ContractChange audit_decided(Contract& c, const AuditOutcome& o, const By& by) {
    const auto action = !o.approved  ? ContractAction::reject_audit
                        : o.complete ? ContractAction::complete_audit
                                     : ContractAction::approve_audit;
    const auto to = next_status(c.status, action);
    const auto round = c.audit_round;
    auto data = audit_data(c, o, round, by);
    auto change =
        changed(c, to, std::string(to_string(action)), {{"round", round}, {"step", o.step}}, by);
    emits(change, o.approved ? kAuditApproved : kAuditRejected, std::move(data));
    return change;
}

ContractChange resubmitted(Contract& c, const By& by) {
    const auto to = next_status(c.status, ContractAction::resubmit);
    c.audit_round += 1;
    return changed(c, to, "resubmit", {{"round", c.audit_round}}, by);
}

ContractChange stamped(Contract& c, const std::string& stamped_on, const std::string& stamp_no,
                       const By& by) {
    // CON-4: only a fully reviewed contract is stamped.
    const auto to = next_status(c.status, ContractAction::stamp);
    auto change = changed(c, to, "stamp", {{"stamped_on", stamped_on}, {"stamp_no", stamp_no}}, by);
    emits(change, kContractStamped,
          {{"contract_id", c.id},
           {"contract_no", c.contract_no},
           {"project_id", c.project_id},
           {"stamped_on", stamped_on},
           {"stamp_no", stamp_no},
           {"stamped_by", by.actor}});
    return change;
}

ContractChange registered(Contract& c, const std::string& filed_at,
                          const std::string& registration_date, const std::string& registration_no,
                          const By& by) {
    // CON-7: registration follows stamping.
    const auto to = next_status(c.status, ContractAction::register_);
    const nlohmann::json fields = {{"filed_at", filed_at},
                                   {"registration_date", registration_date},
                                   {"registration_no", registration_no}};
    auto change = changed(c, to, "register", fields, by);
    auto data = fields;
    data.update(
        {{"contract_id", c.id}, {"contract_no", c.contract_no}, {"project_id", c.project_id}});
    emits(change, kContractRegistered, std::move(data));
    return change;
}

void check_amendable(const Contract& c) {
    // CON-5: an amendment changes a reviewed contract that is still in force.
    if (!is_reviewed(c.status) || c.handover == HandoverState::handed_over) {
        sales::fail_conflict("invalid_transition",
                             "only a reviewed contract in force can be amended (CON-5); it is " +
                                 std::string(to_string(c.status)),
                             {{"status", to_string(c.status)}});
    }
}

ContractChange amendment_requested(Contract& c, const std::string& amendment_id,
                                   const nlohmann::json& changes, const By& by) {
    check_amendable(c);
    auto change = changed(c, c.status, "amendment_requested", {{"amendment_id", amendment_id}}, by);
    nlohmann::json data = {{"contract_id", c.id},
                           {"amendment_id", amendment_id},
                           {"project_id", c.project_id},
                           {"changes", changes},
                           {"reason", by.reason.value_or("")}};
    if (const auto it = changes.find("new_unit_id"); it != changes.end() && it->is_string()) {
        // CON-5 换房: inventory keeps the new unit held for the amendment until it is decided.
        data["subscription_id"] = c.subscription_id;
        data["unit_change"] = unit_change_data(c.unit_id, it->get<std::string>(), amendment_id);
    }
    emits(change, kAmendmentRequested, std::move(data));
    return change;
}

ContractChange amendment_decided(Contract& c, const std::string& amendment_id,
                                 const AuditOutcome& o, const nlohmann::json& new_terms,
                                 const By& by) {
    if (o.approved && o.complete && c.status == ContractStatus::cancelled) {
        // CON-5: the terms change only on the last approval, of a contract still in force.
        sales::fail_conflict("invalid_transition", "the contract was cancelled meanwhile",
                             {{"contract_id", c.id}});
    }
    const auto unit = unit_of_terms(new_terms);
    if (unit && o.approved && o.complete &&
        (c.handover == HandoverState::awaiting_confirmation ||
         c.handover == HandoverState::handed_over)) {
        // CON-5 换房 / CON-9: a unit being handed over is not exchanged any more.
        sales::fail_conflict("invalid_transition",
                             "the contract's unit is handed over (or its handover recorded): the "
                             "unit is not changed",
                             {{"contract_id", c.id}, {"handover_state", to_string(c.handover)}});
    }
    const auto old_unit_id = c.unit_id;
    auto audit = audit_data(c, o, 1, by);
    const auto action = !o.approved  ? "amendment_rejected"
                        : o.complete ? "amendment_approved"
                                     : "amendment_audit_approved";
    auto change =
        changed(c, c.status, action, {{"amendment_id", amendment_id}, {"step", o.step}}, by);
    if (o.approved && !o.complete) {
        audit["amendment_id"] = amendment_id;
        emits(change, kAuditApproved, std::move(audit));
        return change;
    }
    nlohmann::json data = {{"contract_id", c.id},        {"amendment_id", amendment_id},
                           {"project_id", c.project_id}, {"step", o.step},
                           {"role", audit_role(o.step)}, {"note", by.reason.value_or("")},
                           {"actor", by.actor},          {"version", change.version}};
    if (o.approved) {
        data["terms"] = new_terms;
        data["deposit_paid_fen"] = c.deposit_paid_fen;
    }
    if (unit) {
        // CON-5 换房: approved, inventory sells the new unit and frees the old one; rejected, it
        // releases the hold and everything stays as it was.
        data["subscription_id"] = c.subscription_id;
        data["unit_id"] = o.approved ? unit->unit_id : old_unit_id;
        data["unit_change"] = unit_change_data(old_unit_id, unit->unit_id, amendment_id);
        if (o.approved) {
            c.unit_id = unit->unit_id;
            c.areas = unit->areas;
        }
    }
    emits(change, o.approved ? kAmendmentApproved : kAmendmentRejected, std::move(data));
    return change;
}

ContractChange cancellation_requested(Contract& c, const std::string& request_id,
                                      std::int64_t refund_fen, const By& by) {
    cancellable(c);
    return changed(c, c.status, "cancellation_requested",
                   {{"refund_request_id", request_id}, {"refund_fen", refund_fen}}, by);
}

ContractChange cancellation_rejected(Contract& c, const std::string& request_id, const By& by) {
    return changed(c, c.status, "cancellation_rejected", {{"refund_request_id", request_id}}, by);
}

ContractChange cancellation_approved(Contract& c, const RefundRequest& request, const By& by) {
    if (request.refund_fen == 0) {
        const auto to = cancellable(c);
        auto change = changed(c, to, "cancel", {{"refund_request_id", request.id}}, by);
        emits(change, kContractCancelled,
              deal_data(c, {{"reason", request.reason},
                            {"refund_fen", 0},
                            {"refund_request_id", request.id},
                            {"refund_approval_id", nullptr},
                            {"approved_by", by.actor}}));
        return change;
    }
    cancellable(c);
    const auto to = next_status(c.status, ContractAction::approve_cancellation);
    auto change =
        changed(c, to, "approve_cancellation",
                {{"refund_request_id", request.id}, {"refund_fen", request.refund_fen}}, by);
    emits(change, kCancellationApproved,
          deal_data(c, {{"reason", request.reason},
                        {"refund_fen", request.refund_fen},
                        {"refund_request_id", request.id},
                        {"approved_by", by.actor}}));
    return change;
}

ContractChange cancelled_after_refund(Contract& c, const RefundRequest& request,
                                      const std::string& approval_id, const By& by) {
    if (c.status != ContractStatus::cancelling) {
        sales::fail_conflict("invalid_transition",
                             "the contract is " + std::string(to_string(c.status)) +
                                 ": no approved cancellation waits for its refund",
                             {{"status", to_string(c.status)}, {"action", "cancel"}});
    }
    const auto to = next_status(c.status, ContractAction::cancel);
    auto change =
        changed(c, to, "cancel",
                {{"refund_request_id", request.id}, {"refund_approval_id", approval_id}}, by);
    emits(change, kContractCancelled,
          deal_data(c, {{"reason", request.reason},
                        {"refund_fen", request.refund_fen},
                        {"refund_request_id", request.id},
                        {"refund_approval_id", approval_id}}));
    return change;
}

ContractChange handover_changed(Contract& c, HandoverState to,
                                const std::optional<std::string>& event_id, const By& by) {
    const auto from = c.handover;
    const auto cause = by.reason.value_or("");
    auto change = changed(
        c, c.status, "handover_" + std::string(to_string(to)),
        {{"from", to_string(from)}, {"to", to_string(to)}, {"event_id", nullable(event_id)}}, by);
    change.handover = HandoverChange{from, to, cause, event_id, sales::to_rfc3339(by.at)};
    c.handover = to;
    if (to == HandoverState::eligible || to == HandoverState::early_eligible) {
        emits(change, kHandoverEligible,
              {{"contract_id", c.id},
               {"project_id", c.project_id},
               {"unit_id", c.unit_id},
               {"eligible_at", change.handover->at},
               {"early", to == HandoverState::early_eligible}});
    } else {
        emits(change, kHandoverWithdrawn,
              {{"contract_id", c.id},
               {"project_id", c.project_id},
               {"unit_id", c.unit_id},
               {"reason", cause}});
    }
    return change;
}

ContractChange handover_recorded(Contract& c, const std::string& notice_date,
                                 const std::string& handed_over_on, const By& by) {
    check_handover(c.handover, c.status);  // CON-9
    const auto from = c.handover;
    auto change = changed(c, c.status, "record_handover",
                          {{"notice_date", notice_date},
                           {"handed_over_on", handed_over_on},
                           {"early", from == HandoverState::early_eligible}},
                          by);
    change.handover = HandoverChange{from, HandoverState::awaiting_confirmation,
                                     "handover recorded", std::nullopt, sales::to_rfc3339(by.at)};
    c.handover = HandoverState::awaiting_confirmation;
    c.handover_recorded_by = by.actor;
    return change;
}

namespace {
void check_awaiting_confirmation(const Contract& c, std::string_view action) {
    if (c.handover != HandoverState::awaiting_confirmation) {
        sales::fail_conflict("invalid_transition",
                             "no handover of this contract awaits confirmation (it is " +
                                 std::string(to_string(c.handover)) + ")",
                             {{"handover_state", to_string(c.handover)}, {"action", action}});
    }
}
}  // namespace

ContractChange handover_confirmed(Contract& c, const std::string& notice_date,
                                  const std::string& handed_over_on, const By& by) {
    check_awaiting_confirmation(c, "confirm_handover");
    if (c.handover_recorded_by == by.actor) {
        sales::fail_rule("same_person",
                         "the handover is confirmed by someone other than who recorded it (CON-9)",
                         {{"recorded_by", by.actor}});
    }
    auto change = changed(c, c.status, "confirm_handover",
                          {{"notice_date", notice_date},
                           {"handed_over_on", handed_over_on},
                           {"recorded_by", nullable(c.handover_recorded_by)}},
                          by);
    change.handover =
        HandoverChange{HandoverState::awaiting_confirmation, HandoverState::handed_over,
                       "handover confirmed", std::nullopt, sales::to_rfc3339(by.at)};
    c.handover = HandoverState::handed_over;
    emits(change, kHandedOver,
          deal_data(c, {{"notice_date", notice_date},
                        {"handed_over_on", handed_over_on},
                        {"recorded_by", nullable(c.handover_recorded_by)},
                        {"confirmed_by", by.actor}}));
    return change;
}

ContractChange handover_returned(Contract& c, const By& by) {
    check_awaiting_confirmation(c, "return_handover");
    const auto to = c.early_approved ? HandoverState::early_eligible : HandoverState::eligible;
    auto change = changed(c, c.status, "return_handover",
                          {{"recorded_by", nullable(c.handover_recorded_by)}}, by);
    change.handover = HandoverChange{HandoverState::awaiting_confirmation, to,
                                     "handover returned: " + by.reason.value_or(""), std::nullopt,
                                     sales::to_rfc3339(by.at)};
    c.handover = to;
    return change;
}

}  // namespace contract::domain
