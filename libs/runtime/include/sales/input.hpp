#pragma once
// The one way to read a request: a JSON body (Body) and a query string (Query).
//
// Readers collect every problem instead of stopping at the first: each getter records what is
// wrong with its field (path included: "templates[2].floors.to") and returns a placeholder, and
// check() then throws one sales::Failure 400 "validation_failed" whose message names the first
// problem and whose details list them all:
//   {"field": first field, "problem": its problem, "problems": [{"field","problem"}, …]}
// Call check() before using any value (or use read_body/read_query, which call it for you).
// Unknown fields and unknown query parameters are problems too. Nothing here writes anything.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/http.hpp"

namespace sales::service {

// The largest amount of money any request may carry: 10^13 yuan, far beyond any sale.
inline constexpr std::int64_t kMaxFen = 1'000'000'000'000'000;

class Problems {
  public:
    void add(const std::string& field, const std::string& problem);
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    // Throws Failure invalid "validation_failed" when any problem was recorded.
    void check() const;

  private:
    std::vector<std::pair<std::string, std::string>> items_;
};

// A JSON object (the request body or an object nested in it) with the fields it may have.
class Body {
  public:
    // The request body, which must be a JSON object (400 invalid_json / 415 otherwise).
    Body(const http::Request& request, const std::vector<std::string>& allowed);
    // As above, but an empty body reads as {} (for routes whose body is optional).
    static Body optional(const http::Request& request, const std::vector<std::string>& allowed);
    // Any JSON value that should be an object (events, tests).
    Body(nlohmann::json value, const std::vector<std::string>& allowed);

    // Present and not null.
    bool has(const std::string& name) const;
    // Present, even if null (PATCH bodies: null clears a field).
    bool present(const std::string& name) const;
    bool is_null(const std::string& name) const;

    // Text: not empty, not only white space, no control characters but \n and \t; at most
    // `max_length` characters (UTF-8 code points).
    std::string text(const std::string& name, std::size_t max_length) const;
    std::optional<std::string> opt_text(const std::string& name, std::size_t max_length) const;
    // A JSON integer (never a float or a string: money in fen, area in 0.01 m²) in [min, max].
    std::int64_t integer(const std::string& name, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> opt_integer(const std::string& name, std::int64_t min,
                                            std::int64_t max) const;
    bool boolean(const std::string& name) const;
    bool opt_boolean(const std::string& name, bool fallback) const;
    std::string uuid(const std::string& name) const;
    std::optional<std::string> opt_uuid(const std::string& name) const;
    // An array of 1..max_items UUID strings.
    std::vector<std::string> uuids(const std::string& name, std::size_t max_items) const;
    // An array of 0..max_items texts (each as text()).
    std::vector<std::string> texts(const std::string& name, std::size_t max_items,
                                   std::size_t max_length) const;
    TimePoint time(const std::string& name) const;  // RFC 3339
    std::optional<TimePoint> opt_time(const std::string& name) const;
    Date date(const std::string& name) const;  // YYYY-MM-DD, a real day
    std::optional<Date> opt_date(const std::string& name) const;

    // One of a fixed set of names: parse returns nullopt for others; `names` lists them.
    template <class E>
    E enumeration(const std::string& name, std::optional<E> (*parse)(std::string_view),
                  const std::string& names) const {
        const auto before = problems_->size();
        const auto value = parse(text(name, 64));
        if (value)
            return *value;
        if (problems_->size() == before)
            invalid(name, "must be one of " + names);
        return E{};
    }
    template <class E>
    std::optional<E> opt_enumeration(const std::string& name,
                                     std::optional<E> (*parse)(std::string_view),
                                     const std::string& names) const {
        if (!has(name))
            return std::nullopt;
        return enumeration(name, parse, names);
    }

    // A nested object with its own allowed fields (required / optional).
    Body object(const std::string& name, const std::vector<std::string>& allowed) const;
    std::optional<Body> opt_object(const std::string& name,
                                   const std::vector<std::string>& allowed) const;
    // An array of 1..max_items objects ("name[i].field" in problems); `min_items` may be 0.
    std::vector<Body> objects(const std::string& name, std::size_t max_items,
                              const std::vector<std::string>& allowed,
                              std::size_t min_items = 1) const;
    // The raw value of a present field (null when absent), for free-form data kept as is.
    const nlohmann::json& value(const std::string& name) const;
    const nlohmann::json& raw() const { return *node_; }

    // The full path of a field for problems ("first_event.kind").
    std::string path(const std::string& name) const;
    // Records a problem found by a cross-field check ("give either a or b").
    void invalid(const std::string& name, const std::string& problem) const;
    // Throws every problem recorded by this body and the bodies nested in it.
    void check() const { problems_->check(); }

  private:
    Body(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string path,
         std::shared_ptr<Problems> problems, const std::vector<std::string>& allowed, bool silent);
    template <class T>
    T parsed(const std::string& name, std::size_t max_length,
             std::optional<T> (*parse)(std::string_view), const char* problem) const;
    const nlohmann::json* find(const std::string& name) const;  // null when absent or null
    const nlohmann::json* required(const std::string& name) const;
    void refuse_unknown(const std::vector<std::string>& allowed) const;

    std::shared_ptr<const nlohmann::json> root_;  // keeps node_ alive
    const nlohmann::json* node_;
    std::string path_;  // "" or "a.b[2]."
    std::shared_ptr<Problems> problems_;
    bool silent_ = false;  // an absent or malformed parent already recorded the problem
};

// The query string: only `allowed` parameters, each strictly parsed; all optional.
class Query {
  public:
    Query(const http::Request& request, const std::vector<std::string>& allowed);

