#include "sales/sheet.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using sales::sheet::Cell;
using sales::sheet::Column;
using sales::sheet::fixed2;
using sales::sheet::Kind;
using sales::sheet::Sheet;
namespace fs = std::filesystem;

TEST(Fixed2, FormatsHundredthsWithTwoDecimals) {
    const struct {
        std::int64_t value;
        const char* text;
    } cases[] = {
        {0, "0.00"},
        {1, "0.01"},
        {-1, "-0.01"},
        {5, "0.05"},
        {-5, "-0.05"},
        {10, "0.10"},
        {99, "0.99"},
        {-99, "-0.99"},
        {100, "1.00"},
        {-100, "-1.00"},
        {123456, "1234.56"},
        {-123456, "-1234.56"},
        {123456789012, "1234567890.12"},
        {std::numeric_limits<std::int64_t>::max(), "92233720368547758.07"},
        {std::numeric_limits<std::int64_t>::min(), "-92233720368547758.08"},
        {std::numeric_limits<std::int64_t>::min() + 1, "-92233720368547758.07"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(fixed2(c.value), c.text) << c.value;
    }
}

Sheet small_sheet() {
    Sheet s;
    s.name = "明细";
    s.columns = {{"房号", Kind::text},
                 {"套数", Kind::integer},
                 {"成交价, 元", Kind::fen},
                 {"面积", Kind::centi},
                 {"折扣", Kind::percent_bp}};
    s.rows = {
        {std::string("1-101 \"A\""), std::int64_t{3}, std::int64_t{123456}, std::int64_t{8950},
         std::int64_t{1234}},
        {std::string("=HYPERLINK(\"x\")"), std::int64_t{-2}, std::int64_t{-5}, std::monostate{},
         std::int64_t{-50}},
        {std::string("+1"), std::string("-"), std::string("@x"), std::string("\tt"),
         std::string("\rr")},
        {std::string("两行\n文字")},
    };
    s.totals = std::vector<Cell>{std::string("合计"), std::int64_t{1}, std::int64_t{123451},
                                 std::int64_t{8950}, std::int64_t{0}};
    return s;
}

TEST(Csv, ExactBytesWithBomCrlfQuotingGuardAndTotals) {
    const std::string expected =
        "\xEF\xBB\xBF"
        "房号,套数,\"成交价, 元\",面积,折扣\r\n"
        "\"1-101 \"\"A\"\"\",3,1234.56,89.50,12.34%\r\n"
        "\"'=HYPERLINK(\"\"x\"\")\",-2,-0.05,,-0.50%\r\n"
        "'+1,'-,'@x,'\tt,\"'\rr\"\r\n"
        "\"两行\n文字\",,,,\r\n"
        "合计,1,1234.51,89.50,0.00%\r\n";
    EXPECT_EQ(sales::sheet::csv(small_sheet()), expected);
}

TEST(Csv, RefusesARowLongerThanTheColumns) {
    Sheet s;
    s.columns = {{"a"}};
    s.rows = {{std::string("x"), std::string("y")}};
    EXPECT_THROW(sales::sheet::csv(s), std::invalid_argument);
    EXPECT_THROW(sales::sheet::xlsx({s}), std::invalid_argument);
}

// The workbook as read back by read_xlsx.py (stdlib zipfile + ElementTree).
json read_back(const std::string& bytes) {
    const fs::path file =
        fs::path(::testing::TempDir()) / ("sheet_test_" + std::to_string(::getpid()) + ".xlsx");
    {
        std::ofstream out(file, std::ios::binary);
        out << bytes;
    }
    const std::string command =
        std::string("python3 '") + SALES_SHEET_READ_XLSX + "' '" + file.string() + "'";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("popen failed: " + command);
    }
    std::string output;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        output.append(buffer, n);
    }
    const int status = ::pclose(pipe);
    fs::remove(file);
    if (status != 0) {
        throw std::runtime_error("read_xlsx.py failed (" + std::to_string(status) + "): " + output);
    }
    return json::parse(output);
}

