#include "adapters/user_store.hpp"

namespace gateway::adapters::user_store {
namespace {
using nlohmann::json;
using Clock = std::chrono::system_clock;

// Lockout times as epoch seconds.
constexpr const char* kFindCredentials = R"sql(
SELECT u.id::text AS id, u.password_hash, to_json(u.roles)::text AS roles,
       to_json(u.project_ids)::text AS project_ids, u.disabled, u.must_change_password,
       u.failed_attempts,
       extract(epoch FROM u.failures_since)::bigint AS failures_since,
       extract(epoch FROM u.locked_until)::bigint AS locked_until,
       coalesce(f.failed_attempts, 0) AS address_failed_attempts,
       extract(epoch FROM f.failures_since)::bigint AS address_failures_since,
       extract(epoch FROM f.locked_until)::bigint AS address_locked_until
FROM users u LEFT JOIN login_failures f ON f.user_id = u.id AND f.address = $2
WHERE u.username = $1)sql";

constexpr const char* kEnsureAddressState = R"sql(
INSERT INTO login_failures (user_id, address) VALUES ($1::uuid, $2)
ON CONFLICT (user_id, address) DO NOTHING)sql";

constexpr const char* kLockAddressState = R"sql(
SELECT failed_attempts, extract(epoch FROM failures_since)::bigint AS failures_since,
       extract(epoch FROM locked_until)::bigint AS locked_until
FROM login_failures WHERE user_id = $1::uuid AND address = $2 FOR UPDATE)sql";

constexpr const char* kLockUserState = R"sql(
SELECT failed_attempts, extract(epoch FROM failures_since)::bigint AS failures_since,
       extract(epoch FROM locked_until)::bigint AS locked_until
FROM users WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kSaveAddressState = R"sql(
UPDATE login_failures SET failed_attempts = $3, failures_since = to_timestamp($4::bigint),
       locked_until = to_timestamp($5::bigint)
WHERE user_id = $1::uuid AND address = $2)sql";

constexpr const char* kSaveUserState = R"sql(
UPDATE users SET failed_attempts = $2, failures_since = to_timestamp($3::bigint),
       locked_until = to_timestamp($4::bigint)
WHERE id = $1::uuid)sql";

constexpr const char* kClearAddressState =
    "DELETE FROM login_failures WHERE user_id = $1::uuid AND address = $2";
constexpr const char* kClearUserState = R"sql(
UPDATE users SET failed_attempts = 0, failures_since = NULL, locked_until = NULL
WHERE id = $1::uuid AND (failed_attempts <> 0 OR locked_until IS NOT NULL))sql";

constexpr const char* kDeleteStaleLoginFailures = R"sql(
DELETE FROM login_failures
WHERE (locked_until IS NULL OR locked_until < now())
  AND (failures_since IS NULL OR failures_since < now() - make_interval(secs => $1)))sql";

constexpr const char* kNextIdentityVersion = R"sql(
UPDATE users SET identity_version = identity_version + 1 WHERE id = $1::uuid
RETURNING identity_version)sql";

constexpr const char* kInsertUser = R"sql(
INSERT INTO users (id, username, display_name, password_hash, roles, project_ids, region,
                   created_by, must_change_password)
VALUES ($1::uuid, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9))sql";

constexpr const char* kUsernameTaken = "SELECT 1 FROM users WHERE username = $1";
constexpr const char* kCountUsers = "SELECT count(*) FROM users";
constexpr const char* kLockUsers = "LOCK TABLE users IN EXCLUSIVE MODE";
constexpr const char* kScopeOf =
    "SELECT region, to_json(project_ids)::text AS project_ids FROM users WHERE id::text = $1";

constexpr const char* kLockPassword = R"sql(
SELECT username, password_hash FROM users WHERE id::text = $1 FOR UPDATE)sql";

constexpr const char* kSetPassword = R"sql(
UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = now()
WHERE id::text = $1)sql";

constexpr const char* kProfile = R"sql(
SELECT username, display_name, must_change_password FROM users WHERE id::text = $1)sql";

constexpr const char* kLockTarget = R"sql(
SELECT to_json(roles)::text AS roles, region FROM users WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kSetDisabled = R"sql(
UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1::uuid)sql";

// The user as the API shows it (user_json).
const std::string kUserColumns =
    "id::text AS id, username, display_name, to_json(roles)::text AS roles, "
    "to_json(project_ids)::text AS project_ids, region, disabled, created_by, " +
    sales::db::rfc3339("created_at", "created_at");
const std::string kFindUser = "SELECT " + kUserColumns + " FROM users WHERE id = $1::uuid";
const std::string kListUsers =
    "SELECT " + kUserColumns + " FROM users WHERE $1 = '' OR region = $1 ORDER BY username";

json user_json(const sales::db::Row& row) {
    return {{"id", row.text("id")},
            {"username", row.text("username")},
            {"display_name", row.text("display_name")},
            {"roles", text_array(row.text("roles"))},
            {"project_ids", text_array(row.text("project_ids"))},
            {"region", row.text("region")},
            {"disabled", row.boolean("disabled")},
            {"created_by", row.text("created_by")},
            {"created_at", row.text("created_at")}};
}
}  // namespace

std::vector<std::string> text_array(const std::string& json_text) {
    const auto parsed = json::parse(json_text, nullptr, false);
    return parsed.is_array() ? parsed.get<std::vector<std::string>>() : std::vector<std::string>{};
}

