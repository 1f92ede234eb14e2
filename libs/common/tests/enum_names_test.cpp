// One table per enumeration for names and parsing (sales/enum_names.hpp).
#include <gtest/gtest.h>

#include "sales/enum_names.hpp"

namespace {
enum class Colour { red, blue, green };
constexpr sales::EnumNames<Colour, 2> kColours{{{{Colour::red, "red"}, {Colour::blue, "blue"}}}};

TEST(EnumNames, NamesParsesAndListsFromOneTable) {
    static_assert(kColours.name(Colour::blue) == "blue");
    EXPECT_EQ(kColours.name(Colour::green), "unknown");
    EXPECT_EQ(kColours.parse("red"), Colour::red);
    EXPECT_EQ(kColours.parse("Red"), std::nullopt);
    EXPECT_EQ(kColours.list(), "red, blue");
}
}  // namespace
