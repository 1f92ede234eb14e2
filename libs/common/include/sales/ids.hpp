#pragma once
// Identifiers: random UUIDv4 (event ids, request ids) and W3C traceparent values.
#include <string>
#include <string_view>

namespace sales {

std::string new_uuid();
bool is_uuid(std::string_view text);
// "00-<32 hex trace id>-<16 hex span id>-01"
std::string new_traceparent();
bool is_traceparent(std::string_view text);
// Same trace id, new span id (for a hop: consumer handling an event, service calling another).
std::string child_traceparent(std::string_view parent);

}  // namespace sales
