#include "adapters/customer_store.hpp"

#include "sales/calendar.hpp"

namespace customer::adapters {

// A function-local constant: the stores of other files build their SQL from it at start-up.
const std::string& customer_columns() {
    using sales::db::rfc3339;
    static const std::string columns =
        "c.id::text AS id, c.project_id::text AS project_id, c.name, c.gender, c.birth_year, "
        "c.phone, c.phone_kind, c.id_number, c.occupation, c.address, c.channel, c.budget_min_fen, "
        "c.budget_max_fen, c.need_layout, c.need_area_min_centi_m2, c.need_area_max_centi_m2, "
        "c.need_location, c.purchase_horizon, c.type, c.stage, c.owner_id, " +
        rfc3339("c.owner_since", "owner_since") + ", c.received_on::text AS received_on, " +
        "c.entered_late, " + rfc3339("c.last_event_at", "last_event_at") +
        ", c.event_count, c.version, c.created_by, " + rfc3339("c.created_at", "created_at") +
        ", " + rfc3339("c.updated_at", "updated_at") + ", " +
        rfc3339("c.archived_at", "archived_at");
    return columns;
}

namespace {
using namespace sales::db;

const std::string kSelectCustomer =
    "SELECT " + customer_columns() + " FROM customers c WHERE c.id = $1::uuid";
const std::string kLockCustomer = kSelectCustomer + " FOR UPDATE";

constexpr const char* kCustomerExists = "SELECT 1 FROM customers WHERE id = $1::uuid";

constexpr const char* kInsertCustomer = R"sql(
INSERT INTO customers (id, project_id, name, gender, birth_year, phone, phone_kind, id_number,
                       occupation, address, channel, budget_min_fen, budget_max_fen, need_layout,
                       need_area_min_centi_m2, need_area_max_centi_m2, need_location,
                       purchase_horizon, type, owner_id, owner_since, received_on, entered_late,
                       last_event_at, created_by)
VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
        $18, $19, $20, clock_timestamp(), $21::date, $22, $23::timestamptz, $20)
ON CONFLICT (project_id, phone) WHERE archived_at IS NULL DO NOTHING)sql";

constexpr const char* kFindLiveByPhone = R"sql(
SELECT id::text AS id, owner_id FROM customers
WHERE project_id = $1::uuid AND phone = $2 AND archived_at IS NULL)sql";

constexpr const char* kRecordContact = R"sql(
UPDATE customers SET last_event_at = greatest(last_event_at, $2::timestamptz),
       event_count = event_count + 1, updated_at = clock_timestamp()
WHERE id = $1::uuid)sql";

// $2 profile flag: gender ($3), $4: birth_year ($5), $6: occupation ($7), $8: type ($9),
// $10: needs ($11..$17, all replaced).
constexpr const char* kUpdateProfile = R"sql(
UPDATE customers SET
  gender = CASE WHEN $2::boolean THEN $3::text ELSE gender END,
  birth_year = CASE WHEN $4::boolean THEN $5::bigint ELSE birth_year END,
  occupation = CASE WHEN $6::boolean THEN $7::text ELSE occupation END,
  type = CASE WHEN $8::boolean THEN $9::text ELSE type END,
  budget_min_fen = CASE WHEN $10::boolean THEN $11::bigint ELSE budget_min_fen END,
  budget_max_fen = CASE WHEN $10::boolean THEN $12::bigint ELSE budget_max_fen END,
  need_layout = CASE WHEN $10::boolean THEN $13::text ELSE need_layout END,
  need_area_min_centi_m2 = CASE WHEN $10::boolean THEN $14::bigint ELSE need_area_min_centi_m2 END,
  need_area_max_centi_m2 = CASE WHEN $10::boolean THEN $15::bigint ELSE need_area_max_centi_m2 END,
  need_location = CASE WHEN $10::boolean THEN $16::text ELSE need_location END,
  purchase_horizon = CASE WHEN $10::boolean THEN $17::text ELSE purchase_horizon END,
  version = version + 1, updated_at = clock_timestamp()
WHERE id = $1::uuid RETURNING version)sql";

// $2 names the corrected field: name, phone (with kind $4), id_number or address.
constexpr const char* kCorrectField = R"sql(
UPDATE customers SET
  name = CASE WHEN $2::text = 'name' THEN $3::text ELSE name END,
  phone = CASE WHEN $2::text = 'phone' THEN $3::text ELSE phone END,
  phone_kind = CASE WHEN $2::text = 'phone' THEN $4::text ELSE phone_kind END,
  id_number = CASE WHEN $2::text = 'id_number' THEN $3::text ELSE id_number END,
  address = CASE WHEN $2::text = 'address' THEN $3::text ELSE address END,
  version = version + 1, updated_at = clock_timestamp()
