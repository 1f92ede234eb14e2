#include "domain/access_log.hpp"

#include <utility>

namespace gateway::domain {

AccessEntry access_entry(const RouteRule* rule, bool unmatched, const std::string& method,
                         int status) {
    if (status == 429)
        return AccessEntry::counted;
    if (unmatched)
        return status >= 400 ? AccessEntry::counted : AccessEntry::none;
    if (rule == nullptr)
        return AccessEntry::none;  // /healthz, /docs, CORS preflight
    if (status == 401 && rule->access != Access::open)
        return AccessEntry::counted;  // no valid token: not rate limited per user
    if (is_write(method) || status == 401 || status == 403)
        return AccessEntry::row;
    return AccessEntry::none;
}

void RefusalCounter::add(RefusalKey key, const std::string& user_id, const std::string& path,
                         const std::string& request_id, const std::string& remote_address) {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(key);
    if (it == counts_.end() && counts_.size() >= max_keys_) {
        key.who.assign(1, '*');  // not = "*": GCC 12 -Wrestrict false positive
        it = counts_.find(key);
    }
    if (it == counts_.end())
        it =
            counts_
                .emplace(std::move(key), RefusalCount{0, user_id, path, request_id, remote_address})
                .first;
    ++it->second.count;
}

std::map<RefusalKey, RefusalCount> RefusalCounter::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(counts_, {});
}

}  // namespace gateway::domain
