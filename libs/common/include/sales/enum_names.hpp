#pragma once
// Names of an enumeration's values as they appear in JSON, SQL and events, declared once; to_string
// and parse both read them. Pure: no I/O.
//
// Declare the enumeration with its names in one line (the name of each value is its identifier,
// less a trailing underscore: register_ → "register"):
//   SALES_ENUM(Colour, red, blue);              // enum class Colour { red, blue };
//   to_string(Colour::red) == "red";            // found by argument-dependent lookup
//   sales::parse_enum<Colour>("blue") == Colour::blue;
//   sales::enum_names<Colour>().list() == "red, blue";
// Where names differ from identifiers, write the table: sales::EnumNames<E, N>{{{{E::a, "x"}, …}}}.
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

namespace enum_detail {
constexpr std::size_t count(std::string_view list) {
    std::size_t n = 1;
    for (char c : list)
        n += c == ',' ? 1 : 0;
    return n;
}
constexpr std::string_view trimmed(std::string_view item) {
    while (!item.empty() && (item.front() == ' ' || item.front() == '\n'))
        item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\n' || item.back() == '_'))
        item.remove_suffix(1);
    return item;
}
// The names of "a, b, c" as values 0, 1, 2 of Enum.
template <class Enum, std::size_t N>
constexpr EnumNames<Enum, N> from_list(std::string_view list) {
    EnumNames<Enum, N> out{};
    std::size_t index = 0, start = 0;
    for (std::size_t pos = 0; pos <= list.size(); ++pos) {
        if (pos == list.size() || list[pos] == ',') {
            out.items[index] = {static_cast<Enum>(index), trimmed(list.substr(start, pos - start))};
            ++index;
            start = pos + 1;
        }
    }
    return out;
}
}  // namespace enum_detail

// The names of an enumeration declared with SALES_ENUM.
template <class Enum>
constexpr const auto& enum_names() {
    return sales_enum_names(Enum{});
}
template <class Enum>
constexpr std::optional<Enum> parse_enum(std::string_view text) {
    return enum_names<Enum>().parse(text);
}

}  // namespace sales

#define SALES_ENUM(Type, ...)                                                               \
    enum class Type { __VA_ARGS__ };                                                        \
    inline constexpr auto k##Type##Names =                                                  \
        ::sales::enum_detail::from_list<Type, ::sales::enum_detail::count(#__VA_ARGS__)>(   \
            #__VA_ARGS__);                                                                  \
    constexpr const auto& sales_enum_names(Type) { return k##Type##Names; }                 \
    constexpr std::string_view to_string(Type value) { return k##Type##Names.name(value); } \
    static_assert(true, "")
