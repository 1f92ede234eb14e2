#include "app/privacy.hpp"

#include "adapters/customer_queries.hpp"
#include "adapters/customer_store.hpp"
#include "domain/customer.hpp"
#include "sales/log.hpp"

namespace customer::app {
using sales::db::Tx;

nlohmann::json export_anonymised(const Context& ctx, const Caller& caller,
                                 const std::string& project_id, std::int64_t limit,
                                 std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : adapters::anonymised_customers(tx, project_id, limit, offset)) {
            items.push_back(
                {{"pseudonym", r.text("pseudonym")},
                 {"gender", sales::db::nullable(r.opt_text("gender"))},
                 {"birth_decade", sales::db::nullable(r.opt_int64("birth_decade"))},
                 {"channel", r.text("channel")},
                 {"type", sales::db::nullable(r.opt_text("type"))},
                 {"stage", r.text("stage")},
                 {"budget_min_fen", sales::db::nullable(r.opt_int64("budget_min_fen"))},
                 {"budget_max_fen", sales::db::nullable(r.opt_int64("budget_max_fen"))},
                 {"layout", sales::db::nullable(r.opt_text("need_layout"))},
                 {"area_min_centi_m2", sales::db::nullable(r.opt_int64("need_area_min_centi_m2"))},
                 {"area_max_centi_m2", sales::db::nullable(r.opt_int64("need_area_max_centi_m2"))},
                 {"purchase_horizon", sales::db::nullable(r.opt_text("purchase_horizon"))},
                 {"created_month", r.text("created_month")},
                 {"events", r.int64("event_count")},
                 {"visits", r.int64("visits")},
                 {"calls", r.int64("calls")}});
        }
        sales::log::info("anonymised customer export (CUS-8)",
                         {{"project_id", project_id}, {"by", caller.id()}, {"rows", items.size()}});
        return nlohmann::json{
            {"project_id", project_id}, {"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

nlohmann::json archive_inactive(const Context& ctx, const Caller& caller,
                                const std::string& project_id, std::int64_t limit, bool dry_run) {
    const auto now = sales::to_rfc3339(ctx.clock.now());
    return ctx.db.transaction([&](Tx& tx) {
        const auto settings = project_settings(tx, caller, project_id);
        const auto candidates =
            adapters::lock_archivable(tx, project_id, now, settings.archive_after_days, limit);
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& row : candidates) {
            const auto id = row.text("id");
            ids.push_back(id);
            if (dry_run)
                continue;
            const auto version = adapters::archive_customer(tx, id, caller.id());
            emit(tx, kCustomerArchived, id, version,
                 {{"customer_id", id}, {"project_id", project_id}, {"by", caller.id()}});
        }
        if (!dry_run && !ids.empty()) {
            sales::log::info(
                "customers archived (CUS-9)",
                {{"project_id", project_id}, {"count", ids.size()}, {"by", caller.id()}});
        }
        return nlohmann::json{{"project_id", project_id},
                              {"dry_run", dry_run},
                              {"archive_after_days", settings.archive_after_days},
                              {"customer_ids", ids},
                              {"count", ids.size()}};
    });
}

}  // namespace customer::app
