#pragma once
// The background thread of the relay and of each inbox consumer: runs a loop that sleeps between
// rounds with wait() and ends promptly when stop() is called; wake() ends one sleep early.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sales::bus {

class Worker {
  public:
    ~Worker() { stop(); }
    bool running() const { return thread_.joinable(); }
    // Starts `loop` on a new thread unless one runs.
    void start(std::function<void()> loop) {
        if (running())
            return;
        {
            std::lock_guard lock(mutex_);
            stopping_ = false;
        }
        thread_ = std::thread(std::move(loop));
    }
    // Wakes wait() and joins the thread.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable())
            thread_.join();
    }
    // Ends the current wait() early, or the next one if none is in progress (no wake-up is lost
    // while the loop is busy); from any thread.
    void wake() {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        cv_.notify_all();
    }
    bool should_stop() {
        std::lock_guard lock(mutex_);
        return stopping_;
    }
    // Sleeps up to `d` or until wake(); returns false when stop() was called.
    bool wait(std::chrono::milliseconds d) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, d, [&] { return stopping_ || woken_; });
        woken_ = false;
        return !stopping_;
    }
    // Sleeps `d` whatever wake() says (a backoff); a wake-up meanwhile ends the next wait().
    // Returns false when stop() was called.
    bool pause(std::chrono::milliseconds d) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, d, [&] { return stopping_; });
        return !stopping_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
};

}  // namespace sales::bus
