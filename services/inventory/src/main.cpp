// Inventory service: projects, buildings, units, price lists, holds and unit status.
#include "adapters/http_routes.hpp"
#include "adapters/messaging.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::guarded_main([] {
        const sales::Config config;
        sales::service::Spec spec;
        spec.name = "inventory";
        spec.default_port = 8081;
        spec.migrations_directory = INVENTORY_MIGRATIONS_DIR;
        spec.stream = {"INVENTORY", {"inventory.>"}};
        spec.upstream = {{"CONTRACT", {"contract.>"}}};  // subscriptions confirmed / cancelled
        sales::service::Service service(spec, config);
        inventory::adapters::add_project_routes(service);
        inventory::adapters::add_unit_routes(service);
        inventory::adapters::add_pricing_routes(service);
        inventory::adapters::add_messaging(service);
        return service.run();
    });
}
