// docs/openapi.yaml describes exactly the routes the gateway serves: every row of the route
// table (plus the gateway's built-in GET routes) is a path + method of the document, and every
// path + method of the document is served. The document's layout is the one it is written in:
// paths at two spaces ("  /api/v1/x:"), methods at four ("    get:").
#include <gtest/gtest.h>

#include <fstream>
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
    std::set<std::string> served = {"GET /healthz", "GET /readyz", "GET /metrics", "GET /docs",
                                    "GET /openapi.yaml"};
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
