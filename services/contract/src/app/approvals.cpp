// Approvals the GM gives: discount slips and late signings (CON-3), early handovers (CON-9).
#include "adapters/approval_store.hpp"
#include "adapters/contract_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/unit_holds.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::app {
namespace {
using domain::ApprovalKind;
using sales::Failure;
using sales::db::Tx;

// The project of the approval's subject, checked for a new request.
std::string subject_project(Tx& tx, const sales::Principal& caller, ApprovalKind kind,
                            const std::string& subject_id,
                            const std::optional<std::int64_t>& discount_fen) {
    if (kind == ApprovalKind::early_handover) {
        const auto c = load_for(tx, caller, subject_id);
        if (c.handover == domain::HandoverState::handed_over ||
            c.status == domain::ContractStatus::cancelled) {
            sales::fail_conflict("invalid_transition",
                                 "the contract is already handed over or cancelled",
                                 {{"contract_id", c.id}});
        }
        return c.project_id;
    }
    const auto s = subscription_store::find(tx, subject_id, /*for_update=*/true);
    if (!s || !caller.in_project(s->project_id))
        subscription_not_found(subject_id);
    if (kind == ApprovalKind::discount_slip && *discount_fen > s->terms.list_total_fen) {
        sales::fail_rule("discount_exceeds_list_total",
                         "the discount is larger than the unit's list total",
                         {{"list_total_fen", s->terms.list_total_fen}});
    }
    return s->project_id;
}

}  // namespace

nlohmann::json request_approval(const Context& ctx, const sales::Principal& caller,
                                ApprovalKind kind, const std::string& subject_id,
                                std::optional<std::int64_t> discount_fen,
                                const std::string& reason) {
    const bool on_contract = kind == ApprovalKind::early_handover;
    return ctx.db.transaction([&](Tx& tx) {
        approval_store::NewApproval a;
        a.id = sales::new_uuid();
        a.kind = kind;
        a.project_id = subject_project(tx, caller, kind, subject_id, discount_fen);
        (on_contract ? a.contract_id : a.subscription_id) = subject_id;
        a.discount_fen = discount_fen;
        a.reason = reason;
        a.requested_by = caller.user_id;
        approval_store::insert(tx, a);
        return approval_store::find(tx, a.id, kind, /*for_update=*/false)->doc;
    });
}

nlohmann::json decide_approval(const Context& ctx, const sales::Principal& caller,
                               ApprovalKind kind, const std::string& id, bool approve,
                               const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto found = approval_store::find(tx, id, kind, /*for_update=*/true);
        if (!found || !caller.in_project(found->project_id)) {
            throw Failure(Failure::Kind::not_found, "approval_not_found",
                          "no " + std::string(domain::to_string(kind)) + " with id " + id,
                          {{"approval_id", id}});
        }
        const auto& before = found->approval;
        if (before.status != "requested") {
            sales::fail_conflict("invalid_transition", "the approval is already " + before.status,
                                 {{"status", before.status}});
        }
        approval_store::decide(tx, id, approve, caller.user_id, note);
        if (approve && kind == ApprovalKind::early_handover) {
            // CON-9: an approved early handover puts the contract on the separate list.
            auto c = load_for(tx, caller, *before.contract_id);
            contract_store::set_early_handover_approval(tx, c.id, id);
            if (const auto to = domain::on_early_approved(c.handover)) {
                const auto change = domain::handover_changed(
                    c, *to, std::nullopt, ctx.by(caller.user_id, "early_approval " + id));
                contract_store::save(tx, c, change);
            }
        }
        return approval_store::find(tx, id, kind, /*for_update=*/false)->doc;
    });
}

nlohmann::json find_approval(const Context& ctx, const sales::Principal& caller, ApprovalKind kind,
                             const std::string& id) {
    const auto found = ctx.db.transaction(
        [&](Tx& tx) { return approval_store::find(tx, id, kind, /*for_update=*/false); });
    if (!found || !caller.in_project(found->project_id)) {
        throw Failure(Failure::Kind::not_found, "approval_not_found", "no approval with id " + id,
                      {{"approval_id", id}});
    }
    return found->doc;
}

}  // namespace contract::app
