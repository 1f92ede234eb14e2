// Route matching. Paths are matched strictly: "/a/" does not match "/a", and empty segments
// ("/a//b") never bind a parameter. match() takes the path as received (still percent-encoded)
// and decodes each segment after splitting, so "%2F" inside a parameter stays part of it.
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sales/http.hpp"

namespace sales::http {

namespace detail {

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
}  // namespace

// Shared with server.cpp (declared there). nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size())
                return std::nullopt;
            int hi = hex_value(in[i + 1]);
            int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace detail

namespace {

// "/a/b" → {"a","b"}; "/" → {""}; "/a/" → {"a",""}. The caller checks the leading '/'.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    path.remove_prefix(1);
    for (;;) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, bool authenticated) {
    if (method.empty())
        throw std::invalid_argument("route method is empty for pattern " + pattern);
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': '" + pattern + "'");
    if (!handler)
        throw std::invalid_argument("route " + method + " " + pattern + " has no handler");
    std::vector<std::string> segments;
    std::vector<std::string> names;
    for (auto s : split_path(pattern)) {
        if (is_param(s)) {
            std::string name(s.substr(1, s.size() - 2));
            if (name.find_first_of("{}/") != std::string::npos)
                throw std::invalid_argument("bad parameter '" + std::string(s) + "' in route " +
                                            pattern);
            if (std::find(names.begin(), names.end(), name) != names.end())
                throw std::invalid_argument("parameter {" + name + "} appears twice in route " +
                                            pattern);
            names.push_back(name);
        } else if (s.find_first_of("{}") != std::string_view::npos) {
            throw std::invalid_argument("segment '" + std::string(s) + "' of route " + pattern +
                                        " mixes text and a {parameter}; use a whole segment");
        }
        segments.emplace_back(s);
    }
    for (const auto& r : routes_) {
        if (r.method == method && r.segments.size() == segments.size()) {
            bool same = true;
            for (std::size_t i = 0; i < segments.size() && same; ++i) {
                bool p1 = is_param(r.segments[i]), p2 = is_param(segments[i]);
                same = p1 == p2 && (p1 || r.segments[i] == segments[i]);
            }
            if (same)
                throw std::invalid_argument("route " + method + " " + pattern + " duplicates " +
                                            r.method + " " + r.pattern);
        }
    }
    routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments),
                            std::move(handler), authenticated});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    if (path.empty() || path.front() != '/')
        return result;
    auto raw = split_path(path);
    std::vector<std::string> segs;
    segs.reserve(raw.size());
    for (auto s : raw) {
        auto decoded = detail::percent_decode(s, false);
        if (!decoded)
            return result;  // malformed escape: matches nothing
        segs.push_back(std::move(*decoded));
    }

    // Among the routes whose shape matches, the best has a literal at the first position where
    // the candidates differ (so "/units/summary" beats "/units/{id}").
    const Route* best = nullptr;
    std::vector<bool> best_literals;
    std::vector<std::string> allowed;
    for (const auto& r : routes_) {
        if (r.segments.size() != segs.size())
            continue;
        std::vector<bool> literals(segs.size());
        bool ok = true;
        for (std::size_t i = 0; i < segs.size() && ok; ++i) {
            if (is_param(r.segments[i])) {
                ok = !segs[i].empty();
                literals[i] = false;
            } else {
                ok = r.segments[i] == segs[i];
                literals[i] = true;
            }
        }
        if (!ok)
            continue;
        if (r.method != method) {
            if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end())
                allowed.push_back(r.method);
            continue;
        }
        // vector<bool> compares lexicographically with true > false: more literal prefix wins.
        if (!best || literals > best_literals) {
            best = &r;
            best_literals = std::move(literals);
        }
    }
    if (!best) {
        if (!allowed.empty()) {
            std::sort(allowed.begin(), allowed.end());
            result.method_not_allowed = true;
            result.allowed_methods = std::move(allowed);
        }
        return result;
    }
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& s = best->segments[i];
        if (is_param(s))
            result.params[s.substr(1, s.size() - 2)] = std::move(segs[i]);
    }
    result.handler = &best->handler;
    result.authenticated = best->authenticated;
    result.pattern = best->pattern;
    return result;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(routes_.size());
    for (const auto& r : routes_)
        out.emplace_back(r.method, r.pattern);
    return out;
}

}  // namespace sales::http
