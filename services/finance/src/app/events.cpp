#include "app/events.hpp"

#include "adapters/ledger_store.hpp"
#include "adapters/schedule_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/support.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/input.hpp"
#include "sales/log.hpp"

namespace finance::app {
namespace {
using sales::bus::PoisonMessage;
using sales::db::Tx;
constexpr std::int64_t kMax = sales::service::kMaxFen;

[[noreturn]] void poison(const sales::bus::Event& event, const std::string& problem) {
    throw PoisonMessage(event.type + " " + event.id + ": " + problem);
}

const nlohmann::json& field(const sales::bus::Event& event, const nlohmann::json& object,
                            const std::string& name, const std::string& path) {
    if (!object.is_object() || !object.contains(name) || object[name].is_null())
        poison(event, path + name + " is required");
    return object[name];
}

std::string uuid_of(const sales::bus::Event& event, const nlohmann::json& object,
                    const std::string& name, const std::string& path = "data.") {
    const auto& v = field(event, object, name, path);
    if (!v.is_string() || !sales::is_uuid(v.get<std::string>()))
        poison(event, path + name + " must be a UUID");
    return v.get<std::string>();
}

std::string text_of(const sales::bus::Event& event, const nlohmann::json& object,
                    const std::string& name, const std::string& path = "data.") {
    const auto& v = field(event, object, name, path);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
        poison(event, path + name + " must be a non-empty string");
    return v.get<std::string>();
}

std::int64_t integer_of(const sales::bus::Event& event, const nlohmann::json& object,
                        const std::string& name, std::int64_t min, std::int64_t max,
                        const std::string& path = "data.") {
    const auto& v = field(event, object, name, path);
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)))
        poison(event, path + name + " must be an integer");
    const auto value = v.get<std::int64_t>();
    if (value < min || value > max)
        poison(event, path + name + " must be between " + std::to_string(min) + " and " +
                          std::to_string(max));
    return value;
}

sales::Date date_field(const sales::bus::Event& event, const nlohmann::json& object,
                       const std::string& name, const std::string& path) {
    const auto d = sales::parse_date(text_of(event, object, name, path));
    if (!d)
        poison(event, path + name + " must be a date YYYY-MM-DD");
    return *d;
}

std::optional<std::int64_t> opt_integer(const nlohmann::json& data, const char* name) {
    if (data.contains(name) && data[name].is_number_integer())
        return data[name].get<std::int64_t>();
    return std::nullopt;
}

std::optional<std::string> opt_uuid(const nlohmann::json& data, const char* name) {
    if (data.contains(name) && data[name].is_string() &&
        sales::is_uuid(data[name].get<std::string>()))
        return data[name].get<std::string>();
    return std::nullopt;
}

domain::Plan plan_of(const sales::bus::Event& event, const nlohmann::json& data,
                     domain::PlanKind kind, std::int64_t price_fen) {
    const auto& plan = field(event, data, "plan", "data.");
    if (!plan.is_object())
        poison(event, "data.plan must be an object");
    const auto plan_kind = domain::parse_plan_kind(text_of(event, plan, "kind", "data.plan."));
    if (!plan_kind || *plan_kind != kind)
        poison(event, "data.plan.kind must equal data.payment_plan");
    switch (kind) {
        case domain::PlanKind::one_off:
            return domain::one_off_plan(date_field(event, plan, "due_date", "data.plan."),
                                        price_fen);
        case domain::PlanKind::instalments: {
            const auto& list = field(event, plan, "instalments", "data.plan.");
            if (!list.is_array())
                poison(event, "data.plan.instalments must be an array");
            std::vector<std::pair<sales::Date, std::int64_t>> items;
            for (std::size_t i = 0; i < list.size(); ++i) {
                const auto path = "data.plan.instalments[" + std::to_string(i) + "].";
                items.emplace_back(date_field(event, list[i], "due_date", path),
                                   integer_of(event, list[i], "amount_fen", 1, kMax, path));
            }
            return domain::instalment_plan(items);
        }
        case domain::PlanKind::mortgage:
            return domain::mortgage_plan(
                integer_of(event, plan, "down_payment_fen", 1, kMax, "data.plan."),
                date_field(event, plan, "down_payment_due_date", "data.plan."),
                integer_of(event, plan, "loan_fen", 1, kMax, "data.plan."),
                date_field(event, plan, "loan_expected_date", "data.plan."));
    }
    poison(event, "data.payment_plan is unknown");
}

}  // namespace

