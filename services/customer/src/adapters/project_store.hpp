#pragma once
// project_refs: the projects this service learned from inventory events, with the customer-side
// settings of each (stale days, follow-up, complaint deadlines, archive period, CUS-7 minimum).
#include <cstdint>
#include <optional>
#include <string>

#include "domain/customer.hpp"
#include "sales/db.hpp"

namespace customer::adapters {

std::optional<domain::Settings> find_project_settings(sales::db::Tx& tx,
                                                      const std::string& project_id);

struct ProjectRef {
    std::int64_t version = 0;
    domain::Settings settings;
};
// The project row FOR UPDATE, if known.
std::optional<ProjectRef> lock_project(sales::db::Tx& tx, const std::string& project_id);
void insert_project(sales::db::Tx& tx, const std::string& project_id, const std::string& code,
                    const std::string& name, std::int64_t version);
// Code and name change only when given.
void update_project(sales::db::Tx& tx, const std::string& project_id,
                    const std::optional<std::string>& code, const std::optional<std::string>& name,
                    std::int64_t version);
void write_settings(sales::db::Tx& tx, const std::string& project_id, const domain::Settings& s,
                    const std::string& actor);

}  // namespace customer::adapters
