#include "sales/ids.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace sales {
namespace {
std::mt19937_64& rng() {
    thread_local std::mt19937_64 engine([] {
        std::random_device device;
        std::seed_seq seq{device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seq);
    }());
    return engine;
}

constexpr char kHex[] = "0123456789abcdef";

std::string random_hex(std::size_t chars) {
    std::string out;
    out.reserve(chars);
    while (out.size() < chars) {
        std::uint64_t word = rng()();
        for (int i = 0; i < 16 && out.size() < chars; ++i, word >>= 4)
            out.push_back(kHex[word & 0xF]);
    }
    return out;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_lower_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
}  // namespace

std::string new_uuid() {
    std::string hex = random_hex(32);
    hex[12] = '4';                        // version 4
    hex[16] = kHex[8 + (rng()() & 0x3)];  // variant 10xx
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? text[i] != '-' : !is_hex(text[i]))
            return false;
    }
    return true;
}

std::string new_traceparent() {
    return "00-" + random_hex(32) + "-" + random_hex(16) + "-01";
}

bool is_traceparent(std::string_view text) {
    // version(2)-traceid(32)-spanid(16)-flags(2)
    if (text.size() != 55 || text[2] != '-' || text[35] != '-' || text[52] != '-')
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == 2 || i == 35 || i == 52)
            continue;
        if (!is_lower_hex(text[i]))
            return false;
    }
    if (text.substr(0, 2) == "ff")
        return false;
    if (text.substr(3, 32) == std::string(32, '0') || text.substr(36, 16) == std::string(16, '0'))
        return false;
    return true;
}

std::string child_traceparent(std::string_view parent) {
    if (!is_traceparent(parent))
        return new_traceparent();
    return "00-" + std::string(parent.substr(3, 32)) + "-" + random_hex(16) + "-" +
           std::string(parent.substr(53, 2));
}

}  // namespace sales