namespace {
using Seconds = std::optional<std::int64_t>;

Clock::time_point at(std::int64_t epoch_seconds) {
    return Clock::time_point(std::chrono::seconds(epoch_seconds));
}
std::optional<Clock::time_point> opt_at(const Seconds& epoch_seconds) {
    return epoch_seconds ? std::optional(at(*epoch_seconds)) : std::nullopt;
}
Seconds epoch(const std::optional<Clock::time_point>& t) {
    if (!t)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}
domain::LoginState state_of(const sales::db::Row& row, const std::string& prefix) {
    return {static_cast<int>(row.int64(prefix + "failed_attempts")),
            opt_at(row.opt_int64(prefix + "failures_since")),
            opt_at(row.opt_int64(prefix + "locked_until"))};
}
}  // namespace

std::optional<Credentials> find_credentials(sales::db::Tx& tx, const std::string& username,
                                            const std::string& address) {
    const auto row = tx.exec_maybe_one(kFindCredentials, {username, address});
    if (!row)
        return std::nullopt;
    return Credentials{row->text("id"),
                       row->text("password_hash"),
                       text_array(row->text("roles")),
                       text_array(row->text("project_ids")),
                       row->boolean("disabled"),
                       row->boolean("must_change_password"),
                       state_of(*row, ""),
                       state_of(*row, "address_")};
}

LoginStates lock_login_states(sales::db::Tx& tx, const std::string& user_id,
                              const std::string& address) {
    tx.exec(kEnsureAddressState, {user_id, address});
    const auto address_row = tx.exec_one(kLockAddressState, {user_id, address});
    const auto user_row = tx.exec_one(kLockUserState, {user_id});
    return {state_of(user_row, ""), state_of(address_row, "")};
}

void save_login_states(sales::db::Tx& tx, const std::string& user_id, const std::string& address,
                       const LoginStates& states) {
    const auto& a = states.address;
    tx.exec(kSaveAddressState,
            {user_id, address, std::int64_t{a.failed_attempts},
             sales::db::param(epoch(a.counting_since)), sales::db::param(epoch(a.locked_until))});
    const auto& u = states.user;
    tx.exec(kSaveUserState,
            {user_id, std::int64_t{u.failed_attempts}, sales::db::param(epoch(u.counting_since)),
             sales::db::param(epoch(u.locked_until))});
}

void clear_login_states(sales::db::Tx& tx, const std::string& user_id, const std::string& address) {
    tx.exec(kClearAddressState, {user_id, address});
    tx.exec(kClearUserState, {user_id});
}

std::int64_t delete_stale_login_failures(sales::db::Tx& tx, std::chrono::seconds lock_for) {
    return static_cast<std::int64_t>(
        tx.exec(kDeleteStaleLoginFailures, {static_cast<std::int64_t>(lock_for.count())})
            .affected_rows());
}

std::int64_t next_identity_version(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kNextIdentityVersion, {user_id});
    return row ? row->int64(0) : 0;
}

void insert(sales::db::Tx& tx, const NewUser& user) {
    tx.exec(kInsertUser,
            {user.id, user.username, user.display_name, user.password_hash, user.roles,
             user.project_ids, user.region, user.created_by, user.must_change_password});
}

bool username_taken(sales::db::Tx& tx, const std::string& username) {
    return tx.exec_maybe_one(kUsernameTaken, {username}).has_value();
}

std::int64_t count(sales::db::Tx& tx) {
    return tx.exec_one(kCountUsers).int64(0);
}

void lock_table(sales::db::Tx& tx) {
    tx.exec(kLockUsers);
}

Scope scope_of(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kScopeOf, {user_id});
    if (!row)
        return {};
    return {row->text("region"), text_array(row->text("project_ids"))};
}

std::optional<Password> lock_password(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kLockPassword, {user_id});
    if (!row)
        return std::nullopt;
    return Password{row->text("username"), row->text("password_hash")};
}

void set_password(sales::db::Tx& tx, const std::string& user_id, const std::string& hash,
                  bool must_change) {
    tx.exec(kSetPassword, {user_id, hash, must_change});
}

std::optional<json> profile(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kProfile, {user_id});
    if (!row)
        return std::nullopt;
    return json{{"username", row->text("username")},
                {"display_name", row->text("display_name")},
                {"must_change_password", row->boolean("must_change_password")}};
}

std::optional<domain::Target> lock_target(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kLockTarget, {user_id});
    if (!row)
        return std::nullopt;
    return domain::Target{text_array(row->text("roles")), row->text("region")};
}

void set_disabled(sales::db::Tx& tx, const std::string& user_id, bool disabled) {
    tx.exec(kSetDisabled, {user_id, disabled});
}

std::optional<json> find(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kFindUser, {user_id});
    if (!row)
        return std::nullopt;
    return user_json(*row);
}

json list_staff(sales::db::Tx& tx, bool every_project,
                const std::vector<std::string>& project_ids) {
    json items = json::array();
    const auto rows = tx.exec(
        "SELECT id::text AS id, username, display_name, to_json(roles)::text AS roles, disabled "
        "FROM users WHERE $1 OR project_ids && $2::text[] OR '*' = ANY(project_ids) "
        "ORDER BY display_name, username",
        {sales::db::param(every_project), sales::db::param(project_ids)});
    for (const auto row : rows)
        items.push_back({{"id", row.text("id")},
                         {"username", row.text("username")},
                         {"display_name", row.text("display_name")},
                         {"roles", text_array(row.text("roles"))},
                         {"disabled", row.boolean("disabled")}});
    return items;
}

json list(sales::db::Tx& tx, const std::string& region) {
    json items = json::array();
    for (const auto row : tx.exec(kListUsers, {region}))
        items.push_back(user_json(row));
    return items;
}

}  // namespace gateway::adapters::user_store
