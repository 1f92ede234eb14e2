// Gateway: identity (users, login, sessions, revocation; SEC-1), the reverse proxy to the
// services with permission and project checks, rate limits, CORS and security headers, the
// append-only audit log (SEC-2) and the API docs.
//
// Configuration beyond the runtime's (sales/service.hpp), see docs/operations.md:
//   SALES_GATEWAY_<SVC>_URL (http://127.0.0.1:808x) for INVENTORY, CONTRACT, CUSTOMER, FINANCE
//   SALES_GATEWAY_UPSTREAM_TIMEOUT (10s) → 504 upstream_timeout; unreachable → 503
//   SALES_TOKEN_PRIVATE_KEY_FILE (required; "<kid> <base64 Ed25519 seed>", mode 0600; its public
//   key must be one of SALES_TOKEN_PUBLIC_KEYS), see docs/operations.md "Token keys"
//   SALES_GATEWAY_ACCESS_TTL (15m, at most 1h = auth::kMaxTokenLifetime),
//   SALES_GATEWAY_REFRESH_TTL (12h)
//   Login protection (docs/operations.md "Login protection"): SALES_GATEWAY_LOCKOUT_FAILURES (5
//   per user and address), _LOCKOUT_USER_FAILURES (50 per user, any address),
//   _LOCKOUT_DURATION (15m), _LOGIN_WORKERS (1), _LOGIN_QUEUE (8),
//   _LOGIN_USER_ADDRESS_PER_MINUTE (5), _LOGIN_ADDRESS_PER_MINUTE (60), _LOGIN_PER_SECOND (20)
//   SALES_GATEWAY_ADMIN_PASSWORD (first admin's password), SALES_GATEWAY_ADMIN_PASSWORD_FILE
//   SALES_GATEWAY_RATE_USER_BURST (50) / _RATE_USER_PER_SECOND (20), _RATE_IP_BURST (100) /
//   _RATE_IP_PER_SECOND (50); SALES_GATEWAY_CORS_ORIGIN (http://127.0.0.1:5173)
//   SALES_GATEWAY_OPENAPI (docs/openapi.yaml of the source tree); SALES_GATEWAY_CONSOLE_DIR
//   (web/dist of the source tree); SALES_GATEWAY_LIVE_* (adapters/live_board.hpp)
//   SALES_GATEWAY_ACCESS_LOG_INTERVAL (10s): counted refusals are written once per key per interval
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

// The private token key (issue 11 item 8), refused unless only its owner can read it and the
// services know its public key (else every token it signs would be refused).
sales::auth::SigningKey signing_key(const sales::Config& config) {
    const auto path = config.required("SALES_TOKEN_PRIVATE_KEY_FILE");
    sales::auth::SigningKey key;
    try {
        key = sales::auth::read_private_key_file(path);
    } catch (const std::exception& e) {
        throw sales::ConfigError(std::string("configuration: SALES_TOKEN_PRIVATE_KEY_FILE: ") +
                                 e.what());
    }
    const auto own = key.public_key();
    bool published = false;
    for (const auto& live :
         sales::auth::parse_public_keys(config.secret("SALES_TOKEN_PUBLIC_KEYS")))
        published = published || (live.kid == own.kid && live.key == own.key);
    if (!published) {
        throw sales::ConfigError("configuration: the public key of SALES_TOKEN_PRIVATE_KEY_FILE (" +
                                 sales::auth::format_public_key(own) +
                                 ") is not in SALES_TOKEN_PUBLIC_KEYS");
    }
    return key;
}

