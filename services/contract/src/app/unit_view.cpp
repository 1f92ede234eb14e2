#include "app/unit_view.hpp"

#include "sales/bus.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
std::string text(const nlohmann::json& data, const char* field) {
    const auto it = data.find(field);
    return it != data.end() && it->is_string() ? it->get<std::string>() : "";
}
}  // namespace

void UnitView::follow(std::uint64_t reconnects) {
    if (reconnects == reconnects_)
        return;
    if (units_.size() > 0)
        sales::log::info("unit view emptied after a NATS reconnect", {{"units", units_.size()}});
    units_.forget_all();
    reconnects_ = reconnects;
}

void UnitView::on_event(const std::string& payload, std::uint64_t reconnects) {
    sales::bus::Event event;
    try {
        event = sales::bus::parse_event(payload);
    } catch (const std::exception& e) {
        sales::log::warn("unit view: event ignored", {{"error", e.what()}});
        return;
    }
    const auto& d = event.data;
    const auto unit_id = text(d, "unit_id");
    const auto status = text(d, "to");
    const auto version = d.find("version");
    if (unit_id.empty() || status.empty() || version == d.end() || !version->is_number_integer())
        return;
    std::lock_guard lock(mutex_);
    follow(reconnects);
    units_.apply(unit_id, text(d, "project_id"), status, version->get<std::int64_t>(),
                 text(d, "subscription_id"), text(d, "actor"));
}

std::optional<domain::UnitTaken> UnitView::taken(const std::string& unit_id,
                                                 std::uint64_t reconnects) {
    std::lock_guard lock(mutex_);
    follow(reconnects);
    return units_.taken(unit_id);
}

}  // namespace contract::app
