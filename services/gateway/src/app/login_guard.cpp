#include "app/login_guard.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "sales/auth.hpp"
#include "sales/failure.hpp"
#include "sales/log.hpp"

namespace gateway::app {
namespace {
using sales::Failure;

[[noreturn]] void throttled(std::int64_t wait, const std::string& what) {
    throw Failure(Failure::Kind::too_many_requests, "login_throttled",
                  "too many login attempts " + what + "; try again later",
                  {{"retry_after_seconds", wait}});
}
}  // namespace

PasswordWorkers::PasswordWorkers(int threads, int queue)
    : capacity_(static_cast<std::size_t>(std::max(1, threads) + std::max(0, queue))) {
    for (int i = 0; i < std::max(1, threads); ++i)
        threads_.emplace_back([this] { serve(); });
}

PasswordWorkers::~PasswordWorkers() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        t.join();
}

bool PasswordWorkers::run(const std::function<void()>& work) {
    Job job{&work, nullptr, false};
    {
        std::unique_lock lock(mutex_);
        if (in_flight_ >= capacity_)
            return false;
        ++in_flight_;
        jobs_.push_back(&job);
        wake_.notify_one();
        done_.wait(lock, [&] { return job.done; });
        --in_flight_;
    }
    if (job.error)
        std::rethrow_exception(job.error);
    return true;
}

void PasswordWorkers::serve() {
    // Lower priority than the I/O threads (per-thread nice on Linux): see login_guard.hpp.
    if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10) != 0)
        sales::log::warn("password workers: cannot lower the thread priority");
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty())
            return;  // stopping, nothing left
        Job* job = jobs_.front();
        jobs_.pop_front();
        lock.unlock();
        try {
            (*job->work)();
        } catch (...) {
            job->error = std::current_exception();
        }
        lock.lock();
        job->done = true;
        done_.notify_all();
    }
}

LoginGuard::LoginGuard(const LoginLimits& limits)
    : workers_(limits.workers, limits.queue),
      per_user_address_(limits.per_user_address_per_minute, std::chrono::seconds(60)),
      per_address_(limits.per_address_per_minute, std::chrono::seconds(60)),
      all_(limits.per_second, limits.per_second),
      dummy_hash_(sales::auth::hash_password(sales::auth::random_token(18))) {}

void LoginGuard::admit(const std::string& username, const std::string& address) {
    const auto now = std::chrono::steady_clock::now();
    if (const auto wait = per_address_.take(address, now); wait > 0)
        throttled(wait, "from this address");
    // Unambiguous key: an address has no space.
    if (const auto wait = per_user_address_.take(username + " " + address, now); wait > 0)
        throttled(wait, "for this username from this address");
    if (const auto wait = all_.take("", now); wait > 0)
        throttled(wait, "on this server");
}

void LoginGuard::busy() {
    throw Failure(Failure::Kind::too_many_requests, "login_busy",
                  "the server is busy checking other logins; try again in a second",
                  {{"retry_after_seconds", 1}});
}

}  // namespace gateway::app
