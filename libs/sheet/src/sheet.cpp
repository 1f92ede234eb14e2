#include "sales/sheet.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace sales::sheet {
namespace {

std::uint64_t magnitude(std::int64_t v) {
    return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

void check_row_length(const std::vector<Cell>& row, const std::vector<Column>& columns) {
    if (row.size() > columns.size()) {
        throw std::invalid_argument("sheet: a row has " + std::to_string(row.size()) +
                                    " cells but there are " + std::to_string(columns.size()) +
                                    " columns");
    }
}

void check_rows(const Sheet& sheet) {
    for (const auto& row : sheet.rows) {
        check_row_length(row, sheet.columns);
    }
    if (sheet.totals) {
        check_row_length(*sheet.totals, sheet.columns);
    }
}

// How an integer cell reads as text: in CSV, and in .xlsx when it is too large to be a number.
std::string integer_text(Kind kind, std::int64_t v) {
    switch (kind) {
        case Kind::fen:
        case Kind::centi:
            return fixed2(v);
        case Kind::percent_bp:
            return fixed2(v) + "%";
        case Kind::text:
        case Kind::integer:
            break;
    }
    return std::to_string(v);
}

bool needs_injection_guard(std::string_view s) {
    return !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
}

std::string csv_field(std::string_view text) {
    std::string s;
    if (needs_injection_guard(text)) {
        s += '\'';
    }
    s += text;
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        return s;
    }
    std::string quoted = "\"";
    for (char c : s) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    quoted += '"';
    return quoted;
}

void append_csv_row(std::string& out, const std::vector<Cell>& row,
                    const std::vector<Column>& columns) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        if (i >= row.size()) {
            continue;
        }
        if (const auto* s = std::get_if<std::string>(&row[i])) {
            out += csv_field(*s);
        } else if (const auto* v = std::get_if<std::int64_t>(&row[i])) {
            out += integer_text(columns[i].kind, *v);
        }
    }
    out += "\r\n";
}

// ---- .xlsx ----

// Numbers of this magnitude or more are written as text: below it (DBL_DIG = 15 significant
// digits) the double nearest the decimal reads back as that decimal.
constexpr std::int64_t kExactLimit = 1'000'000'000'000'000;

int decimals_of(Kind kind) {
    switch (kind) {
        case Kind::fen:
        case Kind::centi:
            return 2;
        case Kind::percent_bp:
            return 4;  // 1234 bp = 0.1234, shown by "0.00%" as 12.34%
        case Kind::text:
        case Kind::integer:
            break;
    }
    return 0;
}

// The only floating point in the project: an Excel number cell is an IEEE double. |value| <
// 10^15 < 2^53 is exact as a double, and one division by an exact power of ten rounds once, to
// the double nearest value / 10^decimals.
double excel_number(std::int64_t value, int decimals) {
    const double scale = decimals == 4 ? 10000.0 : decimals == 2 ? 100.0 : 1.0;
    return static_cast<double>(value) / scale;
}

const char* number_format(Kind kind) {
    switch (kind) {
        case Kind::fen:
        case Kind::centi:
            return "#,##0.00";
        case Kind::percent_bp:
            return "0.00%";
        case Kind::integer:
            return "0";
        case Kind::text:
            break;
    }
    return nullptr;
}

void check(lxw_error err, std::string_view what) {
    if (err != LXW_NO_ERROR) {
        throw std::runtime_error("sheet: " + std::string(what) + ": " + lxw_strerror(err));
    }
}

std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

