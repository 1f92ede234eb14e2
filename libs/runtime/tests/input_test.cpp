// The one request reader (sales/input.hpp) and the permission check of the route helper.
#include <gtest/gtest.h>

#include "sales/auth.hpp"
#include "sales/input.hpp"
#include "sales/service.hpp"

namespace {
using nlohmann::json;
using sales::Failure;
using sales::service::Body;
using sales::service::Query;

// The details of the validation failure check() throws; fails the test when none is thrown.
json problems_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const Failure& e) {
        EXPECT_EQ(e.kind(), Failure::Kind::invalid);
        EXPECT_EQ(e.code(), "validation_failed");
        return e.details();
    }
    ADD_FAILURE() << "no validation failure";
    return json::object();
}

std::vector<std::string> fields(const json& details) {
    std::vector<std::string> out;
    for (const auto& p : details["problems"])
        out.push_back(p["field"].get<std::string>());
    return out;
}

sales::http::Request request_with(std::string body) {
    sales::http::Request r;
    r.body = std::move(body);
    r.headers["Content-Type"] = "application/json";
    return r;
}

TEST(Body, ReadsTypedFields) {
    const Body b(json{{"name", "张三"},
                      {"amount_fen", 150000},
                      {"id", "6f1c2a7e-8d4b-4c1e-9f0a-1b2c3d4e5f60"},
                      {"at", "2026-11-22T15:30:00+08:00"},
                      {"day", "2026-02-28"},
                      {"flag", true},
                      {"tags", {"a", "b"}}},
                 {"name", "amount_fen", "id", "at", "day", "flag", "tags"});
    EXPECT_EQ(b.text("name", 10), "张三");
    EXPECT_EQ(b.integer("amount_fen", 0, sales::service::kMaxFen), 150000);
    EXPECT_EQ(b.uuid("id"), "6f1c2a7e-8d4b-4c1e-9f0a-1b2c3d4e5f60");
    EXPECT_EQ(sales::to_rfc3339(b.time("at")).substr(0, 19), "2026-11-22T07:30:00");
    EXPECT_EQ(sales::to_string(b.date("day")), "2026-02-28");
    EXPECT_TRUE(b.boolean("flag"));
    EXPECT_EQ(b.texts("tags", 5, 3).size(), 2u);
    EXPECT_FALSE(b.opt_text("missing", 5).has_value());
    EXPECT_EQ(b.opt_boolean("missing", true), true);
    EXPECT_NO_THROW(b.check());
}

TEST(Body, CollectsEveryProblemWithItsPath) {
    const auto details = problems_of([] {
        const Body b(json{{"name", 12},
                          {"amount_fen", 1.5},
                          {"extra", 1},
                          {"floors", {{"from", "1"}, {"bogus", 2}}},
                          {"items", {{{"n", -1}}, 7}}},
                     {"name", "amount_fen", "floors", "items", "missing"});
        b.text("name", 10);
        b.integer("amount_fen", 0, 100);
        b.text("missing", 10);
        const auto floors = b.object("floors", {"from", "to"});
        floors.integer("from", 1, 200);
        for (const auto& item : b.objects("items", 5, {"n"}))
            item.integer("n", 0, 9);
        b.check();
    });
    EXPECT_EQ(details["field"], "extra");
    EXPECT_EQ(details["problem"], "is not a known field");
    const auto names = fields(details);
    const std::vector<std::string> expected = {"extra",      "name",         "amount_fen",
                                               "missing",    "floors.bogus", "floors.from",
                                               "items[0].n", "items[1]"};
    // Order of discovery: unknown fields first, then each getter in turn.
    ASSERT_EQ(names.size(), expected.size()) << details.dump();
    for (const auto& e : expected)
        EXPECT_NE(std::find(names.begin(), names.end(), e), names.end()) << e << details.dump();
}

TEST(Body, RejectsBadTextsAndRanges) {
    for (const auto& value : {json(""), json("   "), json("a\x01"), json("超过五个字符了")}) {
        const auto details = problems_of([&] {
            const Body b(json{{"t", value}}, {"t"});
            b.text("t", 5);
            b.check();
        });
        EXPECT_EQ(details["field"], "t") << value;
    }
    const auto huge = problems_of([] {
        const Body b(json{{"n", std::numeric_limits<std::uint64_t>::max()}}, {"n"});
        b.integer("n", 0, 10);
        b.check();
    });
    EXPECT_NE(huge["problem"].get<std::string>().find("between 0 and 10"), std::string::npos);
    const auto bad_day = problems_of([] {
        const Body b(json{{"d", "2026-02-30"}, {"u", "not-a-uuid"}}, {"d", "u"});
        b.date("d");
        b.uuid("u");
        b.check();
    });
    EXPECT_EQ(bad_day["problems"].size(), 2u);
}

