#include "adapters/user_store.hpp"

namespace gateway::adapters::user_store {
namespace {
using nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr const char* kFindCredentials = R"sql(
SELECT id::text AS id, password_hash, to_json(roles)::text AS roles,
       to_json(project_ids)::text AS project_ids, disabled, failed_attempts,
       extract(epoch FROM locked_until)::bigint AS locked_until
FROM users WHERE username = $1)sql";

constexpr const char* kSaveLoginState = R"sql(
UPDATE users SET failed_attempts = $2, locked_until = to_timestamp($3::bigint)
WHERE id = $1::uuid)sql";

constexpr const char* kInsertUser = R"sql(
INSERT INTO users (id, username, display_name, password_hash, roles, project_ids, region,
                   created_by)
VALUES ($1::uuid, $2, $3, $4, $5::text[], $6::text[], $7, $8))sql";

constexpr const char* kUsernameTaken = "SELECT 1 FROM users WHERE username = $1";
constexpr const char* kCountUsers = "SELECT count(*) FROM users";
constexpr const char* kLockUsers = "LOCK TABLE users IN EXCLUSIVE MODE";
constexpr const char* kRegionOf = "SELECT region FROM users WHERE id::text = $1";

constexpr const char* kLockPassword = R"sql(
SELECT username, password_hash FROM users WHERE id::text = $1 FOR UPDATE)sql";

constexpr const char* kSetPassword = R"sql(
UPDATE users SET password_hash = $2, updated_at = now() WHERE id::text = $1)sql";

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

std::optional<Credentials> find_credentials(sales::db::Tx& tx, const std::string& username) {
    const auto row = tx.exec_maybe_one(kFindCredentials, {username});
    if (!row)
        return std::nullopt;
    Credentials found{row->text("id"),
                      row->text("password_hash"),
                      text_array(row->text("roles")),
                      text_array(row->text("project_ids")),
                      row->boolean("disabled"),
                      {}};
    found.state.failed_attempts = static_cast<int>(row->int64("failed_attempts"));
    if (const auto until = row->opt_int64("locked_until"))
        found.state.locked_until = Clock::time_point(std::chrono::seconds(*until));
    return found;
}

void save_login_state(sales::db::Tx& tx, const std::string& user_id,
                      const domain::LoginState& state) {
    std::optional<std::int64_t> until;
    if (state.locked_until)
        until =
            std::chrono::duration_cast<std::chrono::seconds>(state.locked_until->time_since_epoch())
                .count();
    tx.exec(kSaveLoginState,
            {user_id, std::int64_t{state.failed_attempts}, sales::db::param(until)});
}

void insert(sales::db::Tx& tx, const NewUser& user) {
    tx.exec(kInsertUser, {user.id, user.username, user.display_name, user.password_hash, user.roles,
                          user.project_ids, user.region, user.created_by});
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

std::string region_of(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kRegionOf, {user_id});
    return row ? row->text(0) : "";
}

std::optional<Password> lock_password(sales::db::Tx& tx, const std::string& user_id) {
    const auto row = tx.exec_maybe_one(kLockPassword, {user_id});
    if (!row)
        return std::nullopt;
    return Password{row->text("username"), row->text("password_hash")};
}

void set_password(sales::db::Tx& tx, const std::string& user_id, const std::string& hash) {
    tx.exec(kSetPassword, {user_id, hash});
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

json list(sales::db::Tx& tx, const std::string& region) {
    json items = json::array();
    for (const auto row : tx.exec(kListUsers, {region}))
        items.push_back(user_json(row));
    return items;
}

}  // namespace gateway::adapters::user_store