// Login protection (app/login_guard.hpp): the password check may hold at most workers + queue
// I/O threads, and at least two must stay free for everything else.
gateway::app::LoginLimits login_limits(const sales::Config& config) {
    gateway::app::LoginLimits limits;
    const auto setting = [&](const char* name, int fallback, int min, int max) {
        return static_cast<int>(
            config.integer(std::string("SALES_GATEWAY_") + name, fallback, min, max));
    };
    limits.workers = setting("LOGIN_WORKERS", 1, 1, 64);
    // A sales office logs in at 9:00: eight wait for the worker rather than being refused.
    limits.queue = setting("LOGIN_QUEUE", 8, 0, 1024);
    limits.per_user_address_per_minute = setting("LOGIN_USER_ADDRESS_PER_MINUTE", 5, 1, 100'000);
    limits.per_address_per_minute = setting("LOGIN_ADDRESS_PER_MINUTE", 60, 1, 1'000'000);
    limits.per_second = setting("LOGIN_PER_SECOND", 20, 1, 1'000'000);
    // A login waiting for its password check holds a handler thread.
    const auto handler_threads = setting("HANDLER_THREADS", 16, 1, 1024);
    if (limits.workers + limits.queue > handler_threads - 2)
        throw sales::ConfigError(
            "configuration: SALES_GATEWAY_LOGIN_WORKERS + SALES_GATEWAY_LOGIN_QUEUE (" +
            std::to_string(limits.workers + limits.queue) +
            ") must leave two of SALES_GATEWAY_HANDLER_THREADS (" +
            std::to_string(handler_threads) + ") free for other requests");
    return limits;
}
}  // namespace

int main() {
    return sales::service::serve_main(gateway_spec(), [](sales::service::Service& service,
                                                         const sales::Config& config) {
        using namespace std::chrono_literals;

        gateway::app::Settings settings;
        settings.key = signing_key(config);
        settings.access_ttl = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_ACCESS_TTL", 15min, 1s, sales::auth::kMaxTokenLifetime));
        settings.refresh_ttl = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_REFRESH_TTL", 12h, 1min, 24h * 30));
        settings.lockout.max_failures =
            static_cast<int>(config.integer("SALES_GATEWAY_LOCKOUT_FAILURES", 5, 1, 100));
        settings.lockout.lock_for = std::chrono::duration_cast<std::chrono::seconds>(
            config.duration("SALES_GATEWAY_LOCKOUT_DURATION", 15min, 1s, 24h));
        settings.user_lockout = {
            static_cast<int>(config.integer("SALES_GATEWAY_LOCKOUT_USER_FAILURES", 50, 1, 100'000)),
            settings.lockout.lock_for};
        gateway::app::LoginGuard login_guard(login_limits(config));
        const gateway::app::Context ctx{service.db(), service.deny_list(), settings, login_guard};
        service.every("login_failures_cleanup", 10min,
                      [&ctx] { gateway::app::forget_stale_login_failures(ctx); });

        gateway::adapters::Options options;
        const std::map<std::string, int> ports = {{"inventory", 8081}, {"contract", 8082},
                                                  {"customer", 8083},  {"finance", 8084},
                                                  {"reporting", 8085}, {"webhooks", 8086}};
        for (const auto& [name, port] : ports) {
            std::string upper = name;
            for (auto& ch : upper)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            options.upstream_urls[name] = config.str("SALES_GATEWAY_" + upper + "_URL",
                                                     "http://127.0.0.1:" + std::to_string(port));
        }
        options.upstream_timeout =
            config.duration("SALES_GATEWAY_UPSTREAM_TIMEOUT", 10s, 10ms, 5min);
        // Per user: ten times the fastest a person clicks (a console action sends a few
        // requests), so a runaway script or stolen token stops within seconds.
        options.user_burst =
            static_cast<double>(config.integer("SALES_GATEWAY_RATE_USER_BURST", 100, 1, 1'000'000));
        options.user_per_second = static_cast<double>(
            config.integer("SALES_GATEWAY_RATE_USER_PER_SECOND", 50, 1, 1'000'000));
        options.ip_burst =
            static_cast<double>(config.integer("SALES_GATEWAY_RATE_IP_BURST", 100, 1, 1'000'000));
        options.ip_per_second = static_cast<double>(
            config.integer("SALES_GATEWAY_RATE_IP_PER_SECOND", 50, 1, 1'000'000));
        options.cors_origin = config.str("SALES_GATEWAY_CORS_ORIGIN", "http://127.0.0.1:5173");
        options.openapi_path = config.str("SALES_GATEWAY_OPENAPI", GATEWAY_OPENAPI_PATH);
        options.console_dir = config.str("SALES_GATEWAY_CONSOLE_DIR", GATEWAY_CONSOLE_DIR);

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
