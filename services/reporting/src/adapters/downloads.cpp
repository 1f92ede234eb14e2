#include "adapters/downloads.hpp"

#include <cctype>
#include <cstdio>

namespace reporting::adapters {

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

}  // namespace reporting::adapters
