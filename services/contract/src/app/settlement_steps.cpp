// CON-10 after the computation (docs/events.md): the buyer's choice when the difference is
// beyond 3% (REG-1), the supplementary agreement 补充协议 finance books, finance's settlement and
// the invoice; and CON-6's last step, the approved refund paid by finance.
#include <chrono>

#include "adapters/amendment_store.hpp"
#include "adapters/area_settlement_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/event_fields.hpp"
#include "domain/area_settlement.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using sales::db::Tx;
namespace store = area_settlement_store;

[[noreturn]] void settlement_not_found(const std::string& id) {
    throw sales::Failure(sales::Failure::Kind::not_found, "area_settlement_not_found",
                         "area settlement " + id + " does not exist or is outside your projects",
                         {{"area_settlement_id", id}});
}

// The settlement's contract locked in the caller's projects, then the settlement locked.
std::pair<domain::Contract, store::Held> load_settlement(Tx& tx, const sales::Principal& caller,
                                                         const std::string& id) {
    if (!sales::is_uuid(id))
        settlement_not_found(id);
    const auto contract_id = store::contract_of(tx, id);
    if (!contract_id)
        settlement_not_found(id);
    try {
        auto c = load_for(tx, caller, *contract_id);
        return {std::move(c), store::lock(tx, id).value()};
    } catch (const sales::Failure& e) {
        if (e.kind() == sales::Failure::Kind::not_found)
            settlement_not_found(id);
        throw;
    }
}

domain::SettlementStatus status_of(const store::Held& s) {
    return domain::parse_settlement_status(s.status).value();
}

void emit_step(Tx& tx, const char* type, const store::Held& s, const domain::Contract& c,
               std::int64_t sequence, nlohmann::json extra) {
    nlohmann::json data{{"settlement_id", s.id},
                        {"contract_id", c.id},
                        {"contract_no", c.contract_no},
                        {"project_id", c.project_id},
                        {"unit_id", c.unit_id}};
    data.update(extra);
    sales::bus::outbox_append(tx, sales::bus::make_event("contract", type, s.id, sequence, data));
}

}  // namespace

nlohmann::json record_buyer_choice(const Context& ctx, const sales::Principal& caller,
                                   const std::string& id, const BuyerChoice& choice) {
    return ctx.db.transaction([&](Tx& tx) {
        auto [c, s] = load_settlement(tx, caller, id);
        const auto action =
            choice.cancel ? domain::SettlementAction::cancel : domain::SettlementAction::keep;
        const auto to = domain::next_settlement_status(status_of(s), action);
        std::optional<std::string> request_id;
        std::optional<std::int64_t> interest;
        if (choice.cancel) {
            // REG-1: everything paid comes back with interest from signing to today.
            const auto settings = require_contract_settings(tx, c.project_id).settings;
            const auto signed_on = sales::shanghai_date(sales::parse_rfc3339(c.signed_at).value());
            const auto days =
                (std::chrono::sys_days(ctx.today()) - std::chrono::sys_days(signed_on)).count();
            interest =
                domain::refund_interest_fen(choice.paid_fen, settings.refund_interest_bp_per_year,
                                            std::max<std::int64_t>(days, 0));
            request_id = sales::new_uuid();
            const auto refund = choice.paid_fen + *interest;
            const auto reason = "面积误差超过3%，买受人选择退房（REG-1）：" + choice.note;
            const domain::RefundRequest request{*request_id, refund, reason};
            const auto change = domain::cancellation_requested(c, request.id, refund,
                                                               ctx.by(caller.user_id, reason));
            if (!refund_request_store::insert(tx, c.id, request, caller.user_id)) {
                sales::fail_conflict(
                    "refund_request_open",
                    "the contract already has a refund request awaiting a decision",
                    {{"contract_id", c.id}});
            }
            contract_store::save(tx, c, change);
        }
        store::set_choice(tx, s.id, std::string(domain::to_string(to)),
                          choice.cancel ? "cancel" : "keep", choice.note, caller.user_id,
                          request_id, interest);
        emit_step(tx, kAreaSettlementChosen, s, c, 1,
                  {{"choice", choice.cancel ? "cancel" : "keep"},
                   {"status", domain::to_string(to)},
                   {"refund_request_id", domain::nullable(request_id)},
                   {"refund_interest_fen",
                    interest ? nlohmann::json(*interest) : nlohmann::json(nullptr)},
                   {"chosen_by", caller.user_id}});
        return store::document(tx, s.id);
    });
}

