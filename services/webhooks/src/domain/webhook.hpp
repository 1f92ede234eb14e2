#pragma once
// The webhook bridge's rules, without I/O: which subscription an event goes to (subject patterns
// with NATS wildcards, project filter), where it is sent (an http URL), what an answer means
// (delivered, try again later, or a dead letter at once) and when the next attempt is due.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace webhooks::domain {

// A subject pattern as NATS writes them: tokens separated by '.', '*' one whole token, '>' the
// rest (last token only). nullopt when valid, else the problem.
std::optional<std::string> subject_pattern_problem(const std::string& pattern);
bool subject_matches(const std::string& pattern, const std::string& subject);
bool any_subject_matches(const std::vector<std::string>& patterns, const std::string& subject);

// A subscription limited to projects takes only events whose data names one of them
// (data.project_id); an empty list takes every event of its subjects.
bool project_matches(const std::vector<std::string>& project_ids,
                     const std::optional<std::string>& event_project_id);

struct Endpoint {
    std::string host;
    std::uint16_t port = 80;
    std::string target;  // path and query, "/" at least
};
// "http://host[:port][/path][?query]". nullopt with `problem` set otherwise (https is not
// offered: receivers reach it through an egress proxy that terminates TLS).
std::optional<Endpoint> parse_endpoint(const std::string& url, std::string& problem);

enum class Outcome { delivered, retry, dead };
// 2xx: delivered. No answer, 5xx, 408, 425, 429: tried again with backoff. Any other status is
// the receiver refusing the event (a bad signature, a payload it rejects): a dead letter at once,
// redelivered by hand once the receiver is fixed.
Outcome outcome_of(std::optional<int> http_status);

struct RetryPolicy {
    std::chrono::milliseconds base{1'000};
    std::chrono::milliseconds max{300'000};
    std::chrono::seconds give_up_after{24 * 3600};
};
// The wait before attempt `attempts + 1` after `attempts` failed ones (≥ 1): base · 2^(attempts−1),
// at most max.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempts);
// A failing delivery first tried `age` ago becomes a dead letter once age ≥ give_up_after.
bool gives_up(const RetryPolicy& policy, std::chrono::milliseconds age);

// The signed text of a delivery: "<unix seconds>.<body>" (the receiver recomputes
// HMAC-SHA256(secret, it) and compares with X-Sales-Signature "v1=<hex>").
std::string signed_text(std::int64_t unix_seconds, const std::string& body);

}  // namespace webhooks::domain
