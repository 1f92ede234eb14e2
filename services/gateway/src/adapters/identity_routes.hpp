#pragma once
// The gateway's own routes of the route table (upstream "gateway"): login, refresh, logout, me,
// password change (SEC-1), user administration and the audit log search (SEC-2). routes.cpp
// registers them with the table's rate limits, permission checks and auditing around them.
#include <map>
#include <string>

#include "app/identity.hpp"
#include "sales/http.hpp"

namespace gateway::adapters {

// Handlers by "METHOD pattern" as the route table spells them.
std::map<std::string, sales::http::Handler> identity_handlers(const app::Context& ctx);

}  // namespace gateway::adapters