WHERE id = $1::uuid RETURNING version)sql";

constexpr const char* kLockStage = R"sql(
SELECT stage, project_id::text AS project_id, owner_id FROM customers
WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kSetStage = R"sql(
UPDATE customers SET stage = $2, version = version + 1, updated_at = clock_timestamp()
WHERE id = $1::uuid RETURNING version)sql";

constexpr const char* kInsertStageHistory = R"sql(
INSERT INTO stage_history (customer_id, from_stage, to_stage, cause, source_event_id, actor,
                           reason)
VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7))sql";

constexpr const char* kLockOwner = R"sql(
SELECT owner_id, project_id::text AS project_id FROM customers WHERE id = $1::uuid FOR UPDATE)sql";

constexpr const char* kSetOwner = R"sql(
UPDATE customers SET owner_id = $2, owner_since = clock_timestamp(), version = version + 1,
       updated_at = clock_timestamp()
WHERE id = $1::uuid RETURNING version)sql";

constexpr const char* kInsertOwnershipHistory = R"sql(
INSERT INTO ownership_history (customer_id, from_owner, to_owner, cause, reason, actor)
VALUES ($1::uuid, $2, $3, $4, $5, $6))sql";

constexpr const char* kLockLiveCustomersOf = R"sql(
SELECT id::text AS id, project_id::text AS project_id FROM customers
WHERE owner_id = $1 AND archived_at IS NULL AND ($2::boolean OR id = ANY($3::uuid[]))
ORDER BY id FOR UPDATE)sql";

constexpr const char* kCountLiveCustomersOf = R"sql(
SELECT count(*) FROM customers WHERE owner_id = $1 AND archived_at IS NULL)sql";

// domain::archivable: no event for archive_after_days and no live deal.
constexpr const char* kLockArchivable = R"sql(
SELECT c.id::text AS id FROM customers c
WHERE c.project_id = $1::uuid AND c.archived_at IS NULL
  AND c.last_event_at <= $2::timestamptz - make_interval(days => $3::int)
  AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = c.id
                  AND d.status IN ('subscribed', 'signed'))
ORDER BY c.last_event_at, c.id LIMIT $4 FOR UPDATE SKIP LOCKED)sql";

// The backup copy: the whole row and every event, as they are now.
constexpr const char* kInsertArchive = R"sql(
INSERT INTO customer_archive (customer_id, snapshot, archived_by)
SELECT c.id,
       jsonb_build_object('customer', to_jsonb(c), 'events',
         coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.occurred_at) FROM customer_events e
                   WHERE e.customer_id = c.id), '[]'::jsonb)),
       $2
FROM customers c WHERE c.id = $1::uuid)sql";

constexpr const char* kMarkArchived = R"sql(
UPDATE customers SET archived_at = clock_timestamp(), version = version + 1,
       updated_at = clock_timestamp()
WHERE id = $1::uuid RETURNING version)sql";

template <class E>
Param enum_param(const std::optional<E>& value) {
    return value ? Param(std::string(domain::to_string(*value))) : Param(nullptr);
}
}  // namespace

std::optional<sales::db::Row> find_customer(Tx& tx, const std::string& id, bool for_update) {
    return tx.exec_maybe_one(for_update ? kLockCustomer : kSelectCustomer, {id});
}

bool customer_exists(Tx& tx, const std::string& id) {
    return tx.exec_maybe_one(kCustomerExists, {id}).has_value();
}

bool insert_customer(Tx& tx, const std::string& id, const app::NewCustomer& in,
                     const std::string& owner_id, const std::string& received_on, bool late) {
    using sales::db::param;
    return tx.exec(kInsertCustomer, {id,
                                     in.project_id,
                                     in.name,
                                     enum_param(in.gender),
                                     param(in.birth_year),
                                     in.phone.digits,
                                     std::string(domain::to_string(in.phone.kind)),
                                     param(in.id_number),
                                     param(in.occupation),
                                     param(in.address),
                                     std::string(domain::to_string(in.channel)),
                                     param(in.needs.budget_min_fen),
                                     param(in.needs.budget_max_fen),
                                     param(in.needs.layout),
                                     param(in.needs.area_min_centi_m2),
                                     param(in.needs.area_max_centi_m2),
                                     param(in.needs.location),
                                     enum_param(in.needs.horizon),
                                     enum_param(in.type),
                                     owner_id,
                                     received_on,
                                     late,
                                     sales::to_rfc3339(in.first_event.occurred_at)})
               .affected_rows() == 1;
}

