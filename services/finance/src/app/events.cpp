#include "app/events.hpp"

#include "app/event_fields.hpp"

#include "adapters/ledger_store.hpp"
#include "adapters/receivable_store.hpp"
#include "adapters/schedule_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/referrals.hpp"
#include "app/support.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/input.hpp"
#include "sales/log.hpp"

namespace finance::app {
namespace {
using sales::db::Tx;
constexpr std::int64_t kMax = sales::service::kMaxFen;
}  // namespace

void apply_subscription_event(Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto id = event_uuid(event, d, "subscription_id");
    const auto project_id = event_uuid(event, d, "project_id");
    const auto version = event_opt_integer(d, "version").value_or(event.sequence);
    const auto status = d.contains("status") && d["status"].is_string()
                            ? std::optional<std::string>(d["status"].get<std::string>())
                            : std::nullopt;
    adapters::upsert_subscription(
        tx,
        {id, project_id, event_opt_uuid(d, "unit_id"), event_opt_uuid(d, "customer_id"),
         event_opt_integer(d, "price_fen"), event_opt_integer(d, "deposit_fen"), status, version});
}

void apply_contract_signed(Tx& tx, const sales::Clock& clock, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = event_uuid(event, d, "contract_id");
    const auto subscription_id = event_uuid(event, d, "subscription_id");
    const auto project_id = event_uuid(event, d, "project_id");
    const auto unit_id = event_uuid(event, d, "unit_id");
    const auto customer_id = event_uuid(event, d, "customer_id");
    const auto contract_no = event_text(event, d, "contract_no");
    const auto rep_id = event_text(event, d, "rep_id");
    const auto signed_at = event_text(event, d, "signed_at");
    if (!sales::is_rfc3339(signed_at))
        poison_event(event, "data.signed_at must be an RFC 3339 timestamp");
    const auto price = event_integer(event, d, "price_fen", 1, kMax);
    const auto reported_deposit = event_integer(event, d, "deposit_paid_fen", 0, kMax);
    const auto bp = event_integer(event, d, "penalty_bp_per_day", 0, domain::kMaxPenaltyBpPerDay);
    const auto kind = domain::parse_plan_kind(event_text(event, d, "payment_plan"));
    if (!kind)
        poison_event(event, "data.payment_plan must be one_off, instalments or mortgage");
    const auto plan = event_plan(event, d, *kind, price);
    try {
        domain::build_schedule(plan, price, 0);  // validates before anything is written
    } catch (const sales::Failure& e) {
        poison_event(event, e.what());
    }

    // Serialise with deposit postings of the same subscription (they lock this row too).
    adapters::subscription_project(tx, subscription_id, adapters::Lock::for_update);
    if (const auto existing =
            adapters::contract_by_id_or_subscription(tx, contract_id, subscription_id)) {
        if (*existing == contract_id) {
            sales::log::info("contract.signed for a contract already scheduled; ignored",
                             {{"contract_id", contract_id}, {"event_id", event.id}});
            return;  // FIN-1: exactly one schedule per contract
        }
        poison_event(
            event, "subscription " + subscription_id + " already belongs to contract " + *existing);
    }

    // FIN-1 credit: the deposit the ledger holds for the subscription (source of truth);
    // contract's deposit_paid_fen is stored for reference and a difference is logged.
    const auto ledger_deposit = adapters::subscription_sum(tx, subscription_id);
    if (ledger_deposit != reported_deposit) {
        sales::log::warn("contract.signed deposit differs from the ledger; the ledger counts",
                         {{"contract_id", contract_id},
                          {"deposit_paid_fen", reported_deposit},
                          {"ledger_deposit_fen", ledger_deposit}});
    }
    const auto schedule = domain::build_schedule(plan, price, ledger_deposit);
    if (!adapters::insert_contract(
            tx, {contract_id, contract_no, subscription_id, project_id, unit_id, customer_id,
                 rep_id, price, reported_deposit, ledger_deposit, bp,
                 std::string(domain::to_string(*kind)), signed_at, event.id}))
        throw sales::bus::RetryLater("contract " + contract_id + " inserted concurrently");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : schedule) {
        adapters::insert_schedule_item(tx, contract_id, item);
        items.push_back(schedule_item_json(item));
    }
    adapters::set_base_schedule(tx, contract_id, schedule);
    // CON-11: the member who referred the buyer (the application recorded at signing).
    if (const auto referrer = event_opt_uuid(d, "referrer_customer_id")) {
        if (*referrer == customer_id)
            poison_event(event, "data.referrer_customer_id is the buyer");
        record_referral(
            tx, event, {contract_id, project_id, *referrer, customer_id, contract_no, 0, signed_at},
            price);
    }
    emit(tx, kScheduleCreated, contract_id, 1,
         {{"contract_id", contract_id},
          {"project_id", project_id},
          {"items", items},
          {"total_fen", price},
          {"created_at", sales::to_rfc3339(clock.now())}});
    // A deposit covering the whole price clears the contract at once.
    if (const auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update))
        recompute_clearance(tx, clock, *book, "contract signed");
}

}  // namespace finance::app
