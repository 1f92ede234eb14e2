#include "sales/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "sales/clock.hpp"

namespace sales::log {
namespace {
std::mutex g_mutex;
std::string g_service = "sales";
std::atomic<int> g_level{static_cast<int>(Level::info)};
thread_local Context t_context;

const char* level_name(Level l) {
    switch (l) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warn:
            return "warn";
        case Level::error:
            return "error";
    }
    return "info";
}
}  // namespace

void set_service(std::string name) {
    std::lock_guard lock(g_mutex);
    g_service = std::move(name);
}

void set_level(Level level) {
    g_level.store(static_cast<int>(level));
}

Level parse_level(std::string_view text) {
    if (text == "debug")
        return Level::debug;
    if (text == "info")
        return Level::info;
    if (text == "warn")
        return Level::warn;
    if (text == "error")
        return Level::error;
    throw std::invalid_argument("log level must be debug, info, warn or error");
}

void write(Level level, std::string_view message, nlohmann::json fields) {
    if (static_cast<int>(level) < g_level.load())
        return;
    nlohmann::json line = nlohmann::json::object();
    line["ts"] = to_rfc3339(std::chrono::system_clock::now());
    line["level"] = level_name(level);
    line["msg"] = message;
    if (!t_context.request_id.empty())
        line["request_id"] = t_context.request_id;
    if (!t_context.traceparent.empty())
        line["traceparent"] = t_context.traceparent;
    if (fields.is_object()) {
        for (auto& [k, v] : fields.items())
            line[k] = std::move(v);
    }
    std::string text;
    {
        std::lock_guard lock(g_mutex);
        line["service"] = g_service;
        text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        text.push_back('\n');
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
    }
}

const Context& current() {
    return t_context;
}

ScopedContext::ScopedContext(Context ctx) : previous_(std::move(t_context)) {
    t_context = std::move(ctx);
}

ScopedContext::~ScopedContext() {
    t_context = std::move(previous_);
}

}  // namespace sales::log
