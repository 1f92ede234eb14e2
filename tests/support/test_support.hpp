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
// The administrator's (superuser SALES_TEST_PG_USER) conninfo: through the Unix socket in
// SALES_TEST_PG_SOCKET when set, else over TCP to SALES_TEST_PG_HOST; with
// SALES_TEST_PG_PASSWORD when set. Tests may read and set up data as the administrator; the
// services never get it (Process removes the administrator's password from their environment).
std::string pg_conninfo(const std::string& database);
// Drops and creates `database`, owned by the administrator; returns its conninfo.
std::string fresh_database(const std::string& database);

// One service's own database (issue 11 item 9): the role `name` (LOGIN NOSUPERUSER NOCREATEDB
// NOCREATEROLE, a fresh random password stored as SCRAM-SHA-256) owning the database `name`,
// which PUBLIC - every other role - may not connect to.
struct ServiceDatabase {
    std::string name;            // of the database and of its role
    std::string password;        // the role's
    std::string conninfo;        // the service's: TCP to SALES_TEST_PG_HOST, its role, password
    std::string admin_conninfo;  // the administrator's, to check what the service wrote
};
// Drops the database and the role `name` if they exist, and creates them afresh.
ServiceDatabase fresh_service_database(const std::string& name);
// A random password of 32 hexadecimal digits.
std::string random_password();

std::string nats_url();
// Restarts the shared PostgreSQL server (SALES_TEST_PG_RESTART_CMD); blocks until it is back.
void restart_postgres();

std::uint16_t free_port();

// Polls `condition` every `interval` until true or `timeout` passes; returns the last value.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20),
                std::chrono::milliseconds interval = std::chrono::milliseconds(20));

// Raw HTTP/1.1 over loopback sockets, for what sales::http::Client hides or cannot do: the
// local address of a connection, the bytes on the wire, a peer that reads and closes.

// Bounds how long a recv() (or an accept()) on `fd` waits: a bound on how long a test waits for
// its peer, not a sleep.
void set_receive_timeout(int fd, std::chrono::milliseconds timeout);
// A TCP connection to 127.0.0.1:`port` whose local end is bound to `from` when not empty (any
// 127.x.y.z is this machine on Linux), with a 10 s receive timeout; -1 when it cannot bind or
// connect.
int connect_loopback(std::uint16_t port, const std::string& from = "");
// Reads one HTTP message (head and Content-Length body) from `fd`; "" when the peer closed or
// the receive timeout passed first.
std::string read_http_message(int fd);

// A listening socket on 127.0.0.1 at a free port (for scripted peers); throws when it cannot
// listen. Accepts wait without bound unless set_receive_timeout(fd, …) says otherwise.
struct LoopbackListener {
    LoopbackListener();
    ~LoopbackListener();
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;
    int fd = -1;
    std::uint16_t port = 0;
};

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

// A private nats-server with JetStream on a free port and its own store directory, with the
// users and permissions of deploy/local/nats.conf: one user per service (its own subjects only)
// and "admin" (everything); each with a fresh random password.
class NatsServer {
  public:
    // The users of deploy/local/nats.conf.
    static const std::vector<std::string>& users();

    NatsServer();
    ~NatsServer();
    // The administrator's URL, credentials included (for tests and fakes, which may do anything).
    std::string url() const;
    // The URL without credentials: connections to it are refused.
    std::string address() const;
    const std::string& password(const std::string& user) const { return passwords_.at(user); }
    // SALES_NATS_URL, SALES_NATS_USER and SALES_NATS_PASSWORD of `service`'s own user.
    std::map<std::string, std::string> service_env(const std::string& service) const;
    std::uint16_t monitor_port() const { return monitor_port_; }
    void stop();   // SIGKILL: store on disk is kept
    void start();  // same port, store and passwords
  private:
    std::uint16_t port_;
    std::uint16_t monitor_port_;
    std::string dir_;
    std::map<std::string, std::string> passwords_;
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
