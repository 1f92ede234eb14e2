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

}  // namespace sales
