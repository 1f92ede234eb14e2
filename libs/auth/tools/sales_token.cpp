// sales-token: Ed25519 token keys and bearer tokens for operators and scripts.
//   sales-token keygen --kid K --out-private FILE
//       a new key pair: FILE (mode 0600) gets "<kid> <base64 seed>"; stdout gets the public key
//       line "kid:<base64>" for SALES_TOKEN_PUBLIC_KEYS
//   sales-token public-key --private-key FILE
//       the public key line of an existing private key
//   sales-token [mint] --private-key FILE --user ID --roles r1,r2 [--projects p1,p2|*] [--ttl S]
//       a token (lifetime at most 3600 s)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
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
                 "usage: sales-token keygen --kid K --out-private FILE\n"
                 "       sales-token public-key --private-key FILE\n"
                 "       sales-token [mint] --private-key FILE --user ID --roles r1,r2 "
                 "[--projects p1,p2|*] [--ttl SECONDS (<= %lld)]\n",
                 static_cast<long long>(sales::auth::kMaxTokenLifetime.count()));
    return 2;
}

// "--flag value" pairs from argv[first..]; false when one is unknown, repeated or has no value.
bool read_flags(int argc, char** argv, int first, const std::vector<std::string>& known,
                std::map<std::string, std::string>& flags) {
    if ((argc - first) % 2 != 0)
        return false;
    for (int i = first; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        bool is_known = false;
        for (const auto& k : known)
            is_known = is_known || k == flag;
        if (!is_known || !flags.emplace(flag, argv[i + 1]).second)
            return false;
    }
    return true;
}

int keygen(const std::map<std::string, std::string>& flags) {
    if (!flags.count("--kid") || !flags.count("--out-private"))
        return usage();
    const auto key = sales::auth::generate_signing_key(flags.at("--kid"));
    sales::auth::write_private_key_file(flags.at("--out-private"), key);
    std::printf("%s\n", sales::auth::format_public_key(key.public_key()).c_str());
    return 0;
}

int public_key(const std::map<std::string, std::string>& flags) {
    if (!flags.count("--private-key"))
        return usage();
    const auto key = sales::auth::read_private_key_file(flags.at("--private-key"));
    std::printf("%s\n", sales::auth::format_public_key(key.public_key()).c_str());
    return 0;
}

int mint(const std::map<std::string, std::string>& flags) {
    if (!flags.count("--private-key") || !flags.count("--user") || !flags.count("--roles"))
        return usage();
    sales::Principal principal;
    principal.user_id = flags.at("--user");
    principal.roles = split(flags.at("--roles"));
    principal.project_ids =
        flags.count("--projects") ? split(flags.at("--projects")) : std::vector<std::string>{"*"};
    const long ttl =
        flags.count("--ttl") ? std::strtol(flags.at("--ttl").c_str(), nullptr, 10) : 3600;
    if (principal.roles.empty() || ttl <= 0)
        return usage();
    const auto key = sales::auth::read_private_key_file(flags.at("--private-key"));
    principal.expires_at = std::chrono::system_clock::now() + std::chrono::seconds(ttl);
    std::printf("%s\n", sales::auth::mint(key, principal).c_str());
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "";
    const bool explicit_command = !command.empty() && command.rfind("--", 0) != 0;
    const int first = explicit_command ? 2 : 1;
    std::map<std::string, std::string> flags;
    try {
        if (command == "keygen") {
            if (!read_flags(argc, argv, first, {"--kid", "--out-private"}, flags))
                return usage();
            return keygen(flags);
        }
        if (command == "public-key") {
            if (!read_flags(argc, argv, first, {"--private-key"}, flags))
                return usage();
            return public_key(flags);
        }
        if (command == "mint" || !explicit_command) {
            if (!read_flags(argc, argv, first,
                            {"--private-key", "--user", "--roles", "--projects", "--ttl"}, flags))
                return usage();
            return mint(flags);
        }
        return usage();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sales-token: %s\n", e.what());
        return 1;
    }
}
