#pragma once
#include "sales/service.hpp"

namespace reporting::adapters {

// GET /api/v1/reports/{sales, sales-summary, cancellations, unit-changes, payments,
// payments-summary, sales-control, conversion, mortgages}: report.read, project scope; JSON
// (paged), ?format=csv or ?format=xlsx for the download.
void add_report_routes(sales::service::Service& service);

}  // namespace reporting::adapters
