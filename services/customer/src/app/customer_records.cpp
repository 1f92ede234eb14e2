// Recording a customer (CUS-1/2/3/6), reading one, searching and changing the profile.
#include "adapters/collision_store.hpp"
#include "adapters/customer_queries.hpp"
#include "adapters/customer_store.hpp"
#include "adapters/privacy_store.hpp"
#include "app/customers.hpp"
#include "domain/pii_text.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace customer::app {
namespace {
using namespace sales::db;

// CUS-3: another rep recorded the phone first; the attempt is stored for the sales manager and
// answered 409 ownership_collision (committed, unlike a refusal).
CreateOutcome record_collision(Tx& tx, const Caller& caller, const NewCustomer& in,
                               const adapters::LiveCustomer& existing) {
    const auto collision_id = sales::new_uuid();
    adapters::insert_collision(tx, collision_id, in.project_id, existing.id, existing.owner_id,
                               caller.id(), in.attempt.dump());
    emit(tx, kCollisionRecorded, collision_id, 1,
         {{"collision_id", collision_id},
          {"customer_id", existing.id},
          {"project_id", in.project_id},
          {"owner_id", existing.owner_id},
          {"claimant_id", caller.id()}});
    sales::log::info("collision recorded", {{"collision_id", collision_id},
                                            {"customer_id", existing.id},
                                            {"owner_id", existing.owner_id},
                                            {"claimant_id", caller.id()}});
    return {false,
            {{"error",
              {{"code", "ownership_collision"},
               {"message", "this phone was recorded first by rep " + existing.owner_id +
                               " (CUS-3); your attempt is stored as collision " + collision_id +
                               " for the sales manager to confirm or reassign"},
               {"details",
                {{"collision_id", collision_id},
                 {"customer_id", existing.id},
                 {"owner_id", existing.owner_id}}}}}}};
}

void limit_phone_searches(Tx& tx, const Caller& caller, std::int64_t per_hour) {
    if (per_hour <= 0 || adapters::recent_phone_searches(tx, caller.id()) < per_hour)
        return;
    throw sales::Failure(sales::Failure::Kind::too_many_requests, "rate_limited",
                         "the limit of " + std::to_string(per_hour) +
                             " whole-number phone searches an hour is reached (CUS-8); try again "
                             "later or ask a sales manager",
                         {{"limit_per_hour", per_hour}});
}

void log_search(Tx& tx, const Caller& caller, const ListFilter& f, const domain::PhoneSearch& phone,
                std::int64_t total) {
    adapters::SearchRecord record;
    record.reader_id = caller.id();
    record.reader_roles = roles_text(caller);
    record.route = caller.route;
    record.request_id = caller.request_id;
    record.project_id = f.project_id;
    record.query_kind = std::string(domain::to_string(phone.kind));
    switch (phone.kind) {
        case domain::PhoneSearchKind::exact:
            record.query_masked = domain::mask_phone(phone.digits);
            record.searched = phone.digits;
            record.phone_scope = "all";
            break;
        case domain::PhoneSearchKind::fragment:
            record.query_masked = std::string(phone.digits.size(), '*');
            record.searched = phone.digits;
            record.phone_scope = phone.own_customers_only ? "own" : "all";
            break;
        case domain::PhoneSearchKind::none:
            record.query_masked = domain::mask_pii_in_text(*f.q);
            record.searched = *f.q;
            break;
    }
    record.result_count = total;
    adapters::log_search(tx, record);
}

std::optional<std::string> enum_name(const auto& value) {
    if (!value)
        return std::nullopt;
    return std::string(domain::to_string(*value));
}
}  // namespace

CreateOutcome create_customer(const Context& ctx, const Caller& caller, const NewCustomer& in) {
    const auto now = ctx.clock.now();
    check_event(in.first_event, now, "first_event.");
    return ctx.db.transaction([&](Tx& tx) -> CreateOutcome {
        project_settings(tx, caller, in.project_id);
        const auto received = sales::shanghai_date(in.first_event.occurred_at);
        const bool late = domain::is_late_entry(received, now);  // CUS-6
        for (int attempt = 0; attempt < 3; ++attempt) {
            const auto id = sales::new_uuid();
            // CUS-3: the unique index on (project_id, phone) decides who recorded first.
            if (adapters::insert_customer(tx, id, in, caller.id(), sales::to_string(received),
                                          late)) {
                insert_event(tx, id, in.project_id, in.first_event, caller.id(), caller.id(),
                             now);  // CUS-2
                adapters::record_first_owner(tx, id, caller.id());
                const auto row = load_customer(tx, caller, id, false);
                emit(tx, kCustomerCreated, id, 1,
                     {{"customer_id", id},
                      {"project_id", in.project_id},
                      {"owner_id", caller.id()},
                      {"stage", row.text("stage")},
                      {"type", nullable(row.opt_text("type"))},
                      {"channel", row.text("channel")},
                      {"received_on", row.text("received_on")},
                      {"entered_late", late},
                      {"created_at", row.text("created_at")}});
                return {true, customer_json(row, domain::PiiView::owner)};
            }
            const auto existing = adapters::find_live_by_phone(tx, in.project_id, in.phone.digits);
            if (!existing)
                continue;  // archived in between: try again
            if (domain::decide_claim(existing->owner_id, caller.id()) ==
                domain::ClaimOutcome::duplicate) {
                sales::fail_conflict("customer_exists",
                                     "you already recorded this phone in this project as "
                                     "customer " +
                                         existing->id + "; add an event to it instead",
                                     {{"customer_id", existing->id}});
            }
            return record_collision(tx, caller, in, *existing);
        }
        sales::fail_conflict("concurrent_change",
                             "the record for this phone changed while saving; retry");
    });
}

