#pragma once
// Structured logging: one JSON object per line on stderr, with the current request id and trace
// id (set per thread by the HTTP server and the event consumers).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sales::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void set_service(std::string name);
void set_level(Level level);
Level parse_level(std::string_view text);  // throws std::invalid_argument

void write(Level level, std::string_view message, nlohmann::json fields = nlohmann::json::object());
inline void debug(std::string_view m, nlohmann::json f = nlohmann::json::object()) {
    write(Level::debug, m, std::move(f));
}
inline void info(std::string_view m, nlohmann::json f = nlohmann::json::object()) {
    write(Level::info, m, std::move(f));
}
inline void warn(std::string_view m, nlohmann::json f = nlohmann::json::object()) {
    write(Level::warn, m, std::move(f));
}
inline void error(std::string_view m, nlohmann::json f = nlohmann::json::object()) {
    write(Level::error, m, std::move(f));
}

// Per-thread correlation context; restored by the guard's destructor.
struct Context {
    std::string request_id;
    std::string traceparent;
};
const Context& current();
class ScopedContext {
  public:
    explicit ScopedContext(Context ctx);
    ~ScopedContext();
    ScopedContext(const ScopedContext&) = delete;
    ScopedContext& operator=(const ScopedContext&) = delete;

  private:
    Context previous_;
};

}  // namespace sales::log
