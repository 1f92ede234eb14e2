// Plain request/response types, errors and JSON body handling (no Beast here).
#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "sales/http.hpp"
#include "sales/json_limits.hpp"

namespace sales::http {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// nlohmann's what() starts with "[json.exception.parse_error.101] "; the rest is useful to a
// client.
std::string without_exception_prefix(const char* what) {
    std::string_view w(what);
    if (!w.empty() && w.front() == '[') {
        auto close = w.find("] ");
        if (close != std::string_view::npos)
            w.remove_prefix(close + 2);
    }
    return std::string(w);
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) { return lower(x) < lower(y); });
}

std::string Request::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

void Request::refuse_deep_nesting() const {
    if (!json_depth_within(body))
        throw Failure(Failure::Kind::invalid, "invalid_json",
                      "request body nests arrays or objects deeper than " +
                          std::to_string(kMaxJsonDepth) + " levels");
}

nlohmann::json Request::json() const {
    auto content_type = headers.find("Content-Type");
    if (content_type != headers.end()) {
        std::string_view media(content_type->second);
        media = trim(media.substr(0, media.find(';')));
        if (!iequals(media, "application/json"))
            throw Failure(
                Failure::Kind::unsupported_media, "unsupported_media_type",
                "Content-Type must be application/json, got '" + content_type->second + "'");
    }
    if (body.empty())
        throw Failure(Failure::Kind::invalid, "invalid_json",
                      "request body is empty; expected a JSON object");
    refuse_deep_nesting();
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw Failure(Failure::Kind::invalid, "invalid_json",
                      "request body is not valid JSON: " + without_exception_prefix(e.what()),
                      {{"byte", e.byte}});
    } catch (const nlohmann::json::exception& e) {
        // A number beyond what a double holds (1e400) is out_of_range, not a parse_error.
        throw Failure(Failure::Kind::invalid, "invalid_json",
                      "request body is not valid JSON: " + without_exception_prefix(e.what()));
    }
    if (!parsed.is_object())
        throw Failure(Failure::Kind::invalid, "invalid_json",
                      std::string("request body must be a JSON object, got ") + parsed.type_name());
    return parsed;
}

const Principal& Request::caller() const {
    if (!principal)
        throw Failure(Failure::Kind::unauthenticated, "unauthenticated", "authentication required");
    return *principal;
}

Response Response::json(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    // Replace invalid UTF-8 (e.g. echoed from a query string) rather than fail the response.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    r.content_type = "application/json";
    return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

Response Response::attachment(std::string body, std::string content_type,
                              std::string content_disposition) {
    auto r = text(200, std::move(body), std::move(content_type));
    r.headers["Content-Disposition"] = std::move(content_disposition);
    return r;
}

Response Response::error(int status, std::string_view code, std::string_view message,
                         const nlohmann::json& details) {
    nlohmann::json err = {{"code", std::string(code)},
                          {"message", std::string(message)},
                          {"details", details.is_null() ? nlohmann::json::object() : details}};
    return json(status, nlohmann::json{{"error", std::move(err)}});
}

Response Response::failure(const Failure& failure) {
    return error(http_status(failure.kind()), failure.code(), failure.what(), failure.details());
}

nlohmann::json ClientResponse::json() const {
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {
        std::string start = body.substr(0, 200);
        throw std::runtime_error("HTTP " + std::to_string(status) + " response body is not JSON (" +
                                 without_exception_prefix(e.what()) + "): " + start);
    }
}

}  // namespace sales::http

namespace sales::http {

struct ResponseStream::State {
    mutable std::mutex mutex;
    std::string queued;
    bool closing = false;  // close() called: end after the queued text
    bool over = false;     // the connection has ended
    std::function<void()> wake;
};

ResponseStream::ResponseStream() : state_(std::make_shared<State>()) {}

bool ResponseStream::push(std::string text) {
    std::function<void()> wake;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->over || state_->closing)
            return false;
        state_->queued += text;
        wake = state_->wake;
    }
    if (wake)
        wake();
    return true;
}

void ResponseStream::close() {
    std::function<void()> wake;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->closing || state_->over)
            return;
        state_->closing = true;
        wake = state_->wake;
    }
    if (wake)
        wake();
}

bool ResponseStream::open() const {
    std::lock_guard lock(state_->mutex);
    return !state_->over && !state_->closing;
}

void ResponseStream::attach(std::function<void()> wake) {
    {
        std::lock_guard lock(state_->mutex);
        state_->wake = wake;
    }
    wake();
}

std::pair<std::string, bool> ResponseStream::take() {
    std::lock_guard lock(state_->mutex);
    return {std::exchange(state_->queued, {}), state_->closing};
}

void ResponseStream::ended() {
    std::lock_guard lock(state_->mutex);
    state_->over = true;
    state_->queued.clear();
    state_->wake = nullptr;
}

}  // namespace sales::http
