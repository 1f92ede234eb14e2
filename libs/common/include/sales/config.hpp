#pragma once
// Configuration from environment variables with defaults. A bad value throws ConfigError whose
// message is one line naming the variable, the value and what is expected; main() prints it
// and exits 2.
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sales {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Config {
  public:
    // Reads the process environment.
    Config();
    // For tests: an explicit set of variables.
    explicit Config(std::map<std::string, std::string> vars);

    std::string str(const std::string& name, const std::string& fallback) const;
    // Throws ConfigError when absent or empty.
    std::string required(const std::string& name) const;
    // A secret: the value of `name`, or the contents of the file `name`_FILE names (a mounted
    // secret; one trailing newline dropped), read now, so that a restart picks up a rotated
    // file. Both set, or an unreadable or empty file, is a ConfigError; neither: `fallback`,
    // or a ConfigError when `required`.
    std::string secret(const std::string& name, bool required = true,
                       const std::string& fallback = "") const;
    std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                         std::int64_t max) const;
    bool boolean(const std::string& name, bool fallback) const;
    std::uint16_t port(const std::string& name, std::uint16_t fallback) const;
    // Durations as integers with a unit suffix: 500ms, 30s, 5m, 12h.
    std::chrono::milliseconds duration(const std::string& name, std::chrono::milliseconds fallback,
                                       std::chrono::milliseconds min,
                                       std::chrono::milliseconds max) const;
    // One of the allowed values.
    std::string one_of(const std::string& name, const std::string& fallback,
                       const std::vector<std::string>& allowed) const;

  private:
    const std::string* find(const std::string& name) const;
    std::map<std::string, std::string> vars_;
};

// Parses "250ms", "30s", "5m", "12h" (a bare integer is milliseconds). Throws ConfigError.
std::chrono::milliseconds parse_duration(const std::string& text);

}  // namespace sales
