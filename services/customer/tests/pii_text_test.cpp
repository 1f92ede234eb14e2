// CUS-8 in free text (notes, complaint texts): phones typed into text are masked like the phone
// field; and how a search text searches phones (fragments only among one's own customers).
#include <gtest/gtest.h>

#include "domain/phone.hpp"
#include "domain/pii_text.hpp"

namespace {
using namespace customer::domain;

TEST(PiiTextCus8, MobileInChineseTextIsMaskedLikeThePhoneField) {
    EXPECT_EQ(mask_pii_in_text("客户电话 138 0013 8000，下午再联系"),
              "客户电话 138****8000，下午再联系");
    EXPECT_EQ(mask_pii_in_text("客户电话13800138000下午再联系"), "客户电话138****8000下午再联系");
    EXPECT_EQ(mask_pii_in_text("手机：138-0013-8000。"), "手机：138****8000。");
    EXPECT_EQ(mask_pii_in_text("请回电 +86 138 0013 8000 谢谢"), "请回电 138****8000 谢谢");
    EXPECT_EQ(mask_pii_in_text("微信同号(+86)138.0013.8000"), "微信同号138****8000");
    EXPECT_EQ(mask_pii_in_text("电话0086 13800138000"), "电话138****8000");
    EXPECT_EQ(mask_pii_in_text("电话 138 - 0013 - 8000"), "电话 138****8000");
}

TEST(PiiTextCus8, FullWidthDigitsAndPunctuationAreMaskedToo) {
    EXPECT_EQ(mask_pii_in_text("客户电话１３８００１３８０００，再联系"),
              "客户电话138****8000，再联系");
    EXPECT_EQ(mask_pii_in_text("电话（０２８）８７６５－４３２１"), "电话028****4321");
    EXPECT_EQ(mask_pii_in_text("电话 138　0013　8000"), "电话 138****8000");  // U+3000
}

TEST(PiiTextCus8, LandlinesWithAreaCodeAreMasked) {
    EXPECT_EQ(mask_pii_in_text("座机 028-87654321 转前台"), "座机 028****4321 转前台");
    EXPECT_EQ(mask_pii_in_text("座机(028) 8765 4321"), "座机028****4321");
    EXPECT_EQ(mask_pii_in_text("北京010-12345678"), "北京010****5678");
    EXPECT_EQ(mask_pii_in_text("+86 28 87654321"), "028****4321");
}

TEST(PiiTextCus8, SeveralNumbersInOneNote) {
    EXPECT_EQ(mask_pii_in_text("本人13800138000，爱人13900139000、办公室028-87654321"),
              "本人138****8000，爱人139****9000、办公室028****4321");
    EXPECT_EQ(mask_pii_in_text("13800138000 13900139000"), "138****8000 139****9000");
}

TEST(PiiTextCus8, IdCardNumbersAreMaskedLikeTheIdField) {
    EXPECT_EQ(mask_pii_in_text("身份证51010419860307123X已复印"), "身份证510***********123X已复印");
    EXPECT_EQ(mask_pii_in_text("身份证 510104198603071234"), "身份证 510***********1234");
}

TEST(PiiTextCus8, OtherNumbersAreKept) {
    for (const char* text :
         {"预算300万，看3室2厅2卫，面积120平", "2024-05-01 14:30 来访", "总价 3,800,000 元",
          "1栋2单元1801", "尾号8000的客户", "订单号 1234567", "定金 50000 元，13:00 到",
          "分机 8765 4321",  // no area code: not recognisably a phone
          "", "no digits at all"}) {
        EXPECT_EQ(mask_pii_in_text(text), text);
    }
}

TEST(PiiTextCus8, InvalidUtf8AndEdgesDoNotBreakIt) {
    EXPECT_EQ(mask_pii_in_text(std::string("\xff\xfe 13800138000 \xe4")),
              std::string("\xff\xfe 138****8000 \xe4"));
    EXPECT_EQ(mask_pii_in_text("13800138000"), "138****8000");
    EXPECT_EQ(mask_pii_in_text("+"), "+");
    EXPECT_EQ(mask_pii_in_text(std::string(5000, '1')), std::string(5000, '1'));
}

TEST(PhoneSearchCus8, WholeNumbersSearchExactlyForEveryone) {
    for (const bool pii : {false, true}) {
        const auto s = phone_search("+86 138 0013 8000", pii);
        EXPECT_EQ(s.kind, PhoneSearchKind::exact);
        EXPECT_EQ(s.digits, "13800138000");
        EXPECT_FALSE(s.own_customers_only);
    }
    EXPECT_EQ(phone_search("028-87654321", false).digits, "02887654321");
}

TEST(PhoneSearchCus8, FragmentsReachOnlyOwnCustomersWithoutPiiPermission) {
    const auto rep = phone_search("0013", false);
    EXPECT_EQ(rep.kind, PhoneSearchKind::fragment);
    EXPECT_EQ(rep.digits, "0013");
    EXPECT_TRUE(rep.own_customers_only);
    const auto manager = phone_search("138 0013", true);
    EXPECT_EQ(manager.kind, PhoneSearchKind::fragment);
    EXPECT_EQ(manager.digits, "1380013");
    EXPECT_FALSE(manager.own_customers_only);
    // Ten digits of a mobile is still a fragment, not a whole number.
    EXPECT_EQ(phone_search("1380013800", false).kind, PhoneSearchKind::fragment);
}

TEST(PhoneSearchCus8, FewerThanFourDigitsIsANameSearch) {
    for (const char* q : {"王", "王先生", "138", "3室"}) {
        const auto s = phone_search(q, false);
        EXPECT_EQ(s.kind, PhoneSearchKind::none) << q;
        EXPECT_TRUE(s.digits.empty()) << q;
    }
    EXPECT_EQ(to_string(PhoneSearchKind::none), "name");
}

}  // namespace
