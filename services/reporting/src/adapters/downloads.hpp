#pragma once
// The Content-Disposition of a download with a Chinese file name: `filename` (ASCII, for old
// clients) and `filename*` (RFC 5987, UTF-8 percent-encoded).
#include <string>

namespace reporting::adapters {

std::string attachment(const std::string& ascii_name, const std::string& file_name);

}  // namespace reporting::adapters
