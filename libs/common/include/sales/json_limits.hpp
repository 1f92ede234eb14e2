#pragma once
// Limits every JSON text is checked against before it is parsed: nlohmann/json copies and
// compares values recursively, so a body of 200,000 nested arrays would exhaust the stack of
// whatever copies it. Pure: no I/O.
#include <cstddef>
#include <string_view>

namespace sales {

// Nesting deeper than this is refused (no request or event of this product nests beyond 10).
inline constexpr std::size_t kMaxJsonDepth = 64;

// True when no array or object in `text` is nested deeper than `max_depth` (brackets inside
// strings do not count). Says nothing else about validity: the parser judges the rest.
constexpr bool json_depth_within(std::string_view text, std::size_t max_depth = kMaxJsonDepth) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;  // the escaped character cannot end the string
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return true;
}

}  // namespace sales
