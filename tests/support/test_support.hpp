#pragma once
// Helpers for integration tests: the real PostgreSQL and NATS that scripts/test.sh starts
// (SALES_TEST_PG_HOST/PORT/USER, SALES_TEST_NATS_URL), child processes to kill -9, a private
// nats-server to stop and restart, and polling with a deadline (never sleeps as synchronisation).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sales::test {

// Skips nothing: throws std::runtime_error naming the variable when the environment is missing,
// so a misconfigured run fails loudly instead of passing vacuously.
std::string pg_conninfo(const std::string& database);
// Drops and creates `database`; returns its conninfo.
std::string fresh_database(const std::string& database);
std::string nats_url();
// Restarts the shared PostgreSQL server (SALES_TEST_PG_RESTART_CMD); blocks until it is back.
void restart_postgres();

std::uint16_t free_port();

// Polls `condition` every `interval` until true or `timeout` passes; returns the last value.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20),
                std::chrono::milliseconds interval = std::chrono::milliseconds(20));

// A child process with its own environment on top of ours; stdout/stderr go to `log_path`.
class Process {
  public:
    Process(std::string executable, std::vector<std::string> args,
            std::map<std::string, std::string> env, std::string log_path);
    ~Process();  // SIGKILL if still running
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    int pid() const { return pid_; }
    bool running();
    void kill9();
    // SIGTERM and wait; returns the exit status (or -signal).
    int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(15));
    // Waits for the process to end by itself (e.g. a fault point); returns exit status or -signal.
    int wait_exit(std::chrono::milliseconds timeout);
    std::string log() const;

  private:
    int pid_ = -1;
    int status_ = 0;
    bool reaped_ = false;
    std::string log_path_;
};

// A private nats-server with JetStream on a free port and its own store directory.
class NatsServer {
  public:
    NatsServer();
    ~NatsServer();
    std::string url() const;
    std::uint16_t monitor_port() const { return monitor_port_; }
    void stop();   // SIGKILL: store on disk is kept
    void start();  // same port and store
  private:
    std::uint16_t port_;
    std::uint16_t monitor_port_;
    std::string dir_;
    std::unique_ptr<Process> process_;
};

// Starts services/<name>/<name> from the build with `env` (SALES_<NAME>_PORT is set to `port`)
// and waits until its /readyz answers 200; throws with the service's log if it does not.
std::unique_ptr<Process> start_service(const std::string& name, std::uint16_t port,
                                       std::map<std::string, std::string> env,
                                       const std::string& log_path);

// A fresh temporary directory for logs of one test.
std::string temp_dir(const std::string& prefix);

// Path of a built executable (SALES_BUILD_DIR/…), e.g. binary("services/inventory/inventory").
std::string binary(const std::string& relative);

}  // namespace sales::test
