#include "adapters/area_settlement_store.hpp"

namespace contract::area_settlement_store {
namespace {
using namespace sales::db;

constexpr const char* kLiveContractOfUnit = R"sql(
    SELECT id::text FROM contracts WHERE unit_id = $1::uuid AND status <> 'cancelled'
    ORDER BY signed_at DESC LIMIT 1 FOR UPDATE)sql";
constexpr const char* kSupersede = R"sql(
    UPDATE area_settlements SET status = 'superseded'
    WHERE contract_id = $1::uuid AND survey_id <> $2::uuid
      AND status IN ('no_difference', 'to_settle', 'awaiting_buyer_choice'))sql";
constexpr const char* kInsert = R"sql(
    INSERT INTO area_settlements (id, contract_id, unit_id, survey_id, pricing_basis, price_fen,
                                  gross, internal, status)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7::jsonb, $8::jsonb, $9)
    ON CONFLICT (contract_id, survey_id) DO NOTHING)sql";
const std::string kColumns =
    "SELECT id::text AS id, contract_id::text AS contract_id, unit_id::text AS unit_id, "
    "survey_id::text AS survey_id, pricing_basis, price_fen, gross::text AS gross, "
    "internal::text AS internal, status, buyer_choice, choice_note, chosen_by, "
    "cancellation_request_id::text AS cancellation_request_id, refund_interest_fen, "
    "agreement_no, agreement_signed_on::text AS agreement_signed_on, "
    "payment_due_date::text AS payment_due_date, agreed_by, settled_how, invoice_no, "
    "invoice_date::text AS invoice_date, invoiced_by, " +
    rfc3339("computed_at", "computed_at") + ", " + rfc3339("chosen_at", "chosen_at") + ", " +
    rfc3339("agreed_at", "agreed_at") + ", " + rfc3339("settled_at", "settled_at") + ", " +
    rfc3339("invoiced_at", "invoiced_at") + " FROM area_settlements ";
const std::string kList = kColumns + "WHERE contract_id = $1::uuid ORDER BY computed_at DESC, id";
const std::string kDocument = kColumns + "WHERE id = $1::uuid";
const std::string kLock = kColumns + "WHERE id = $1::uuid FOR UPDATE";
const std::string kLockByRequest = kColumns + "WHERE cancellation_request_id = $1::uuid FOR UPDATE";
constexpr const char* kBinding = R"sql(
    SELECT EXISTS (SELECT 1 FROM area_settlements WHERE contract_id = $1::uuid
                   AND status NOT IN ('no_difference', 'to_settle', 'awaiting_buyer_choice',
                                      'superseded')))sql";
constexpr const char* kSetChoice = R"sql(
    UPDATE area_settlements SET status = $2, buyer_choice = $3, choice_note = $4, chosen_by = $5,
        chosen_at = now(), cancellation_request_id = $6::uuid, refund_interest_fen = $7
    WHERE id = $1::uuid)sql";
constexpr const char* kSetAgreement = R"sql(
    UPDATE area_settlements SET status = $2, agreement_no = $3, agreement_signed_on = $4::date,
        payment_due_date = $5::date, agreed_by = $6, agreed_at = now()
    WHERE id = $1::uuid)sql";
constexpr const char* kSetSettled = R"sql(
    UPDATE area_settlements SET status = 'settled', settled_how = $2, settled_at = now()
    WHERE id = $1::uuid)sql";
constexpr const char* kSetInvoice = R"sql(
    UPDATE area_settlements SET status = 'invoiced', invoice_no = $2, invoice_date = $3::date,
        invoiced_by = $4, invoiced_at = now()
    WHERE id = $1::uuid)sql";

nlohmann::json json_or_null(const Row& r, const char* column) {
    return r.is_null(column) ? nlohmann::json(nullptr) : nlohmann::json::parse(r.text(column));
}
nlohmann::json text_or_null(const Row& r, const char* column) {
    return r.is_null(column) ? nlohmann::json(nullptr) : nlohmann::json(r.text(column));
}

