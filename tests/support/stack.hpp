#pragma once
// The one fixture of API and cross-service tests: the services under test started for real — a
// private nats-server, a fresh database per service on the PostgreSQL of scripts/test.sh, each
// service process, an HTTP client and a database pool for each — and the common steps (tokens
// per role, calls, error checks, row counts, a released project). Each service connects with
// its own database role and NATS user only (fresh_service_database, NatsServer::service_env);
// the stack's pools and NATS connection are the administrator's.
//
// A service's API test starts a one-service stack once per suite (fixture StackSuite below):
//   static void SetUpTestSuite() { stack_ = new Stack("cus_api", {"customer"}); }
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "test_support.hpp"

namespace sales::test {

// EXPECTs the error envelope {"error":{"code","message","details"}} with `status` and `code`;
// returns the error object (null when the body is not an envelope).
nlohmann::json expect_error(const http::ClientResponse& response, int status,
                            const std::string& code);

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
    // The administrator's pool on the service's database (tests read and arrange as admin).
    db::Pool& db(const std::string& service);
    // The service's own database, role and password.
    const ServiceDatabase& database(const std::string& service) const {
        return databases_.at(service);
    }
    bus::Nats& nats() { return *nats_; }
    std::uint16_t port(const std::string& service) const { return ports_.at(service); }
    // Every service's log, for a failing test's output.
    std::string logs() const;
    // The directory of the stack's logs (a test's own files may go there too).
    const std::string& log_directory() const { return log_dir_; }

    // The gateway (when in `services`) fronts the other services of the stack; an upstream not
    // in the stack points to a closed port (503) unless `env` sets SALES_GATEWAY_<SVC>_URL.
    // Its first administrator is "admin" with kAdminPassword.
    static constexpr const char* kAdminPassword = "Stack-Root-Passw0rd-1";
    // The token key pair of this test process (Ed25519, kid "test-1"): every service of every
    // stack gets its public key (SALES_TOKEN_PUBLIC_KEYS, unless `env` sets it), the gateway its
    // private key file (SALES_TOKEN_PRIVATE_KEY_FILE, mode 0600 in the stack's log directory).
    static const auth::SigningKey& signing_key();
    // SALES_TOKEN_PUBLIC_KEYS of the stack: "test-1:<base64>".
    static std::string public_keys();
    // A token for `principal` signed with signing_key() (lifetime at most 1 h).
    static std::string token(const Principal& principal);
    // Logs in through the gateway; returns the login response (access and refresh token).
    nlohmann::json login(const std::string& username, const std::string& password);
    // Authorization + Content-Type headers for an access token.
    static http::Headers bearer(const std::string& access_token);
    // A password that satisfies the gateway's policy and never contains `username`.
    static std::string password_of(const std::string& username);
    // POST /api/v1/users through the gateway with `token`: `username` (its display name too)
    // with password_of(username), `roles`, `projects` and, when not empty, `region`.
    http::ClientResponse post_user(const std::string& token, const std::string& username,
                                   const std::vector<std::string>& roles,
                                   const std::vector<std::string>& projects = {"*"},
                                   const std::string& region = "");
    // post_user, EXPECTing 201; returns the new user's id ("" when refused).
    std::string create_user(const std::string& token, const std::string& username,
                            const std::vector<std::string>& roles,
                            const std::vector<std::string>& projects = {"*"},
                            const std::string& region = "");

    // Bearer token of user "user-<role>" with that one role, for `projects`.
    static http::Headers auth(const std::string& role, std::vector<std::string> projects = {"*"});
    // Bearer token of `user` with `roles` and `projects`.
    static http::Headers as(const std::string& user, std::vector<std::string> roles,
                            std::vector<std::string> projects = {"*"});
    // One request; `body` null sends no body.
    http::ClientResponse call(const std::string& service, const std::string& method,
                              const std::string& path, const nlohmann::json& body,
                              const http::Headers& headers);
    // Calls `service` as `role`; EXPECTs `status` and returns the JSON body.
    nlohmann::json ok(const std::string& service, const std::string& method,
                      const std::string& path, const nlohmann::json& body, const std::string& role,
                      int status = 200);
    std::int64_t count(const std::string& service, const std::string& sql,
                       const db::Params& params = {});
    // Row count of every table in `tables` (to prove a refused request wrote nothing).
    std::map<std::string, std::int64_t> row_counts(const std::string& service,
                                                   const std::vector<std::string>& tables);
    // Publishes `event` (CloudEvents JSON) on its type's subject, as its producer would, and
    // returns once the stream has stored it (throws when no stream acknowledges it).
    void publish(const bus::Event& event);
    // The log of one service.
    std::string log(const std::string& service) const;
    Process& process(const std::string& service) { return *processes_.at(service); }
    // kill -9 of the service, then the same program with the same environment, port and
    // database; returns once it is ready again (fault tests).
    void kill_and_restart(const std::string& service);
    // The service's program run once with `args` and the service's environment (an operator's
    // command, e.g. `reporting rebuild-read-model`); returns its exit status, its output in `log`.
    int run_command(const std::string& service, const std::vector<std::string>& args,
                    std::string* log = nullptr);
    // The private nats-server of the stack (for fakes that need their own connection): its
    // administrator's URL, which may publish and subscribe to anything.
    std::string nats_url() const { return nats_server_->url(); }
    NatsServer& nats_server() { return *nats_server_; }

    struct Project {
        std::string id;
        std::vector<std::string> unit_ids;  // board order
    };
    // A project with one released building of floors × positions units; `settings` (if not
    // empty) is PATCHed into the project settings. Returns once the contract service (if
    // running) has applied the project's latest version.
    Project released_project(std::int64_t floors, std::int64_t positions,
                             const nlohmann::json& settings = nlohmann::json::object());

    // Publishes inventory.project.created of a new project `code` named `name` in 成都, as
    // inventory would (for stacks without it), and EXPECTs `service` to have it in project_refs
    // in time; returns the project's id.
    std::string announce_project(const std::string& service, const std::string& code,
                                 const std::string& name);

    // The calendar day `days` from today in Asia/Shanghai, "YYYY-MM-DD".
    static std::string date_in_days(int days);

  private:
    std::unique_ptr<NatsServer> nats_server_;
    std::unique_ptr<bus::Nats> nats_;
    std::map<std::string, std::uint16_t> ports_;
    std::map<std::string, std::unique_ptr<Process>> processes_;
    std::map<std::string, std::unique_ptr<db::Pool>> pools_;
    std::map<std::string, ServiceDatabase> databases_;
    std::map<std::string, std::unique_ptr<http::Client>> clients_;
    std::vector<std::string> order_;
    std::map<std::string, std::string> env_;  // every service's
    // Each service's own: SALES_<NAME>_DB and its NATS user (SALES_NATS_URL/USER/PASSWORD).
    std::map<std::string, std::map<std::string, std::string>> service_env_;
    std::map<std::string, std::string> env_of(const std::string& service) const;
    std::string log_dir_;
    int restarts_ = 0;
    int projects_made_ = 0;
};

// The fixture of a test suite that shares one Stack (`Suite` is the fixture itself, so that each
// suite has its own stack_): its SetUpTestSuite starts it (stack_ = new Stack(...)); it stops
// after the suite, and a failed test prints every service's log.
template <typename Suite>
class StackSuite : public ::testing::Test {
  protected:
    static void TearDownTestSuite() {
        delete stack_;
        stack_ = nullptr;
    }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs() << "\n";
    }
    static inline Stack* stack_ = nullptr;
};

}  // namespace sales::test
