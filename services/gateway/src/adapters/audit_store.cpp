#include "adapters/audit_store.hpp"

namespace gateway::adapters::audit_store {
namespace {
using nlohmann::json;
using sales::db::param;

constexpr const char* kAppend = R"sql(
INSERT INTO audit_log (user_id, username, method, route, path, target, status, outcome, reason,
                       request_id, remote_address, count)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql";

const std::string kSearch = "SELECT id, " + sales::db::rfc3339("at", "at") + R"sql(,
       user_id, username, method, route, path, target, status, outcome, reason, request_id,
       remote_address, count
FROM audit_log a
WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR route = $2)
  AND ($3::text IS NULL OR outcome = $3) AND ($4::text IS NULL OR request_id = $4)
  AND ($5::text IS NULL OR at >= $5::timestamptz) AND ($6::text IS NULL OR at < $6::timestamptz)
  AND ($7 = 0 OR id < $7)
  AND ($9 = '' OR EXISTS (SELECT 1 FROM users u WHERE u.region = $9
       AND (u.id::text = a.user_id OR (a.user_id = '' AND u.username = a.username))))
ORDER BY id DESC LIMIT $8)sql";
}  // namespace

void append(sales::db::Tx& tx, const Record& r) {
    tx.exec(kAppend,
            {r.user_id, r.username, r.method, r.route, r.path, r.target, std::int64_t{r.status},
             r.outcome, param(r.reason), r.request_id, r.remote_address, r.count});
}

json search(sales::db::Tx& tx, const Filter& f) {
    json items = json::array();
    for (const auto row :
         tx.exec(kSearch, {param(f.user_id), param(f.route), param(f.outcome), param(f.request_id),
                           param(f.from), param(f.to), f.before_id, f.limit, f.region})) {
        items.push_back({{"id", row.int64("id")},
                         {"at", row.text("at")},
                         {"user_id", row.text("user_id")},
                         {"username", row.text("username")},
                         {"method", row.text("method")},
                         {"route", row.text("route")},
                         {"path", row.text("path")},
                         {"target", row.text("target")},
                         {"status", row.int64("status")},
                         {"outcome", row.text("outcome")},
                         {"reason", sales::db::nullable(row.opt_text("reason"))},
                         {"request_id", row.text("request_id")},
                         {"remote_address", row.text("remote_address")},
                         {"count", row.int64("count")}});
    }
    return items;
}

}  // namespace gateway::adapters::audit_store
