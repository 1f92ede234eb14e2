#include "domain/identity.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace gateway::domain {

std::string password_problem(const std::string& password, const std::string& username) {
    if (password.size() < 12)
        return "password must have at least 12 characters";
    if (password.size() > 128)
        return "password must have at most 128 characters";
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : password) {
        if (std::islower(c))
            lower = true;
        else if (std::isupper(c))
            upper = true;
        else if (std::isdigit(c))
            digit = true;
        else
            other = true;
    }
    if (int(lower) + int(upper) + int(digit) + int(other) < 3)
        return "password must mix three of: lower case, upper case, digits, other characters";
    if (!username.empty()) {
        std::string p = password, u = username;
        for (auto* s : {&p, &u})
            std::transform(s->begin(), s->end(), s->begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (p.find(u) != std::string::npos)
            return "password must not contain the username";
    }
    return "";
}

bool valid_username(const std::string& username) {
    if (username.size() < 3 || username.size() > 64)
        return false;
    return std::all_of(username.begin(), username.end(), [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || c == '.' || c == '_' || c == '-';
    });
}

bool is_locked(const LoginState& state, std::chrono::system_clock::time_point now) {
    return state.locked_until && *state.locked_until > now;
}

LoginState after_failure(LoginState state, const LockoutPolicy& policy,
                         std::chrono::system_clock::time_point now) {
    if (is_locked(state, now))
        return state;
    state.locked_until.reset();
    if (!state.counting_since || *state.counting_since + policy.lock_for <= now) {
        state.failed_attempts = 0;
        state.counting_since = now;
    }
    state.failed_attempts += 1;
    if (state.failed_attempts >= policy.max_failures) {
        state.locked_until = now + policy.lock_for;
        state.failed_attempts = 0;
        state.counting_since.reset();
    }
    return state;
}

std::string administration_problem(const Admin& actor, const Target& target) {
    const auto is_admin = [](const std::vector<std::string>& roles) {
        return std::find(roles.begin(), roles.end(), "admin") != roles.end();
    };
    if (!is_admin(actor.roles))
        return "only administrators manage users";
    if (actor.region.empty())
        return "";
    if (target.region != actor.region)
        return "a region administrator manages users of region " + actor.region + " only";
    if (is_admin(target.roles))
        return "only the group administrator manages administrators";
    return "";
}

std::string grant_problem(const Admin& actor, const std::vector<std::string>& roles,
                          const std::vector<std::string>& project_ids) {
    if (actor.region.empty())
        return "";
    if (std::find(roles.begin(), roles.end(), "admin") != roles.end())
        return "a region administrator cannot grant the admin role";
    const auto holds = [&](const std::string& project) {
        return std::find(actor.project_ids.begin(), actor.project_ids.end(), project) !=
               actor.project_ids.end();
    };
    if (holds("*"))
        return "";
    for (const auto& project : project_ids) {
        if (project == "*")
            return "a region administrator without every project cannot grant every project";
        if (!holds(project))
            return "a region administrator grants only its own projects; not " + project;
    }
    return "";
}

std::string client_address(const std::string& remote) {
    const auto colon = remote.rfind(':');
    return colon == std::string::npos ? remote : remote.substr(0, colon);
}

std::int64_t RateLimiter::take(const std::string& key, std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (buckets_.size() > 100'000)
        buckets_.clear();  // bounded memory under an address-spraying client
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity_, now});
    auto& b = it->second;
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(capacity_, b.tokens + std::max(0.0, elapsed) * rate_);
    b.at = now;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max<std::int64_t>(1,
                                  static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / rate_)));
}

std::int64_t SlidingWindowLimiter::take(const std::string& key,
                                        std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto expired = [&](std::chrono::steady_clock::time_point at) {
        return at + window_ <= now;
    };
    // Bounded memory under an address- or username-spraying client: forget idle keys now and
    // then, everything past 100 000 keys.
    if (++calls_ % 4096 == 0 || attempts_.size() > 100'000) {
        for (auto it = attempts_.begin(); it != attempts_.end();)
            it = it->second.empty() || expired(it->second.back()) ? attempts_.erase(it)
                                                                  : std::next(it);
        if (attempts_.size() > 100'000)
            attempts_.clear();
    }
    auto& times = attempts_[key];
    while (!times.empty() && expired(times.front()))
        times.pop_front();
    if (static_cast<int>(times.size()) < max_) {
        times.push_back(now);
        return 0;
    }
    const auto wait = times.front() + window_ - now;
    return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
}

}  // namespace gateway::domain
