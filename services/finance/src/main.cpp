// Finance service: receivable schedules, the ledger (payments, reversals, refunds), balances,
// penalties, clearance and reports (DOMAIN.md FIN-1..7, CON-9).
//
// Configuration: the runtime's (sales/service.hpp) with <NAME> = FINANCE, port 8084.
// Consumes CONTRACT: contract.subscription.* (subscriptions a deposit is paid against) and
// contract.signed (FIN-1 schedule). Publishes FINANCE (finance.>): deposit.received,
// schedule.created, payment.recorded, entry.reversed, contract.cleared, contract.uncleared.
#include "adapters/routes.hpp"
#include "app/events.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::serve_main(
        sales::service::spec_of("finance", 8084, SERVICE_MIGRATIONS_DIR, {"CONTRACT"}),
        [](sales::service::Service& service, const sales::Config&) {
            const finance::app::Context ctx{service.db(), service.clock()};
            finance::adapters::add_routes(service, ctx);
            service.consume("CONTRACT", finance::app::kSubscriptionEvents,
                            finance::app::apply_subscription_event);
            service.consume("CONTRACT", finance::app::kContractSigned,
                            [&ctx](sales::db::Tx& tx, const sales::bus::Event& event) {
                                finance::app::apply_contract_signed(tx, ctx.clock, event);
                            });
            return service.run();
        });
}
