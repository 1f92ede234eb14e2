#include "adapters/webhook_store.hpp"

namespace webhooks::adapters {
namespace {
using nlohmann::json;
using sales::db::param;

std::vector<std::string> text_array(const sales::db::Row& row, const char* column) {
    return json::parse(row.text(column)).get<std::vector<std::string>>();
}

Subscription subscription_of(const sales::db::Row& row) {
    return Subscription{.subscription_id = row.text("subscription_id"),
                        .name = row.text("name"),
                        .url = row.text("url"),
                        .subjects = text_array(row, "subjects"),
                        .project_ids = text_array(row, "project_ids"),
                        .active = row.boolean("active")};
}

const std::string kSubscriptionColumns =
    "subscription_id::text AS subscription_id, name, url, array_to_json(subjects)::text AS "
    "subjects, array_to_json(project_ids)::text AS project_ids, active";

const std::string kSubscriptionJson =
    "SELECT " + kSubscriptionColumns + ", created_by, " +
    sales::db::rfc3339("created_at", "created_at") + ", " +
    sales::db::rfc3339("updated_at", "updated_at") +
    ", (SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.subscription_id "
    "AND d.status = 'pending') AS pending, "
    "(SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.subscription_id "
    "AND d.status = 'dead') AS dead, "
    "(SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.subscription_id "
    "AND d.status = 'delivered') AS delivered "
    "FROM webhook_subscriptions s ";

json subscription_json_of(const sales::db::Row& row) {
    const auto s = subscription_of(row);
    return json{{"id", s.subscription_id},
                {"name", s.name},
                {"url", s.url},
                {"subjects", s.subjects},
                {"project_ids", s.project_ids},
                {"active", s.active},
                {"created_by", row.text("created_by")},
                {"created_at", row.text("created_at")},
                {"updated_at", row.text("updated_at")},
                {"deliveries",
                 {{"pending", row.int64("pending")},
                  {"dead", row.int64("dead")},
                  {"delivered", row.int64("delivered")}}}};
}

}  // namespace

std::vector<Subscription> active_subscriptions(Tx& tx) {
    std::vector<Subscription> out;
    for (const auto& row :
         tx.exec("SELECT " + kSubscriptionColumns + " FROM webhook_subscriptions WHERE active"))
        out.push_back(subscription_of(row));
    return out;
}

void insert_subscription(Tx& tx, const Subscription& s, const std::string& secret,
                         const std::string& created_by) {
    tx.exec(
        "INSERT INTO webhook_subscriptions (subscription_id, name, url, subjects, project_ids, "
        "secret, active, created_by) VALUES ($1::uuid, $2, $3, $4::text[], $5::text[], $6, $7, $8)",
        {param(s.subscription_id), param(s.name), param(s.url), param(s.subjects),
         param(s.project_ids), param(secret), param(s.active), param(created_by)});
}

std::optional<json> subscription_json(Tx& tx, const std::string& subscription_id) {
    const auto rows =
        tx.exec(kSubscriptionJson + "WHERE subscription_id = $1::uuid", {param(subscription_id)});
    if (rows.empty())
        return std::nullopt;
    return subscription_json_of(rows[0]);
}

std::vector<json> list_subscriptions(Tx& tx) {
    std::vector<json> out;
    for (const auto& row : tx.exec(kSubscriptionJson + "ORDER BY created_at, subscription_id"))
        out.push_back(subscription_json_of(row));
    return out;
}

std::optional<Subscription> lock_subscription(Tx& tx, const std::string& subscription_id) {
    const auto rows = tx.exec("SELECT " + kSubscriptionColumns +
                                  " FROM webhook_subscriptions WHERE subscription_id = $1::uuid "
                                  "FOR UPDATE",
                              {param(subscription_id)});
    if (rows.empty())
        return std::nullopt;
    return subscription_of(rows[0]);
}

void update_subscription(Tx& tx, const Subscription& s) {
    tx.exec(
        "UPDATE webhook_subscriptions SET name = $2, url = $3, subjects = $4::text[], "
        "project_ids = $5::text[], active = $6, updated_at = now() "
        "WHERE subscription_id = $1::uuid",
        {param(s.subscription_id), param(s.name), param(s.url), param(s.subjects),
         param(s.project_ids), param(s.active)});
}

void set_secret(Tx& tx, const std::string& subscription_id, const std::string& secret) {
    tx.exec(
        "UPDATE webhook_subscriptions SET secret = $2, updated_at = now() "
        "WHERE subscription_id = $1::uuid",
        {param(subscription_id), param(secret)});
}

bool delete_subscription(Tx& tx, const std::string& subscription_id) {
    return tx.exec("DELETE FROM webhook_subscriptions WHERE subscription_id = $1::uuid",
                   {param(subscription_id)})
               .affected_rows() > 0;
}

void insert_delivery(Tx& tx, const std::string& subscription_id, const std::string& event_id,
                     const std::string& event_type, const std::string& ordering_key,
                     const std::string& payload) {
    tx.exec(
        "INSERT INTO webhook_deliveries (delivery_id, subscription_id, event_id, event_type, "
        "ordering_key, payload) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5) "
        "ON CONFLICT (subscription_id, event_id) DO NOTHING",
        {param(subscription_id), param(event_id), param(event_type), param(ordering_key),
         param(payload)});
}

std::optional<DueDelivery> claim_due_delivery(Tx& tx) {
    const auto rows = tx.exec(
        "SELECT d.id, d.delivery_id::text AS delivery_id, d.subscription_id::text AS "
        "subscription_id, d.event_type, d.payload, s.url, s.secret, d.attempts, "
        "(extract(epoch FROM now() - d.pending_since) * 1000)::bigint AS pending_ms "
        "FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id) "
        "WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND s.active "
        "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = "
        "d.subscription_id AND e.ordering_key = d.ordering_key AND e.status = 'pending' "
        "AND e.id < d.id) "
        "ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED");
    if (rows.empty())
        return std::nullopt;
    const auto row = rows[0];
    return DueDelivery{.id = row.int64("id"),
                       .delivery_id = row.text("delivery_id"),
                       .subscription_id = row.text("subscription_id"),
                       .event_type = row.text("event_type"),
                       .payload = row.text("payload"),
                       .url = row.text("url"),
                       .secret = row.text("secret"),
                       .pending_ms = row.int64("pending_ms"),
                       .attempts = static_cast<int>(row.int64("attempts"))};
}

void record_attempt(Tx& tx, std::int64_t id, const std::string& status,
                    std::optional<std::int64_t> http_status,
                    const std::optional<std::string>& error, std::int64_t retry_in_ms) {
    tx.exec(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), "
        "last_status = $3, last_error = $4, status = $2, "
        "delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, "
        "next_attempt_at = now() + $5 * interval '1 millisecond' WHERE id = $1",
        {param(id), param(status), param(http_status), param(error), param(retry_in_ms)});
}

