#pragma once
// HTTP adapters of the gateway: the route table's proxy routes, identity routes, the audit log
// (SEC-2), /docs, CORS preflight, the live 楼盘表 and the web console's files.
#include <chrono>
#include <map>
#include <string>

#include "app/identity.hpp"
#include "sales/service.hpp"

namespace gateway::adapters {

struct Options {
    std::map<std::string, std::string> upstream_urls;  // service → http://host:port
    std::chrono::milliseconds upstream_timeout{10'000};
    double user_burst = 100, user_per_second = 50;
    double ip_burst = 100, ip_per_second = 50;
    std::string cors_origin;
    std::string openapi_path;  // docs/openapi.yaml
    std::string console_dir;   // the web console's built files (web/dist)
};

void add_routes(sales::service::Service& service, const app::Context& ctx, const Options& options);

}  // namespace gateway::adapters
