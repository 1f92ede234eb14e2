#pragma once
// Reading the data of another service's event in an inbox handler: a field that is missing or of
// the wrong kind makes the event a PoisonMessage (dead letter) whose reason names the field by
// its path ("data.terms.price_fen").
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/bus.hpp"
#include "sales/calendar.hpp"

namespace sales::bus {

// PoisonMessage "<type> <id>: <problem>".
[[noreturn]] void poison_event(const Event& event, const std::string& problem);
// object.<name>, present and not null.
const nlohmann::json& event_field(const Event& event, const nlohmann::json& object,
                                  const std::string& name, const std::string& path = "data.");
const nlohmann::json& event_object(const Event& event, const nlohmann::json& object,
                                   const std::string& name, const std::string& path = "data.");
std::string event_uuid(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path = "data.");
// A non-empty string.
std::string event_text(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path = "data.");
std::int64_t event_integer(const Event& event, const nlohmann::json& object,
                           const std::string& name, std::int64_t min, std::int64_t max,
                           const std::string& path = "data.");
sales::Date event_date(const Event& event, const nlohmann::json& object, const std::string& name,
                       const std::string& path = "data.");
// Optional fields: nullopt when absent or of another kind.
std::optional<std::int64_t> event_opt_integer(const nlohmann::json& data, const char* name);
std::optional<std::string> event_opt_uuid(const nlohmann::json& data, const char* name);
std::optional<std::string> event_opt_text(const nlohmann::json& data, const char* name);

}  // namespace sales::bus
