#include "sales/principal.hpp"

#include <algorithm>

namespace sales {

bool Principal::has_role(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::in_project(const std::string& project_id) const {
    return std::any_of(project_ids.begin(), project_ids.end(),
                       [&](const std::string& p) { return p == "*" || p == project_id; });
}

bool Principal::in_every_project() const {
    return std::find(project_ids.begin(), project_ids.end(), "*") != project_ids.end();
}

}  // namespace sales
