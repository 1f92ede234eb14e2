#include "app/privacy.hpp"

#include "domain/customer.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;
}  // namespace

nlohmann::json export_anonymised(const Context& ctx, const Caller& caller,
                                 const std::string& project_id, std::int64_t limit,
                                 std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : tx.exec(
                 "SELECT 'c_' || left(encode(sha256(convert_to(k.value || ':' || c.id::text, "
                 "'UTF8')), 'hex'), 32) AS pseudonym, c.gender, (c.birth_year / 10) * 10 AS "
                 "birth_decade, c.channel, c.type, c.stage, c.budget_min_fen, c.budget_max_fen, "
                 "c.need_layout, c.need_area_min_centi_m2, c.need_area_max_centi_m2, "
                 "c.purchase_horizon, to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', "
                 "'YYYY-MM') AS created_month, c.event_count, "
                 "(SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id AND e.kind "
                 "IN ('visit', 'post_purchase_visit')) AS visits, "
                 "(SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id AND e.kind "
                 "IN ('call_in', 'call_out')) AS calls "
                 "FROM customers c CROSS JOIN service_keys k WHERE k.name = 'export_pseudonym' "
                 "AND c.project_id = $1::uuid AND c.archived_at IS NULL ORDER BY 1 LIMIT $2 "
                 "OFFSET $3",
                 {project_id, limit, offset})) {
            items.push_back({{"pseudonym", r.text("pseudonym")},
                             {"gender", nullable(r.opt_text("gender"))},
                             {"birth_decade", nullable(r.opt_int64("birth_decade"))},
                             {"channel", r.text("channel")},
                             {"type", nullable(r.opt_text("type"))},
                             {"stage", r.text("stage")},
                             {"budget_min_fen", nullable(r.opt_int64("budget_min_fen"))},
                             {"budget_max_fen", nullable(r.opt_int64("budget_max_fen"))},
                             {"layout", nullable(r.opt_text("need_layout"))},
                             {"area_min_centi_m2", nullable(r.opt_int64("need_area_min_centi_m2"))},
                             {"area_max_centi_m2", nullable(r.opt_int64("need_area_max_centi_m2"))},
                             {"purchase_horizon", nullable(r.opt_text("purchase_horizon"))},
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
        // domain::archivable: no event for archive_after_days and no live deal.
        const auto candidates = tx.exec(
            "SELECT c.id::text AS id, c.version FROM customers c WHERE c.project_id = $1::uuid "
            "AND c.archived_at IS NULL AND c.last_event_at <= $2::timestamptz - "
            "make_interval(days => $3::int) AND NOT EXISTS (SELECT 1 FROM deals d WHERE "
            "d.customer_id = c.id AND d.status IN ('subscribed', 'signed')) ORDER BY "
            "c.last_event_at, c.id LIMIT $4 FOR UPDATE SKIP LOCKED",
            {project_id, now, settings.archive_after_days, limit});
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& row : candidates) {
            const auto id = row.text("id");
            ids.push_back(id);
            if (dry_run)
                continue;
            // The backup copy: the whole row and every event, as they are now.
            tx.exec(
                "INSERT INTO customer_archive (customer_id, snapshot, archived_by) SELECT c.id, "
                "jsonb_build_object('customer', to_jsonb(c), 'events', coalesce((SELECT "
                "jsonb_agg(to_jsonb(e) ORDER BY e.occurred_at) FROM customer_events e WHERE "
                "e.customer_id = c.id), '[]'::jsonb)), $2 FROM customers c WHERE c.id = $1::uuid",
                {id, caller.id()});
            const auto version = tx.exec_one(
                                       "UPDATE customers SET archived_at = clock_timestamp(), "
                                       "version = version + 1, updated_at = clock_timestamp() "
                                       "WHERE id = $1::uuid RETURNING version",
                                       {id})
                                     .int64(0);
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
