#include "app/reconciliation.hpp"

#include <map>
#include <set>

#include "adapters/reconciliation_queries.hpp"
#include "sales/calendar.hpp"
#include "sales/log.hpp"

namespace contract::app {
namespace {
using Deal = InventoryClient::Deal;
constexpr int kPage = 500;
constexpr const char* kActor = "system:reconciliation";

struct ContractSide {
    std::string status;
    std::string unit_id;
    std::string contract_status;  // "" without a contract
    bool live() const { return status != "cancelled" && contract_status != "cancelled"; }
};

// Every unit in a deal, or nullopt when a page did not come.
std::optional<std::vector<Deal>> all_deals(InventoryClient& inventory) {
    std::vector<Deal> all;
    std::string after;
    while (true) {
        auto page = inventory.deals(after, kPage);
        if (!page)
            return std::nullopt;
        all.insert(all.end(), page->begin(), page->end());
        if (static_cast<int>(page->size()) < kPage)
            return all;
        after = page->back().unit_id;
    }
}

std::map<std::string, ContractSide> contract_side(const Context& ctx,
                                                  const std::vector<Deal>& deals) {
    std::map<std::string, ContractSide> out;
    for (std::size_t i = 0; i < deals.size(); i += kPage) {
        std::vector<std::string> ids;
        for (std::size_t j = i; j < std::min(deals.size(), i + kPage); ++j)
            ids.push_back(deals[j].subscription_id);
        ctx.db.transaction([&](sales::db::Tx& tx) {
            for (const auto& r : reconciliation_queries::deal_states(tx, ids)) {
                out[r.text("id")] = {r.text("status"), r.text("unit_id"),
                                     r.opt_text("contract_status").value_or("")};
            }
        });
    }
    return out;
}

bool settled(const Deal& deal, sales::TimePoint before) {
    const auto changed = sales::parse_rfc3339(deal.changed_at);
    return changed && *changed < before;
}
}  // namespace

ReconciliationReport reconcile_holds(const Context& ctx, InventoryClient& inventory,
                                     std::chrono::seconds min_age) {
    ReconciliationReport report;
    const auto deals = all_deals(inventory);
    if (!deals) {
        sales::log::warn("hold reconciliation skipped: inventory did not list its deals");
        return report;
    }
    report.deals = static_cast<int>(deals->size());
    const auto before = ctx.clock.now() - min_age;
    const auto contract = contract_side(ctx, *deals);
    std::set<std::string> held_subscriptions;
    for (const auto& deal : *deals) {
        held_subscriptions.insert(deal.subscription_id);
        if (!settled(deal, before))
            continue;
        const auto it = contract.find(deal.subscription_id);
        const nlohmann::json fields = {
            {"unit_id", deal.unit_id},
            {"unit_status", deal.status},
            {"subscription_id", deal.subscription_id},
            {"subscription_status", it == contract.end() ? "unknown" : it->second.status}};
        if (it != contract.end() && it->second.live()) {
            if (it->second.unit_id != deal.unit_id) {
                ++report.unresolved;
                sales::log::error(
                    "reconciliation: a unit is held for a subscription of another "
                    "unit; sales control must resolve it",
                    fields);
            }
            continue;
        }
        if (deal.status == "held" || deal.status == "subscribed") {
            inventory.release_quietly(deal.unit_id, deal.subscription_id, kActor,
                                      "reconciliation: subscription " + deal.subscription_id +
                                          " is not live in contract");
            ++report.released;
            sales::log::warn("reconciliation: unit held for no live subscription; released",
                             fields);
        } else {
            ++report.unresolved;
            sales::log::error(
                "reconciliation: unit sold for a deal contract has ended; sales "
                "control must resolve it",
                fields);
        }
    }
    std::string after;
    while (true) {
        const auto page = ctx.db.transaction([&](sales::db::Tx& tx) {
            return reconciliation_queries::live_page(tx, after, kPage, min_age.count());
        });
        for (const auto& r : page) {
            if (held_subscriptions.count(r.text("id")) == 0) {
                ++report.unresolved;
                sales::log::error(
                    "reconciliation: live subscription holds no unit in inventory; "
                    "sales control must resolve it (swap or cancel)",
                    {{"subscription_id", r.text("id")}, {"unit_id", r.text("unit_id")}});
            }
        }
        if (page.size() < static_cast<std::size_t>(kPage))
            break;
        after = page[page.size() - 1].text("id");
    }
    report.complete = true;
    sales::log::info("hold reconciliation done", {{"deals", report.deals},
                                                  {"released", report.released},
                                                  {"unresolved", report.unresolved}});
    return report;
}

}  // namespace contract::app
