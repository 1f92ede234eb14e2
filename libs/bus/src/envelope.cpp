// CloudEvents 1.0 structured-mode JSON envelope (ARCHITECTURE.md "Envelope").
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/ids.hpp"
#include "sales/json_limits.hpp"
#include "sales/log.hpp"

namespace sales::bus {

namespace {

using nlohmann::json;

const std::string& required_string(const json& doc, const char* name) {
    auto it = doc.find(name);
    if (it == doc.end()) {
        throw EnvelopeError(std::string("event envelope: missing attribute '") + name + "'");
    }
    if (!it->is_string()) {
        throw EnvelopeError(std::string("event envelope: attribute '") + name +
                            "' must be a string, got " + it->type_name());
    }
    const auto& value = it->get_ref<const std::string&>();
    if (value.empty()) {
        throw EnvelopeError(std::string("event envelope: attribute '") + name + "' is empty");
    }
    return value;
}

std::string optional_string(const json& doc, const char* name) {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null())
        return {};
    if (!it->is_string()) {
        throw EnvelopeError(std::string("event envelope: attribute '") + name +
                            "' must be a string, got " + it->type_name());
    }
    return it->get<std::string>();
}

}  // namespace

Event make_event(const std::string& service, const std::string& type, const std::string& subject,
                 std::int64_t sequence, nlohmann::json data) {
    Event event;
    event.id = new_uuid();
    event.source = "/sales/" + service;
    event.type = type;
    event.subject = subject;
    event.time = to_rfc3339(std::chrono::system_clock::now());
    event.sequence = sequence;
    const auto& parent = log::current().traceparent;
    event.traceparent = is_traceparent(parent) ? child_traceparent(parent) : new_traceparent();
    event.data = data.is_null() ? nlohmann::json::object() : std::move(data);
    return event;
}

std::string to_json(const Event& event) {
    json doc = {
        {"specversion", "1.0"},
        {"id", event.id},
        {"source", event.source},
        {"type", event.type},
        {"subject", event.subject},
        {"time", event.time},
        {"datacontenttype", "application/json"},
        {"data", event.data},
        {"sequence", event.sequence},
    };
    if (!event.traceparent.empty())
        doc["traceparent"] = event.traceparent;
    return doc.dump();
}

Event parse_event(const std::string& json_text) {
    if (!json_depth_within(json_text))
        throw EnvelopeError("event envelope: nested deeper than " + std::to_string(kMaxJsonDepth) +
                            " levels");
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw EnvelopeError(std::string("event envelope: not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        throw EnvelopeError(std::string("event envelope: expected a JSON object, got ") +
                            doc.type_name());
    }

    const auto& specversion = required_string(doc, "specversion");
    if (specversion != "1.0") {
        throw EnvelopeError("event envelope: unsupported specversion '" + specversion +
                            "' (expected \"1.0\")");
    }

    Event event;
    event.id = required_string(doc, "id");
    if (!is_uuid(event.id)) {
        throw EnvelopeError("event envelope: id '" + event.id + "' is not a UUID");
    }
    event.source = required_string(doc, "source");
    event.type = required_string(doc, "type");
    event.subject = optional_string(doc, "subject");
    event.time = optional_string(doc, "time");

    const auto content_type = optional_string(doc, "datacontenttype");
    if (!content_type.empty() && content_type != "application/json") {
        throw EnvelopeError("event envelope: datacontenttype '" + content_type +
                            "' is not application/json");
    }

    auto seq = doc.find("sequence");
    if (seq != doc.end() && !seq->is_null()) {
        if (!seq->is_number_integer()) {
            throw EnvelopeError(
                std::string("event envelope: attribute 'sequence' must be an integer, got ") +
                seq->type_name());
        }
        if (seq->is_number_unsigned() &&
            seq->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            throw EnvelopeError("event envelope: attribute 'sequence' is out of range");
        }
        event.sequence = seq->get<std::int64_t>();
    }

    // A malformed trace context must not make an event undeliverable: drop it.
    auto trace = optional_string(doc, "traceparent");
    event.traceparent = is_traceparent(trace) ? std::move(trace) : std::string{};

    auto data = doc.find("data");
    if (data == doc.end())
        throw EnvelopeError("event envelope: missing attribute 'data'");
    if (!data->is_object()) {
        throw EnvelopeError(
            std::string("event envelope: attribute 'data' must be an object, got ") +
            data->type_name());
    }
    event.data = std::move(*data);
    return event;
}

}  // namespace sales::bus
