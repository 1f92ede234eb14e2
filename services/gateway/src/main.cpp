// Gateway: identity (users, login, sessions, revocation; SEC-1), the reverse proxy to the
// services with permission and project checks, rate limits, CORS and security headers, the
// append-only audit log (SEC-2) and the API docs.
//
// Configuration beyond the runtime's (sales/service.hpp), see docs/operations.md:
//   SALES_GATEWAY_<SVC>_URL (http://127.0.0.1:808x) for INVENTORY, CONTRACT, CUSTOMER, FINANCE
//   SALES_GATEWAY_UPSTREAM_TIMEOUT (10s) → 504 upstream_timeout; unreachable → 503
//   SALES_GATEWAY_ACCESS_TTL (15m), SALES_GATEWAY_REFRESH_TTL (12h)
//   SALES_GATEWAY_LOCKOUT_FAILURES (5), SALES_GATEWAY_LOCKOUT_DURATION (15m)
//   SALES_GATEWAY_ADMIN_PASSWORD (first admin's password), SALES_GATEWAY_ADMIN_PASSWORD_FILE
//   SALES_GATEWAY_RATE_USER_BURST (50) / _RATE_USER_PER_SECOND (20), _RATE_IP_BURST (100) /
//   _RATE_IP_PER_SECOND (50); SALES_GATEWAY_CORS_ORIGIN (http://127.0.0.1:5173)
//   SALES_GATEWAY_OPENAPI (docs/openapi.yaml of the source tree)
#include "adapters/routes.hpp"
#include "app/identity.hpp"
#include "sales/service.hpp"

namespace {
// The gateway publishes the IDENTITY stream (identity.*), not "gateway.>".
sales::service::Spec gateway_spec() {
    auto spec = sales::service::spec_of("gateway", 8080, SERVICE_MIGRATIONS_DIR);
    spec.stream = {"IDENTITY", {"identity.>"}};
    return spec;
}
}  // namespace

int main() {
    return sales::service::serve_main(gateway_spec(), [](sales::service::Service& service,
                                                         const sales::Config& config) {
        using namespace std::chrono_literals;

        gateway::app::Settings settings;
        settings.key.secret = config.required("SALES_JWT_SECRET");
        settings.access_ttl = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_ACCESS_TTL", 15min, 1s, 24h));
        settings.refresh_ttl = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_REFRESH_TTL", 12h, 1min, 24h * 30));
        settings.lockout.max_failures =
            static_cast<int>(config.integer("SALES_GATEWAY_LOCKOUT_FAILURES", 5, 1, 100));
        settings.lockout.lock_for = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_LOCKOUT_DURATION", 15min, 1s, 24h));
        const gateway::app::Context ctx{service.db(), service.deny_list(), settings};

        gateway::adapters::Options options;
        const std::map<std::string, int> ports = {
            {"inventory", 8081}, {"contract", 8082}, {"customer", 8083}, {"finance", 8084}};
        for (const auto& [name, port] : ports) {
            std::string upper = name;
            for (auto& ch : upper)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            options.upstream_urls[name] = config.str("SALES_GATEWAY_" + upper + "_URL",
                                                     "http://127.0.0.1:" + std::to_string(port));
        }
        options.upstream_timeout =
            config.duration("SALES_GATEWAY_UPSTREAM_TIMEOUT", 10s, 10ms, 5min);
        options.user_burst =
            static_cast<double>(config.integer("SALES_GATEWAY_RATE_USER_BURST", 50, 1, 1'000'000));
        options.user_per_second = static_cast<double>(
            config.integer("SALES_GATEWAY_RATE_USER_PER_SECOND", 20, 1, 1'000'000));
        options.ip_burst =
            static_cast<double>(config.integer("SALES_GATEWAY_RATE_IP_BURST", 100, 1, 1'000'000));
        options.ip_per_second = static_cast<double>(
            config.integer("SALES_GATEWAY_RATE_IP_PER_SECOND", 50, 1, 1'000'000));
        options.cors_origin = config.str("SALES_GATEWAY_CORS_ORIGIN", "http://127.0.0.1:5173");
        options.openapi_path = config.str("SALES_GATEWAY_OPENAPI", GATEWAY_OPENAPI_PATH);

        service.add_response_header("Access-Control-Allow-Origin", options.cors_origin);
        service.add_response_header("Vary", "Origin");
        service.add_response_header("X-Frame-Options", "DENY");
        service.add_response_header("Referrer-Policy", "no-referrer");
        service.add_response_header("Content-Security-Policy",
                                    "default-src 'none'; frame-ancestors 'none'");

        gateway::adapters::add_routes(service, ctx, options);
        const auto admin_password = config.str("SALES_GATEWAY_ADMIN_PASSWORD", "");
        const auto admin_file = config.str("SALES_GATEWAY_ADMIN_PASSWORD_FILE", "");
        service.at_start([&] { gateway::app::bootstrap_admin(ctx, admin_password, admin_file); });
        return service.run();
    });
}