nlohmann::json settlement_json(const Row& r) {
    nlohmann::json out{{"id", r.text("id")},
                       {"contract_id", r.text("contract_id")},
                       {"unit_id", r.text("unit_id")},
                       {"survey_id", r.text("survey_id")},
                       {"pricing_basis", r.text("pricing_basis")},
                       {"price_fen", r.int64("price_fen")},
                       {"gross", nlohmann::json::parse(r.text("gross"))},
                       {"internal", json_or_null(r, "internal")},
                       {"status", r.text("status")},
                       {"computed_at", r.text("computed_at")}};
    for (const char* column :
         {"buyer_choice", "choice_note", "chosen_by", "chosen_at", "cancellation_request_id",
          "agreement_no", "agreement_signed_on", "payment_due_date", "agreed_by", "agreed_at",
          "settled_how", "settled_at", "invoice_no", "invoice_date", "invoiced_by", "invoiced_at"})
        out[column] = text_or_null(r, column);
    out["refund_interest_fen"] = r.is_null("refund_interest_fen")
                                     ? nlohmann::json(nullptr)
                                     : nlohmann::json(r.int64("refund_interest_fen"));
    return out;
}

// The settlement on the area the pricing basis names (gross when internal was not recorded).
nlohmann::json applied(const Row& r) {
    if (r.text("pricing_basis") == "internal" && !r.is_null("internal"))
        return nlohmann::json::parse(r.text("internal"));
    return nlohmann::json::parse(r.text("gross"));
}

Held held_of(const Row& r) {
    const auto a = applied(r);
    return {r.text("id"),
            r.text("contract_id"),
            r.text("status"),
            a.at("buyer_pays_fen").get<std::int64_t>(),
            a.at("developer_refunds_fen").get<std::int64_t>(),
            a.at("settled_price_fen").get<std::int64_t>(),
            r.opt_text("cancellation_request_id")};
}
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
    for (const auto& r : tx.exec(kList, {contract_id}))
        items.push_back(settlement_json(r));
    return {{"items", std::move(items)}};
}

nlohmann::json document(Tx& tx, const std::string& id) {
    return settlement_json(tx.exec_one(kDocument, {id}));
}

std::optional<std::string> contract_of(Tx& tx, const std::string& id) {
    const auto r = tx.exec_maybe_one(
        "SELECT contract_id::text AS contract_id FROM area_settlements WHERE id = $1::uuid", {id});
    return r ? std::optional(r->text("contract_id")) : std::nullopt;
}

std::optional<Held> lock(Tx& tx, const std::string& id) {
    const auto r = tx.exec_maybe_one(kLock, {id});
    return r ? std::optional(held_of(*r)) : std::nullopt;
}

std::optional<Held> lock_by_cancellation_request(Tx& tx, const std::string& request_id) {
    const auto r = tx.exec_maybe_one(kLockByRequest, {request_id});
    return r ? std::optional(held_of(*r)) : std::nullopt;
}

bool has_binding_settlement(Tx& tx, const std::string& contract_id) {
    return tx.exec_one(kBinding, {contract_id}).boolean(0);
}

bool agreement_no_taken(Tx& tx, const std::string& agreement_no) {
    return tx
        .exec_one("SELECT EXISTS (SELECT 1 FROM area_settlements WHERE agreement_no = $1)",
                  {agreement_no})
        .boolean(0);
}

void set_status(Tx& tx, const std::string& id, const std::string& status) {
    tx.exec("UPDATE area_settlements SET status = $2 WHERE id = $1::uuid", {id, status});
}

void set_choice(Tx& tx, const std::string& id, const std::string& status, const std::string& choice,
                const std::string& note, const std::string& actor,
                const std::optional<std::string>& cancellation_request_id,
                std::optional<std::int64_t> refund_interest_fen) {
    tx.exec(kSetChoice, {id, status, choice, note, actor, param(cancellation_request_id),
                         param(refund_interest_fen)});
}

void set_agreement(Tx& tx, const std::string& id, const std::string& status,
                   const std::string& agreement_no, const std::string& signed_on,
                   const std::optional<std::string>& payment_due_date, const std::string& actor) {
    tx.exec(kSetAgreement, {id, status, agreement_no, signed_on, param(payment_due_date), actor});
}

void set_settled(Tx& tx, const std::string& id, const std::string& how) {
    tx.exec(kSetSettled, {id, how});
}

void set_invoice(Tx& tx, const std::string& id, const std::string& invoice_no,
                 const std::string& invoice_date, const std::string& actor) {
    tx.exec(kSetInvoice, {id, invoice_no, invoice_date, actor});
}

}  // namespace contract::area_settlement_store
