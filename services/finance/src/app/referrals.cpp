// CON-11 referral points 会员积分 (seed 003 §3.10): 置业顾问 records the member's application at
// signing, 收款员 confirms it, the points are credited once the referred buyer has paid 80% of
// the price, and 销售会计 redeems them against a 兑换单.
#include "app/referrals.hpp"

#include "adapters/ledger_store.hpp"
#include "domain/referral.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;
using Status = domain::ReferralStatus;

domain::PriceProgress progress_of(const ContractBook& book, sales::Date day) {
    return domain::price_progress(
        domain::compute_balance(book.schedule, book.movements, book.penalty_bp_per_day, day));
}

void credit(Tx& tx, const adapters::Referral& r, const domain::PriceProgress& progress,
            const std::string& by) {
    const auto entry_id = sales::new_uuid();
    if (!adapters::insert_point_entry(
            tx, {entry_id, r.project_id, r.referrer_customer_id, "credit", r.points, r.contract_id,
                 std::nullopt, "推荐成交积分", by, std::nullopt}))
        return;  // credited already
    adapters::set_referral_status(tx, r.contract_id, Status::redeemable);
    emit(tx, kReferralPointsCredited, r.contract_id, 3,
         {{"contract_id", r.contract_id},
          {"project_id", r.project_id},
          {"referrer_customer_id", r.referrer_customer_id},
          {"points", r.points},
          {"entry_id", entry_id},
          {"price_fen", progress.price_fen},
          {"paid_fen", progress.paid_fen},
          {"credited_at", sales::to_rfc3339(adapters::database_now(tx))}});
    sales::log::info("referral points credited",
                     {{"contract_id", r.contract_id}, {"points", r.points}});
}

void check_project(const sales::Principal& caller, const std::string& project_id) {
    if (!caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
}

}  // namespace

void record_referral(Tx& tx, const sales::bus::Event& event, adapters::NewReferral referral,
                     std::int64_t price_fen) {
    referral.points = domain::referral_points(price_fen);
    if (!adapters::insert_referral(tx, referral)) {
        sales::log::info("referral already recorded; ignored",
                         {{"contract_id", referral.contract_id}, {"event_id", event.id}});
    }
}

void referral_progress(Tx& tx, const ContractBook& book, const domain::Balance& balance) {
    const auto r = adapters::lock_referral(tx, book.contract_id);
    if (!r)
        return;
    const auto progress = domain::price_progress(balance);
    if (domain::referral_after_payment(r->status, progress).credit)
        credit(tx, *r, progress, "system");
}

void void_referral(Tx& tx, const std::string& contract_id) {
    const auto r = adapters::lock_referral(tx, contract_id);
    if (!r)
        return;
    const auto to = domain::referral_after_cancellation(r->status);
    if (to == r->status)
        return;
    adapters::set_referral_status(tx, contract_id, to);
    emit(tx, kReferralVoided, contract_id, 3,
         {{"contract_id", contract_id},
          {"project_id", r->project_id},
          {"referrer_customer_id", r->referrer_customer_id},
          {"points", r->points},
          {"voided_at", sales::to_rfc3339(adapters::database_now(tx))}});
}

nlohmann::json confirm_referral(const Context& ctx, const sales::Principal& caller,
                                const std::string& contract_id,
                                const std::optional<std::string>& note) {
    const auto not_found = [&] { sales::fail_not_found("referral", contract_id); };
    if (!sales::is_uuid(contract_id))
        not_found();
    return ctx.db.transaction([&](Tx& tx) {
        // The contract's postings lock its book first; so does this.
        const auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update);
        const auto r = adapters::lock_referral(tx, contract_id);
        if (!book || !r || !caller.in_project(r->project_id))
            not_found();
        const auto progress = progress_of(*book, sales::shanghai_date(ctx.clock.now()));
        const auto step = domain::confirm_referral(r->status, progress);
        adapters::set_confirmed(tx, contract_id, caller.user_id, note);
        emit(tx, kReferralConfirmed, contract_id, 2,
             {{"contract_id", contract_id},
              {"project_id", r->project_id},
              {"referrer_customer_id", r->referrer_customer_id},
              {"points", r->points},
              {"confirmed_by", caller.user_id},
              {"confirmed_at", sales::to_rfc3339(adapters::database_now(tx))}});
        if (step.credit)
            credit(tx, *r, progress, caller.user_id);
        return *adapters::referral_document(tx, contract_id);
    });
}

nlohmann::json list_referrals(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id,
                              const std::optional<std::string>& status) {
    check_project(caller, project_id);
    const auto today = sales::shanghai_date(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        auto items = adapters::referral_documents(tx, project_id, status, 500);
        for (auto& item : items) {
            const auto contract_id = item["contract_id"].get<std::string>();
            domain::PriceProgress progress;
            if (const auto book = adapters::load_book(tx, contract_id, adapters::Lock::none))
                progress = progress_of(*book, today);
            item["price_fen"] = progress.price_fen;
            item["price_paid_fen"] = progress.paid_fen;
        }
        return nlohmann::json{{"project_id", project_id}, {"items", items}};
    });
}