json number(const std::string& text, const std::string& format) {
    return {{"number", text}, {"format", format}};
}

TEST(Xlsx, TwoSheetsReadBackWithChineseHeadersFrozenRowNumbersAndTotals) {
    Sheet first;
    first.name = "销售明细";
    first.title = "销售明细分析表";
    first.columns = {{"房号", Kind::text},
                     {"套数", Kind::integer},
                     {"成交总价", Kind::fen},
                     {"建筑面积", Kind::centi},
                     {"折扣率", Kind::percent_bp}};
    first.rows = {
        {std::string("1-101"), std::int64_t{1}, std::int64_t{123456}, std::int64_t{8950},
         std::int64_t{1234}},
        {std::string("=1+1"), std::int64_t{2}, std::int64_t{123456789012}, std::monostate{},
         std::int64_t{-5}},
    };
    first.totals = std::vector<Cell>{std::string("合计"), std::int64_t{3},
                                     std::int64_t{123456912468}, std::int64_t{8950}};
    Sheet second;
    second.name = "销售明细";  // the same name: must be made unique
    second.columns = {{"客户", Kind::text}, {"欠款", Kind::fen}};
    second.rows = {{std::string("张三"), std::int64_t{-5}}};

    const json book = read_back(sales::sheet::xlsx({first, second}));

    EXPECT_EQ(book["title"], "销售明细分析表");
    ASSERT_EQ(book["sheets"].size(), 2u);
    const json& s1 = book["sheets"][0];
    EXPECT_EQ(s1["name"], "销售明细");
    EXPECT_EQ(s1["frozen_rows"], 1);
    EXPECT_EQ(s1["autofilter"], "A1:E3");
    const json& rows = s1["rows"];
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0], json({"房号", "套数", "成交总价", "建筑面积", "折扣率"}));
    EXPECT_EQ(rows[1], json({"1-101", number("1", "0"), number("1234.56", "#,##0.00"),
                             number("89.5", "#,##0.00"), number("0.1234", "0.00%")}));
    EXPECT_EQ(rows[2], json({"=1+1", number("2", "0"), number("1234567890.12", "#,##0.00"), nullptr,
                             number("-0.0005", "0.00%")}));
    EXPECT_EQ(rows[3], json({"合计", number("3", "0"), number("1234569124.68", "#,##0.00"),
                             number("89.5", "#,##0.00")}));

    const json& s2 = book["sheets"][1];
    EXPECT_EQ(s2["name"], "销售明细 (2)");
    EXPECT_EQ(s2["frozen_rows"], 1);
    EXPECT_EQ(s2["rows"], json::array({json::array({"客户", "欠款"}),
                                       json::array({"张三", number("-0.05", "#,##0.00")})}));
}

TEST(Xlsx, SheetNamesFollowExcelsRules) {
    const auto named = [](std::string name, std::string title = "") {
        Sheet s;
        s.name = std::move(name);
        s.title = std::move(title);
        s.columns = {{"a"}};
        return s;
    };
    const auto rooms = [](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) {
            s += "房";
        }
        return s;
    };
    const json book = read_back(sales::sheet::xlsx({
        named("a/b:c[1]*?\\"),
        named("Data"),
        named("data"),
        named("'quoted'"),
        named("", "按标题命名"),
        named(""),
        named(rooms(40)),
        named(rooms(40)),
        named("History"),
    }));
    std::vector<std::string> names;
    for (const auto& s : book["sheets"]) {
        names.push_back(s["name"]);
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"a_b_c_1____", "Data", "data (2)", "quoted", "按标题命名",
                                        "Sheet6", rooms(31), rooms(27) + " (2)", "History_"}));
}

