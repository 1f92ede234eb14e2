// Inventory service: projects, buildings, units, price lists, holds and unit status.
// Consumes CONTRACT (subscriptions confirmed / cancelled, contracts signed / handed over).
#include "adapters/http_routes.hpp"
#include "adapters/messaging.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::serve_main(
        sales::service::spec_of("inventory", 8081, SERVICE_MIGRATIONS_DIR, {"CONTRACT"}),
        [](sales::service::Service& service, const sales::Config&) {
            inventory::adapters::add_project_routes(service);
            inventory::adapters::add_unit_routes(service);
            inventory::adapters::add_pricing_routes(service);
            inventory::adapters::add_title_area_routes(service);
            inventory::adapters::add_messaging(service);
            return service.run();
        });
}
