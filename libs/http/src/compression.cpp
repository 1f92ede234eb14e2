// gzip for bodies that are served many times between changes (the sales-control board).
#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include "sales/http.hpp"

namespace sales::http {

bool accepts_gzip(const Request& request) {
    auto accepted = request.header("Accept-Encoding");
    for (auto& c : accepted)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = accepted.find("gzip");
    if (at == std::string::npos)
        return false;
    // "gzip;q=0" refuses it.
    const auto end = accepted.find(',', at);
    const auto entry = accepted.substr(at, end == std::string::npos ? end : end - at);
    const auto q = entry.find("q=");
    return q == std::string::npos || entry.find_first_not_of("0.", q + 2) < entry.size();
}

std::string gzip(std::string_view text) {
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
    std::string packed(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream.avail_in = static_cast<uInt>(text.size());
    stream.next_out = reinterpret_cast<Bytef*>(packed.data());
    stream.avail_out = static_cast<uInt>(packed.size());
    const int result = deflate(&stream, Z_FINISH);
    const auto written = stream.total_out;
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        throw std::runtime_error("gzip: deflate did not finish");
    packed.resize(written);
    return packed;
}

std::string gunzip(std::string_view packed, std::size_t max_size) {
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK)
        throw std::runtime_error("gunzip: inflateInit2 failed");
    std::string text;
    char chunk[16'384];
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    stream.avail_in = static_cast<uInt>(packed.size());
    int result = Z_OK;
    while (result != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = sizeof chunk;
        result = inflate(&stream, Z_NO_FLUSH);
        if (result != Z_OK && result != Z_STREAM_END) {
            inflateEnd(&stream);
            throw std::invalid_argument("gunzip: not gzip data, or truncated");
        }
        text.append(chunk, sizeof chunk - stream.avail_out);
        if (text.size() > max_size) {
            inflateEnd(&stream);
            throw std::invalid_argument("gunzip: more than " + std::to_string(max_size) + " bytes");
        }
    }
    inflateEnd(&stream);
    return text;
}

}  // namespace sales::http
