#include "adapters/session_store.hpp"

#include "adapters/user_store.hpp"

namespace gateway::adapters::session_store {
namespace {

constexpr const char* kInsertSession = R"sql(
INSERT INTO sessions (id, user_id, refresh_hash, expires_at)
VALUES ($1::uuid, $2::uuid, $3, now() + make_interval(secs => $4)))sql";

constexpr const char* kLockLive = R"sql(
SELECT s.user_id::text AS user_id, s.refresh_hash, to_json(u.roles)::text AS roles,
       to_json(u.project_ids)::text AS project_ids
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled
FOR UPDATE OF s)sql";

constexpr const char* kSetRefreshHash = "UPDATE sessions SET refresh_hash = $2 WHERE id = $1::uuid";

constexpr const char* kRevoke =
    "UPDATE sessions SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL";

constexpr const char* kRevokeAllOf = R"sql(
UPDATE sessions SET revoked_at = now()
WHERE user_id = $1::uuid AND revoked_at IS NULL AND id::text <> $2
  AND expires_at > now() - interval '1 day'
RETURNING id::text)sql";
}  // namespace

void insert(sales::db::Tx& tx, const std::string& session_id, const std::string& user_id,
            const std::string& refresh_hash, std::chrono::seconds ttl) {
    tx.exec(kInsertSession,
            {session_id, user_id, refresh_hash, static_cast<std::int64_t>(ttl.count())});
}

std::optional<Live> lock_live(sales::db::Tx& tx, const std::string& session_id) {
    const auto row = tx.exec_maybe_one(kLockLive, {session_id});
    if (!row)
        return std::nullopt;
    return Live{row->text("user_id"), row->text("refresh_hash"),
                user_store::text_array(row->text("roles")),
                user_store::text_array(row->text("project_ids"))};
}

void set_refresh_hash(sales::db::Tx& tx, const std::string& session_id,
                      const std::string& refresh_hash) {
    tx.exec(kSetRefreshHash, {session_id, refresh_hash});
}

void revoke(sales::db::Tx& tx, const std::string& session_id) {
    tx.exec(kRevoke, {session_id});
}

std::vector<std::string> revoke_all_of(sales::db::Tx& tx, const std::string& user_id,
                                       const std::string& except_session_id) {
    std::vector<std::string> revoked;
    for (const auto row : tx.exec(kRevokeAllOf, {user_id, except_session_id}))
        revoked.push_back(row.text(0));
    return revoked;
}

}  // namespace gateway::adapters::session_store
