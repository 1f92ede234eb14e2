// Finance service: receivable schedules, the ledger (payments, reversals, refunds), balances,
// penalties, clearance and reports (DOMAIN.md FIN-1..7, CON-9).
//
// Configuration: the runtime's (sales/service.hpp) with <NAME> = FINANCE, port 8084, and
//   SALES_FINANCE_DUNNING_INTERVAL (10m): how often overdue items are looked for (FIN-5).
// Consumes CONTRACT: contract.subscription.* (subscriptions a deposit is paid against) and
// contract.signed (FIN-1 schedule) and, after signing, contract.amendment.approved,
// contract.area_settlement.agreed, contract.cancellation.approved and contract.cancelled.
// Publishes FINANCE (finance.>): deposit.received, schedule.created, schedule.changed,
// payment.recorded, entry.reversed, contract.cleared, contract.uncleared,
// area_settlement.settled, refund.paid, instalment.overdue/settled, referral.confirmed/voided,
// referral_points.credited/redeemed (CON-11).
#include "adapters/routes.hpp"
#include "app/events.hpp"
#include "app/support.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::serve_main(
        sales::service::spec_of("finance", 8084, SERVICE_MIGRATIONS_DIR, {"CONTRACT"}),
        [](sales::service::Service& service, const sales::Config& config) {
            using namespace std::chrono_literals;
            const finance::app::Context ctx{service.db(), service.clock()};
            finance::adapters::add_routes(service, ctx);
            // One consumer of contract.> (the inbox is per event, so consumers must not overlap;
            // one consumer also keeps a contract's events in stream order): subscriptions, the
            // signing (FIN-1) and the changes after it (CON-5/6/10).
            service.consume("CONTRACT", finance::app::kContractEvents,
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                finance::app::apply_contract_event(tx, ctx.clock, event);
                            });
            // FIN-5 dunning: overdue items reach the owning rep (several replicas may sweep:
            // contracts are claimed with FOR UPDATE SKIP LOCKED; notices are inserted once).
            service.every("dunning_sweep",
                          config.duration("SALES_FINANCE_DUNNING_INTERVAL", 10min, 100ms, 24h),
                          [&ctx] { finance::app::sweep_dunning(ctx, 200); });
            return service.run();
        });
}
