#include "domain/unit_availability.hpp"

namespace contract::domain {
namespace {
bool in_deal(const std::string& status) {
    return status == "held" || status == "subscribed" || status == "signed" ||
           status == "handed_over";
}
}  // namespace

void UnitAvailability::apply(const std::string& unit_id, const std::string& project_id,
                             const std::string& status, std::int64_t version,
                             const std::string& subscription_id, const std::string& actor) {
    auto [it, added] = units_.try_emplace(unit_id);
    auto& known = it->second;
    if (!added && version <= known.version)
        return;
    // The user who took the unit stays known while the same deal holds it (confirmation,
    // signing and handover are done by the services, not by that user).
    const bool same_deal =
        !added && !subscription_id.empty() && known.subscription_id == subscription_id;
    if (!same_deal)
        known.held_by = status == "held" ? actor : "";
    known.project_id = project_id;
    known.status = status;
    known.version = version;
    known.subscription_id = in_deal(status) ? subscription_id : "";
}

std::optional<UnitTaken> UnitAvailability::taken(const std::string& unit_id) const {
    const auto it = units_.find(unit_id);
    if (it == units_.end() || !in_deal(it->second.status))
        return std::nullopt;
    const auto& k = it->second;
    return UnitTaken{k.project_id, k.status, k.subscription_id, k.held_by};
}

bool refuse_at_once(const UnitTaken& taken, const std::string& caller_id,
                    bool has_idempotency_key) {
    if (!has_idempotency_key)
        return true;
    return !taken.held_by.empty() && taken.held_by != caller_id;
}

}  // namespace contract::domain
