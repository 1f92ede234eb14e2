#pragma once
// report_packs (migrations/0002_report_packs.sql): the workbooks and what the list shows of them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sales/db.hpp"

namespace reporting::adapters {

struct PackProject {
    std::string project_id;
    std::string code;
};
// The projects the read model knows (a pack is made for each).
std::vector<PackProject> pack_projects(sales::db::Tx& tx);
std::optional<PackProject> pack_project(sales::db::Tx& tx, const std::string& project_id);
bool pack_exists(sales::db::Tx& tx, const std::string& kind, const std::string& period_from,
                 const std::string& project_id);

struct PackRow {
    std::string pack_id;
    std::string kind;
    std::string period_from;
    std::string period_to;
    std::string project_id;
    std::string file_name;
    std::int64_t sheets = 0;
    std::int64_t data_rows = 0;
    std::string generated_by;
};
// A scheduled pack is kept when one exists already (another replica made it); a requested one
// replaces it. Returns the stored pack's id.
std::string store_pack(sales::db::Tx& tx, const PackRow& pack, const std::string& content,
                       bool replace);

struct PackPage {
    std::vector<nlohmann::json> items;
    std::int64_t total = 0;
};
// Newest period first; `project_ids` nullopt: every project.
PackPage list_packs(sales::db::Tx& tx, const std::optional<std::vector<std::string>>& project_ids,
                    const std::optional<std::string>& kind, std::int64_t limit,
                    std::int64_t offset);
std::optional<nlohmann::json> pack_json(sales::db::Tx& tx, const std::string& pack_id);

struct PackFile {
    std::string project_id;
    std::string file_name;
    std::string content;
};
std::optional<PackFile> pack_file(sales::db::Tx& tx, const std::string& pack_id);
// Packs of periods that ended before `before` (YYYY-MM-DD) are deleted; returns how many.
std::int64_t prune_packs(sales::db::Tx& tx, const std::string& before);

}  // namespace reporting::adapters