TEST(Body, AMissingObjectIsOneProblemNotOnePerField) {
    const auto details = problems_of([] {
        const Body b(json::object(), {"plan"});
        const auto plan = b.object("plan", {"kind"});
        plan.text("kind", 10);
        b.check();
    });
    EXPECT_EQ(details["problems"].size(), 1u);
    EXPECT_EQ(details["field"], "plan");
}

TEST(Body, EnumerationNamesTheChoices) {
    enum class Colour { red, blue };
    auto parse = +[](std::string_view s) -> std::optional<Colour> {
        if (s == "red")
            return Colour::red;
        if (s == "blue")
            return Colour::blue;
        return std::nullopt;
    };
    const Body ok(json{{"c", "blue"}}, {"c"});
    EXPECT_EQ(ok.enumeration("c", parse, "red, blue"), Colour::blue);
    const auto details = problems_of([&] {
        const Body b(json{{"c", "green"}}, {"c"});
        b.enumeration("c", parse, "red, blue");
        b.check();
    });
    EXPECT_EQ(details["problem"], "must be one of red, blue");
    EXPECT_EQ(details["problems"].size(), 1u);
}

TEST(Body, FromRequestNeedsAnObjectUnlessOptional) {
    EXPECT_THROW(Body(request_with("[1]"), {}), Failure);
    EXPECT_THROW(Body(request_with(""), {}), Failure);
    const auto empty = Body::optional(request_with(""), {"a"});
    EXPECT_FALSE(empty.has("a"));
    EXPECT_NO_THROW(empty.check());
    const auto command = sales::service::read_body(request_with(R"({"a":"x"})"), {"a"},
                                                   [](const Body& b) { return b.text("a", 3); });
    EXPECT_EQ(command, "x");
    EXPECT_THROW(sales::service::read_body(request_with(R"({"a":1})"), {"a"},
                                           [](const Body& b) { return b.text("a", 3); }),
                 Failure);
}

TEST(Query, ParsesStrictlyAndRefusesUnknownParameters) {
    sales::http::Request r;
    r.query = {{"limit", "20"}, {"from", "2026-11-01"}, {"active", "true"}};
    const Query q(r, {"limit", "from", "active", "to"});
    EXPECT_EQ(q.integer("limit", 50, 1, 100), 20);
    EXPECT_EQ(q.integer("offset", 0, 0, 10), 0);
    EXPECT_EQ(sales::to_string(*q.date("from")), "2026-11-01");
    EXPECT_FALSE(q.date("to").has_value());
    EXPECT_TRUE(q.boolean("active", false));
    EXPECT_NO_THROW(q.check());

    sales::http::Request bad;
    bad.query = {
        {"limit", "1e3"}, {"from", "2024-99-99"}, {"x", "1"}, {"n", "99999999999999999999"}};
    const auto details = problems_of([&] {
        const Query q2(bad, {"limit", "from", "n"});
        q2.integer("limit", 50, 1, 100);
        q2.date("from");
        q2.integer("n", 0, 0, 10);
        q2.check();
    });
    EXPECT_EQ(details["problems"].size(), 4u) << details.dump();
}

TEST(Query, ADateRangeEndingBeforeItStartsIsAProblem) {
    sales::http::Request r;
    r.query = {{"from", "2026-11-02"}, {"to", "2026-11-01"}};
    const auto details = problems_of([&] {
        const Query q(r, {"from", "to"});
        q.date_range("from", "to");
        q.check();
    });
    EXPECT_EQ(details["field"], "from") << details.dump();

    r.query = {{"from", "2026-11-01"}, {"to", "2026-11-01"}};
    const Query same_day(r, {"from", "to"});
    const auto range = same_day.date_range("from", "to");
    EXPECT_NO_THROW(same_day.check());
    EXPECT_EQ(range.from, range.to);
    // Years outside the product's calendar are not dates (they would overflow TimePoint).
    r.query = {{"from", "2620-12-01"}};
    EXPECT_FALSE(Query(r, {"from"}).date("from").has_value());
}

TEST(RequireAny, OnePermissionSuffices) {
    sales::Principal cashier{"u1", {"cashier"}, {"*"}, {}};
    EXPECT_NO_THROW(sales::service::require_any(cashier, {}));
    try {
        sales::service::require_any(cashier, {"unit.manage", "pricelist.approve"});
        FAIL() << "no failure";
    } catch (const Failure& e) {
        EXPECT_EQ(sales::http_status(e.kind()), 403);
        EXPECT_EQ(e.details()["permission"], "unit.manage or pricelist.approve");
    }
}

}  // namespace
