#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "sales/http.hpp"

namespace sales::http {
namespace {

Handler tagged(std::string tag) {
    return [tag](Request&) { return Response::text(200, tag); };
}

std::string run(const Router::Match& m) {
    Request req;
    return m.handler ? (*m.handler)(req).body : "<none>";
}

TEST(Router, MatchesLiteralRoute) {
    Router r;
    r.get("/api/v1/units", tagged("list"));
    auto m = r.match("GET", "/api/v1/units");
    ASSERT_NE(m.handler, nullptr);
    EXPECT_EQ(run(m), "list");
    EXPECT_EQ(m.pattern, "/api/v1/units");
    EXPECT_TRUE(m.params.empty());
    EXPECT_TRUE(m.authenticated);
    EXPECT_FALSE(m.method_not_allowed);
}

TEST(Router, ExtractsParameters) {
    Router r;
    r.get("/api/v1/projects/{project_id}/units/{unit_id}/history", tagged("history"));
    auto m = r.match("GET", "/api/v1/projects/p1/units/u-42/history");
    ASSERT_NE(m.handler, nullptr);
    EXPECT_EQ(m.params.at("project_id"), "p1");
    EXPECT_EQ(m.params.at("unit_id"), "u-42");
    EXPECT_EQ(m.pattern, "/api/v1/projects/{project_id}/units/{unit_id}/history");
}

TEST(Router, UnknownPathIsNotFound) {
    Router r;
    r.get("/a/{id}", tagged("a"));
    auto m = r.match("GET", "/b/1");
    EXPECT_EQ(m.handler, nullptr);
    EXPECT_FALSE(m.method_not_allowed);
    EXPECT_TRUE(m.allowed_methods.empty());
    EXPECT_EQ(r.match("GET", "/a/1/extra").handler, nullptr);
    EXPECT_EQ(r.match("GET", "/a").handler, nullptr);
    EXPECT_EQ(r.match("GET", "").handler, nullptr);
    EXPECT_EQ(r.match("GET", "a/1").handler, nullptr);
}

TEST(Router, WrongMethodListsAllowedMethods) {
    Router r;
    r.post("/units/{id}", tagged("post"));
    r.get("/units/{id}", tagged("get"));
    r.del("/units/{id}", tagged("del"));
    r.put("/other", tagged("put"));
    auto m = r.match("PATCH", "/units/7");
    EXPECT_EQ(m.handler, nullptr);
    EXPECT_TRUE(m.method_not_allowed);
    EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"DELETE", "GET", "POST"}));
}

TEST(Router, LiteralSegmentBeatsParameterWhicheverIsAddedFirst) {
    for (bool literal_first : {true, false}) {
        Router r;
        if (literal_first)
            r.get("/units/summary", tagged("summary"));
        r.get("/units/{id}", tagged("by-id"));
        if (!literal_first)
            r.get("/units/summary", tagged("summary"));
        EXPECT_EQ(run(r.match("GET", "/units/summary")), "summary") << literal_first;
        EXPECT_EQ(run(r.match("GET", "/units/u1")), "by-id") << literal_first;
        EXPECT_EQ(r.match("GET", "/units/u1").params.at("id"), "u1");
    }
}

TEST(Router, EarlierLiteralSegmentDecides) {
    Router r;
    r.get("/{a}/x", tagged("param-first"));
    r.get("/p/{b}", tagged("literal-first"));
    EXPECT_EQ(run(r.match("GET", "/p/x")), "literal-first");
    EXPECT_EQ(run(r.match("GET", "/q/x")), "param-first");
}

TEST(Router, PercentDecodesSegmentsAfterSplitting) {
    Router r;
    r.get("/files/{name}", tagged("file"));
    r.get("/caf\xc3\xa9/menu", tagged("menu"));
    auto m = r.match("GET", "/files/a%2Fb%20c");
    ASSERT_NE(m.handler, nullptr);
    EXPECT_EQ(m.params.at("name"), "a/b c");
    EXPECT_EQ(r.match("GET", "/files/a+b").params.at("name"), "a+b");  // '+' is literal in paths
    EXPECT_EQ(run(r.match("GET", "/caf%C3%A9/menu")), "menu");
    EXPECT_EQ(r.match("GET", "/files/%zz").handler, nullptr);
    EXPECT_EQ(r.match("GET", "/files/abc%2").handler, nullptr);
    EXPECT_FALSE(r.match("GET", "/files/%zz").method_not_allowed);
}

TEST(Router, TrailingSlashAndEmptySegmentsAreStrict) {
    Router r;
    r.get("/a", tagged("a"));
    r.get("/b/", tagged("b"));
    r.get("/c/{id}/d", tagged("c"));
    r.get("/", tagged("root"));
    EXPECT_EQ(run(r.match("GET", "/a")), "a");
    EXPECT_EQ(r.match("GET", "/a/").handler, nullptr);
    EXPECT_EQ(r.match("GET", "/b").handler, nullptr);
    EXPECT_EQ(run(r.match("GET", "/b/")), "b");
    EXPECT_EQ(r.match("GET", "/c//d").handler, nullptr);  // an empty segment binds no parameter
    EXPECT_EQ(run(r.match("GET", "/")), "root");
}

TEST(Router, UnauthenticatedFlagIsReported) {
    Router r;
    r.add("POST", "/login", tagged("login"), false);
    r.get("/me", tagged("me"));
    EXPECT_FALSE(r.match("POST", "/login").authenticated);
    EXPECT_TRUE(r.match("GET", "/me").authenticated);
}

TEST(Router, RoutesListsAllInInsertionOrder) {
    Router r;
    r.get("/b", tagged("1"));
    r.post("/a/{id}", tagged("2"));
    r.add("PATCH", "/c", tagged("3"), false);
    using P = std::pair<std::string, std::string>;
    EXPECT_EQ(r.routes(), (std::vector<P>{{"GET", "/b"}, {"POST", "/a/{id}"}, {"PATCH", "/c"}}));
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
    Router r;
    r.get("/units/{id}", tagged("x"));
    EXPECT_THROW(r.get("/units/{other}", tagged("y")), std::invalid_argument);  // same shape
    EXPECT_NO_THROW(r.post("/units/{id}", tagged("z")));
    EXPECT_THROW(r.get("units", tagged("y")), std::invalid_argument);
    EXPECT_THROW(r.get("/a/{id}/{id}", tagged("y")), std::invalid_argument);
    EXPECT_THROW(r.get("/a/x{id}", tagged("y")), std::invalid_argument);
    EXPECT_THROW(r.get("/a", Handler{}), std::invalid_argument);
}

}  // namespace
}  // namespace sales::http
