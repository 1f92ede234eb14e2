#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sales/bus.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace sales::bus {
namespace {

using nlohmann::json;

json valid_envelope() {
    return json{{"specversion", "1.0"},
                {"id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                {"source", "/sales/inventory"},
                {"type", "inventory.unit.held"},
                {"subject", "unit-42"},
                {"time", "2026-11-22T07:33:27.123Z"},
                {"datacontenttype", "application/json"},
                {"data", {{"unit_id", "unit-42"}, {"price_fen", 158000000}}},
                {"sequence", 7},
                {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
}

TEST(EnvelopeTest, MakeEventFillsAttributes) {
    auto e = make_event("inventory", "inventory.unit.held", "unit-42", 3, json{{"a", 1}});
    EXPECT_TRUE(is_uuid(e.id)) << e.id;
    EXPECT_EQ(e.source, "/sales/inventory");
    EXPECT_EQ(e.type, "inventory.unit.held");
    EXPECT_EQ(e.subject, "unit-42");
    EXPECT_EQ(e.sequence, 3);
    EXPECT_EQ(e.data, (json{{"a", 1}}));
    EXPECT_TRUE(std::regex_match(e.time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
        << e.time;
    EXPECT_TRUE(is_traceparent(e.traceparent)) << e.traceparent;
}

TEST(EnvelopeTest, MakeEventGivesFreshIds) {
    auto a = make_event("x", "x.t", "s", 1, json::object());
    auto b = make_event("x", "x.t", "s", 1, json::object());
    EXPECT_NE(a.id, b.id);
}

TEST(EnvelopeTest, MakeEventContinuesTheCurrentTrace) {
    const std::string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    log::ScopedContext ctx(log::Context{"req-1", parent});
    auto e = make_event("contract", "contract.signed", "c-1", 1, json::object());
    ASSERT_TRUE(is_traceparent(e.traceparent));
    EXPECT_EQ(e.traceparent.substr(3, 32), parent.substr(3, 32)) << "same trace id";
    EXPECT_NE(e.traceparent.substr(36, 16), parent.substr(36, 16)) << "new span id";
}

TEST(EnvelopeTest, MakeEventWithoutTraceStartsOne) {
    log::ScopedContext ctx(log::Context{"", "garbage"});
    auto e = make_event("contract", "contract.signed", "c-1", 1, json::object());
    EXPECT_TRUE(is_traceparent(e.traceparent)) << e.traceparent;
}

TEST(EnvelopeTest, ToJsonIsCloudEventsStructured) {
    auto e = make_event("finance", "finance.contract.cleared", "c-9", 12, json{{"paid_fen", 100}});
    auto doc = json::parse(to_json(e));
    EXPECT_EQ(doc.at("specversion"), "1.0");
    EXPECT_EQ(doc.at("id"), e.id);
    EXPECT_EQ(doc.at("source"), "/sales/finance");
    EXPECT_EQ(doc.at("type"), "finance.contract.cleared");
    EXPECT_EQ(doc.at("subject"), "c-9");
    EXPECT_EQ(doc.at("time"), e.time);
    EXPECT_EQ(doc.at("datacontenttype"), "application/json");
    EXPECT_EQ(doc.at("data"), (json{{"paid_fen", 100}}));
    EXPECT_EQ(doc.at("sequence"), 12);
    EXPECT_EQ(doc.at("traceparent"), e.traceparent);
}

TEST(EnvelopeTest, RoundTrip) {
    auto e = make_event(
        "finance", "finance.payment.recorded", "p-1", 5,
        json{{"amount_fen", 12345}, {"note", "定金"}, {"nested", {{"k", json::array({1, 2})}}}});
    auto back = parse_event(to_json(e));
    EXPECT_EQ(back.id, e.id);
    EXPECT_EQ(back.source, e.source);
    EXPECT_EQ(back.type, e.type);
    EXPECT_EQ(back.subject, e.subject);
    EXPECT_EQ(back.time, e.time);
    EXPECT_EQ(back.sequence, e.sequence);
    EXPECT_EQ(back.traceparent, e.traceparent);
    EXPECT_EQ(back.data, e.data);
}

TEST(EnvelopeTest, ParsesAValidEnvelope) {
    auto e = parse_event(valid_envelope().dump());
    EXPECT_EQ(e.id, "0f8fad5b-d9cb-469f-a165-70867728950e");
    EXPECT_EQ(e.type, "inventory.unit.held");
    EXPECT_EQ(e.sequence, 7);
    EXPECT_EQ(e.data.at("price_fen"), 158000000);
}

TEST(EnvelopeTest, OptionalAttributesMayBeAbsent) {
    auto doc = valid_envelope();
    doc.erase("subject");
    doc.erase("time");
    doc.erase("sequence");
    doc.erase("traceparent");
    doc.erase("datacontenttype");
    auto e = parse_event(doc.dump());
    EXPECT_EQ(e.subject, "");
    EXPECT_EQ(e.sequence, 0);
    EXPECT_EQ(e.traceparent, "");
}

TEST(EnvelopeTest, InvalidTraceparentIsDroppedNotFatal) {
    auto doc = valid_envelope();
    doc["traceparent"] = "not-a-trace";
    EXPECT_EQ(parse_event(doc.dump()).traceparent, "");
}

TEST(EnvelopeTest, RejectsNonJson) {
    EXPECT_THROW(parse_event("{not json"), EnvelopeError);
    EXPECT_THROW(parse_event(""), EnvelopeError);
}

TEST(EnvelopeTest, RejectsNonObjects) {
    EXPECT_THROW(parse_event("[1,2]"), EnvelopeError);
    EXPECT_THROW(parse_event("\"text\""), EnvelopeError);
    EXPECT_THROW(parse_event("null"), EnvelopeError);
}

void expect_rejected(const json& doc, const std::string& needle) {
    try {
        parse_event(doc.dump());
        ADD_FAILURE() << "accepted: " << doc.dump();
    } catch (const EnvelopeError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

TEST(EnvelopeTest, RejectsMissingRequiredAttributes) {
    for (const char* name : {"specversion", "id", "source", "type", "data"}) {
        auto doc = valid_envelope();
        doc.erase(name);
        expect_rejected(doc, name);
    }
}

TEST(EnvelopeTest, RejectsMistypedAttributes) {
    for (const char* name : {"specversion", "id", "source", "type"}) {
        auto doc = valid_envelope();
        doc[name] = 42;
        expect_rejected(doc, name);
    }
    auto doc = valid_envelope();
    doc["subject"] = json::array();
    expect_rejected(doc, "subject");
    doc = valid_envelope();
    doc["sequence"] = "7";
    expect_rejected(doc, "sequence");
    doc = valid_envelope();
    doc["sequence"] = 1.5;
    expect_rejected(doc, "sequence");
}

TEST(EnvelopeTest, RejectsEmptyRequiredStrings) {
    for (const char* name : {"source", "type"}) {
        auto doc = valid_envelope();
        doc[name] = "";
        expect_rejected(doc, name);
    }
}

TEST(EnvelopeTest, RejectsOtherSpecVersions) {
    auto doc = valid_envelope();
    doc["specversion"] = "0.3";
    expect_rejected(doc, "specversion");
}

TEST(EnvelopeTest, RejectsNonUuidIds) {
    auto doc = valid_envelope();
    doc["id"] = "event-1";
    expect_rejected(doc, "UUID");
}

TEST(EnvelopeTest, RejectsDataThatIsNotAnObject) {
    for (const json& data : {json::array({1}), json("text"), json(5), json(nullptr)}) {
        auto doc = valid_envelope();
        doc["data"] = data;
        expect_rejected(doc, "data");
    }
}

TEST(EnvelopeTest, RejectsOtherContentTypes) {
    auto doc = valid_envelope();
    doc["datacontenttype"] = "text/plain";
    expect_rejected(doc, "datacontenttype");
}

}  // namespace
}  // namespace sales::bus
