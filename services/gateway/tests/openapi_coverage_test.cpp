// docs/openapi.yaml describes exactly the routes the gateway serves: every row of the route
// table (plus the gateway's built-in GET routes) is a path + method of the document, and every
// path + method of the document is served. The document's layout is the one it is written in:
// paths at two spaces ("  /api/v1/x:"), methods at four ("    get:").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "domain/route_table.hpp"

namespace {

std::set<std::string> document_routes() {
    std::ifstream in(GATEWAY_OPENAPI_PATH);
    EXPECT_TRUE(in.good()) << GATEWAY_OPENAPI_PATH;
    std::set<std::string> out;
    std::string line, path;
    bool in_paths = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != ' ' && line[0] != '#') {
            in_paths = line == "paths:";
            continue;
        }
        if (!in_paths)
            continue;
        if (line.rfind("  /", 0) == 0 && line.back() == ':') {
            path = line.substr(2, line.size() - 3);
            if (path.size() > 1 && path.front() == '"' && path.back() == '"')
                path = path.substr(1, path.size() - 2);
            continue;
        }
        for (const auto* method : {"get", "post", "put", "patch", "delete"}) {
            if (line == std::string("    ") + method + ":") {
                std::string upper = method;
                for (auto& c : upper)
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                out.insert(upper + " " + path);
            }
        }
    }
    return out;
}

TEST(OpenApiCoverage, DocumentAndRouteTableAgree) {
    // "GET /": the web console's files (every GET no route matches; adapters/console_files.hpp).
    std::set<std::string> served = {"GET /healthz", "GET /readyz",       "GET /metrics",
                                    "GET /docs",    "GET /openapi.yaml", "GET /"};
    for (const auto& rule : gateway::domain::route_table())
        served.insert(rule.method + " " + rule.pattern);
    const auto documented = document_routes();
    ASSERT_GT(documented.size(), 50u) << "the document was not parsed";
    for (const auto& r : served)
        EXPECT_TRUE(documented.count(r)) << r << " is served but not in docs/openapi.yaml";
    for (const auto& r : documented)
        EXPECT_TRUE(served.count(r)) << r << " is documented but the gateway does not serve it";
}

}  // namespace

namespace {

// Every error code the sources can answer with: the second argument of Failure(kind, "code", …),
// the first of fail_conflict/fail_rule/fail_forbidden("code", …), "<what>_not_found" of
// fail_not_found("what", …), and validation_failed of fail_invalid.
std::set<std::string> codes_in_sources() {
    const std::regex failure(R"re(Failure\(\s*(?:sales::)?Failure::Kind::\w+,\s*"([a-z_]+)")re");
    const std::regex shorthand(R"re(fail_(?:conflict|rule|forbidden)\(\s*"([a-z_]+)")re");
    const std::regex not_found(R"re(fail_not_found\(\s*"([a-z_]+)")re");
    std::set<std::string> out = {"validation_failed", "internal", "method_not_allowed"};
    std::size_t files = 0;
    for (const auto* top : {"libs", "services"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(
                 std::filesystem::path(SALES_SOURCE_DIR) / top)) {
            const auto path = entry.path().string();
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp") ||
                path.find("/tests/") != std::string::npos)
                continue;
            ++files;
            std::ifstream in(entry.path());
            const std::string text((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
            for (const auto* re : {&failure, &shorthand}) {
                for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it)
                    out.insert((*it)[1].str());
            }
            for (std::sregex_iterator it(text.begin(), text.end(), not_found), end; it != end; ++it)
                out.insert((*it)[1].str() + "_not_found");
        }
    }
    EXPECT_GT(files, 50u) << "the sources were not found under " << SALES_SOURCE_DIR;
    return out;
}

// The codes listed in the document's ErrorCode schema (one "- code" line each under its enum).
std::set<std::string> documented_codes() {
    std::ifstream in(GATEWAY_OPENAPI_PATH);
    std::set<std::string> out;
    std::string line;
    bool in_schema = false, in_enum = false;
    while (std::getline(in, line)) {
        if (line == "    ErrorCode:") {
            in_schema = true;
            continue;
        }
        if (in_schema && line.rfind("    ", 0) == 0 && line.size() > 4 && line[4] != ' ')
            break;  // the next schema
        if (in_schema && line.find("enum:") != std::string::npos) {
            in_enum = true;
            continue;
        }
        const auto dash = line.find("- ");
        if (in_enum && dash != std::string::npos)
            out.insert(line.substr(dash + 2));
    }
    return out;
}

TEST(OpenApiCoverage, EveryErrorCodeIsDocumented) {
    const auto documented = documented_codes();
    ASSERT_GT(documented.size(), 20u) << "no ErrorCode enum in docs/openapi.yaml";
    for (const auto& code : codes_in_sources())
        EXPECT_TRUE(documented.count(code))
            << code << " is answered by the code but not listed in ErrorCode of docs/openapi.yaml";
}

}  // namespace
