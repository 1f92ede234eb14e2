// Contract service: subscriptions, contracts, audits, amendments, mortgage desk and handover.
//
// Configuration beyond the runtime's (sales/service.hpp):
//   SALES_CONTRACT_RPC_TIMEOUT (2s): inventory request/reply timeout (→ 503 when exceeded);
//   SALES_CONTRACT_HOLD_GRACE (10m): how long past the deposit deadline inventory keeps a
//     swapped hold that contract never cancelled (safety net);
//   SALES_CONTRACT_SWEEP_INTERVAL (1s): deposit-deadline sweeper period (CON-1);
//   SALES_CONTRACT_IDEMPOTENCY_RETENTION (24h): how long Idempotency-Keys are remembered;
//   SALES_CONTRACT_RECONCILE_DELAY (1m), _INTERVAL (1h), _MIN_AGE (5m): hold reconciliation
//     (app/reconciliation.hpp) first runs this long after start, then every interval, judging
//     only deals unchanged for the minimum age.
#include "adapters/http_routes.hpp"
#include "adapters/idempotency_store.hpp"
#include "app/contract_search.hpp"
#include "app/contracts.hpp"
#include "app/deposits.hpp"
#include "app/mortgages.hpp"
#include "app/project_events.hpp"
#include "app/reconciliation.hpp"
#include "app/subscriptions.hpp"
#include "sales/log.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::serve_main(
        sales::service::spec_of("contract", 8082, SERVICE_MIGRATIONS_DIR, {"INVENTORY", "FINANCE"}),
        [](sales::service::Service& service, const sales::Config& config) {
            using namespace std::chrono_literals;

            const contract::app::Context ctx{
                service.db(), service.clock(),
                std::chrono::duration_cast<std::chrono::seconds>(
                    config.duration("SALES_CONTRACT_HOLD_GRACE", 10min, 0ms, 24h))};
            const auto rpc_timeout = config.duration("SALES_CONTRACT_RPC_TIMEOUT", 2s, 100ms, 60s);
            const auto sweep_interval =
                config.duration("SALES_CONTRACT_SWEEP_INTERVAL", 1s, 50ms, 1h);
            const auto key_retention = std::chrono::duration_cast<std::chrono::seconds>(
                config.duration("SALES_CONTRACT_IDEMPOTENCY_RETENTION", 24h, 1min, 24h * 30));

            // Units taken, from inventory's events: refusals on opening day cost no round trip.
            auto units = std::make_shared<contract::app::UnitView>();
            service.listen("inventory.unit.status_changed",
                           [units, &service](const std::string& payload) {
                               units->on_event(payload, service.nats().reconnects());
                           });
            contract::adapters::add_routes(service, ctx, rpc_timeout, *units);
            contract::adapters::add_contract_routes(service, ctx, rpc_timeout);
            contract::adapters::add_contract_search_routes(service, ctx);
            // CON-7: the registration due day of contracts stamped before it was recorded.
            service.at_start([&ctx] { contract::app::fill_registration_due(ctx); });
            service.consume("INVENTORY", "inventory.project.>", contract::app::apply_project_event);
            // CON-10: surveyed title areas settle the unit's live contract by REG-1.
            service.consume("INVENTORY", contract::app::kTitleAreaRecorded,
                            contract::app::apply_title_area_recorded);
            contract::adapters::add_deposit_case_routes(service, ctx);
            // CON-8: finance's loan disbursements mark the mortgage file disbursed.
            contract::adapters::add_mortgage_routes(service, ctx);
            service.consume("FINANCE", contract::app::kPaymentRecorded,
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                contract::app::apply_payment_recorded(ctx, tx, event);
                            });
            // CON-1: a late-delivered deposit paid on time re-takes its unit (inventory hold).
            service.consume(
                "FINANCE", contract::app::kDepositReceived,
                [&ctx, &service, rpc_timeout](sales::db::Tx& tx, const sales::bus::Event& event) {
                    contract::app::InventoryClient inventory(service.nats(), rpc_timeout);
                    contract::app::apply_deposit_received(ctx, inventory, tx, event);
                });
            // FIN-3: a reversed deposit puts the subscription back to awaiting its deposit; a
            // reversed loan disbursement puts the mortgage file back to its stage before.
            service.consume("FINANCE", contract::app::kEntryReversed,
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                contract::app::apply_entry_reversed(ctx, tx, event);
                            });
            // CON-10: finance settled an agreed area settlement.
            service.consume("FINANCE", contract::app::kFinanceAreaSettlementSettled,
                            contract::app::apply_area_settlement_settled);
            // CON-6: the approved cancellation's refund is paid: the contract is cancelled.
            service.consume("FINANCE", contract::app::kFinanceRefundPaid,
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                contract::app::apply_refund_paid(ctx, tx, event);
                            });
            // CON-9: finance.contract.cleared / uncleared, one consumer (stream order kept).
            service.consume("FINANCE", "finance.contract.>",
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                contract::app::apply_finance_contract_event(ctx, tx, event);
                            });
            // CON-1: cancel subscriptions whose deposit did not arrive in time (several replicas
            // may run this: rows are claimed with FOR UPDATE SKIP LOCKED).
            service.every("deposit_deadline_sweeper", sweep_interval,
                          [&ctx] { contract::app::expire_overdue(ctx, 100); });
            // INV-4: inventory's deals against contract's subscriptions, soon after start (a
            // crash between a hold and its subscription) and then every interval.
            const auto reconcile_every =
                config.duration("SALES_CONTRACT_RECONCILE_INTERVAL", 1h, 1s, 24h * 7);
            const auto reconcile_min_age = std::chrono::duration_cast<std::chrono::seconds>(
                config.duration("SALES_CONTRACT_RECONCILE_MIN_AGE", 5min, 0ms, 24h));
            service.every(
                "hold_reconciliation",
                config.duration("SALES_CONTRACT_RECONCILE_DELAY", 1min, 100ms, 1h),
                [&ctx, &service, rpc_timeout, reconcile_every, reconcile_min_age,
                 next = std::chrono::steady_clock::time_point{}]() mutable {
                    if (std::chrono::steady_clock::now() < next)
                        return;
                    contract::app::InventoryClient inventory(service.nats(), rpc_timeout);
                    if (contract::app::reconcile_holds(ctx, inventory, reconcile_min_age).complete)
                        next = std::chrono::steady_clock::now() + reconcile_every;
                });
            service.every("idempotency_key_purge", 10min, [&ctx, key_retention] {
                const auto purged = contract::idempotency_store::purge(ctx.db, key_retention);
                if (purged > 0)
                    sales::log::info("idempotency keys purged", {{"count", purged}});
            });
            return service.run();
        });
}
