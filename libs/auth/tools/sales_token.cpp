// sales-token: mints a bearer token for operators and scripts until the gateway issues them.
//   SALES_JWT_SECRET=... sales-token --user u1 --roles admin,sales_rep --projects '*' --ttl 3600
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "sales/auth.hpp"

namespace {
std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

int usage() {
    std::fprintf(stderr,
                 "usage: SALES_JWT_SECRET=<secret> sales-token --user ID --roles r1,r2 "
                 "[--projects p1,p2|*] [--ttl SECONDS]\n");
    return 2;
}
}  // namespace

int main(int argc, char** argv) {
    const char* secret = std::getenv("SALES_JWT_SECRET");
    if (!secret || !*secret) {
        std::fprintf(stderr, "sales-token: SALES_JWT_SECRET is not set\n");
        return 2;
    }
    sales::Principal principal;
    principal.project_ids = {"*"};
    long ttl = 3600;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--user")
            principal.user_id = value;
        else if (flag == "--roles")
            principal.roles = split(value);
        else if (flag == "--projects")
            principal.project_ids = split(value);
        else if (flag == "--ttl")
            ttl = std::strtol(value.c_str(), nullptr, 10);
        else
            return usage();
    }
    if (argc % 2 == 0 || principal.user_id.empty() || principal.roles.empty() || ttl <= 0)
        return usage();
    principal.expires_at = std::chrono::system_clock::now() + std::chrono::seconds(ttl);
    try {
        std::printf("%s\n", sales::auth::mint({secret}, principal).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sales-token: %s\n", e.what());
        return 1;
    }
    return 0;
}
