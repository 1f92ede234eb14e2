#pragma once
// Injectable time source so deadlines (deposit expiry, audit limits) are testable.
#include <chrono>
#include <mutex>
#include <string>

namespace sales {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
  public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(TimePoint start) : now_(start) {}
    TimePoint now() const override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void advance(std::chrono::system_clock::duration by) {
        std::lock_guard lock(mutex_);
        now_ += by;
    }
    void set(TimePoint t) {
        std::lock_guard lock(mutex_);
        now_ = t;
    }

  private:
    mutable std::mutex mutex_;
    TimePoint now_;
};

// RFC 3339 UTC with millisecond precision: 2026-11-22T07:33:27.123Z
std::string to_rfc3339(TimePoint t);

}  // namespace sales
