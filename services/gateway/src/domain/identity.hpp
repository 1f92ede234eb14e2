#pragma once
// Identity rules (SEC-1), pure: password policy, lockout, hierarchical administration, and the
// token buckets and sliding windows of the rate limiter and login throttles. No I/O.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gateway::domain {

// Empty when acceptable, else what is wrong: at least 12 characters (at most 128), three of the
// four classes (lower, upper, digit, other), not containing the username.
std::string password_problem(const std::string& password, const std::string& username);

// Usernames: 3..64 of [a-z0-9._-].
bool valid_username(const std::string& username);

// Lockout (SEC-1): `max_failures` wrong passwords within `lock_for` lock for `lock_for`. The
// gateway keeps one state per (user, client address) and one per user (all addresses, with a
// much higher max_failures), so a flood from one address does not lock the user out elsewhere.
struct LockoutPolicy {
    int max_failures = 5;
    std::chrono::seconds lock_for{15 * 60};
};
struct LoginState {
    int failed_attempts = 0;
    std::optional<std::chrono::system_clock::time_point> counting_since;  // first counted failure
    std::optional<std::chrono::system_clock::time_point> locked_until;
};
bool is_locked(const LoginState& state, std::chrono::system_clock::time_point now);
// State after a failed attempt: unchanged while locked (attempts during a lock do not count);
// a count older than lock_for restarts; at max_failures the state locks and the count restarts.
LoginState after_failure(LoginState state, const LockoutPolicy& policy,
                         std::chrono::system_clock::time_point now);

// Hierarchical administration: a group admin (admin without region) administers everyone; a
// region admin administers non-admin users of its own region only.
struct Admin {
    std::vector<std::string> roles;
    std::string region;                    // "" = group level
    std::vector<std::string> project_ids;  // the administrator's own projects ("*" = all)
};
struct Target {
    std::vector<std::string> roles;
    std::string region;
};
// Empty when allowed, else the reason.
std::string administration_problem(const Admin& actor, const Target& target);
// What an administrator may grant (SEC-1): a group admin anything; a region admin no role above
// its own level (admin) and only projects it holds itself ("*" only when it holds "*").
// Empty when allowed, else the reason (403 grant_exceeds_scope).
std::string grant_problem(const Admin& actor, const std::vector<std::string>& roles,
                          const std::vector<std::string>& project_ids);

// The client address of "address:port" (IPv4 or IPv6), the key of the per-IP limit.
std::string client_address(const std::string& remote);

// Token bucket rate limiter keyed by user or IP: `capacity` requests at once, refilled at
// `per_second`. Thread-safe. take() returns 0 when allowed, else seconds to wait (≥ 1).
class RateLimiter {
  public:
    RateLimiter(double capacity, double per_second) : capacity_(capacity), rate_(per_second) {}
    std::int64_t take(const std::string& key, std::chrono::steady_clock::time_point now);

  private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point at;
    };
    double capacity_;
    double rate_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

// At most `max` attempts per key within a sliding `window` (login throttles). Thread-safe.
// take() records the attempt and returns 0 when allowed, else seconds until one is (≥ 1; a
// refused attempt is not recorded).
class SlidingWindowLimiter {
  public:
    SlidingWindowLimiter(int max, std::chrono::seconds window) : max_(max), window_(window) {}
    std::int64_t take(const std::string& key, std::chrono::steady_clock::time_point now);

  private:
    int max_;
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> attempts_;
    std::int64_t calls_ = 0;
};

}  // namespace gateway::domain
