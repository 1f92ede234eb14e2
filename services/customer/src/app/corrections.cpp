// CUS-9 corrections asked for by the customer, and the CUS-8 audit of full PII reads.
#include "adapters/customer_store.hpp"
#include "adapters/privacy_store.hpp"
#include "app/customers.hpp"
#include "sales/ids.hpp"

namespace customer::app {
namespace {
using sales::db::Tx;
}  // namespace

nlohmann::json correct_customer(const Context& ctx, const Caller& caller, const std::string& id,
                                const std::string& field, const std::optional<std::string>& value,
                                const std::string& reason) {
    std::optional<std::string> stored = value;
    std::optional<std::string> kind;
    if (field == "phone") {
        std::string problem;
        const auto phone = value ? domain::normalise_phone(*value, problem) : std::nullopt;
        if (!phone)
            sales::fail_invalid("value", value ? problem : "a phone number is required (CUS-1)");
        stored = phone->digits;
        kind = std::string(domain::to_string(phone->kind));
    } else if (field == "name") {
        if (!value)
            sales::fail_invalid("value", "a name is required (CUS-1)");
    } else if (field != "id_number" && field != "address") {
        sales::fail_invalid("field", std::string("must be one of ") + kCorrectableFields);
    }
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, true);
        require_owner_or_manager(caller, row);
        const auto old = row.opt_text(field);
        std::int64_t version = 0;
        try {
            version = adapters::correct_field(tx, id, field, stored, kind);
        } catch (const sales::db::UniqueViolation&) {
            sales::fail_conflict("phone_in_use",
                                 "another customer of this project already has that phone "
                                 "(CUS-3); ask the sales manager to merge or reassign",
                                 {{"field", "value"}});
        }
        const auto correction_id = sales::new_uuid();
        adapters::insert_correction(tx, correction_id, id, field, old, stored, reason, caller.id());
        emit(tx, kCustomerUpdated, id, version,
             {{"customer_id", id},
              {"project_id", row.text("project_id")},
              {"owner_id", row.text("owner_id")},
              {"fields", nlohmann::json::array({field})},
              {"correction_id", correction_id}});
        const auto view = detail_view(tx, caller, row);
        return customer_json(load_customer(tx, caller, id, false), view);
    });
}

nlohmann::json list_corrections(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto row = load_customer(tx, caller, id, false);
        const auto view = detail_view(tx, caller, row);
        const auto shown = [&](const std::string& field,
                               const std::optional<std::string>& v) -> nlohmann::json {
            if (!v)
                return nullptr;
            if (view != domain::PiiView::masked || field == "name")
                return *v;
            return field == "phone"       ? domain::mask_phone(*v)
                   : field == "id_number" ? domain::mask_id_number(*v)
                                          : domain::mask_address(*v);
        };
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : adapters::corrections(tx, id)) {
            const auto field = r.text("field");
            auto item = row_json(r, {"id", "field", "requested_by", "recorded_at"});
            bool revealed = false;  // the read is logged by detail_view already
            item["reason"] = free_text(r.opt_text("reason"), view, revealed);
            item["old_value"] = shown(field, r.opt_text("old_value"));
            item["new_value"] = shown(field, r.opt_text("new_value"));
            items.push_back(std::move(item));
        }
        return nlohmann::json{{"items", items}};
    });
}

nlohmann::json list_pii_access(const Context& ctx, const Caller& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        load_customer(tx, caller, id, false);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : adapters::pii_reads(tx, id)) {
            items.push_back(
                row_json(r, {"reader_id", "reader_roles", "route", "request_id", "read_at"}));
        }
        return nlohmann::json{{"items", items}};
    });
}

}  // namespace customer::app
