#pragma once
// Finance's readers of event data: the shared ones (sales/event_fields.hpp) and the plan.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/schedule.hpp"
#include "sales/event_fields.hpp"

namespace finance::app {

using sales::bus::event_date;
using sales::bus::event_field;
using sales::bus::event_integer;
using sales::bus::event_object;
using sales::bus::event_opt_integer;
using sales::bus::event_opt_uuid;
using sales::bus::event_text;
using sales::bus::event_uuid;
using sales::bus::poison_event;

// object.plan of kind `kind` (contract.signed's `plan`, docs/events.md) as the domain's plan.
domain::Plan event_plan(const sales::bus::Event& event, const nlohmann::json& object,
                        domain::PlanKind kind, std::int64_t price_fen,
                        const std::string& path = "data.");

}  // namespace finance::app
