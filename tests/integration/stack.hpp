#pragma once
// The services of a cross-service test, started for real: a private nats-server, a fresh
// database per service on the PostgreSQL of scripts/test.sh, each service process, an HTTP
// client and a database pool for each, and the common steps (tokens, a released project).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "test_support.hpp"

namespace sales::test {

class Stack {
  public:
    // `services` in start order (inventory first: others learn projects from it); `env` is
    // added to every process (e.g. SALES_CONTRACT_SWEEP_INTERVAL).
    Stack(const std::string& name, std::vector<std::string> services,
          std::map<std::string, std::string> env = {});
    ~Stack();
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    http::Client& http(const std::string& service);
    db::Pool& db(const std::string& service);
    bus::Nats& nats() { return *nats_; }
    std::uint16_t port(const std::string& service) const { return ports_.at(service); }
    // Every service's log, for a failing test's output.
    std::string logs() const;

    // The gateway (when in `services`) fronts the other services of the stack; an upstream not
    // in the stack points to a closed port (503) unless `env` sets SALES_GATEWAY_<SVC>_URL.
    // Its first administrator is "admin" with kAdminPassword.
    static constexpr const char* kAdminPassword = "Stack-Root-Passw0rd-1";
    // The HS256 secret every process of the stack shares.
    static const std::string& secret();
    // Logs in through the gateway; returns the login response (access and refresh token).
    nlohmann::json login(const std::string& username, const std::string& password);
    // Authorization + Content-Type headers for an access token.
    static http::Headers bearer(const std::string& access_token);

    // Bearer token of user "user-<role>" with that one role, for `projects`.
    static http::Headers auth(const std::string& role, std::vector<std::string> projects = {"*"});
    // Calls `service` as `role`; EXPECTs `status` and returns the JSON body.
    nlohmann::json ok(const std::string& service, const std::string& method,
                      const std::string& path, const nlohmann::json& body, const std::string& role,
                      int status = 200);
    std::int64_t count(const std::string& service, const std::string& sql,
                       const db::Params& params = {});

    struct Project {
        std::string id;
        std::vector<std::string> unit_ids;  // board order
    };
    // A project with one released building of floors × positions units; `settings` (if not
    // empty) is PATCHed into the project settings. Returns once the contract service (if
    // running) has applied the project's latest version.
    Project released_project(std::int64_t floors, std::int64_t positions,
                             const nlohmann::json& settings = nlohmann::json::object());

    // The calendar day `days` from today in Asia/Shanghai, "YYYY-MM-DD".
    static std::string date_in_days(int days);

  private:
    std::unique_ptr<NatsServer> nats_server_;
    std::unique_ptr<bus::Nats> nats_;
    std::map<std::string, std::uint16_t> ports_;
    std::map<std::string, std::unique_ptr<Process>> processes_;
    std::map<std::string, std::unique_ptr<db::Pool>> pools_;
    std::map<std::string, std::unique_ptr<http::Client>> clients_;
    std::vector<std::string> order_;
    int projects_made_ = 0;
};

}  // namespace sales::test
