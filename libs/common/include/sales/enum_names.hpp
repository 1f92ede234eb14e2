#pragma once
// Names of an enumeration's values as they appear in JSON, SQL and events, declared once as a
// table; to_string and parse both read it. Pure: no I/O.
//
//   constexpr sales::EnumNames<Colour, 2> kColours{{{{Colour::red, "red"}, {Colour::blue,
//   "blue"}}}}; std::string_view to_string(Colour c) { return kColours.name(c); }
//   std::optional<Colour> parse_colour(std::string_view s) { return kColours.parse(s); }
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sales {

template <class Enum, std::size_t N>
struct EnumNames {
    std::array<std::pair<Enum, std::string_view>, N> items;

    // The value's name; "unknown" for a value missing from the table.
    constexpr std::string_view name(Enum value) const {
        for (const auto& [v, n] : items) {
            if (v == value)
                return n;
        }
        return "unknown";
    }
    constexpr std::optional<Enum> parse(std::string_view text) const {
        for (const auto& [v, n] : items) {
            if (n == text)
                return v;
        }
        return std::nullopt;
    }
    // "a, b, c": for error messages that list the choices.
    std::string list() const {
        std::string out;
        for (const auto& [v, n] : items) {
            if (!out.empty())
                out += ", ";
            out += n;
        }
        return out;
    }
};

}  // namespace sales
