#pragma once
// Reading rows for the stores: one row by id; rows as JSON documents.
#include <optional>
#include <string>
#include <vector>

#include "sales/db.hpp"
#include "sales/ids.hpp"

namespace contract {

// The row `sql` ($1 = the id) finds; none when `id` is not a UUID (never a database error).
inline std::optional<sales::db::Row> row_by_id(sales::db::Tx& tx, const std::string& sql,
                                               const std::string& id) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    return tx.exec_maybe_one(sql, {id});
}

// An area column's parameter: NULL for 0 (an area not recorded), the area otherwise.
inline sales::db::Param area_param(std::int64_t area_centi_m2) {
    return area_centi_m2 > 0 ? sales::db::param(area_centi_m2) : sales::db::Param(nullptr);
}

// The SELECT of `table`'s rows (as `alias`) as JSON documents, column `doc`: every column but
// `hidden`, the `timestamps` as RFC 3339 UTC text. Callers append WHERE … .
inline std::string select_as_documents(const std::string& table, const std::string& alias,
                                       const std::vector<std::string>& timestamps,
                                       const std::vector<std::string>& hidden = {}) {
    std::string dropped, converted;
    for (const auto& column : hidden)
        dropped += " - '" + column + "'";
    for (const auto& column : timestamps) {
        dropped += " - '" + column + "'";
        converted +=
            (converted.empty() ? "" : ", ") + sales::db::rfc3339(alias + "." + column, column);
    }
    return "SELECT (to_jsonb(" + alias + ")" + dropped + " || to_jsonb(t))::text AS doc FROM " +
           table + " " + alias + ", LATERAL (SELECT " + converted + ") t ";
}

}  // namespace contract
