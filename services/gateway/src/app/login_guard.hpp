#pragma once
// Login under attack (SEC-1, issue 11): throttles in front of the password check and a small
// bounded pool for the password work (argon2id) itself.
//
// Why a bounded pool and not more: HTTP handlers are synchronous (sales/http.hpp), so the I/O
// thread of a login waits for its password check whatever runs it. What keeps the other
// requests (GET /api/v1/auth/me) fast under a flood is that
//   - at most `workers + queue` logins are in the password check at once, and that number is
//     below the I/O threads (main.cpp refuses to start otherwise), so the other I/O threads stay
//     free; a login beyond it is answered 429 login_busy at once, before any database or
//     argon2id work;
//   - the workers run at a lower CPU priority (nice +10), so on a busy machine argon2id (about
//     0.1 s of CPU and 64 MiB each) yields the cores to the requests that are cheap to serve;
//   - the throttles refuse a flood before it reaches the pool: per (username, address), per
//     address and for all logins together, 429 login_throttled with Retry-After.
// The throttles are in memory, per gateway process; the lockout (login()) is in the database.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/identity.hpp"

namespace gateway::app {

struct LoginLimits {
    int workers = 1;                      // threads computing argon2id
    int queue = 1;                        // password checks waiting for a worker
    int per_user_address_per_minute = 5;  // attempts per (username, client address)
    int per_address_per_minute = 60;      // attempts per client address, any username
    int per_second = 20;                  // attempts of all clients together
};

// Runs password work on `threads` threads; at most `threads + queue` jobs in flight.
class PasswordWorkers {
  public:
    PasswordWorkers(int threads, int queue);
    ~PasswordWorkers();
    PasswordWorkers(const PasswordWorkers&) = delete;
    PasswordWorkers& operator=(const PasswordWorkers&) = delete;

    // Runs `work` on a worker and waits for it (its exception is rethrown here). Returns false at
    // once, without running it, when the pool is full.
    bool run(const std::function<void()>& work);

  private:
    struct Job {
        const std::function<void()>* work;
        std::exception_ptr error;
        bool done = false;
    };
    void serve();

    std::size_t capacity_;
    std::size_t in_flight_ = 0;
    bool stopping_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;  // workers: a job or stop
    std::condition_variable done_;  // callers: a job finished
    std::deque<Job*> jobs_;
    std::vector<std::thread> threads_;
};

class LoginGuard {
  public:
    explicit LoginGuard(const LoginLimits& limits);

    // Counts the attempt against the throttles (per address, then per username and address,
    // then all logins); throws 429 login_throttled with retry_after_seconds when one refuses.
    // The same for every username, existing or not.
    void admit(const std::string& username, const std::string& address);

    // Runs `work` (password hashing or verification) on the pool and returns its result; throws
    // 429 login_busy when the pool is full.
    template <class F>
    auto password_work(F work) -> decltype(work()) {
        std::optional<decltype(work())> result;
        if (!workers_.run([&] { result.emplace(work()); }))
            busy();
        return std::move(*result);
    }

    // An argon2id hash of no one's password, with the same cost as the users' hashes: unknown
    // usernames are checked against it, so that they take as long as known ones.
    const std::string& dummy_hash() const { return dummy_hash_; }

  private:
    [[noreturn]] static void busy();

    PasswordWorkers workers_;
    domain::SlidingWindowLimiter per_user_address_;
    domain::SlidingWindowLimiter per_address_;
    domain::RateLimiter all_;
    std::string dummy_hash_;
};

}  // namespace gateway::app
