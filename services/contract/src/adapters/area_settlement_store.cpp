#include "adapters/area_settlement_store.hpp"

namespace contract::area_settlement_store {
namespace {
using namespace sales::db;

constexpr const char* kLiveContractOfUnit = R"sql(
    SELECT id::text FROM contracts WHERE unit_id = $1::uuid AND status <> 'cancelled'
    ORDER BY signed_at DESC LIMIT 1 FOR UPDATE)sql";
constexpr const char* kSupersede = R"sql(
    UPDATE area_settlements SET status = 'superseded'
    WHERE contract_id = $1::uuid AND survey_id <> $2::uuid AND status <> 'superseded')sql";
constexpr const char* kInsert = R"sql(
    INSERT INTO area_settlements (id, contract_id, unit_id, survey_id, pricing_basis, price_fen,
                                  gross, internal, status)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7::jsonb, $8::jsonb, $9)
    ON CONFLICT (contract_id, survey_id) DO NOTHING)sql";
const std::string kList =
    "SELECT id::text AS id, contract_id::text AS contract_id, unit_id::text AS unit_id, "
    "survey_id::text AS survey_id, pricing_basis, price_fen, gross::text AS gross, "
    "internal::text AS internal, status, " +
    rfc3339("computed_at", "computed_at") +
    " FROM area_settlements WHERE contract_id = $1::uuid ORDER BY computed_at DESC, id";
}  // namespace

std::optional<std::string> lock_live_contract_of_unit(Tx& tx, const std::string& unit_id) {
    const auto r = tx.exec_maybe_one(kLiveContractOfUnit, {unit_id});
    return r ? std::optional(r->text(0)) : std::nullopt;
}

bool insert(Tx& tx, const NewSettlement& s) {
    const auto inserted = tx.exec(
        kInsert,
        {s.id, s.contract_id, s.unit_id, s.survey_id, s.pricing_basis, s.price_fen, s.gross.dump(),
         s.internal.is_null() ? Param(nullptr) : param(s.internal.dump()), s.status});
    if (inserted.affected_rows() == 0)
        return false;
    tx.exec(kSupersede, {s.contract_id, s.survey_id});
    return true;
}

std::int64_t count(Tx& tx, const std::string& contract_id) {
    return tx
        .exec_one("SELECT count(*) FROM area_settlements WHERE contract_id = $1::uuid",
                  {contract_id})
        .int64(0);
}

nlohmann::json list(Tx& tx, const std::string& contract_id) {
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(kList, {contract_id})) {
        items.push_back(
            {{"id", r.text("id")},
             {"contract_id", r.text("contract_id")},
             {"unit_id", r.text("unit_id")},
             {"survey_id", r.text("survey_id")},
             {"pricing_basis", r.text("pricing_basis")},
             {"price_fen", r.int64("price_fen")},
             {"gross", nlohmann::json::parse(r.text("gross"))},
             {"internal", r.is_null("internal") ? nlohmann::json(nullptr)
                                                : nlohmann::json::parse(r.text("internal"))},
             {"status", r.text("status")},
             {"computed_at", r.text("computed_at")}});
    }
    return {{"items", std::move(items)}};
}

}  // namespace contract::area_settlement_store
