#include "app/event_fields.hpp"

#include "sales/ids.hpp"
#include "sales/input.hpp"

namespace finance::app {
namespace {
constexpr std::int64_t kMaxAmount = sales::service::kMaxFen;
}  // namespace

[[noreturn]] void poison_event(const sales::bus::Event& event, const std::string& problem) {
    throw sales::bus::PoisonMessage(event.type + " " + event.id + ": " + problem);
}

const nlohmann::json& event_field(const sales::bus::Event& event, const nlohmann::json& object,
                                  const std::string& name, const std::string& path) {
    if (!object.is_object() || !object.contains(name) || object[name].is_null())
        poison_event(event, path + name + " is required");
    return object[name];
}

std::string event_uuid(const sales::bus::Event& event, const nlohmann::json& object,
                       const std::string& name, const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
        poison_event(event, path + name + " must be a UUID");
    return v.get<std::string>();
}

std::string event_text(const sales::bus::Event& event, const nlohmann::json& object,
                       const std::string& name, const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
        poison_event(event, path + name + " must be a non-empty string");
    return v.get<std::string>();
}

std::int64_t event_integer(const sales::bus::Event& event, const nlohmann::json& object,
                           const std::string& name, std::int64_t min, std::int64_t max,
                           const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)))
        poison_event(event, path + name + " must be an integer");
    const auto value = v.get<std::int64_t>();
    if (value < min || value > max)
        poison_event(event, path + name + " must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
    return value;
}

sales::Date event_date(const sales::bus::Event& event, const nlohmann::json& object,
                       const std::string& name, const std::string& path) {
    const auto d = sales::parse_date(event_text(event, object, name, path));
    if (!d)
        poison_event(event, path + name + " must be a date YYYY-MM-DD");
    return *d;
}

std::optional<std::int64_t> event_opt_integer(const nlohmann::json& data, const char* name) {
    if (data.contains(name) && data[name].is_number_integer())
        return data[name].get<std::int64_t>();
    return std::nullopt;
}

std::optional<std::string> event_opt_uuid(const nlohmann::json& data, const char* name) {
    if (data.contains(name) && data[name].is_string() &&
        sales::is_uuid(data[name].get<std::string>()))
        return data[name].get<std::string>();
    return std::nullopt;
}

domain::Plan event_plan(const sales::bus::Event& event, const nlohmann::json& data,
                        domain::PlanKind kind, std::int64_t price_fen, const std::string& path) {
    const auto& plan = event_field(event, data, "plan", path);
    const auto at = path + "plan.";
    if (!plan.is_object())
        poison_event(event, path + "plan must be an object");
    const auto plan_kind = domain::parse_plan_kind(event_text(event, plan, "kind", at));
    if (!plan_kind || *plan_kind != kind)
        poison_event(event, at + "kind must equal " + path + "payment_plan");
    switch (kind) {
        case domain::PlanKind::one_off:
            return domain::one_off_plan(event_date(event, plan, "due_date", at), price_fen);
        case domain::PlanKind::instalments: {
            const auto& list = event_field(event, plan, "instalments", at);
            if (!list.is_array())
                poison_event(event, at + "instalments must be an array");
            std::vector<std::pair<sales::Date, std::int64_t>> items;
            for (std::size_t i = 0; i < list.size(); ++i) {
                const auto item_path = at + "instalments[" + std::to_string(i) + "].";
                items.emplace_back(
                    event_date(event, list[i], "due_date", item_path),
                    event_integer(event, list[i], "amount_fen", 1, kMaxAmount, item_path));
            }
            return domain::instalment_plan(items);
        }
        case domain::PlanKind::mortgage:
            return domain::mortgage_plan(
                event_integer(event, plan, "down_payment_fen", 1, kMaxAmount, at),
                event_date(event, plan, "down_payment_due_date", at),
                event_integer(event, plan, "loan_fen", 1, kMaxAmount, at),
                event_date(event, plan, "loan_expected_date", at));
    }
    poison_event(event, path + "payment_plan is unknown");
}

const nlohmann::json& event_object(const sales::bus::Event& event, const nlohmann::json& object,
                                   const std::string& name, const std::string& path) {
    const auto& v = event_field(event, object, name, path);
    if (!v.is_object())
        poison_event(event, path + name + " must be an object");
    return v;
}

}  // namespace finance::app