// A decimal string rounded to 15 significant digits (DBL_DIG, what a double holds), without
// trailing zeros: "8.880000000000001" → "8.88".
std::string round15(const std::string& text) {
    std::string sign = text[0] == '-' ? "-" : "";
    std::string body = text.substr(sign.size());
    const auto point = body.find('.');
    std::string digits = body;
    std::size_t int_len = body.size();
    if (point != std::string::npos) {
        digits.erase(point, 1);
        int_len = point;
    }
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        return "0";
    }
    const std::size_t keep = first + 15;
    if (digits.size() > keep) {
        const bool up = digits[keep] >= '5';
        digits.resize(keep);
        for (std::size_t i = keep; up && i-- > 0;) {
            if (digits[i] == '9') {
                digits[i] = '0';
                if (i == 0) {
                    digits.insert(0, "1");
                    ++int_len;
                }
            } else {
                ++digits[i];
                break;
            }
        }
    }
    while (digits.size() < int_len) {
        digits += '0';
    }
    std::string integer = digits.substr(0, int_len);
    std::string fraction = digits.substr(int_len);
    integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size() - 1));
    if (integer.empty()) {
        integer = "0";
    }
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.pop_back();
    }
    return sign + integer + (fraction.empty() ? "" : "." + fraction);
}

// The exact decimal of value / 10^decimals, without trailing zeros.
std::string exact(std::int64_t value, int decimals) {
    std::string s = decimals == 0 ? std::to_string(value) : fixed2(value);
    if (decimals == 4) {
        s = fixed2(value);  // value / 100, then the point moves two more places
        const bool negative = s[0] == '-';
        std::string digits = s.substr(negative ? 1 : 0);
        digits.erase(digits.find('.'), 1);
        while (digits.size() < 5) {
            digits.insert(0, "0");
        }
        s = (negative ? "-" : "") + digits.substr(0, digits.size() - 4) + "." +
            digits.substr(digits.size() - 4);
    }
    return round15(s);
}

TEST(Round15, HelperOfTheNextTest) {
    EXPECT_EQ(round15("8.880000000000001"), "8.88");
    EXPECT_EQ(round15("-9150199.439999999"), "-9150199.44");
    EXPECT_EQ(round15("9999999999999.999"), "10000000000000");
    EXPECT_EQ(round15("0.07000000000000001"), "0.07");
    EXPECT_EQ(round15("1234.50"), "1234.5");
    EXPECT_EQ(round15("0"), "0");
    EXPECT_EQ(exact(-5, 4), "-0.0005");
    EXPECT_EQ(exact(1234, 4), "0.1234");
    EXPECT_EQ(exact(123456, 2), "1234.56");
    EXPECT_EQ(exact(-7, 0), "-7");
}

// libxlsxwriter 1.1.4 as Debian builds it writes a number with printf("%.16G"), so the text of
// about one value in ten carries a 16th digit of binary noise (7 fen → "0.07000000000000001");
// Excel reads that back as the same double as "0.07". Every value below 10^15 must come back as
// its exact decimal at Excel's 15 significant digits, and the examples below exactly.
TEST(Xlsx, NumberCellsHoldTheExactDecimal) {
    struct Case {
        Kind kind;
        int decimals;
    };
    const Case kinds[] = {
        {Kind::fen, 2}, {Kind::centi, 2}, {Kind::percent_bp, 4}, {Kind::integer, 0}};
    std::vector<std::int64_t> values = {0,
                                        1,
                                        -1,
                                        5,
                                        -5,
                                        7,
                                        888,
                                        123456,
                                        123456789012,
                                        -123456789012,
                                        9'000'000'000'000,
                                        -9'000'000'000'000,
                                        900'719'925'474'099,
                                        999'999'999'999'999,
                                        -999'999'999'999'999};
    std::mt19937_64 random(20240601);
    for (std::int64_t limit = 10; limit <= 1'000'000'000'000'000; limit *= 10) {
        std::uniform_int_distribution<std::int64_t> pick(-limit + 1, limit - 1);
        for (int i = 0; i < 100; ++i) {
            values.push_back(pick(random));
        }
    }
    Sheet s;
    s.name = "numbers";
    for (const auto& k : kinds) {
        s.columns.push_back({"c", k.kind});
    }
    for (auto v : values) {
        s.rows.push_back({v, v, v, v});
    }
    const json book = read_back(sales::sheet::xlsx({s}));
    const json& rows = book["sheets"][0]["rows"];
    ASSERT_EQ(rows.size(), values.size() + 1);
    for (std::size_t r = 0; r < values.size(); ++r) {
        for (std::size_t c = 0; c < std::size(kinds); ++c) {
            const std::string text = rows[r + 1][c]["number"];
            EXPECT_EQ(round15(text), exact(values[r], kinds[c].decimals))
                << values[r] << " written as " << text;
        }
    }
    const auto fen_text = [&](std::size_t i) { return rows[i + 1][0]["number"]; };
    EXPECT_EQ(fen_text(0), "0");
    EXPECT_EQ(fen_text(4), "-0.05");
    EXPECT_EQ(fen_text(7), "1234.56");
    EXPECT_EQ(fen_text(8), "1234567890.12");
    EXPECT_EQ(fen_text(9), "-1234567890.12");
    EXPECT_EQ(fen_text(10), "90000000000");
    EXPECT_EQ(fen_text(11), "-90000000000");
    EXPECT_EQ(fen_text(13), "9999999999999.99");
    EXPECT_EQ(rows[8][2]["number"], "12.3456");  // 123456 bp
}

