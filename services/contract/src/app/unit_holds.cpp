#include "app/unit_holds.hpp"

#include "adapters/project_store.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::app {
using sales::Failure;

[[noreturn]] void unit_not_found(const std::string& unit_id) {
    throw Failure(Failure::Kind::not_found, "unit_not_found", "no unit with id " + unit_id,
                  {{"unit_id", unit_id}});
}

HeldUnit require_held(const std::optional<HoldReply>& reply, const std::string& unit_id) {
    if (!reply) {
        throw Failure(Failure::Kind::unavailable, "dependency_unavailable",
                      "inventory did not answer in time; retry shortly");
    }
    switch (reply->result) {
        case HoldReply::Result::held:
            return *reply->unit;
        case HoldReply::Result::conflict:
            sales::fail_conflict("unit_not_available", "unit " + unit_id + " is " + reply->status,
                                 {{"unit_id", unit_id}, {"status", reply->status}});
        case HoldReply::Result::not_found:
            unit_not_found(unit_id);
        case HoldReply::Result::invalid:
            break;
    }
    throw Failure(Failure::Kind::invalid, "validation_failed",
                  "inventory refused the request: " + reply->message, {{"unit_id", unit_id}});
}

domain::ProjectSettings require_settings(sales::db::Tx& tx, const std::string& project_id) {
    const auto held = project_store::find(tx, project_id, /*for_update=*/false);
    if (!held) {
        throw Failure(Failure::Kind::unavailable, "project_not_synchronised",
                      "project " + project_id +
                          " is not known to the contract service yet (its "
                          "inventory.project.created event has not arrived); retry shortly",
                      {{"project_id", project_id}});
    }
    return held->settings;
}

ProjectScope inventory_scope(const sales::Principal& caller, const std::string& unit_id) {
    if (caller.in_project("*"))
        return std::nullopt;
    std::vector<std::string> ids;
    for (const auto& id : caller.project_ids) {
        if (sales::is_uuid(id))
            ids.push_back(id);
    }
    if (ids.empty())
        unit_not_found(unit_id);
    return ids;
}

void subscription_not_found(const std::string& id) {
    throw Failure(Failure::Kind::not_found, "subscription_not_found",
                  "no subscription with id " + id, {{"subscription_id", id}});
}

}  // namespace contract::app
