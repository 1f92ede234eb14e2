#pragma once
#include <chrono>

#include "app/context.hpp"
#include "app/unit_view.hpp"
#include "sales/service.hpp"

namespace contract::adapters {

// Longest reason or note a request may carry.
inline constexpr std::size_t kMaxReasonLength = 500;

// /api/v1/subscriptions routes. `ctx` and `units` must outlive the service; inventory RPCs time
// out after `rpc_timeout` (→ 503 dependency_unavailable).
void add_routes(sales::service::Service& service, const app::Context& ctx,
                std::chrono::milliseconds rpc_timeout, app::UnitView& units);

// Contract routes (CON-3 … CON-9): signing, approvals, audit, stamping, registration,
// amendments, cancellation after review, handover and the lists.
// Inventory RPCs (CON-5 换房 holds) time out after `rpc_timeout`.
void add_contract_routes(sales::service::Service& service, const app::Context& ctx,
                         std::chrono::milliseconds rpc_timeout);

// GET /api/v1/contracts (contract search 合同查询) and GET
// /api/v1/contracts/awaiting-registration (CON-7).
void add_contract_search_routes(sales::service::Service& service, const app::Context& ctx);
// The mortgage desk 按揭 (CON-8): the 按揭情况列表, a file, the clerk's steps, the per-project
// deadlines.
void add_mortgage_routes(sales::service::Service& service, const app::Context& ctx);

// The operator list of deposit cases (CON-1 late deposits, FIN-3 reversals): GET the list,
// POST …/{id}/resolve.
void add_deposit_case_routes(sales::service::Service& service, const app::Context& ctx);

}  // namespace contract::adapters
