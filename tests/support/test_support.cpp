#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"

namespace sales::test {
namespace {
std::string env_or_throw(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) {
        throw std::runtime_error(std::string(name) +
                                 " is not set: run the tests through scripts/test.sh, which starts "
                                 "PostgreSQL and NATS and exports it");
    }
    return v;
}

bool port_accepts(std::uint16_t port) {
    const int fd = connect_loopback(port);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

// A conninfo value in single quotes (libpq: backslash escapes ' and \).
std::string conninfo_value(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

// Database and role names are made by the tests: letters, digits, '_' and '-' only, so that
// they need no escaping inside double quotes nor in a conninfo.
std::string identifier(const std::string& name) {
    const bool plain =
        !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (!plain)
        throw std::invalid_argument("not a plain database/role name: '" + name + "'");
    return "\"" + name + "\"";
}
}  // namespace

std::string pg_conninfo(const std::string& database) {
    const char* socket = std::getenv("SALES_TEST_PG_SOCKET");
    std::string conninfo = "host=" +
                           conninfo_value(socket && *socket ? std::string(socket)
                                                            : env_or_throw("SALES_TEST_PG_HOST")) +
                           " port=" + env_or_throw("SALES_TEST_PG_PORT") +
                           " user=" + env_or_throw("SALES_TEST_PG_USER") + " dbname=" + database;
    if (const char* password = std::getenv("SALES_TEST_PG_PASSWORD"); password && *password)
        conninfo += " password=" + conninfo_value(password);
    return conninfo;
}

std::string fresh_database(const std::string& database) {
    const auto admin = pg_conninfo("postgres");
    db::exec_outside_transaction(
        admin, "DROP DATABASE IF EXISTS " + identifier(database) + " WITH (FORCE)");
    db::exec_outside_transaction(admin, "CREATE DATABASE " + identifier(database));
    return pg_conninfo(database);
}

std::string random_password() {
    std::random_device random;
    std::string out;
    for (int i = 0; i < 4; ++i) {
        char chunk[9];
        std::snprintf(chunk, sizeof chunk, "%08x", static_cast<unsigned>(random()));
        out += chunk;
    }
    return out;
}

ServiceDatabase fresh_service_database(const std::string& name) {
    const auto id = identifier(name);
    ServiceDatabase out{name, random_password(), "", pg_conninfo(name)};
    const auto admin = pg_conninfo("postgres");
    db::exec_outside_transaction(admin, "DROP DATABASE IF EXISTS " + id + " WITH (FORCE)");
    db::exec_outside_transaction(admin, "DROP ROLE IF EXISTS " + id +
                                            "; SET password_encryption = 'scram-sha-256'; "
                                            "CREATE ROLE " +
                                            id +
                                            " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                            "NOREPLICATION NOBYPASSRLS PASSWORD '" +
                                            out.password + "'");
    db::exec_outside_transaction(admin, "CREATE DATABASE " + id + " OWNER " + id);
    db::exec_outside_transaction(out.admin_conninfo,
                                 "REVOKE ALL ON DATABASE " + id +
                                     " FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    out.conninfo = "host=" + conninfo_value(env_or_throw("SALES_TEST_PG_HOST")) +
                   " port=" + env_or_throw("SALES_TEST_PG_PORT") + " user=" + name +
                   " password=" + conninfo_value(out.password) + " dbname=" + name;
    return out;
}

std::string nats_url() {
    return env_or_throw("SALES_TEST_NATS_URL");
}

void restart_postgres() {
    const auto command = env_or_throw("SALES_TEST_PG_RESTART_CMD");
    if (std::system(command.c_str()) != 0) {
        throw std::runtime_error("restarting PostgreSQL failed: " + command);
    }
}

std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() to a free port failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

void set_receive_timeout(int fd, std::chrono::milliseconds timeout) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
    timeval tv{static_cast<time_t>(micros / 1'000'000),
               static_cast<suseconds_t>(micros % 1'000'000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

int connect_loopback(std::uint16_t port, const std::string& from) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (!from.empty()) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        if (::inet_pton(AF_INET, from.c_str(), &local.sin_addr) != 1 ||
            ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
        ::close(fd);
        return -1;
    }
    set_receive_timeout(fd, std::chrono::seconds(10));
    return fd;
}

std::string read_http_message(int fd) {
    std::string got;
    char buf[4096];
    for (;;) {
        const auto head_end = got.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            std::size_t length = 0;
            const auto at = got.find("Content-Length: ");
            if (at != std::string::npos && at < head_end)
                length = std::stoul(got.substr(at + 16));
            if (got.size() >= head_end + 4 + length)
                return got;
        }
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return "";
        got.append(buf, static_cast<std::size_t>(n));
    }
}

LoopbackListener::LoopbackListener() : fd(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 16) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const std::string error = std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot listen on 127.0.0.1: " + error);
    }
    port = ntohs(addr.sin_port);
}

LoopbackListener::~LoopbackListener() {
    ::close(fd);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(interval);
    }
}

