#include "domain/route_table.hpp"

#include <algorithm>

#include "sales/auth.hpp"

namespace gateway::domain {
namespace {
using P = std::vector<std::string>;
constexpr auto kPerm = Access::permission;

RouteRule r(std::string method, std::string pattern, std::string upstream, P permissions,
            std::string project_param = "") {
    return {std::move(method),      std::move(pattern),      std::move(upstream), kPerm,
            std::move(permissions), std::move(project_param)};
}

std::vector<RouteRule> build() {
    const P customer_read = {"customer.manage", "customer.complaint"};
    const P customer_manage = {"customer.manage"};
    const P customer_manager = {"customer.reassign"};
    const P finance_read = {"payment.collect", "finance.reconcile", "report.read"};
    const P contract_read = {"subscription.read", "handover.manage"};
    const P mortgage_read = {"mortgage.manage", "mortgage.documents", "report.read"};
    const P referral_read = {"payment.collect", "finance.reconcile", "referral.confirm",
                             "referral.redeem", "report.read"};
    std::vector<RouteRule> t = {
        // Gateway: identity (public login/refresh; users and audit for administrators).
        {"POST", "/api/v1/auth/login", "gateway", Access::open, {}, ""},
        {"POST", "/api/v1/auth/refresh", "gateway", Access::open, {}, ""},
        {"POST", "/api/v1/auth/logout", "gateway", Access::authenticated, {}, ""},
        {"GET", "/api/v1/auth/me", "gateway", Access::authenticated, {}, ""},
        {"POST", "/api/v1/auth/password", "gateway", Access::authenticated, {}, ""},
        r("GET", "/api/v1/users", "gateway", {"user.manage"}),
        r("POST", "/api/v1/users", "gateway", {"user.manage"}),
        r("GET", "/api/v1/users/{user_id}", "gateway", {"user.manage"}),
        r("POST", "/api/v1/users/{user_id}/disable", "gateway", {"user.manage"}),
        r("POST", "/api/v1/users/{user_id}/enable", "gateway", {"user.manage"}),
        r("POST", "/api/v1/users/{user_id}/password", "gateway", {"user.manage"}),
        r("GET", "/api/v1/audit", "gateway", {"audit.read"}),
        // Colleagues' names for the screens and reports of managers (not the administration).
        r("GET", "/api/v1/staff", "gateway", {"customer.reassign", "report.read", "user.manage"}),
        // The live 楼盘表: unit events as Server-Sent Events (adapters/live_board.hpp).
        r("GET", "/api/v1/live/board", "gateway", {"unit.read"}),
        // Inventory.
        r("POST", "/api/v1/projects", "inventory", {"project.manage"}),
        r("GET", "/api/v1/projects", "inventory", {"unit.read"}),
        r("GET", "/api/v1/projects/{project_id}", "inventory", {"unit.read"}, "project_id"),
        r("PATCH", "/api/v1/projects/{project_id}/settings", "inventory", {"project.manage"},
          "project_id"),
        r("POST", "/api/v1/projects/{project_id}/phases", "inventory", {"unit.manage"},
          "project_id"),
        r("POST", "/api/v1/projects/{project_id}/buildings", "inventory", {"unit.manage"},
          "project_id"),
        r("POST", "/api/v1/buildings/{building_id}/units:bulk", "inventory", {"unit.manage"}),
        r("GET", "/api/v1/units/{unit_id}", "inventory", {"unit.read"}),
        r("PATCH", "/api/v1/units/{unit_id}", "inventory", {"unit.manage"}),
        r("GET", "/api/v1/units/{unit_id}/history", "inventory", {"unit.read"}),
        r("GET", "/api/v1/units/{unit_id}/prices", "inventory", {"unit.read"}),
        r("POST", "/api/v1/units:release", "inventory", {"unit.release"}),
        r("POST", "/api/v1/units:withdraw", "inventory", {"unit.release"}),
        r("POST", "/api/v1/units/{unit_id}/reservation", "inventory", {"unit.reserve"}),
        r("DELETE", "/api/v1/units/{unit_id}/reservation", "inventory", {"unit.reserve"}),
        r("GET", "/api/v1/buildings/{building_id}/board", "inventory", {"unit.read"}),
        r("GET", "/api/v1/projects/{project_id}/board", "inventory", {"unit.read"}, "project_id"),
        r("POST", "/api/v1/projects/{project_id}/price-lists", "inventory", {"price_list.manage"},
          "project_id"),
        r("GET", "/api/v1/price-lists/{id}", "inventory", {"unit.read"}),
        r("POST", "/api/v1/price-lists/{id}/approve", "inventory", {"price_list.approve"}),
        r("POST", "/api/v1/units/{unit_id}/change-requests", "inventory", {"unit.manage"}),
        r("POST", "/api/v1/change-requests/{id}/approve", "inventory", {"change_request.approve"}),
        r("POST", "/api/v1/change-requests/{id}/reject", "inventory", {"change_request.approve"}),
        r("POST", "/api/v1/buildings/{building_id}/title-area-surveys", "inventory",
          {"title.manage"}),
        r("GET", "/api/v1/buildings/{building_id}/title-area-surveys", "inventory", {"unit.read"}),
        r("GET", "/api/v1/title-area-surveys/{id}", "inventory", {"unit.read"}),
        r("POST", "/api/v1/title-area-surveys/{id}/approve", "inventory", {"title.approve"}),
        r("POST", "/api/v1/title-area-surveys/{id}/reject", "inventory", {"title.approve"}),
        // Contract.
        r("POST", "/api/v1/subscriptions", "contract", {"subscription.create"}),
        r("GET", "/api/v1/subscriptions", "contract", {"subscription.read"}),
        r("GET", "/api/v1/subscriptions/{id}", "contract", {"subscription.read"}),
        r("POST", "/api/v1/subscriptions/{id}/rename", "contract", {"subscription.change"}),
        r("POST", "/api/v1/subscriptions/{id}/swap", "contract", {"subscription.change"}),
        r("POST", "/api/v1/subscriptions/{id}/cancel", "contract", {"subscription.cancel"}),
        r("POST", "/api/v1/subscriptions/{id}/cancellation/approve", "contract",
          {"refund.approve"}),
        r("POST", "/api/v1/subscriptions/{id}/cancellation/reject", "contract", {"refund.approve"}),
        r("POST", "/api/v1/subscriptions/{id}/sign", "contract", {"contract.sign"}),
        // CON-1 / FIN-3 deposit cases: sales control, the sales manager, the general manager.
        r("GET", "/api/v1/deposit-cases", "contract", {"deposit_case.manage"}),
        r("POST", "/api/v1/deposit-cases/{id}/resolve", "contract", {"deposit_case.manage"}),
        r("GET", "/api/v1/contracts/{id}", "contract", contract_read),
        // Approvals (CON-5, CON-8, CON-9): who asks, who decides.
        r("POST", "/api/v1/discount-slips", "contract", {"approval.request"}),
        r("GET", "/api/v1/discount-slips/{id}", "contract", contract_read),
        r("POST", "/api/v1/discount-slips/{id}/approve", "contract", {"contract.approve_discount"}),
        r("POST", "/api/v1/discount-slips/{id}/reject", "contract", {"contract.approve_discount"}),
        r("POST", "/api/v1/late-signing-approvals", "contract", {"approval.request"}),
        r("GET", "/api/v1/late-signing-approvals/{id}", "contract", contract_read),
        r("POST", "/api/v1/late-signing-approvals/{id}/approve", "contract",
          {"contract.approve_late"}),
        r("POST", "/api/v1/late-signing-approvals/{id}/reject", "contract",
          {"contract.approve_late"}),
        r("POST", "/api/v1/early-handover-approvals", "contract", {"handover.manage"}),
        r("GET", "/api/v1/early-handover-approvals/{id}", "contract", contract_read),
        r("POST", "/api/v1/early-handover-approvals/{id}/approve", "contract",
          {"handover.approve_early"}),
        r("POST", "/api/v1/early-handover-approvals/{id}/reject", "contract",
          {"handover.approve_early"}),
        r("POST", "/api/v1/contracts/{id}/audit/approve", "contract",
          {"contract.audit", "contract.review"}),
        r("POST", "/api/v1/contracts/{id}/audit/reject", "contract",
          {"contract.audit", "contract.review"}),
        r("POST", "/api/v1/amendments/{id}/audit/approve", "contract",
          {"contract.audit", "contract.review"}),
        r("POST", "/api/v1/amendments/{id}/audit/reject", "contract",
          {"contract.audit", "contract.review"}),
        r("POST", "/api/v1/contracts/{id}/resubmit", "contract", {"contract.sign"}),
        r("POST", "/api/v1/contracts/{id}/stamp", "contract", {"contract.stamp"}),
        r("POST", "/api/v1/contracts/{id}/registration", "contract", {"contract.register"}),
        r("POST", "/api/v1/contracts/{id}/amendments", "contract", {"contract.amend"}),
        r("POST", "/api/v1/contracts/{id}/cancellation", "contract", {"refund.request"}),
        r("POST", "/api/v1/contracts/{id}/cancellation/approve", "contract", {"refund.approve"}),
        r("POST", "/api/v1/contracts/{id}/cancellation/reject", "contract", {"refund.approve"}),
        r("POST", "/api/v1/contracts/{id}/handover", "contract", {"handover.manage"}),
        r("POST", "/api/v1/contracts/{id}/handover/approve", "contract", {"handover.confirm"}),
        r("POST", "/api/v1/contracts/{id}/handover/reject", "contract", {"handover.confirm"}),
        r("POST", "/api/v1/area-settlements/{id}/choice", "contract", {"title.manage"}),
        r("POST", "/api/v1/area-settlements/{id}/agreement", "contract", {"title.manage"}),
        r("POST", "/api/v1/area-settlements/{id}/invoice", "contract",
          {"title.manage", "payment.collect"}),
        r("GET", "/api/v1/contracts/handover-eligible", "contract", contract_read),
        r("GET", "/api/v1/contracts/early-handover", "contract", contract_read),
        r("GET", "/api/v1/contracts/handover-to-confirm", "contract", contract_read),
        r("GET", "/api/v1/contracts/handed-over", "contract", contract_read),
        r("GET", "/api/v1/contracts/awaiting-audit", "contract", contract_read),
        // Contract search 合同查询 and CON-7 registration due (customer names: customers:lookup).
        r("GET", "/api/v1/contracts", "contract", contract_read),
        r("GET", "/api/v1/contracts/awaiting-registration", "contract", contract_read),
        r("PATCH", "/api/v1/projects/{id}/contract-settings", "contract", {"contract.settings"},
          "id"),
        // The mortgage desk 按揭 (CON-8): the clerk; sales reps record documents.
        r("GET", "/api/v1/mortgages", "contract", mortgage_read),
        r("GET", "/api/v1/mortgages/{id}", "contract", mortgage_read),
        r("POST", "/api/v1/mortgages/{id}/loan", "contract", {"mortgage.manage"}),
        r("POST", "/api/v1/mortgages/{id}/documents", "contract",
          {"mortgage.manage", "mortgage.documents"}),
        r("POST", "/api/v1/mortgages/{id}/submit", "contract", {"mortgage.manage"}),
        r("POST", "/api/v1/mortgages/{id}/approve", "contract", {"mortgage.manage"}),
        r("POST", "/api/v1/mortgages/{id}/refuse", "contract", {"mortgage.manage"}),
        r("POST", "/api/v1/mortgages/{id}/registration", "contract", {"mortgage.manage"}),
        r("GET", "/api/v1/projects/{id}/mortgage-settings", "contract", mortgage_read, "id"),
        r("PATCH", "/api/v1/projects/{id}/mortgage-settings", "contract", {"contract.settings"},
          "id"),
        // Customer.
        r("POST", "/api/v1/customers", "customer", customer_manage),
        r("GET", "/api/v1/customers", "customer", customer_read),
        r("GET", "/api/v1/customers/{id}", "customer", customer_read),
        r("GET", "/api/v1/customers:lookup", "customer",
          {"customer.manage", "customer.complaint", "referral.confirm", "referral.redeem"}),
        r("PATCH", "/api/v1/customers/{id}", "customer", customer_manage),
        r("POST", "/api/v1/customers/{id}/stage", "customer", customer_manage),
        r("POST", "/api/v1/customers/{id}/events", "customer", customer_read),
        r("GET", "/api/v1/customers/{id}/events", "customer", customer_read),
        r("POST", "/api/v1/customers/{id}/corrections", "customer", customer_manage),
        r("GET", "/api/v1/customers/{id}/corrections", "customer", customer_manage),
        r("GET", "/api/v1/customers/{id}/pii-access", "customer", customer_manager),
        r("POST", "/api/v1/customers/{id}/reassign", "customer", customer_manager),
        r("POST", "/api/v1/customers/{id}/complaints", "customer", customer_read),
        r("GET", "/api/v1/complaints", "customer", customer_read),
        r("GET", "/api/v1/complaints/{id}", "customer", customer_read),
        r("POST", "/api/v1/complaints/{id}/respond", "customer", {"customer.complaint"}),
        r("POST", "/api/v1/complaints/{id}/resolve", "customer", {"customer.complaint"}),
        r("GET", "/api/v1/collisions", "customer", customer_manager),
        r("POST", "/api/v1/collisions/{id}/confirm", "customer", customer_manager),
        r("POST", "/api/v1/collisions/{id}/reassign", "customer", customer_manager),
        r("GET", "/api/v1/customers:stale", "customer", customer_manager),
        r("GET", "/api/v1/reps/{rep_id}/tasks", "customer", customer_manage),
        r("POST", "/api/v1/departures", "customer", customer_manager),
        r("GET", "/api/v1/departures", "customer", customer_manager),
        r("POST", "/api/v1/departures/{id}/reassign", "customer", customer_manager),
        r("GET", "/api/v1/deals", "customer", {"customer.reassign", "report.read"}),
        r("GET", "/api/v1/deals/{id}/commission", "customer", {"customer.manage", "report.read"}),
        r("POST", "/api/v1/deals/{id}/commission-exception", "customer", customer_manager),
        r("GET", "/api/v1/projects/{id}/customer-settings", "customer",
          {"customer.manage", "customer.settings"}, "id"),
        r("PATCH", "/api/v1/projects/{id}/customer-settings", "customer", {"customer.settings"},
          "id"),
        r("GET", "/api/v1/customers:export", "customer", {"customer.export"}),
        r("POST", "/api/v1/customers:archive", "customer", {"customer.archive"}),
        r("GET", "/api/v1/reports/contacts", "customer", {"report.read"}),
        // Finance.
        r("POST", "/api/v1/payments", "finance", {"payment.collect"}),
        r("POST", "/api/v1/entries/{id}/reverse", "finance", {"payment.collect"}),
        r("POST", "/api/v1/refund-approvals", "finance", {"refund.approve"}),
        r("GET", "/api/v1/refund-approvals", "finance",
          {"payment.collect", "finance.reconcile", "refund.approve"}),
        r("POST", "/api/v1/contracts/{id}/fees", "finance", {"handover.manage"}),
        // CON-11 referral points.
        r("GET", "/api/v1/referrals", "finance", referral_read),
        r("POST", "/api/v1/referrals/{id}/confirm", "finance", {"referral.confirm"}),
        r("GET", "/api/v1/referral-points", "finance", referral_read),
        r("POST", "/api/v1/referral-points/redemptions", "finance", {"referral.redeem"}),
        r("POST", "/api/v1/referral-points/entries/{id}/reverse", "finance", {"referral.redeem"}),
        r("GET", "/api/v1/contracts/{id}/fees", "finance",
          {"payment.collect", "finance.reconcile", "report.read", "handover.manage"}),
        r("GET", "/api/v1/entries", "finance", finance_read),
        r("GET", "/api/v1/entries/{id}", "finance", finance_read),
        r("GET", "/api/v1/contracts/{id}/balance", "finance", finance_read),
        r("GET", "/api/v1/reports/receipts", "finance", finance_read),
        r("GET", "/api/v1/reports/arrears", "finance", finance_read),
        // The read model's reports (seed 003 §4).
        r("GET", "/api/v1/reports/sales", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/sales-summary", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/cancellations", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/unit-changes", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/payments", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/payments-summary", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/sales-control", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/conversion", "reporting", {"report.read"}),
        r("GET", "/api/v1/reports/mortgages", "reporting", {"report.read"}),
        r("GET", "/api/v1/report-packs", "reporting", {"report.read"}),
        r("POST", "/api/v1/report-packs", "reporting", {"report.read"}),
        r("GET", "/api/v1/report-packs/{pack_id}", "reporting", {"report.read"}),
        // Webhook subscriptions of other departments (administrators).
        r("POST", "/api/v1/webhooks", "webhooks", {"webhook.manage"}),
        r("GET", "/api/v1/webhooks", "webhooks", {"webhook.manage"}),
        r("GET", "/api/v1/webhooks/{webhook_id}", "webhooks", {"webhook.manage"}),
        r("PATCH", "/api/v1/webhooks/{webhook_id}", "webhooks", {"webhook.manage"}),
        r("DELETE", "/api/v1/webhooks/{webhook_id}", "webhooks", {"webhook.manage"}),
        r("POST", "/api/v1/webhooks/{webhook_id}/secret", "webhooks", {"webhook.manage"}),
        r("GET", "/api/v1/webhooks/{webhook_id}/deliveries", "webhooks", {"webhook.manage"}),
        r("POST", "/api/v1/webhooks/{webhook_id}/redeliver", "webhooks", {"webhook.manage"}),
    };
    // Literal segments before parameters so that e.g. /contracts/handover-eligible is not
    // taken for /contracts/{id} (the router takes the first match).
    std::stable_sort(t.begin(), t.end(), [](const RouteRule& a, const RouteRule& b) {
        const auto params = [](const std::string& p) {
            return std::count(p.begin(), p.end(), '{');
        };
        return params(a.pattern) < params(b.pattern);
    });
    return t;
}
}  // namespace

const std::vector<RouteRule>& route_table() {
    static const std::vector<RouteRule> table = build();
    return table;
}

bool permits(const RouteRule& rule, const std::vector<std::string>& roles) {
    if (rule.access != Access::permission)
        return true;
    return std::any_of(rule.permissions.begin(), rule.permissions.end(), [&](const auto& p) {
        return std::any_of(roles.begin(), roles.end(),
                           [&](const auto& role) { return sales::auth::role_grants(role, p); });
    });
}

bool is_write(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace gateway::domain