nlohmann::json member_points(const Context& ctx, const sales::Principal& caller,
                             const std::string& project_id,
                             const std::string& referrer_customer_id) {
    check_project(caller, project_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto totals = adapters::point_totals(tx, project_id, referrer_customer_id);
        return nlohmann::json{
            {"project_id", project_id},
            {"referrer_customer_id", referrer_customer_id},
            {"credited_points", totals.credited},
            {"redeemed_points", totals.redeemed},
            {"balance_points", totals.credited - totals.redeemed},
            {"pending_points", totals.pending},
            {"entries", adapters::point_entries(tx, project_id, referrer_customer_id)}};
    });
}

nlohmann::json redeem_points(const Context& ctx, const sales::Principal& caller,
                             const RedemptionInput& in) {
    check_project(caller, in.project_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto balance =
            adapters::lock_point_balance(tx, in.project_id, in.referrer_customer_id);
        domain::check_redemption(balance, in.points);
        const auto entry_id = sales::new_uuid();
        if (!adapters::insert_point_entry(
                tx, {entry_id, in.project_id, in.referrer_customer_id, "redemption", -in.points,
                     std::nullopt, in.voucher_no, in.note, caller.user_id, std::nullopt})) {
            sales::fail_conflict("voucher_no_taken",
                                 "兑换单 " + in.voucher_no +
                                     " is recorded already in this project: give its own number",
                                 {{"voucher_no", in.voucher_no}});
        }
        const auto at = sales::to_rfc3339(adapters::database_now(tx));
        const auto left = balance - in.points;
        emit(tx, kReferralPointsRedeemed, entry_id, 1,
             {{"entry_id", entry_id},
              {"project_id", in.project_id},
              {"referrer_customer_id", in.referrer_customer_id},
              {"points", in.points},
              {"voucher_no", in.voucher_no},
              {"balance_points", left},
              {"redeemed_by", caller.user_id},
              {"redeemed_at", at}});
        return nlohmann::json{{"id", entry_id},
                              {"project_id", in.project_id},
                              {"referrer_customer_id", in.referrer_customer_id},
                              {"kind", "redemption"},
                              {"points", -in.points},
                              {"voucher_no", in.voucher_no},
                              {"note", sales::db::nullable(in.note)},
                              {"recorded_by", caller.user_id},
                              {"recorded_at", at},
                              {"reverses_entry_id", nullptr},
                              {"reversed_by_entry_id", nullptr},
                              {"balance_points", left}};
    });
}

nlohmann::json reverse_redemption(const Context& ctx, const sales::Principal& caller,
                                  const std::string& entry_id, const std::string& reason) {
    if (!sales::is_uuid(entry_id))
        sales::fail_not_found("entry", entry_id);
    return ctx.db.transaction([&](Tx& tx) {
        const auto entry = adapters::find_point_entry(tx, entry_id);
        if (!entry || !caller.in_project(entry->project_id))
            sales::fail_not_found("entry", entry_id);
        domain::check_reversible(entry->kind);
        const auto balance =
            adapters::lock_point_balance(tx, entry->project_id, entry->referrer_customer_id);
        const auto id = sales::new_uuid();
        const auto points = -entry->points;
        if (!adapters::insert_point_entry(
                tx, {id, entry->project_id, entry->referrer_customer_id, "reversal", points,
                     std::nullopt, std::nullopt, reason, caller.user_id, entry_id})) {
            sales::fail_conflict("already_reversed", "the redemption is reversed already",
                                 {{"entry_id", entry_id}});
        }
        const auto at = sales::to_rfc3339(adapters::database_now(tx));
        emit(tx, kRedemptionReversed, id, 1,
             {{"entry_id", id},
              {"reverses_entry_id", entry_id},
              {"project_id", entry->project_id},
              {"referrer_customer_id", entry->referrer_customer_id},
              {"points", points},
              {"voucher_no", sales::db::nullable(entry->voucher_no)},
              {"reason", reason},
              {"balance_points", balance + points},
              {"reversed_by", caller.user_id},
              {"reversed_at", at}});
        return nlohmann::json{{"id", id},
                              {"project_id", entry->project_id},
                              {"referrer_customer_id", entry->referrer_customer_id},
                              {"kind", "reversal"},
                              {"points", points},
                              {"contract_id", nullptr},
                              {"voucher_no", nullptr},
                              {"note", reason},
                              {"recorded_by", caller.user_id},
                              {"recorded_at", at},
                              {"reverses_entry_id", entry_id},
                              {"reversed_by_entry_id", nullptr},
                              {"balance_points", balance + points}};
    });
}

}  // namespace finance::app
