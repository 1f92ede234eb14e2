#pragma once
// What the subscription use cases share around inventory's unit holds (INV-4, SEC-1).
#include <functional>
#include <optional>
#include <string>

#include "app/inventory_client.hpp"
#include "domain/project_ref.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace contract::app {

// Undoes an inventory step (release, swap back) unless dismissed; the undo never throws.
class Compensation {
  public:
    Compensation() = default;
    Compensation(const Compensation&) = delete;
    Compensation& operator=(const Compensation&) = delete;
    ~Compensation() {
        if (undo_)
            undo_();
    }
    void arm(std::function<void()> undo) { undo_ = std::move(undo); }
    void dismiss() { undo_ = nullptr; }

  private:
    std::function<void()> undo_;
};

// The held unit of a hold/swap reply; Failure otherwise: unavailable "dependency_unavailable"
// (no answer), conflict "unit_not_available", not_found "unit_not_found", invalid.
HeldUnit require_held(const std::optional<HoldReply>& reply, const std::string& unit_id);

// The project's settings; Failure unavailable "project_not_synchronised" until its
// inventory.project.created event has arrived.
domain::ProjectSettings require_settings(sales::db::Tx& tx, const std::string& project_id);

// The caller's projects for inventory requests (SEC-1): nullopt = every project. A caller with
// no project at all cannot hold anything: answered like an unknown unit.
ProjectScope inventory_scope(const sales::Principal& caller, const std::string& unit_id);

// Failure not_found "subscription_not_found".
[[noreturn]] void subscription_not_found(const std::string& id);

}  // namespace contract::app