void apply_subscription_event(Tx& tx, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto id = uuid_of(event, d, "subscription_id");
    const auto project_id = uuid_of(event, d, "project_id");
    const auto version = opt_integer(d, "version").value_or(event.sequence);
    const auto status = d.contains("status") && d["status"].is_string()
                            ? std::optional<std::string>(d["status"].get<std::string>())
                            : std::nullopt;
    adapters::upsert_subscription(
        tx, {id, project_id, opt_uuid(d, "unit_id"), opt_uuid(d, "customer_id"),
             opt_integer(d, "price_fen"), opt_integer(d, "deposit_fen"), status, version});
}

void apply_contract_signed(Tx& tx, const sales::Clock& clock, const sales::bus::Event& event) {
    const auto& d = event.data;
    const auto contract_id = uuid_of(event, d, "contract_id");
    const auto subscription_id = uuid_of(event, d, "subscription_id");
    const auto project_id = uuid_of(event, d, "project_id");
    const auto unit_id = uuid_of(event, d, "unit_id");
    const auto customer_id = uuid_of(event, d, "customer_id");
    const auto contract_no = text_of(event, d, "contract_no");
    const auto rep_id = text_of(event, d, "rep_id");
    const auto signed_at = text_of(event, d, "signed_at");
    if (!sales::is_rfc3339(signed_at))
        poison(event, "data.signed_at must be an RFC 3339 timestamp");
    const auto price = integer_of(event, d, "price_fen", 1, kMax);
    const auto reported_deposit = integer_of(event, d, "deposit_paid_fen", 0, kMax);
    const auto bp = integer_of(event, d, "penalty_bp_per_day", 0, domain::kMaxPenaltyBpPerDay);
    const auto kind = domain::parse_plan_kind(text_of(event, d, "payment_plan"));
    if (!kind)
        poison(event, "data.payment_plan must be one_off, instalments or mortgage");
    const auto plan = plan_of(event, d, *kind, price);
    try {
        domain::build_schedule(plan, price, 0);  // validates before anything is written
    } catch (const sales::Failure& e) {
        poison(event, e.what());
    }

    // Serialise with deposit postings of the same subscription (they lock this row too).
    adapters::subscription_project(tx, subscription_id, adapters::Lock::for_update);
    if (const auto existing =
            adapters::contract_by_id_or_subscription(tx, contract_id, subscription_id)) {
        if (*existing == contract_id) {
            sales::log::info("contract.signed for a contract already scheduled; ignored",
                             {{"contract_id", contract_id}, {"event_id", event.id}});
            return;  // FIN-1: exactly one schedule per contract
        }
        poison(event,
               "subscription " + subscription_id + " already belongs to contract " + *existing);
    }

    // FIN-1 credit: the deposit the ledger holds for the subscription (source of truth);
    // contract's deposit_paid_fen is stored for reference and a difference is logged.
    const auto ledger_deposit = adapters::subscription_sum(tx, subscription_id);
    if (ledger_deposit != reported_deposit) {
        sales::log::warn("contract.signed deposit differs from the ledger; the ledger counts",
                         {{"contract_id", contract_id},
                          {"deposit_paid_fen", reported_deposit},
                          {"ledger_deposit_fen", ledger_deposit}});
    }
    const auto schedule = domain::build_schedule(plan, price, ledger_deposit);
    if (!adapters::insert_contract(
            tx, {contract_id, contract_no, subscription_id, project_id, unit_id, customer_id,
                 rep_id, price, reported_deposit, ledger_deposit, bp,
                 std::string(domain::to_string(*kind)), signed_at, event.id}))
        throw sales::bus::RetryLater("contract " + contract_id + " inserted concurrently");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : schedule) {
        adapters::insert_schedule_item(tx, contract_id, item);
        items.push_back(schedule_item_json(item));
    }
    emit(tx, kScheduleCreated, contract_id, 1,
         {{"contract_id", contract_id},
          {"project_id", project_id},
          {"items", items},
          {"total_fen", price},
          {"created_at", sales::to_rfc3339(clock.now())}});
    // A deposit covering the whole price clears the contract at once.
    if (const auto book = adapters::load_book(tx, contract_id, adapters::Lock::for_update))
        recompute_clearance(tx, clock, *book, "contract signed");
}

}  // namespace finance::app