nlohmann::json get_customer(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, false);
        auto body = customer_json(row, detail_view(tx, caller, row));  // CUS-8
        body["open_collisions"] = adapters::count_open_collisions(tx, id);
        return body;
    });
}

nlohmann::json list_customers(const Context& ctx, const Caller& caller, const ListFilter& f) {
    adapters::CustomerSearch search;
    search.archived = f.archived;
    if (f.project_id) {
        search.project_id = f.project_id;
        if (!caller.in_project(*f.project_id))
            search.project_ids = std::vector<std::string>{};  // matches nothing
    } else if (!caller.in_project("*")) {
        std::vector<std::string> projects;
        for (const auto& id : caller.principal.project_ids) {
            if (sales::is_uuid(id))  // only UUIDs can name a project
                projects.push_back(id);
        }
        search.project_ids = std::move(projects);
    }
    // CUS-8: a whole phone number finds that customer for any reader; a fragment finds only the
    // reader's own customers unless they hold customer.pii.read.
    std::optional<domain::PhoneSearch> phone;
    if (f.q) {
        phone = domain::phone_search(*f.q, caller.pii);
        if (phone->kind == domain::PhoneSearchKind::exact) {
            search.phone_exact = phone->digits;
        } else {
            search.name_like = like_escape(*f.q);
            if (phone->kind == domain::PhoneSearchKind::fragment) {
                search.phone_digits = phone->digits;
                if (phone->own_customers_only)
                    search.phone_owner_id = caller.id();
            }
        }
    }
    search.stage = enum_name(f.stage);
    search.type = enum_name(f.type);
    search.channel = enum_name(f.channel);
    search.owner_id = f.rep_id;
    if (f.last_contact_from)
        search.last_event_from = sales::to_rfc3339(sales::shanghai_midnight(*f.last_contact_from));
    if (f.last_contact_to) {
        const sales::Date next{std::chrono::sys_days{*f.last_contact_to} + std::chrono::days(1)};
        search.last_event_before = sales::to_rfc3339(sales::shanghai_midnight(next));
    }
    search.limit = f.limit;
    search.offset = f.offset;
    return ctx.db.transaction([&](Tx& tx) {
        const bool phone_query = phone && phone->kind != domain::PhoneSearchKind::none;
        if (phone && phone->kind == domain::PhoneSearchKind::exact && !caller.pii) {
            // CUS-8: a masked number can be completed by guessing its 4 hidden digits one whole
            // number at a time; cap the rate (fragments reach only the reader's own customers).
            limit_phone_searches(tx, caller, ctx.phone_searches_per_hour);
        }
        const auto total = adapters::count_customers(tx, search);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& row : adapters::search_customers(tx, search)) {
            // CUS-8: lists and searches show full PII only to the owner.
            items.push_back(customer_json(
                row, domain::pii_view(caller.id(), row.text("owner_id"), caller.pii, false)));
        }
        nlohmann::json body{
            {"items", items}, {"total", total}, {"limit", f.limit}, {"offset", f.offset}};
        if (phone) {
            log_search(tx, caller, f, *phone, total);  // CUS-8, in the read's transaction
            body["search"] = {
                {"kind", domain::to_string(phone->kind)},
                {"phone_scope", phone_query
                                    ? nlohmann::json(phone->own_customers_only ? "own" : "all")
                                    : nlohmann::json(nullptr)}};
        }
        return body;
    });
}

nlohmann::json update_customer(const Context& ctx, const Caller& caller, const std::string& id,
                               const CustomerPatch& patch) {
    nlohmann::json changed = nlohmann::json::array();
    for (const auto& [column, present] : {std::pair{"gender", patch.gender.has_value()},
                                          std::pair{"birth_year", patch.birth_year.has_value()},
                                          std::pair{"occupation", patch.occupation.has_value()},
                                          std::pair{"type", patch.type.has_value()}}) {
        if (present)
            changed.push_back(column);
    }
    if (patch.needs) {
        for (const char* column :
             {"budget_min_fen", "budget_max_fen", "need_layout", "need_area_min_centi_m2",
              "need_area_max_centi_m2", "need_location", "purchase_horizon"})
            changed.push_back(column);
    }
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        if (changed.empty())
            sales::fail_invalid("body", "names no field to change");
        const auto version = adapters::update_profile(tx, id, patch);
        emit(tx, kCustomerUpdated, id, version,
             {{"customer_id", id},
              {"project_id", row.text("project_id")},
              {"owner_id", row.text("owner_id")},
              {"fields", changed}});
        return customer_json(load_customer(tx, caller, id, false),
                             domain::pii_view(caller.id(), row.text("owner_id"), false, false));
    });
}

}  // namespace customer::app