DeliveryPage list_deliveries(Tx& tx, const std::string& subscription_id,
                             const std::optional<std::string>& status, std::int64_t limit,
                             std::int64_t offset) {
    const std::string where =
        " FROM webhook_deliveries WHERE subscription_id = $1::uuid AND ($2::text IS NULL OR "
        "status = $2) ";
    DeliveryPage page;
    page.total =
        tx.exec("SELECT count(*) AS n" + where, {param(subscription_id), param(status)})[0].int64(
            "n");
    const auto rows = tx.exec(
        "SELECT delivery_id::text AS delivery_id, event_id::text AS event_id, event_type, "
        "ordering_key, status, attempts, last_status, last_error, " +
            sales::db::rfc3339("next_attempt_at", "next_attempt_at") + ", " +
            sales::db::rfc3339("last_attempt_at", "last_attempt_at") + ", " +
            sales::db::rfc3339("delivered_at", "delivered_at") + ", " +
            sales::db::rfc3339("created_at", "created_at") + where +
            "ORDER BY id DESC LIMIT $3 OFFSET $4",
        {param(subscription_id), param(status), param(limit), param(offset)});
    for (const auto& row : rows) {
        const bool pending = row.text("status") == "pending";
        page.items.push_back(
            {{"delivery_id", row.text("delivery_id")},
             {"event_id", row.text("event_id")},
             {"event_type", row.text("event_type")},
             {"ordering_key", row.text("ordering_key")},
             {"status", row.text("status")},
             {"attempts", row.int64("attempts")},
             {"last_status", sales::db::nullable(row.opt_int64("last_status"))},
             {"last_error", sales::db::nullable(row.opt_text("last_error"))},
             {"next_attempt_at", pending ? json(row.text("next_attempt_at")) : json(nullptr)},
             {"last_attempt_at", sales::db::nullable(row.opt_text("last_attempt_at"))},
             {"delivered_at", sales::db::nullable(row.opt_text("delivered_at"))},
             {"created_at", row.text("created_at")}});
    }
    return page;
}

std::int64_t redeliver_dead(Tx& tx, const std::string& subscription_id,
                            const std::vector<std::string>& delivery_ids) {
    return static_cast<std::int64_t>(
        tx.exec("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                "next_attempt_at = now(), pending_since = now() "
                "WHERE subscription_id = $1::uuid AND status = 'dead' "
                "AND (cardinality($2::uuid[]) = 0 OR delivery_id = ANY($2::uuid[]))",
                {param(subscription_id), param(delivery_ids)})
            .affected_rows());
}

std::vector<std::string> not_dead(Tx& tx, const std::string& subscription_id,
                                  const std::vector<std::string>& delivery_ids) {
    std::vector<std::string> out;
    for (const auto& row :
         tx.exec("SELECT w.wanted::text AS id FROM unnest($2::uuid[]) AS w(wanted) "
                 "WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE "
                 "d.subscription_id = $1::uuid AND d.delivery_id = w.wanted AND d.status = 'dead')",
                 {param(subscription_id), param(delivery_ids)}))
        out.push_back(row.text("id"));
    return out;
}

}  // namespace webhooks::adapters
