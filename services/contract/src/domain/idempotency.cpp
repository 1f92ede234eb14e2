#include "domain/idempotency.hpp"

#include <cstdint>
#include <cstdio>

namespace contract::domain {

bool valid_idempotency_key(std::string_view key) {
    if (key.empty() || key.size() > 128)
        return false;
    for (unsigned char c : key) {
        if (c < 0x21 || c > 0x7E)
            return false;
    }
    return true;
}

std::string request_fingerprint(std::string_view method, std::string_view path,
                                const nlohmann::json& body) {
    std::uint64_t hash = 14695981039346656037ULL;
    const auto feed = [&hash](std::string_view bytes) {
        for (unsigned char c : bytes) {
            hash ^= c;
            hash *= 1099511628211ULL;
        }
        hash ^= 0xFF;  // separator: ("ab","c") and ("a","bc") differ
        hash *= 1099511628211ULL;
    };
    feed(method);
    feed(path);
    feed(body.dump());
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

}  // namespace contract::domain
