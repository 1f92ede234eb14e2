#include "domain/pii_text.hpp"

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/phone.hpp"

namespace customer::domain {
namespace {

// A phone written with separators has few of them between its digit groups ("138 - 0013").
constexpr std::size_t kMaxSeparatorRun = 3;
// "0086" + a 12-digit landline is the longest way of writing a phone.
constexpr std::size_t kMaxPhoneDigits = 16;

struct CodePoint {
    char32_t value = 0;
    std::size_t length = 1;
};

// The code point at `at`; an invalid or truncated sequence reads as one byte U+FFFD.
CodePoint decode(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || at + length > text.size())
        return {0xFFFD, 1};
    if (length == 1)
        return {lead, 1};
    char32_t value = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80)
            return {0xFFFD, 1};
        value = (value << 6) | (byte(at + i) & 0x3F);
    }
    return {value, length};
}

// The digit value of ASCII and full-width (U+FF10–FF19) digits.
std::optional<char> digit_of(char32_t c) {
    if (c >= U'0' && c <= U'9')
        return static_cast<char>(c);
    if (c >= 0xFF10 && c <= 0xFF19)
        return static_cast<char>('0' + (c - 0xFF10));
    return std::nullopt;
}

bool opens_number(char32_t c) {
    return c == U'+' || c == U'(' || c == 0xFF0B || c == 0xFF08;  // + ( ＋ （
}

// What may stand between the digit groups of one written phone number.
bool is_separator(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'-' || c == U'.' || c == U')' || c == 0x00A0 ||
           c == 0x3000 || c == 0xFF0D || c == 0xFF09 || (c >= 0x2010 && c <= 0x2015) ||
           opens_number(c);
}

struct DigitGroup {
    std::size_t begin = 0;  // byte offsets in the text
    std::size_t end = 0;
    std::string digits;          // ASCII
    bool joined = false;         // only a few separators since the previous group
    std::size_t span_begin = 0;  // with "+" / "(" written right before it
    bool plus = false;
};

std::vector<DigitGroup> digit_groups(std::string_view text) {
    std::vector<DigitGroup> groups;
    std::size_t separators = 0;  // separator code points since the last group
    bool only_separators = false;
    std::size_t opener_begin = std::string_view::npos;  // "+" / "(" right before a digit
    bool opener_plus = false;
    for (std::size_t at = 0; at < text.size();) {
        const auto cp = decode(text, at);
        if (const auto digit = digit_of(cp.value)) {
            if (!groups.empty() && groups.back().end == at) {
                groups.back().digits.push_back(*digit);
                groups.back().end = at + cp.length;
            } else {
                DigitGroup g;
                g.begin = at;
                g.end = at + cp.length;
                g.digits.push_back(*digit);
                g.joined = !groups.empty() && only_separators && separators <= kMaxSeparatorRun;
                g.span_begin = opener_begin != std::string_view::npos ? opener_begin : at;
                g.plus = opener_begin != std::string_view::npos && opener_plus;
                groups.push_back(std::move(g));
            }
            separators = 0;
            only_separators = true;
            opener_begin = std::string_view::npos;
            opener_plus = false;
        } else {
            if (is_separator(cp.value)) {
                ++separators;
            } else {
                only_separators = false;
            }
            if (opens_number(cp.value)) {
                if (opener_begin == std::string_view::npos)
                    opener_begin = at;
                opener_plus = opener_plus || cp.value == U'+' || cp.value == 0xFF0B;
            } else {
                opener_begin = std::string_view::npos;
                opener_plus = false;
            }
        }
        at += cp.length;
    }
    return groups;
}

struct Replacement {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text;
};

// A resident ID card number: 18 digits, or 17 and a check character X written right after.
std::optional<Replacement> id_card_at(std::string_view text, const DigitGroup& g) {
    if (g.digits.size() == 18)
        return Replacement{g.begin, g.end, mask_id_number(g.digits)};
    if (g.digits.size() == 17 && g.end < text.size() && (text[g.end] == 'X' || text[g.end] == 'x'))
        return Replacement{g.begin, g.end + 1, mask_id_number(g.digits + "X")};
    return std::nullopt;
}

}  // namespace

std::string mask_pii_in_text(std::string_view text) {
    const auto groups = digit_groups(text);
    std::vector<Replacement> replacements;
    for (std::size_t i = 0; i < groups.size();) {
        if (const auto id_card = id_card_at(text, groups[i])) {
            replacements.push_back(*id_card);
            ++i;
            continue;
        }
        // The longest run of joined groups from i that reads as one phone number.
        std::optional<std::size_t> last;
        std::string phone_digits;
        std::string written = groups[i].plus ? "+" : "";
        for (std::size_t j = i; j < groups.size(); ++j) {
            if (j > i && !groups[j].joined)
                break;
            written += groups[j].digits;
            if (written.size() > kMaxPhoneDigits + 1)
                break;
            std::string problem;
            if (const auto phone = normalise_phone(written, problem)) {
                last = j;
                phone_digits = phone->digits;
            }
        }
        if (!last) {
            ++i;
            continue;
        }
        replacements.push_back({groups[i].span_begin, groups[*last].end, mask_phone(phone_digits)});
        i = *last + 1;
    }
    if (replacements.empty())
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    for (const auto& r : replacements) {
        out.append(text.substr(at, r.begin - at));
        out.append(r.text);
        at = r.end;
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace customer::domain
