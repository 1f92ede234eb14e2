#include "domain/webhook.hpp"

#include <algorithm>
#include <charconv>

namespace webhooks::domain {
namespace {

std::vector<std::string> tokens_of(const std::string& subject) {
    std::vector<std::string> tokens;
    std::size_t start = 0;
    while (true) {
        const auto dot = subject.find('.', start);
        tokens.push_back(subject.substr(start, dot - start));
        if (dot == std::string::npos)
            return tokens;
        start = dot + 1;
    }
}

bool token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

std::optional<std::string> subject_pattern_problem(const std::string& pattern) {
    if (pattern.empty() || pattern.size() > 200)
        return "must be 1 to 200 characters";
    const auto tokens = tokens_of(pattern);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (token.empty())
            return "has an empty token (two dots, or a dot at an end)";
        if (token == ">") {
            if (i + 1 != tokens.size())
                return "may have '>' only as its last token";
            continue;
        }
        if (token == "*")
            continue;
        if (!std::all_of(token.begin(), token.end(), token_char))
            return "tokens are lower-case letters, digits, '_' and '-', or the wildcards * and >";
    }
    return std::nullopt;
}

bool subject_matches(const std::string& pattern, const std::string& subject) {
    const auto want = tokens_of(pattern);
    const auto have = tokens_of(subject);
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i] == ">")
            return have.size() > i;
        if (i >= have.size())
            return false;
        if (want[i] != "*" && want[i] != have[i])
            return false;
    }
    return want.size() == have.size();
}

bool any_subject_matches(const std::vector<std::string>& patterns, const std::string& subject) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return subject_matches(p, subject); });
}

bool project_matches(const std::vector<std::string>& project_ids,
                     const std::optional<std::string>& event_project_id) {
    if (project_ids.empty())
        return true;
    return event_project_id && std::find(project_ids.begin(), project_ids.end(),
                                         *event_project_id) != project_ids.end();
}

std::optional<Endpoint> parse_endpoint(const std::string& url, std::string& problem) {
    const std::string scheme = "http://";
    if (url.rfind("https://", 0) == 0) {
        problem =
            "https is not offered: give an http URL inside the network (or of an egress proxy "
            "that adds TLS)";
        return std::nullopt;
    }
    if (url.rfind(scheme, 0) != 0) {
        problem = "must start with http://";
        return std::nullopt;
    }
    if (url.size() > 2000 || url.find_first_of(" \t\r\n#") != std::string::npos) {
        problem = "must be at most 2000 characters without spaces or a #fragment";
        return std::nullopt;
    }
    const auto rest = url.substr(scheme.size());
    const auto slash = rest.find_first_of("/?");
    const auto authority = rest.substr(0, slash);
    Endpoint endpoint;
    endpoint.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (endpoint.target.front() == '?')
        endpoint.target.insert(0, "/");
    if (authority.find('@') != std::string::npos) {
        problem = "must not carry a user or password (the signature authenticates deliveries)";
        return std::nullopt;
    }
    const auto colon = authority.rfind(':');
    endpoint.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
        const auto port_text = authority.substr(colon + 1);
        int port = 0;
        const auto [end, error] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (error != std::errc{} || end != port_text.data() + port_text.size() || port < 1 ||
            port > 65535) {
            problem = "has a port that is not 1-65535";
            return std::nullopt;
        }
        endpoint.port = static_cast<std::uint16_t>(port);
    }
    const bool host_ok = !endpoint.host.empty() && endpoint.host.size() <= 253 &&
                         std::all_of(endpoint.host.begin(), endpoint.host.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '.' || c == '-';
                         });
    if (!host_ok) {
        problem = "has no valid host name or IPv4 address";
        return std::nullopt;
    }
    return endpoint;
}

Outcome outcome_of(std::optional<int> http_status) {
    if (!http_status)
        return Outcome::retry;
    const int s = *http_status;
    if (s >= 200 && s < 300)
        return Outcome::delivered;
    if (s >= 500 || s == 408 || s == 425 || s == 429)
        return Outcome::retry;
    return Outcome::dead;
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempts) {
    auto wait = policy.base;
    for (int i = 1; i < attempts && wait < policy.max; ++i)
        wait *= 2;
    return std::min(wait, policy.max);
}

bool gives_up(const RetryPolicy& policy, std::chrono::milliseconds age) {
    return age >= policy.give_up_after;
}

std::string signed_text(std::int64_t unix_seconds, const std::string& body) {
    return std::to_string(unix_seconds) + "." + body;
}

}  // namespace webhooks::domain
