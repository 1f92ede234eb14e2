#pragma once
// Who is calling: the verified claims of a bearer token (libs/auth makes them).
#include <chrono>
#include <string>
#include <vector>

namespace sales {

struct Principal {
    std::string user_id;
    std::vector<std::string> roles;        // DOMAIN.md role names, e.g. "sales_control"
    std::vector<std::string> project_ids;  // projects the user may act on; "*" = all
    std::chrono::system_clock::time_point expires_at;
    std::string session_id{};  // the token's `sid`: the login session (revocation, SEC-1)

    bool has_role(const std::string& role) const;
    bool in_project(const std::string& project_id) const;
    // Scope "*": every project, those made later too.
    bool in_every_project() const;
};

}  // namespace sales
