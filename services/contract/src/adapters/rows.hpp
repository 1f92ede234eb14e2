#pragma once
// Reading one row by id, for the stores.
#include <optional>
#include <string>

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

}  // namespace contract
