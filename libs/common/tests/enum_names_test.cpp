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

namespace shapes {
SALES_ENUM(Shape, circle, square_, regular_polygon);
}  // namespace shapes

namespace {
TEST(EnumNames, DeclaredOnceWithSalesEnum) {
    using shapes::Shape;
    static_assert(to_string(Shape::circle) == "circle");
    static_assert(to_string(Shape::square_) == "square");  // a trailing _ is not part of the name
    EXPECT_EQ(to_string(Shape::regular_polygon), "regular_polygon");
    EXPECT_EQ(sales::parse_enum<Shape>("square"), Shape::square_);
    EXPECT_EQ(sales::parse_enum<Shape>("square_"), std::nullopt);
    EXPECT_EQ(sales::enum_names<Shape>().list(), "circle, square, regular_polygon");
    std::optional<Shape> (*parse)(std::string_view) = &sales::parse_enum<Shape>;
    EXPECT_EQ(parse("circle"), Shape::circle);
}
}  // namespace
