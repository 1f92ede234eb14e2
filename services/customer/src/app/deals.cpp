#include "app/deals.hpp"

#include "adapters/customer_store.hpp"
#include "adapters/deal_store.hpp"
#include "app/customers.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;

std::string uuid_field(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || !sales::is_uuid(it->get<std::string>())) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a UUID");
    }
    return it->get<std::string>();
}

std::string text_field(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a non-empty string");
    }
    return it->get<std::string>();
}

void move_stage(Tx& tx, const sales::bus::Event& event, const std::string& customer_id,
                domain::StageInput input, const std::string& subscription_id) {
    if (!adapters::customer_exists(tx, customer_id)) {
        sales::log::warn(
            "contract event names a customer this service does not know; deal kept, "
            "no stage change",
            {{"event_id", event.id},
             {"type", event.type},
             {"customer_id", customer_id},
             {"subscription_id", subscription_id}});
        return;
    }
    if (input.cause == domain::StageCause::subscription_cancelled)
        input.other_live_deals = adapters::other_live_deals(tx, customer_id, subscription_id);
    apply_stage(tx, customer_id, input, event.type, event.id, "contract", std::nullopt);
}

}  // namespace

void apply_contract_event(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto customer_id = uuid_field(event, "customer_id");
    const adapters::DealFacts deal{subscription_id, customer_id, uuid_field(event, "project_id"),
                                   text_field(event, "rep_id")};

    if (event.type == kContractSigned) {
        const auto contract_id = uuid_field(event, "contract_id");
        const auto signed_at = text_field(event, "signed_at");
        if (!sales::is_rfc3339(signed_at)) {
            throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                            ": data.signed_at must be an RFC 3339 timestamp");
        }
        adapters::record_signed(tx, deal, contract_id, signed_at);
        // Stage → closed; a second contract.signed (another event id) changes nothing more.
        move_stage(tx, event, customer_id, {domain::StageCause::contract_signed, {}, false},
                   subscription_id);
        return;
    }

    const bool cancelled = event.type == "contract.subscription.cancelled";
    if (event.type != "contract.subscription.created" &&
        event.type != "contract.subscription.confirmed" &&
        event.type != "contract.subscription.renamed" && !cancelled) {
        return;  // deposits recorded/orphaned, cancellation requests, swaps: no stage change
    }
    if (adapters::lock_deal_status(tx, subscription_id) == "signed")
        return;  // a late subscription event never reopens a signed deal
    adapters::record_subscription(tx, deal, cancelled ? "cancelled" : "subscribed");
    if (cancelled) {
        move_stage(tx, event, customer_id, {domain::StageCause::subscription_cancelled, {}, false},
                   subscription_id);
        return;
    }
    // CON-2 rename: the previous customer loses this deal.
    if (event.type == "contract.subscription.renamed" &&
        event.data.contains("previous_customer_id")) {
        const auto previous = uuid_field(event, "previous_customer_id");
        if (previous != customer_id)
            move_stage(tx, event, previous, {domain::StageCause::subscription_cancelled, {}, false},
                       subscription_id);
    }
    move_stage(tx, event, customer_id, {domain::StageCause::subscription_created, {}, false},
               subscription_id);
}

namespace {

// CUS-8: phones typed into the exception note show in full only to the customer's owner.
nlohmann::json deal_json(const sales::db::Row& r, const Caller& caller) {
    const auto validity =
        domain::commission_validity(r.int64("event_count"), r.int64("commission_min_events"),
                                    r.opt_text("exception_note").has_value());
    auto out = row_json(r, {"subscription_id", "customer_id", "project_id", "rep_id", "status"},
                        {"contract_id", "signed_at", "exception_by", "exception_at"});
    bool revealed = false;
    out["exception_note"] = free_text(
        r.opt_text("exception_note"),
        domain::pii_view(caller.id(), r.opt_text("owner_id").value_or(""), caller.pii, false),
        revealed);
    out["customer_owner_id"] = sales::db::nullable(r.opt_text("owner_id"));
    out["event_count"] = r.int64("event_count");
    out["min_events"] = r.int64("commission_min_events");
    out["valid"] = validity.valid;
    out["flagged"] = validity.flagged;
    out["reason"] = validity.reason;
    return out;
}

sales::db::Row load_deal(Tx& tx, const Caller& caller, const std::string& deal_id,
                         bool for_update) {
    return load_scoped(caller, "deal", deal_id,
                       [&] { return adapters::find_deal(tx, deal_id, for_update); });
}

}  // namespace

nlohmann::json commission_validity(const Context& ctx, const Caller& caller,
                                   const std::string& deal_id) {
    return ctx.db.transaction(
        [&](Tx& tx) { return deal_json(load_deal(tx, caller, deal_id, false), caller); });
}

nlohmann::json record_commission_exception(const Context& ctx, const Caller& caller,
                                           const std::string& deal_id, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto deal = load_deal(tx, caller, deal_id, true);
        adapters::record_exception(tx, deal.text("subscription_id"), note, caller.id());
        emit(tx, "customer.commission_exception_recorded", deal.text("subscription_id"), 1,
             {{"subscription_id", deal.text("subscription_id")},
              {"contract_id", sales::db::nullable(deal.opt_text("contract_id"))},
              {"customer_id", deal.text("customer_id")},
              {"project_id", deal.text("project_id")},
              {"rep_id", deal.text("rep_id")},
              {"by", caller.id()}});
        return deal_json(load_deal(tx, caller, deal_id, false), caller);
    });
}

nlohmann::json list_deals(const Context& ctx, const Caller& caller, const std::string& project_id,
                          bool flagged_only, std::int64_t limit, std::int64_t offset) {
    return ctx.db.transaction([&](Tx& tx) {
        project_settings(tx, caller, project_id);
        nlohmann::json items = nlohmann::json::array();
        std::int64_t skipped = 0;
        for (const auto& r : adapters::signed_deals(tx, project_id)) {
            auto deal = deal_json(r, caller);
            if (flagged_only && !deal["flagged"].get<bool>())
                continue;
            if (skipped++ < offset)
                continue;
            if (static_cast<std::int64_t>(items.size()) >= limit)
                break;
            items.push_back(std::move(deal));
        }
        return nlohmann::json{{"items", items}, {"limit", limit}, {"offset", offset}};
    });
}

}  // namespace customer::app
