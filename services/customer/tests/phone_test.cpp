// CUS-1 phone normalisation (the de-dup key of CUS-3) and CUS-8 masks.
#include <gtest/gtest.h>

#include "domain/phone.hpp"

namespace {
using namespace customer::domain;

std::optional<Phone> norm(const char* text) {
    std::string problem;
    auto p = normalise_phone(text, problem);
    if (!p) {
        EXPECT_FALSE(problem.empty()) << text;
    }
    return p;
}

TEST(PhoneCus1, MobileNumbersNormaliseToElevenDigits) {
    for (const char* text :
         {"13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678",
          "008613812345678", "86 13812345678", "(+86) 138.1234.5678"}) {
        const auto p = norm(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(p->digits, "13812345678") << text;
        EXPECT_EQ(p->kind, PhoneKind::mobile) << text;
    }
}

TEST(PhoneCus1, LandlinesKeepTheirAreaCode) {
    for (const auto& [text, digits] :
         std::vector<std::pair<const char*, const char*>>{{"028-87654321", "02887654321"},
                                                          {"(010) 6552 9988", "01065529988"},
                                                          {"+86 28 87654321", "02887654321"},
                                                          {"0755-1234567", "07551234567"},
                                                          {"0571 88889999", "057188889999"}}) {
        const auto p = norm(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(p->digits, digits) << text;
        EXPECT_EQ(p->kind, PhoneKind::landline) << text;
    }
}

TEST(PhoneCus1, RejectsWhatIsNotAChineseNumber) {
    for (const char* text : {"", "1381234567", "138123456789", "12812345678", "23812345678",
                             "1381234567a", "138-1234-5678 ext 12", "+1 415 555 0100",
                             "0044 20 7946 0958", "00000000000", "+", "１３８１２３４５６７８"}) {
        std::string problem;
        EXPECT_FALSE(normalise_phone(text, problem)) << text;
        EXPECT_FALSE(problem.empty()) << text;
    }
}

TEST(MaskingCus8, PhoneIdNumberAndAddress) {
    EXPECT_EQ(mask_phone("13812345678"), "138****5678");
    EXPECT_EQ(mask_phone("02887654321"), "028****4321");
    EXPECT_EQ(mask_phone("1234567"), "*******");
    EXPECT_EQ(mask_id_number("51010419900307123X"), "510***********123X");
    EXPECT_EQ(mask_id_number("123"), "***");
    EXPECT_EQ(mask_address("四川省成都市高新区天府大道100号"), "四川省成都市****");
    EXPECT_EQ(mask_address("成都"), "****");
    // The mask never contains the hidden middle digits.
    EXPECT_EQ(mask_phone("13899990000").find("9999"), std::string::npos);
}

TEST(PhoneSearch, FragmentKeepsDigitsOnly) {
    EXPECT_EQ(phone_fragment("138 1234"), "1381234");
    EXPECT_EQ(phone_fragment("王先生"), "");
}

}  // namespace
