// Contract service: subscriptions, contracts, audits, amendments, mortgage and handover.
#include "app/project_events.hpp"
#include "sales/service.hpp"

int main() {
    return sales::service::guarded_main([] {
        const sales::Config config;
        sales::service::Spec spec;
        spec.name = "contract";
        spec.default_port = 8082;
        spec.migrations_directory = CONTRACT_MIGRATIONS_DIR;
        spec.stream = {"CONTRACT", {"contract.>"}};
        spec.upstream = {{"INVENTORY", {"inventory.>"}}};
        sales::service::Service service(spec, config);
        service.consume("INVENTORY", "inventory.project.>", contract::app::apply_project_event);
        return service.run();
    });
}