    bool has(const std::string& name) const;
    std::optional<std::string> text(const std::string& name, std::size_t max_length) const;
    std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                         std::int64_t max) const;
    std::optional<std::int64_t> opt_integer(const std::string& name, std::int64_t min,
                                            std::int64_t max) const;
    bool boolean(const std::string& name, bool fallback) const;
    std::optional<std::string> uuid(const std::string& name) const;
    std::string required_uuid(const std::string& name) const;
    std::optional<Date> date(const std::string& name) const;
    std::optional<TimePoint> time(const std::string& name) const;
    // Two dates bounding a period, each optional; `from_name` after `to_name` is a problem.
    struct DateRange {
        std::optional<Date> from, to;
    };
    DateRange date_range(const std::string& from_name, const std::string& to_name) const;
    template <class E>
    std::optional<E> enumeration(const std::string& name,
                                 std::optional<E> (*parse)(std::string_view),
                                 const std::string& names) const {
        const auto value = text(name, 64);
        if (!value)
            return std::nullopt;
        const auto parsed = parse(*value);
        if (!parsed)
            problems_.add(name, "must be one of " + names);
        return parsed;
    }
    void invalid(const std::string& name, const std::string& problem) const {
        problems_.add(name, problem);
    }
    void check() const { problems_.check(); }

  private:
    const http::Request& request_;
    mutable Problems problems_;
};

// Reads the body (or the query) with `parse` (reader → command) and throws every problem before
// returning the command.
template <class Reader, class F>
auto read_checked(const http::Request& request, const std::vector<std::string>& allowed,
                  F&& parse) {
    const Reader reader(request, allowed);
    auto command = parse(reader);
    reader.check();
    return command;
}
template <class F>
auto read_body(const http::Request& request, const std::vector<std::string>& allowed, F&& parse) {
    return read_checked<Body>(request, allowed, std::forward<F>(parse));
}
template <class F>
auto read_query(const http::Request& request, const std::vector<std::string>& allowed, F&& parse) {
    return read_checked<Query>(request, allowed, std::forward<F>(parse));
}

}  // namespace sales::service