std::optional<LiveCustomer> find_live_by_phone(Tx& tx, const std::string& project_id,
                                               const std::string& phone) {
    const auto row = tx.exec_maybe_one(kFindLiveByPhone, {project_id, phone});
    if (!row)
        return std::nullopt;
    return LiveCustomer{row->text("id"), row->text("owner_id")};
}

void record_contact(Tx& tx, const std::string& id, sales::TimePoint occurred_at) {
    tx.exec(kRecordContact, {id, sales::to_rfc3339(occurred_at)});
}

std::int64_t update_profile(Tx& tx, const std::string& id, const app::CustomerPatch& patch) {
    using sales::db::param;
    const app::Needs none;
    const auto& n = patch.needs ? *patch.needs : none;
    return tx
        .exec_one(kUpdateProfile,
                  {id, patch.gender.has_value(),
                   patch.gender ? enum_param(*patch.gender) : Param(nullptr),
                   patch.birth_year.has_value(),
                   patch.birth_year ? param(*patch.birth_year) : Param(nullptr),
                   patch.occupation.has_value(),
                   patch.occupation ? param(*patch.occupation) : Param(nullptr),
                   patch.type.has_value(), patch.type ? enum_param(*patch.type) : Param(nullptr),
                   patch.needs.has_value(), param(n.budget_min_fen), param(n.budget_max_fen),
                   param(n.layout), param(n.area_min_centi_m2), param(n.area_max_centi_m2),
                   param(n.location), enum_param(n.horizon)})
        .int64(0);
}

std::int64_t correct_field(Tx& tx, const std::string& id, const std::string& field,
                           const std::optional<std::string>& value,
                           const std::optional<std::string>& phone_kind) {
    return tx
        .exec_one(kCorrectField, {id, field, sales::db::param(value), sales::db::param(phone_kind)})
        .int64(0);
}

StageRow lock_stage(Tx& tx, const std::string& id) {
    const auto row = tx.exec_one(kLockStage, {id});
    return {row.text("stage"), row.text("project_id"), row.text("owner_id")};
}

std::int64_t set_stage(Tx& tx, const std::string& id, const std::string& from_stage,
                       const std::string& to_stage, const std::string& cause,
                       const std::optional<std::string>& source_event_id, const std::string& actor,
                       const std::optional<std::string>& reason) {
    const auto version = tx.exec_one(kSetStage, {id, to_stage}).int64(0);
    tx.exec(kInsertStageHistory,
            {id, from_stage, to_stage, cause, sales::db::param(source_event_id), actor,
             sales::db::param(reason)});
    return version;
}

OwnerRow lock_owner(Tx& tx, const std::string& id) {
    const auto row = tx.exec_one(kLockOwner, {id});
    return {row.text("owner_id"), row.text("project_id")};
}

std::int64_t set_owner(Tx& tx, const std::string& id, const std::optional<std::string>& from_owner,
                       const std::string& to_owner, const std::string& cause,
                       const std::optional<std::string>& reason, const std::string& actor) {
    const auto version = tx.exec_one(kSetOwner, {id, to_owner}).int64(0);
    tx.exec(kInsertOwnershipHistory,
            {id, sales::db::param(from_owner), to_owner, cause, sales::db::param(reason), actor});
    return version;
}

void record_first_owner(Tx& tx, const std::string& id, const std::string& owner) {
    tx.exec(kInsertOwnershipHistory, {id, nullptr, owner, "created", nullptr, owner});
}

sales::db::Result lock_live_customers_of(Tx& tx, const std::string& rep_id,
                                         const std::optional<std::vector<std::string>>& ids) {
    return tx.exec(kLockLiveCustomersOf,
                   {rep_id, !ids.has_value(), ids.value_or(std::vector<std::string>{})});
}

std::int64_t count_live_customers_of(Tx& tx, const std::string& rep_id) {
    return tx.exec_one(kCountLiveCustomersOf, {rep_id}).int64(0);
}

sales::db::Result lock_archivable(Tx& tx, const std::string& project_id, const std::string& now,
                                  std::int64_t archive_after_days, std::int64_t limit) {
    return tx.exec(kLockArchivable, {project_id, now, archive_after_days, limit});
}

std::int64_t archive_customer(Tx& tx, const std::string& id, const std::string& actor) {
    tx.exec(kInsertArchive, {id, actor});
    return tx.exec_one(kMarkArchived, {id}).int64(0);
}

}  // namespace customer::adapters
