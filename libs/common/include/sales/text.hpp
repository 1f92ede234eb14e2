#pragma once
// Text measures for validation: lengths users see are characters, not bytes (names are Chinese).
#include <cstddef>
#include <string_view>

namespace sales {

// Number of UTF-8 code points (continuation bytes are not counted).
inline std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

}  // namespace sales
