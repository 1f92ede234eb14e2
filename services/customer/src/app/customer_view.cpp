// How a customer record reads: JSON with CUS-8 masking, the caller's access to it, the audit of
// privileged full reads.
#include "adapters/customer_store.hpp"
#include "adapters/privacy_store.hpp"
#include "app/customers.hpp"
#include "domain/pii_text.hpp"
#include "sales/ids.hpp"

namespace customer::app {
namespace {
using namespace sales::db;

nlohmann::json shown(const std::optional<std::string>& value, bool full,
                     std::string (*mask)(std::string_view)) {
    if (!value)
        return nullptr;
    return full ? *value : mask(*value);
}
}  // namespace

nlohmann::json customer_json(const Row& r, domain::PiiView view) {
    const bool full = view != domain::PiiView::masked;
    const auto phone = r.text("phone");
    auto out = row_json(
        r,
        {"id", "project_id", "name", "phone_kind", "channel", "stage", "owner_id", "owner_since",
         "received_on", "last_event_at", "created_by", "created_at", "updated_at"},
        {"gender", "occupation", "type", "archived_at"});
    out["birth_year"] = nullable(r.opt_int64("birth_year"));
    out["phone"] = full ? phone : domain::mask_phone(phone);
    out["id_number"] = shown(r.opt_text("id_number"), full, domain::mask_id_number);
    out["address"] = shown(r.opt_text("address"), full, domain::mask_address);
    out["pii_masked"] = !full;
    out["needs"] = {{"budget_min_fen", nullable(r.opt_int64("budget_min_fen"))},
                    {"budget_max_fen", nullable(r.opt_int64("budget_max_fen"))},
                    {"layout", nullable(r.opt_text("need_layout"))},
                    {"area_min_centi_m2", nullable(r.opt_int64("need_area_min_centi_m2"))},
                    {"area_max_centi_m2", nullable(r.opt_int64("need_area_max_centi_m2"))},
                    {"location", nullable(r.opt_text("need_location"))},
                    {"purchase_horizon", nullable(r.opt_text("purchase_horizon"))}};
    out["entered_late"] = r.boolean("entered_late");
    out["event_count"] = r.int64("event_count");
    out["version"] = r.int64("version");
    return out;
}

Row load_customer(Tx& tx, const Caller& caller, const std::string& id, bool for_update) {
    return load_scoped(caller, "customer", id,
                       [&] { return adapters::find_customer(tx, id, for_update); });
}

void require_owner_or_manager(const Caller& caller, const Row& customer) {
    if (caller.manager || customer.text("owner_id") == caller.id())
        return;
    sales::fail_forbidden(
        "not_owner",
        "customer " + customer.text("id") + " belongs to rep " + customer.text("owner_id") +
            "; only the owner or a sales manager (customer.reassign) may change it",
        {{"customer_id", customer.text("id")}, {"owner_id", customer.text("owner_id")}});
}

std::string roles_text(const Caller& caller) {
    std::string roles;
    for (const auto& r : caller.principal.roles)
        roles += (roles.empty() ? "" : ",") + r;
    return roles;
}

void log_full_read(Tx& tx, const Caller& caller, const std::string& customer_id) {
    adapters::log_pii_read(tx, customer_id, caller.id(), roles_text(caller), caller.route,
                           caller.request_id);
}

domain::PiiView detail_view(Tx& tx, const Caller& caller, const Row& customer) {
    const auto view = domain::pii_view(caller.id(), customer.text("owner_id"), caller.pii, true);
    if (view == domain::PiiView::privileged)
        log_full_read(tx, caller, customer.text("id"));
    return view;
}

nlohmann::json free_text(const std::optional<std::string>& text, domain::PiiView view,
                         bool& revealed) {
    if (!text)
        return nullptr;
    if (view == domain::PiiView::owner)
        return *text;
    auto masked = domain::mask_pii_in_text(*text);
    if (masked == *text)
        return *text;
    if (view == domain::PiiView::masked)
        return masked;
    revealed = true;
    return *text;
}

}  // namespace customer::app
