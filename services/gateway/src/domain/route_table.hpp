#pragma once
// The gateway's route table: every route the gateway serves, its upstream service and the
// permission it needs (SEC-1: the names libs/auth's role table grants). The gateway
// checks it before forwarding; each service checks the same permission again on the same token
// (defence in depth, SEC-1). Where a service decides between several permissions (e.g. a
// contract audit step is contract.audit or contract.review), the row lists them all and the
// gateway lets through a caller holding any of them; the service applies the finer rule.
#include <string>
#include <vector>

namespace gateway::domain {

enum class Access { open, authenticated, permission };

struct RouteRule {
    std::string method;
    std::string pattern;   // router pattern, e.g. "/api/v1/units/{unit_id}"
    std::string upstream;  // "inventory", "contract", "customer", "finance", "reporting",
                           // "webhooks" or "gateway"
    Access access = Access::permission;
    std::vector<std::string> permissions;  // any of them (Access::permission)
    std::string project_param;             // path parameter naming a project, if any
};

const std::vector<RouteRule>& route_table();

// Whether a caller with `roles` passes the gateway's check of `rule` (libs/auth role table).
bool permits(const RouteRule& rule, const std::vector<std::string>& roles);

// Does the route change state (audited, SEC-2)?
bool is_write(const std::string& method);

}  // namespace gateway::domain