Process::Process(std::string executable, std::vector<std::string> args,
                 std::map<std::string, std::string> env, std::string log_path)
    : log_path_(std::move(log_path)) {
    const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0)
        throw std::runtime_error("cannot open log file " + log_path_);
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(log_fd);
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        // A service under test has its own role; the administrator's password stays here.
        ::unsetenv("PGPASSWORD");
        ::unsetenv("SALES_TEST_PG_PASSWORD");
        for (const auto& [k, v] : env)
            ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv;
        argv.push_back(executable.data());
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execvp(executable.c_str(), argv.data());
        std::fprintf(stderr, "exec %s failed: %s\n", executable.c_str(), std::strerror(errno));
        ::_exit(127);
    }
    ::close(log_fd);
}

Process::~Process() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
}

bool Process::running() {
    if (reaped_)
        return false;
    const int r = ::waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        return false;
    }
    return true;
}

void Process::kill9() {
    if (reaped_)
        return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
}

namespace {
int decode_status(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);
    return -1;
}
}  // namespace

int Process::wait_exit(std::chrono::milliseconds timeout) {
    if (!eventually([&] { return !running(); }, timeout, std::chrono::milliseconds(10))) {
        throw std::runtime_error("process " + std::to_string(pid_) + " did not exit within " +
                                 std::to_string(timeout.count()) + " ms; log: " + log_path_);
    }
    return decode_status(status_);
}

int Process::terminate(std::chrono::milliseconds timeout) {
    if (reaped_)
        return decode_status(status_);
    ::kill(pid_, SIGTERM);
    return wait_exit(timeout);
}

std::string Process::log() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::vector<std::string>& NatsServer::users() {
    static const std::vector<std::string> names{"inventory", "contract",  "customer",
                                                "finance",   "reporting", "webhooks",
                                                "gateway",   "property",  "admin"};
    return names;
}

NatsServer::NatsServer() : port_(free_port()), monitor_port_(free_port()) {
    dir_ = (std::filesystem::temp_directory_path() / ("sales-nats-" + new_uuid())).string();
    std::filesystem::create_directories(dir_ + "/store");
    for (const auto& user : users())
        passwords_[user] = random_password();
    start();
}

NatsServer::~NatsServer() {
    process_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string NatsServer::url() const {
    return "nats://admin:" + passwords_.at("admin") + "@127.0.0.1:" + std::to_string(port_);
}

std::string NatsServer::address() const {
    return "nats://127.0.0.1:" + std::to_string(port_);
}

std::map<std::string, std::string> NatsServer::service_env(const std::string& service) const {
    return {{"SALES_NATS_URL", address()},
            {"SALES_NATS_USER", service},
            {"SALES_NATS_PASSWORD", password(service)}};
}

void NatsServer::stop() {
    if (process_)
        process_->kill9();
    process_.reset();
}

void NatsServer::start() {
    // nats.conf reads each user's password from SALES_NATS_<USER>_PASSWORD, which nats-server
    // parses as a configuration value: in double quotes, or "8e1..." would be a number.
    std::map<std::string, std::string> env;
    for (const auto& [user, password] : passwords_) {
        std::string upper = user;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        env["SALES_NATS_" + upper + "_PASSWORD"] = "\"" + password + "\"";
    }
    const char* config_override = std::getenv("SALES_NATS_CONFIG");
    const std::string config =
        config_override && *config_override ? config_override : SALES_NATS_CONFIG_FILE;
    process_ = std::make_unique<Process>(
        "nats-server",
        std::vector<std::string>{"-c", config, "-a", "127.0.0.1", "-p", std::to_string(port_), "-m",
                                 std::to_string(monitor_port_), "-js", "-sd", dir_ + "/store"},
        std::move(env), dir_ + "/nats.log");
    const bool listening = eventually([&] { return !process_->running() || port_accepts(port_); },
                                      std::chrono::seconds(10));
    if (!listening || !process_->running()) {
        throw std::runtime_error("nats-server did not start on port " + std::to_string(port_) +
                                 "; log: " + process_->log());
    }
}

std::unique_ptr<Process> start_service(const std::string& name, std::uint16_t port,
                                       std::map<std::string, std::string> env,
                                       const std::string& log_path) {
    std::string upper = name;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    env["SALES_" + upper + "_PORT"] = std::to_string(port);
    auto process = std::make_unique<Process>(binary("services/" + name + "/" + name),
                                             std::vector<std::string>{}, env, log_path);
    http::Client client("127.0.0.1", port);
    const bool ready = eventually(
        [&] {
            if (!process->running())
                return true;  // reported below
            try {
                return client.get("/readyz").status == 200;
            } catch (const http::ClientError&) {
                return false;
            }
        },
        std::chrono::seconds(30), std::chrono::milliseconds(50));
    if (!ready || !process->running()) {
        throw std::runtime_error(name + " did not become ready; its log:\n" + process->log());
    }
    return process;
}

std::string temp_dir(const std::string& prefix) {
    const auto dir =
        std::filesystem::temp_directory_path() / (prefix + "-" + new_uuid().substr(0, 8));
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string binary(const std::string& relative) {
    const char* override_dir = std::getenv("SALES_BUILD_DIR");
    return std::string(override_dir && *override_dir ? override_dir : SALES_BUILD_DIR) + "/" +
           relative;
}

}  // namespace sales::test