TEST(Xlsx, ValuesTooLargeForADoubleAreWrittenAsExactText) {
    Sheet s;
    s.columns = {{"金额", Kind::fen}, {"数量", Kind::integer}};
    s.rows = {{std::int64_t{1'000'000'000'000'000}, std::numeric_limits<std::int64_t>::min()}};
    const json book = read_back(sales::sheet::xlsx({s}));
    EXPECT_EQ(book["sheets"][0]["rows"][1], json({"10000000000000.00", "-9223372036854775808"}));
}

class TmpDir : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::path(::testing::TempDir()) / ("sheet_tmp_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        const char* old = std::getenv("TMPDIR");
        old_ = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
        ::setenv("TMPDIR", dir_.c_str(), 1);
    }
    void TearDown() override {
        if (old_) {
            ::setenv("TMPDIR", old_->c_str(), 1);
        } else {
            ::unsetenv("TMPDIR");
        }
        fs::remove_all(dir_);
    }
    bool dir_empty() const { return fs::is_empty(dir_); }

    fs::path dir_;
    std::optional<std::string> old_;
};

TEST_F(TmpDir, TheTemporaryFileIsRemovedAfterSuccessAndAfterAnError) {
    Sheet s;
    s.columns = {{"a"}};
    s.rows = {{std::string("ok")}};
    const std::string bytes = sales::sheet::xlsx({s});
    EXPECT_EQ(bytes.substr(0, 2), "PK");
    EXPECT_TRUE(dir_empty());

    s.rows = {{std::string(40000, 'x')}};  // Excel's limit is 32,767 characters a cell
    try {
        sales::sheet::xlsx({s});
        ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("sheet: writing a text cell: ", 0), 0u) << e.what();
    }
    EXPECT_TRUE(dir_empty());
}

}  // namespace

TEST(Download, NamesTheFileAndPicksTheFormat) {
    const Sheet one{"明细", "明细", {{"金额", Kind::fen}}, {{std::int64_t{150}}}, std::nullopt};
    const auto csv =
        sales::sheet::download({one}, sales::sheet::FileFormat::csv, "detail", "明细表");
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body, "\xEF\xBB\xBF金额\r\n1.50\r\n");
    EXPECT_EQ(
        csv.content_disposition,
        "attachment; filename=\"detail.csv\"; filename*=UTF-8''%E6%98%8E%E7%BB%86%E8%A1%A8.csv");
    const auto xlsx =
        sales::sheet::download({one, one}, sales::sheet::FileFormat::xlsx, "detail", "明细表");
    EXPECT_EQ(xlsx.content_type, sales::sheet::kXlsxType);
    EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);
    EXPECT_NE(xlsx.content_disposition.find("filename=\"detail.xlsx\""), std::string::npos);
    // A CSV file holds one table.
    EXPECT_THROW(sales::sheet::download({one, one}, sales::sheet::FileFormat::csv, "d", "d"),
                 std::invalid_argument);
}