nlohmann::json record_agreement(const Context& ctx, const sales::Principal& caller,
                                const std::string& id, const Agreement& agreement) {
    return ctx.db.transaction([&](Tx& tx) {
        auto [c, s] = load_settlement(tx, caller, id);
        auto to = domain::next_settlement_status(status_of(s), domain::SettlementAction::agree);
        if (c.status == domain::ContractStatus::cancelling ||
            c.status == domain::ContractStatus::cancelled) {
            sales::fail_rule("contract_not_in_force",
                             "the contract is being cancelled; its area is not settled",
                             {{"contract_id", c.id}});
        }
        if (s.buyer_pays_fen > 0 && !agreement.payment_due_date) {
            sales::fail_invalid("payment_due_date", "is required: the buyer pays " +
                                                        std::to_string(s.buyer_pays_fen) +
                                                        " fen under this agreement");
        }
        if (agreement.payment_due_date && *agreement.payment_due_date < agreement.signed_on) {
            sales::fail_invalid("payment_due_date", "must not be before the agreement is signed");
        }
        if (store::agreement_no_taken(tx, agreement.agreement_no)) {
            sales::fail_conflict("agreement_no_taken",
                                 "supplementary agreement " + agreement.agreement_no +
                                     " is recorded on another settlement",
                                 {{"agreement_no", agreement.agreement_no}});
        }
        const auto due = agreement.payment_due_date
                             ? std::optional(sales::to_string(*agreement.payment_due_date))
                             : std::nullopt;
        store::set_agreement(tx, s.id, std::string(domain::to_string(to)), agreement.agreement_no,
                             sales::to_string(agreement.signed_on), due, caller.user_id);
        emit_step(tx, kAreaSettlementAgreed, s, c, 2,
                  {{"agreement_no", agreement.agreement_no},
                   {"agreement_signed_on", sales::to_string(agreement.signed_on)},
                   {"payment_due_date", domain::nullable(due)},
                   {"buyer_pays_fen", s.buyer_pays_fen},
                   {"developer_refunds_fen", s.developer_refunds_fen},
                   {"settled_price_fen", s.settled_price_fen},
                   {"agreed_by", caller.user_id}});
        return store::document(tx, s.id);
    });
}

nlohmann::json record_invoice(const Context& ctx, const sales::Principal& caller,
                              const std::string& id, const std::string& invoice_no,
                              sales::Date invoice_date) {
    return ctx.db.transaction([&](Tx& tx) {
        auto [c, s] = load_settlement(tx, caller, id);
        domain::next_settlement_status(status_of(s), domain::SettlementAction::invoice);
        store::set_invoice(tx, s.id, invoice_no, sales::to_string(invoice_date), caller.user_id);
        emit_step(tx, kAreaSettlementInvoiced, s, c, 4,
                  {{"invoice_no", invoice_no},
                   {"invoice_date", sales::to_string(invoice_date)},
                   {"invoiced_by", caller.user_id}});
        return store::document(tx, s.id);
    });
}

void apply_area_settlement_settled(sales::db::Tx& tx, const sales::bus::Event& event) {
    const auto id = uuid_field(event, "settlement_id");
    const auto how = text_field(event, "how");
    const auto s = store::lock(tx, id);
    if (!s)
        throw poison(event, "area settlement " + id + " is not known to contract");
    if (status_of(*s) != domain::SettlementStatus::agreed) {
        sales::log::info("area settlement settled again or not agreed; nothing changes",
                         {{"settlement_id", id}, {"status", s->status}});
        return;
    }
    const auto c = contract_store::find(tx, s->contract_id, /*for_update=*/false).value();
    store::set_settled(tx, id, how);
    emit_step(tx, kAreaSettlementSettledByFinance, *s, c, 3, {{"how", how}});
}

void apply_refund_paid(const Context& ctx, sales::db::Tx& tx, const sales::bus::Event& event) {
    if (text_field(event, "purpose") != "contract_cancellation")
        return;  // settlement refunds arrive as finance.area_settlement.settled
    const auto request_id = uuid_field(event, "source_id");
    const auto approval_id = uuid_field(event, "approval_id");
    const auto approved = refund_request_store::lock_approved_unpaid(tx, request_id);
    if (!approved) {
        sales::log::info("refund paid for a request already closed; nothing changes",
                         {{"refund_request_id", request_id}});
        return;
    }
    auto c = contract_store::find(tx, approved->contract_id, /*for_update=*/true).value();
    if (c.status != domain::ContractStatus::cancelling) {
        sales::log::warn("refund paid for a contract that is not being cancelled; nothing changes",
                         {{"contract_id", c.id}, {"status", domain::to_string(c.status)}});
        return;
    }
    const auto change = domain::cancelled_after_refund(c, approved->request, approval_id,
                                                       ctx.by("finance", "refund paid (CON-6)"));
    refund_request_store::mark_paid(tx, request_id, approval_id);
    contract_store::set_cancelled(tx, c.id);
    contract_store::save(tx, c, change);
}

}  // namespace contract::app
