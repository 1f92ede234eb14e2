#pragma once
// Calendar dates as the sales office sees them (DOMAIN.md: Asia/Shanghai): the shared
// implementation lives in libs/common (sales/calendar.hpp); these names keep contract's code
// unchanged.
#include "sales/calendar.hpp"

namespace contract::domain {

using sales::Date;
using sales::is_rfc3339;
using sales::parse_date;
using sales::shanghai_date;
using sales::to_string;

}  // namespace contract::domain
