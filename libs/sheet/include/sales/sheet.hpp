#pragma once
// Report tables as downloads: CSV for any tool, .xlsx for Excel/WPS. Values stay integers until
// they are written (money in fen, area in centi-m², percentages in basis points).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sales::sheet {

enum class Kind {
    text,
    integer,
    fen,         // money: shown as yuan with 2 decimals
    centi,       // area in centi-m² shown as m² with 2 decimals; also any value in hundredths
    percent_bp,  // basis points shown as percent with 2 decimals: 1234 → 12.34%
};

struct Column {
    std::string title;
    Kind kind = Kind::text;
    int width = 0;  // Excel column width in characters; 0: chosen from the title, kind and cells
};

// A string is always written as text, whatever the column's kind; an integer is read by the kind.
using Cell = std::variant<std::monostate, std::string, std::int64_t>;  // monostate: empty cell

struct Sheet {
    // The worksheet name (title when empty): characters Excel refuses ([ ] : * ? / \) become '_',
    // cut to 31 characters, made unique within the workbook with " (2)", " (3)", ….
    std::string name;
    // The workbook's document title property (of the first sheet that has one). Row 1 is always
    // the header, so the frozen pane and the autofilter hold it.
    std::string title;
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;      // a row may be shorter than columns, never longer
    std::optional<std::vector<Cell>> totals;  // written last, bold in .xlsx; usually "合计" first
};

// "1234.56", "-0.05", "0.00"; every int64 value including INT64_MIN.
std::string fixed2(std::int64_t hundredths);

// UTF-8 with a BOM (so Excel opens Chinese correctly), CRLF line ends, RFC 4180 quoting; the
// header row, the rows, then the totals row. fen and centi as fixed2, percent_bp as fixed2 + "%",
// integers in decimal. A text cell starting with = + - @ TAB or CR gets a leading ' so that a
// spreadsheet never runs it as a formula.
std::string csv(const Sheet& sheet);

// The bytes of one .xlsx workbook, one worksheet per Sheet in order: a bold, filled, frozen header
// row with an autofilter; numeric cells with number formats "#,##0.00" (fen, centi), "0.00%"
// (percent_bp) and "0" (integer); a bold totals row. Values of magnitude 10^15 or more are
// written as text so that they are never rounded. Throws std::runtime_error when the workbook
// cannot be written, std::invalid_argument for a row longer than the columns.
std::string xlsx(const std::vector<Sheet>& sheets);

// The Content-Disposition of a download with a Chinese file name: `filename` (`ascii_name`, for
// old clients) and `filename*` (RFC 5987: `file_name` as UTF-8, percent-encoded).
std::string attachment(const std::string& ascii_name, const std::string& file_name);

inline constexpr const char* kCsvType = "text/csv; charset=utf-8";
inline constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

enum class FileFormat { csv, xlsx };

// A report as a file to download: its bytes, content type and Content-Disposition.
struct Download {
    std::string body;
    std::string content_type;
    std::string content_disposition;
};

// CSV (of the first sheet; throws std::invalid_argument unless there is exactly one) or one
// .xlsx workbook of them all, named `ascii_stem` / `stem` plus ".csv" or ".xlsx".
Download download(const std::vector<Sheet>& sheets, FileFormat format,
                  const std::string& ascii_stem, const std::string& stem);

}  // namespace sales::sheet
