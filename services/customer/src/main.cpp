// Customer service: customers, customer events, ownership and collisions, follow-up, privacy
// and complaints (DOMAIN.md CUS-1..10).
//
// Configuration beyond the runtime's (sales/service.hpp):
//   SALES_CUSTOMER_DEPARTURE_DEADLINE (48h): CUS-5, how long a sales manager has to reassign a
//     leaver's customers before the departure is listed as overdue.
//   SALES_CUSTOMER_PHONE_SEARCHES_PER_HOUR (100): CUS-8, searches by a whole phone number a
//     reader without customer.pii.read may make per hour; 0 = no limit.
// Per-project settings (stale days, follow-up interval, complaint deadlines, archive period,
// commission minimum) live in project_refs: PATCH /api/v1/projects/{id}/customer-settings.
#include "adapters/routes.hpp"
#include "app/deals.hpp"
#include "app/dunning.hpp"
#include "app/projects.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::serve_main(
        sales::service::spec_of("customer", 8083, SERVICE_MIGRATIONS_DIR,
                                {"INVENTORY", "CONTRACT", "FINANCE"}),
        [](sales::service::Service& service, const sales::Config& config) {
            using namespace std::chrono_literals;

            const customer::app::Context ctx{
                service.db(), service.clock(),
                std::chrono::duration_cast<std::chrono::hours>(
                    config.duration("SALES_CUSTOMER_DEPARTURE_DEADLINE", 48h, 1h, 24h * 30)),
                config.integer("SALES_CUSTOMER_PHONE_SEARCHES_PER_HOUR", 100, 0, 1'000'000)};

            customer::adapters::add_customer_routes(service, ctx);
            customer::adapters::add_manager_routes(service, ctx);
            service.consume("INVENTORY", "inventory.project.>", customer::app::apply_project_event);
            service.consume("CONTRACT", "contract.subscription.>",
                            customer::app::apply_contract_event);
            service.consume("CONTRACT", customer::app::kContractSigned,
                            customer::app::apply_contract_event);
            // FIN-5: overdue instalments become the owning rep's tasks.
            service.consume("FINANCE", customer::app::kInstalmentEvents,
                            customer::app::apply_instalment_event);
            return service.run();
        });
}
