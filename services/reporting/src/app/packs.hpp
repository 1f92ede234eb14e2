#pragma once
// Report packs (domain/pack.hpp): made on schedule for every project (the latest daily, weekly
// and monthly periods that have ended, when missing) or on request for one project and period,
// kept in report_packs for download.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/pack.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace reporting::app {

// The scheduled task: every missing pack of the latest complete periods; packs of periods that
// ended more than `keep_days` ago are deleted. Returns how many packs it made.
int make_due_packs(sales::db::Pool& db, const sales::Clock& clock, int keep_days);

// POST /api/v1/report-packs: the pack of `kind` whose period holds `day` (today at the latest;
// the current period is then made as far as it has gone), for a project of the caller's;
// replaces a pack of the same period. Returns the pack as the list shows it.
nlohmann::json make_pack_on_request(sales::db::Pool& db, const sales::Clock& clock,
                                    const sales::Principal& caller, domain::PackKind kind,
                                    sales::Date day, const std::string& project_id);

nlohmann::json list_packs(sales::db::Pool& db, const sales::Principal& caller,
                          const std::optional<std::string>& project_id,
                          const std::optional<domain::PackKind>& kind, std::int64_t limit,
                          std::int64_t offset);

struct PackDownload {
    std::string file_name;
    std::string content;
};
PackDownload pack_download(sales::db::Pool& db, const sales::Principal& caller,
                           const std::string& pack_id);

}  // namespace reporting::app