// libxlsxwriter 1.1.4 writes a workbook only to a named file.
class TempFile {
  public:
    explicit TempFile(const std::string& dir) : path_(dir + "/sales-sheet-XXXXXX") {
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) {
            throw std::runtime_error("sheet: cannot create a temporary file in " + dir + ": " +
                                     std::strerror(errno));
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

struct WorkbookFree {
    void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using Workbook = std::unique_ptr<lxw_workbook, WorkbookFree>;

constexpr std::size_t kKinds = 5;

struct Formats {
    lxw_format* header = nullptr;
    std::array<std::array<lxw_format*, 2>, kKinds> cell{};  // [kind][bold]

    lxw_format* of(Kind kind, bool bold) const {
        return cell[static_cast<std::size_t>(kind)][bold ? 1 : 0];
    }
};

lxw_format* add_format(lxw_workbook* wb) {
    lxw_format* f = workbook_add_format(wb);
    if (f == nullptr) {
        throw std::runtime_error("sheet: cannot add a format");
    }
    return f;
}

Formats make_formats(lxw_workbook* wb) {
    Formats formats;
    formats.header = add_format(wb);
    format_set_bold(formats.header);
    format_set_bg_color(formats.header, 0xDDEBF7);
    format_set_border(formats.header, LXW_BORDER_THIN);
    for (std::size_t k = 0; k < kKinds; ++k) {
        for (int bold = 0; bold < 2; ++bold) {
            const char* num_format = number_format(static_cast<Kind>(k));
            if (num_format == nullptr && bold == 0) {
                continue;
            }
            lxw_format* f = add_format(wb);
            if (num_format != nullptr) {
                format_set_num_format(f, num_format);
            }
            if (bold == 1) {
                format_set_bold(f);
            }
            formats.cell[k][static_cast<std::size_t>(bold)] = f;
        }
    }
    return formats;
}

// Excel limits a sheet name to 31 UTF-16 code units; a 4-byte UTF-8 sequence takes two.
std::string cut_name(const std::string& name, std::size_t max_units) {
    std::size_t units = 0;
    std::size_t i = 0;
    while (i < name.size()) {
        const auto lead = static_cast<unsigned char>(name[i]);
        const std::size_t bytes = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        const std::size_t cost = bytes == 4 ? 2 : 1;
        if (units + cost > max_units) {
            break;
        }
        units += cost;
        i = std::min(name.size(), i + bytes);
    }
    std::string cut = name.substr(0, i);
    while (!cut.empty() && cut.back() == '\'') {
        cut.pop_back();
    }
    return cut;
}

std::string base_name(const Sheet& sheet, std::size_t index) {
    std::string name = !sheet.name.empty() ? sheet.name : sheet.title;
    for (char& c : name) {
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) {
            c = '_';
        }
    }
    const auto first = name.find_first_not_of('\'');
    name = first == std::string::npos ? std::string() : name.substr(first);
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "history") {  // reserved by Excel
        name += '_';
    }
    if (cut_name(name, LXW_SHEETNAME_MAX).empty()) {
        name = "Sheet" + std::to_string(index + 1);
    }
    return name;
}

// libxlsxwriter compares names as Excel does (ASCII case-insensitively) and refuses a duplicate.
std::string unique_name(lxw_workbook* wb, const std::string& base) {
    std::string name = cut_name(base, LXW_SHEETNAME_MAX);
    for (int n = 2;; ++n) {
        const lxw_error err = workbook_validate_sheet_name(wb, name.c_str());
        if (err == LXW_NO_ERROR) {
            return name;
        }
        if (err != LXW_ERROR_SHEETNAME_ALREADY_USED) {
            check(err, "sheet name \"" + name + "\"");
        }
        const std::string suffix = " (" + std::to_string(n) + ")";
        name = cut_name(base, LXW_SHEETNAME_MAX - suffix.size()) + suffix;
    }
}

// Columns as wide as their text: CJK and full-width characters take two character cells.
int display_width(std::string_view s) {
    int width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        char32_t cp = lead;
        std::size_t bytes = 1;
        if (lead >= 0xF0) {
            cp = lead & 0x07;
            bytes = 4;
        } else if (lead >= 0xE0) {
            cp = lead & 0x0F;
            bytes = 3;
        } else if (lead >= 0xC0) {
            cp = lead & 0x1F;
            bytes = 2;
        }
        for (std::size_t j = 1; j < bytes && i + j < s.size(); ++j) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
        }
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
        i += bytes;
    }
    return width;
}

int cell_width(const Cell& cell, Kind kind) {
    if (const auto* s = std::get_if<std::string>(&cell)) {
        return display_width(*s);
    }
    if (const auto* v = std::get_if<std::int64_t>(&cell)) {
        std::string text = integer_text(kind, *v);
        if (kind == Kind::fen || kind == Kind::centi) {
            const std::string digits = std::to_string(magnitude(*v) / 100);
            text += std::string((digits.size() - 1) / 3, ',');
        }
        return static_cast<int>(text.size());
    }
    return 0;
}

int column_width(const Sheet& sheet, std::size_t col) {
    const Column& column = sheet.columns[col];
    if (column.width > 0) {
        return column.width;
    }
    constexpr int kFilterButton = 3;
    int width = display_width(column.title) + kFilterButton;
    const auto widen = [&](const std::vector<Cell>& row) {
        if (col < row.size()) {
            width = std::max(width, cell_width(row[col], column.kind) + 2);
        }
    };
    for (const auto& row : sheet.rows) {
        widen(row);
    }
    if (sheet.totals) {
        widen(*sheet.totals);
    }
    return std::clamp(width, 8, 60);
}

void write_cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const Cell& cell, Kind kind,
                const Formats& formats, bool bold) {
    if (const auto* s = std::get_if<std::string>(&cell)) {
        check(worksheet_write_string(ws, row, col, s->c_str(), formats.of(Kind::text, bold)),
              "writing a text cell");
    } else if (const auto* v = std::get_if<std::int64_t>(&cell)) {
        if (*v > -kExactLimit && *v < kExactLimit) {
            check(worksheet_write_number(ws, row, col, excel_number(*v, decimals_of(kind)),
                                         formats.of(kind, bold)),
                  "writing a number cell");
        } else {
            check(worksheet_write_string(ws, row, col, integer_text(kind, *v).c_str(),
                                         formats.of(Kind::text, bold)),
                  "writing a number cell as text");
        }
    }
}

