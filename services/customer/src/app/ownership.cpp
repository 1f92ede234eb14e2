// Ownership (CUS-3/4): reassignment by a sales manager and the collisions they resolve.
#include "adapters/collision_store.hpp"
#include "adapters/customer_store.hpp"
#include "app/customers.hpp"
#include "sales/ids.hpp"

namespace customer::app {
namespace {
using namespace sales::db;

}  // namespace

std::int64_t move_owner(Tx& tx, const std::string& customer_id, const std::string& to_rep_id,
                        const std::string& cause, const std::string& reason,
                        const std::string& actor) {
    const auto before = adapters::lock_owner(tx, customer_id);
    const auto version =
        adapters::set_owner(tx, customer_id, before.owner_id, to_rep_id, cause, reason, actor);
    emit(tx, kCustomerReassigned, customer_id, version,
         {{"customer_id", customer_id},
          {"project_id", before.project_id},
          {"from_owner_id", before.owner_id},
          {"to_owner_id", to_rep_id},
          {"cause", cause},
          {"reason", reason}});
    return version;
}

nlohmann::json reassign_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                 const std::string& to_rep_id, const std::string& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        if (row.opt_text("archived_at"))
            sales::fail_conflict("customer_archived", "customer " + id + " is archived (CUS-9)");
        if (row.text("owner_id") == to_rep_id) {
            sales::fail_conflict("already_owner",
                                 "rep " + to_rep_id + " already owns customer " + id,
                                 {{"owner_id", to_rep_id}});
        }
        move_owner(tx, id, to_rep_id, "reassigned", reason, caller.id());  // CUS-4
        return customer_json(load_customer(tx, caller, id, false), domain::PiiView::masked);
    });
}

nlohmann::json list_collisions(const Context& ctx, const Caller& caller,
                               const std::optional<std::string>& project_id,
                               std::optional<domain::CollisionStatus> status, std::int64_t limit,
                               std::int64_t offset) {
    std::optional<std::string> status_name;
    if (status)
        status_name = std::string(domain::to_string(*status));
    return ctx.db.transaction([&](Tx& tx) {
        const auto items = in_projects(
            caller, adapters::list_collisions(tx, project_id, status_name, limit, offset),
            [&caller](const sales::db::Row& r) -> nlohmann::json {
                auto out = row_json(r,
                                    {"id", "project_id", "customer_id", "owner_id", "claimant_id",
                                     "status", "recorded_at"},
                                    {"resolved_by", "resolved_at"});
                out["attempted_name"] = nullable(r.opt_text("attempt_name"));
                // CUS-8: the collision list never shows the full phone, in its fields or notes.
                out["phone"] = domain::mask_phone(r.text("phone"));
                bool revealed = false;
                out["resolution_note"] = free_text(
                    r.opt_text("resolution_note"),
                    domain::pii_view(caller.id(), r.text("owner_id"), caller.pii, false), revealed);
                return out;
            });
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

nlohmann::json resolve_collision(const Context& ctx, const Caller& caller, const std::string& id,
                                 domain::CollisionDecision decision, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto collision =
            load_scoped(caller, "collision", id, [&] { return adapters::lock_collision(tx, id); });
        const auto next = domain::resolve(*domain::parse_collision_status(collision.text("status")),
                                          decision);  // CUS-3
        const auto customer_id = collision.text("customer_id");
        const bool reassigned = next == domain::CollisionStatus::reassigned;
        const auto owner = reassigned ? collision.text("claimant_id") : collision.text("owner_id");
        if (reassigned && adapters::lock_owner(tx, customer_id).owner_id != owner)
            move_owner(tx, customer_id, owner, "collision", note, caller.id());
        adapters::resolve_collision(tx, id, std::string(domain::to_string(next)), caller.id(),
                                    note);
        emit(tx, kCollisionResolved, id, 2,
             {{"collision_id", id},
              {"customer_id", customer_id},
              {"project_id", collision.text("project_id")},
              {"decision", domain::to_string(next)},
              {"owner_id", owner}});
        return nlohmann::json{{"id", id},
                              {"customer_id", customer_id},
                              {"status", domain::to_string(next)},
                              {"owner_id", owner}};
    });
}

}  // namespace customer::app
