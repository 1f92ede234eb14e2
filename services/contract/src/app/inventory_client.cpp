#include "app/inventory_client.hpp"

#include <functional>

#include "sales/failure.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {

// Inventory answered something that is not the agreed protocol: logged, and the caller is told
// to retry (503), as for any dependency that misbehaves.
[[noreturn]] void malformed(const std::string& problem) {
    sales::log::error("inventory protocol error", {{"error", problem}});
    throw sales::Failure(sales::Failure::Kind::unavailable, "dependency_unavailable",
                         "inventory answered unexpectedly; retry shortly");
}

std::string string_field(const nlohmann::json& object, const char* field, bool required) {
    const auto it = object.find(field);
    if (it != object.end() && it->is_string())
        return it->get<std::string>();
    if (required)
        malformed(std::string("inventory reply lacks string field ") + field);
    return "";
}

// A positive integer field, or 0 when absent (an older inventory) or not a positive integer.
std::int64_t positive_field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0)
        return 0;
    return it->get<std::int64_t>();
}

HoldReply parse_hold_reply(const std::string& text) {
    const auto reply = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!reply.is_object())
        malformed("inventory reply is not a JSON object: " + text.substr(0, 200));
    const auto result = string_field(reply, "result", true);
    HoldReply out;
    if (result == "held") {
        const auto unit = reply.find("unit");
        if (unit == reply.end() || !unit->is_object() || !unit->contains("list_total_fen") ||
            !(*unit)["list_total_fen"].is_number_integer() ||
            (*unit)["list_total_fen"].get<std::int64_t>() < 0) {
            malformed("inventory 'held' reply lacks unit.list_total_fen");
        }
        out.result = HoldReply::Result::held;
        out.unit = HeldUnit{string_field(*unit, "unit_id", true),
                            string_field(*unit, "project_id", true),
                            string_field(*unit, "building_id", false),
                            string_field(*unit, "unit_number", false),
                            (*unit)["list_total_fen"].get<std::int64_t>(),
                            {positive_field(*unit, "gross_area_centi_m2"),
                             positive_field(*unit, "internal_area_centi_m2")}};
    } else if (result == "conflict") {
        out.result = HoldReply::Result::conflict;
        out.status = string_field(reply, "status", false);
    } else if (result == "not_found") {
        out.result = HoldReply::Result::not_found;
    } else if (result == "invalid") {
        out.result = HoldReply::Result::invalid;
        out.message = string_field(reply, "message", false);
    } else {
        malformed("inventory reply has unknown result '" + result + "'");
    }
    return out;
}

// Runs a compensating call and logs its outcome; never throws.
void compensate(std::string_view done, std::string_view failed, sales::log::Level failure_level,
                nlohmann::json fields, const std::function<bool()>& attempt) noexcept {
    try {
        if (attempt()) {
            sales::log::info(done, std::move(fields));
            return;
        }
    } catch (const std::exception& e) {
        fields["error"] = e.what();
    }
    sales::log::write(failure_level, failed, std::move(fields));
}

}  // namespace

std::optional<std::vector<InventoryClient::Deal>> InventoryClient::deals(
    const std::string& after_unit_id, int limit) noexcept {
    try {
        nlohmann::json request = {{"limit", limit}};
        if (!after_unit_id.empty())
            request["after_unit_id"] = after_unit_id;
        const auto reply = nats_.request(kDealsSubject, request.dump(), timeout_);
        if (!reply)
            return std::nullopt;
        const auto body = nlohmann::json::parse(*reply);
        if (body.value("result", "") != "deals") {
            sales::log::warn("inventory refused the list of deals", {{"reply", *reply}});
            return std::nullopt;
        }
        std::vector<Deal> out;
        for (const auto& d : body.at("deals")) {
            out.push_back({d.at("unit_id"), d.at("project_id"), d.at("status"),
                           d.at("subscription_id"), d.at("changed_at")});
        }
        return out;
    } catch (const std::exception& e) {
        sales::log::warn("list of deals from inventory failed", {{"error", e.what()}});
        return std::nullopt;
    }
}

std::optional<HoldReply> InventoryClient::call(const char* subject, const nlohmann::json& request) {
    const auto reply = nats_.request(subject, request.dump(), timeout_);
    if (!reply) {
        sales::log::warn("inventory did not answer in time",
                         {{"subject", subject}, {"timeout_ms", timeout_.count()}});
        return std::nullopt;
    }
    return parse_hold_reply(*reply);
}

std::optional<HoldReply> InventoryClient::hold(const std::string& unit_id,
                                               const std::string& subscription_id,
                                               const std::optional<std::string>& hold_until,
                                               const std::string& actor,
                                               const std::optional<std::string>& reservation_id,
                                               const ProjectScope& project_ids) {
    nlohmann::json request = {
        {"unit_id", unit_id}, {"subscription_id", subscription_id}, {"actor", actor}};
    if (hold_until)
        request["hold_until"] = *hold_until;
    if (reservation_id)
        request["reservation_id"] = *reservation_id;
    if (project_ids)
        request["project_ids"] = *project_ids;
    return call(kHoldSubject, request);
}

std::optional<HoldReply> InventoryClient::swap(const std::string& subscription_id,
                                               const std::string& old_unit_id,
                                               const std::string& new_unit_id,
                                               const std::string& hold_until,
                                               const std::string& actor,
                                               const ProjectScope& project_ids) {
    nlohmann::json request = {{"subscription_id", subscription_id},
                              {"old_unit_id", old_unit_id},
                              {"new_unit_id", new_unit_id},
                              {"hold_until", hold_until},
                              {"actor", actor}};
    if (project_ids)
        request["project_ids"] = *project_ids;
    return call(kSwapSubject, request);
}

void InventoryClient::release_quietly(const std::string& unit_id,
                                      const std::string& subscription_id, const std::string& actor,
                                      const std::string& reason) noexcept {
    compensate(
        "hold released", "hold release not confirmed; inventory's hold expiry will free the unit",
        sales::log::Level::warn,
        {{"unit_id", unit_id}, {"subscription_id", subscription_id}, {"reason", reason}}, [&] {
            return nats_
                .request(kReleaseSubject,
                         nlohmann::json{{"unit_id", unit_id},
                                        {"subscription_id", subscription_id},
                                        {"actor", actor},
                                        {"reason", reason}}
                             .dump(),
                         timeout_)
                .has_value();
        });
}

void InventoryClient::swap_back_quietly(const std::string& subscription_id,
                                        const std::string& swapped_to,
                                        const std::string& swapped_from,
                                        const std::string& hold_until,
                                        const std::string& actor) noexcept {
    compensate("swap undone",
               "swap could not be undone; the subscription and inventory disagree on the unit "
               "until an operator fixes it",
               sales::log::Level::error,
               {{"subscription_id", subscription_id},
                {"unit_id", swapped_to},
                {"back_to_unit_id", swapped_from}},
               [&] {
                   // Idempotent: if the first swap never happened, inventory answers "held".
                   const auto reply =
                       swap(subscription_id, swapped_to, swapped_from, hold_until, actor);
                   return reply && reply->result == HoldReply::Result::held;
               });
}

}  // namespace contract::app
