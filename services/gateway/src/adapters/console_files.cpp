#include "adapters/console_files.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sales/failure.hpp"

namespace gateway::adapters {

const char* const kConsoleContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace {
namespace fs = std::filesystem;
using sales::http::Request;
using sales::http::Response;

std::string content_type_of(const fs::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}};
    const auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

// The file under `root` a request path names, or "" when the path may not name one: only plain
// segments (no "..", ".", hidden names, backslashes or NULs).
std::string relative_file(const std::string& path) {
    if (path.size() > 512 || path.empty() || path.front() != '/')
        return "";
    std::string relative;
    std::stringstream segments(path.substr(1));
    std::string segment;
    while (std::getline(segments, segment, '/')) {
        if (segment.empty() || segment.front() == '.' ||
            segment.find_first_of(std::string("\\\0:", 3)) != std::string::npos)
            return "";
        relative += (relative.empty() ? "" : "/") + segment;
    }
    return relative;
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw std::runtime_error("cannot read " + file.string());
    return text.str();
}

Response file_response(const Request& request, const fs::path& file, bool immutable) {
    fs::path sent = file;
    bool gzipped = false;
    if (sales::http::accepts_gzip(request)) {
        auto packed = file;
        packed += ".gz";
        std::error_code ec;
        if (fs::is_regular_file(packed, ec)) {
            sent = packed;
            gzipped = true;
        }
    }
    std::error_code ec;
    const auto size = fs::file_size(sent, ec);
    const auto modified = fs::last_write_time(sent, ec).time_since_epoch().count();
    const auto etag = "\"" + std::to_string(size) + "-" + std::to_string(modified) +
                      (gzipped ? "-gz" : "") + "\"";
    Response response;
    response.content_type = content_type_of(file);
    response.headers["Cache-Control"] =
        immutable ? "public, max-age=31536000, immutable" : "no-cache";
    response.headers["ETag"] = etag;
    response.headers["Vary"] = "Accept-Encoding";
    response.headers["Content-Security-Policy"] = kConsoleContentSecurityPolicy;
    if (gzipped)
        response.headers["Content-Encoding"] = "gzip";
    if (request.header("If-None-Match") == etag) {
        response.status = 304;
        return response;
    }
    response.body = read_all(sent);
    return response;
}
}  // namespace

void add_console_files(sales::service::Service& service, const std::string& root) {
    const fs::path base(root);
    service.router().set_get_fallback([base](Request& request) {
        if (request.path.rfind("/api/", 0) == 0 || request.path == "/api")
            throw sales::Failure(sales::Failure::Kind::not_found, "not_found",
                                 "no route for GET " + request.path);
        const auto index = base / "index.html";
        std::error_code ec;
        if (!fs::is_regular_file(index, ec))
            throw sales::Failure(sales::Failure::Kind::unavailable, "console_unavailable",
                                 "the web console is not built: run `npm run build` in web/ (or "
                                 "deploy/local/up.sh), or set SALES_GATEWAY_CONSOLE_DIR to its "
                                 "dist directory");
        const auto relative = relative_file(request.path);
        if (!relative.empty()) {
            const auto file = base / relative;
            if (fs::is_regular_file(file, ec))
                return file_response(request, file, relative.rfind("assets/", 0) == 0);
        }
        // A missing file (a name with an extension, or under /assets/) is 404; any other path is
        // a route of the console, which index.html handles.
        const auto last = request.path.substr(request.path.rfind('/') + 1);
        if (request.path.rfind("/assets/", 0) == 0 || last.find('.') != std::string::npos)
            throw sales::Failure(sales::Failure::Kind::not_found, "not_found",
                                 "no file " + request.path);
        return file_response(request, index, false);
    });
}

}  // namespace gateway::adapters
