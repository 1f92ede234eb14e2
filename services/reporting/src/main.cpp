// Reporting service: a read model built only from events (INVENTORY, CONTRACT, FINANCE,
// CUSTOMER), and the named reports of seed 003 §4 as JSON, CSV and xlsx.
//
// Configuration: the runtime's (sales/service.hpp) with <NAME> = REPORTING, port 8085.
// Consumes (one durable consumer per stream, so each stream's events apply in order):
// inventory.> (projects, unit status and prices), contract.> (subscriptions, contracts,
// amendments, cancellations, handovers, mortgage files), finance.> (ledger entries),
// customer.> (first contacts). Publishes nothing yet (stream REPORTING, reporting.>).
// Report packs: daily, weekly and monthly workbooks per project, made every
// SALES_REPORTING_PACK_INTERVAL (5m) when missing, kept SALES_REPORTING_PACK_KEEP_DAYS (400).
//
// `reporting rebuild-read-model` (every replica stopped) empties the read model and removes its
// consumers; the next start replays the streams from their first event (docs/operations.md).
#include <cstdio>
#include <string_view>

#include "adapters/pack_routes.hpp"
#include "adapters/read_model_store.hpp"
#include "adapters/report_routes.hpp"
#include "app/projections.hpp"
#include "sales/service.hpp"

int main(int argc, char** argv) {
    const bool rebuild = argc == 2 && std::string_view(argv[1]) == "rebuild-read-model";
    if (argc > 1 && !rebuild) {
        std::fprintf(stderr, "usage: reporting [rebuild-read-model]\n");
        return 2;
    }
    return sales::service::serve_main(
        sales::service::spec_of("reporting", 8085, SERVICE_MIGRATIONS_DIR,
                                {"INVENTORY", "CONTRACT", "FINANCE", "CUSTOMER"}),
        [rebuild](sales::service::Service& service, const sales::Config&) {
            using namespace reporting::app;
            reporting::adapters::add_report_routes(service);
            reporting::adapters::add_pack_routes(service);
            service.consume("INVENTORY", kInventoryEvents, apply_inventory_event);
            service.consume("CONTRACT", kContractEvents, apply_contract_event);
            service.consume("FINANCE", kFinanceEvents, apply_finance_event);
            service.consume("CUSTOMER", kCustomerEvents, apply_customer_event);
            if (rebuild)
                return service.rebuild_read_model(reporting::adapters::empty_read_model);
            return service.run();
        });
}
