#include "sales/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>

extern char** environ;

namespace sales {
namespace {
std::string quoted(const std::string& v) {
    return "'" + v + "'";
}

bool parse_int(const std::string& text, std::int64_t& out) {
    if (text.empty())
        return false;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, out);
    return ec == std::errc() && ptr == end;
}
}  // namespace

Config::Config() {
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string kv(*entry);
        const auto eq = kv.find('=');
        if (eq == std::string::npos)
            continue;
        vars_.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
}

Config::Config(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}

const std::string* Config::find(const std::string& name) const {
    const auto it = vars_.find(name);
    if (it == vars_.end() || it->second.empty())
        return nullptr;
    return &it->second;
}

std::string Config::str(const std::string& name, const std::string& fallback) const {
    const auto* v = find(name);
    return v ? *v : fallback;
}

std::string Config::required(const std::string& name) const {
    const auto* v = find(name);
    if (!v)
        throw ConfigError("configuration: " + name + " is required but not set");
    return *v;
}

std::string Config::secret(const std::string& name, bool required,
                           const std::string& fallback) const {
    const auto* value = find(name);
    const auto* file = find(name + "_FILE");
    if (value && file)
        throw ConfigError("configuration: set " + name + " or " + name + "_FILE, not both");
    if (!file) {
        if (value)
            return *value;
        if (required)
            throw ConfigError("configuration: " + name + " (or " + name +
                              "_FILE, a file holding it) is required but not set");
        return fallback;
    }
    std::ifstream in(*file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw ConfigError("configuration: " + name + "_FILE: cannot read " + *file);
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    if (!text.empty() && text.back() == '\r')
        text.pop_back();
    if (text.empty())
        throw ConfigError("configuration: " + name + "_FILE: " + *file +
                          " is missing, unreadable or empty");
    return text;
}

std::int64_t Config::integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                             std::int64_t max) const {
    const auto* v = find(name);
    if (!v)
        return fallback;
    std::int64_t out = 0;
    if (!parse_int(*v, out)) {
        throw ConfigError("configuration: " + name + "=" + quoted(*v) + " is not an integer");
    }
    if (out < min || out > max) {
        throw ConfigError("configuration: " + name + "=" + *v + " is out of range [" +
                          std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return out;
}

bool Config::boolean(const std::string& name, bool fallback) const {
    const auto* v = find(name);
    if (!v)
        return fallback;
    std::string lower = *v;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "1" || lower == "true" || lower == "yes" || lower == "on")
        return true;
    if (lower == "0" || lower == "false" || lower == "no" || lower == "off")
        return false;
    throw ConfigError("configuration: " + name + "=" + quoted(*v) +
                      " is not a boolean (use true/false)");
}

std::uint16_t Config::port(const std::string& name, std::uint16_t fallback) const {
    return static_cast<std::uint16_t>(integer(name, fallback, 0, 65535));
}

std::chrono::milliseconds parse_duration(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
        ++digits;
    std::int64_t number = 0;
    if (digits == 0 || !parse_int(text.substr(0, digits), number)) {
        throw ConfigError("duration " + quoted(text) +
                          " must be a whole number with a unit: ms, s, m or h");
    }
    const std::string unit = text.substr(digits);
    std::int64_t factor = 0;
    if (unit.empty() || unit == "ms")
        factor = 1;
    else if (unit == "s")
        factor = 1000;
    else if (unit == "m")
        factor = 60'000;
    else if (unit == "h")
        factor = 3'600'000;
    else
        throw ConfigError("duration " + quoted(text) + " has unknown unit " + quoted(unit) +
                          " (use ms, s, m or h)");
    std::int64_t out = 0;
    if (__builtin_mul_overflow(number, factor, &out))
        throw ConfigError("duration " + quoted(text) + " is too large");
    return std::chrono::milliseconds(out);
}

std::chrono::milliseconds Config::duration(const std::string& name,
                                           std::chrono::milliseconds fallback,
                                           std::chrono::milliseconds min,
                                           std::chrono::milliseconds max) const {
    const auto* v = find(name);
    if (!v)
        return fallback;
    std::chrono::milliseconds out;
    try {
        out = parse_duration(*v);
    } catch (const ConfigError& e) {
        throw ConfigError("configuration: " + name + ": " + e.what());
    }
    if (out < min || out > max) {
        throw ConfigError("configuration: " + name + "=" + *v + " is out of range [" +
                          std::to_string(min.count()) + "ms, " + std::to_string(max.count()) +
                          "ms]");
    }
    return out;
}

std::string Config::one_of(const std::string& name, const std::string& fallback,
                           const std::vector<std::string>& allowed) const {
    const auto* v = find(name);
    if (!v)
        return fallback;
    if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end())
        return *v;
    std::string list;
    for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw ConfigError("configuration: " + name + "=" + quoted(*v) + " must be one of: " + list);
}

}  // namespace sales
