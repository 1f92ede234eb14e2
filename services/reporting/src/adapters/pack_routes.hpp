#pragma once
#include "sales/service.hpp"

namespace reporting::adapters {

// /api/v1/report-packs: the list, a pack's workbook, a pack made on request (report.read,
// project scope); and the scheduled making of packs (SALES_REPORTING_PACK_INTERVAL).
void add_pack_routes(sales::service::Service& service);

}  // namespace reporting::adapters