void write_row(lxw_worksheet* ws, lxw_row_t row, const std::vector<Cell>& cells,
               const std::vector<Column>& columns, const Formats& formats, bool bold) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
        write_cell(ws, row, static_cast<lxw_col_t>(c), cells[c], columns[c].kind, formats, bold);
    }
}

void write_sheet(lxw_workbook* wb, const Sheet& sheet, std::size_t index, const Formats& formats) {
    if (sheet.columns.size() > LXW_COL_MAX) {
        throw std::invalid_argument("sheet: more than " + std::to_string(LXW_COL_MAX) + " columns");
    }
    const std::size_t rows = 1 + sheet.rows.size() + (sheet.totals ? 1 : 0);
    if (rows > LXW_ROW_MAX) {
        throw std::invalid_argument("sheet: more than " + std::to_string(LXW_ROW_MAX) +
                                    " rows in one worksheet");
    }
    const std::string name = unique_name(wb, base_name(sheet, index));
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (ws == nullptr) {
        throw std::runtime_error("sheet: cannot add worksheet \"" + name + "\"");
    }
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        check(worksheet_set_column(ws, col, col, column_width(sheet, c), nullptr),
              "setting a column width");
        check(worksheet_write_string(ws, 0, col, sheet.columns[c].title.c_str(), formats.header),
              "writing the header");
    }
    lxw_row_t row = 1;
    for (const auto& cells : sheet.rows) {
        write_row(ws, row++, cells, sheet.columns, formats, false);
    }
    if (sheet.totals) {
        write_row(ws, row, *sheet.totals, sheet.columns, formats, true);
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (!sheet.columns.empty()) {
        check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                                   static_cast<lxw_col_t>(sheet.columns.size() - 1)),
              "setting the autofilter");
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        throw std::runtime_error("sheet: cannot read back " + path);
    }
    return std::move(bytes).str();
}

}  // namespace

std::string attachment(const std::string& ascii_name, const std::string& file_name) {
    std::string encoded;
    for (const unsigned char c : file_name) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            encoded += static_cast<char>(c);
        } else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", c);
            encoded += buffer;
        }
    }
    return "attachment; filename=\"" + ascii_name + "\"; filename*=UTF-8''" + encoded;
}

Download download(const std::vector<Sheet>& sheets, FileFormat format,
                  const std::string& ascii_stem, const std::string& stem) {
    if (format == FileFormat::csv) {
        if (sheets.size() != 1)
            throw std::invalid_argument("a CSV download holds exactly one sheet");
        return {csv(sheets.front()), kCsvType, attachment(ascii_stem + ".csv", stem + ".csv")};
    }
    return {xlsx(sheets), kXlsxType, attachment(ascii_stem + ".xlsx", stem + ".xlsx")};
}

std::string fixed2(std::int64_t hundredths) {
    const std::uint64_t m = magnitude(hundredths);
    const auto cents = static_cast<unsigned>(m % 100);
    std::string s = hundredths < 0 ? "-" : "";
    s += std::to_string(m / 100);
    s += '.';
    s += static_cast<char>('0' + cents / 10);
    s += static_cast<char>('0' + cents % 10);
    return s;
}

std::string csv(const Sheet& sheet) {
    check_rows(sheet);
    std::string out = "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < sheet.columns.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += csv_field(sheet.columns[i].title);
    }
    out += "\r\n";
    for (const auto& row : sheet.rows) {
        append_csv_row(out, row, sheet.columns);
    }
    if (sheet.totals) {
        append_csv_row(out, *sheet.totals, sheet.columns);
    }
    return out;
}

std::string xlsx(const std::vector<Sheet>& sheets) {
    for (const auto& sheet : sheets) {
        check_rows(sheet);
    }
    std::string dir = temp_dir();
    const TempFile file(dir);
    lxw_workbook_options options{};
    options.tmpdir = dir.data();
    Workbook wb(workbook_new_opt(file.path().c_str(), &options));
    if (!wb) {
        throw std::runtime_error("sheet: cannot create a workbook");
    }
    const auto titled =
        std::find_if(sheets.begin(), sheets.end(), [](const Sheet& s) { return !s.title.empty(); });
    if (titled != sheets.end()) {
        std::string title = titled->title;
        lxw_doc_properties properties{};
        properties.title = title.data();
        check(workbook_set_properties(wb.get(), &properties), "setting the document title");
    }
    const Formats formats = make_formats(wb.get());
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        write_sheet(wb.get(), sheets[i], i, formats);
    }
    check(workbook_close(wb.release()), "writing the workbook");
    return read_file(file.path());
}

}  // namespace sales::sheet
