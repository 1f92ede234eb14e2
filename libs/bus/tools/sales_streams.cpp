// sales-streams: backups of the JetStream streams (sales/stream_backup.hpp).
//   sales-streams snapshot DIR [STREAM ...]     every stream (or those named) into DIR, new
//   sales-streams restore DIR [--replace] [--replicas N]
//   sales-streams show DIR                      what a backup holds
// Connects with SALES_NATS_URL (comma-separated for a cluster), SALES_NATS_USER and
// SALES_NATS_PASSWORD or SALES_NATS_PASSWORD_FILE: a user allowed the $JS.API subjects of every
// stream (deploy/local/nats.conf: admin). Prints a line per stream; exit 1 on failure, 2 on usage.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sales/stream_backup.hpp"

namespace {

int usage() {
    std::fprintf(stderr,
                 "usage: sales-streams snapshot DIR [STREAM ...]\n"
                 "       sales-streams restore DIR [--replace] [--replicas N]\n"
                 "       sales-streams show DIR\n"
                 "environment: SALES_NATS_URL, SALES_NATS_USER, SALES_NATS_PASSWORD or "
                 "SALES_NATS_PASSWORD_FILE\n");
    return 2;
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

sales::bus::NatsOptions nats_options() {
    sales::bus::NatsOptions options;
    if (!env("SALES_NATS_URL").empty())
        options.url = env("SALES_NATS_URL");
    options.name = "sales-streams";
    options.user = env("SALES_NATS_USER");
    options.password = env("SALES_NATS_PASSWORD");
    if (const std::string file = env("SALES_NATS_PASSWORD_FILE"); !file.empty()) {
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        if (!in)
            throw std::runtime_error("cannot read SALES_NATS_PASSWORD_FILE " + file);
        options.password = text.str();
        while (!options.password.empty() &&
               (options.password.back() == '\n' || options.password.back() == '\r'))
            options.password.pop_back();
    }
    return options;
}

void print(const sales::bus::StreamBackupEntry& e) {
    std::printf(
        "%s: %llu messages (sequences %llu-%llu, %llu bytes), %llu consumers, archive %llu "
        "bytes\n",
        e.stream.c_str(), static_cast<unsigned long long>(e.messages),
        static_cast<unsigned long long>(e.first_sequence),
        static_cast<unsigned long long>(e.last_sequence), static_cast<unsigned long long>(e.bytes),
        static_cast<unsigned long long>(e.consumers),
        static_cast<unsigned long long>(e.archive_bytes));
}

int run(int argc, char** argv) {
    if (argc < 3)
        return usage();
    const std::string command = argv[1];
    const std::string dir = argv[2];
    if (command == "show") {
        if (argc != 3)
            return usage();
        const auto backup = sales::bus::read_stream_backup(dir);
        std::printf("taken at %s\n", backup.taken_at.c_str());
        for (const auto& e : backup.streams)
            print(e);
        return 0;
    }
    if (command == "snapshot") {
        const std::vector<std::string> streams(argv + 3, argv + argc);
        sales::bus::Nats nats(nats_options());
        const auto backup = sales::bus::snapshot_streams(nats, dir, streams);
        for (const auto& e : backup.streams)
            print(e);
        std::printf("snapshot of %zu streams taken at %s in %s\n", backup.streams.size(),
                    backup.taken_at.c_str(), dir.c_str());
        return 0;
    }
    if (command == "restore") {
        sales::bus::StreamRestoreOptions options;
        for (int i = 3; i < argc; ++i) {
            const std::string flag = argv[i];
            if (flag == "--replace") {
                options.replace_existing = true;
            } else if (flag == "--replicas" && i + 1 < argc) {
                const int replicas = std::atoi(argv[++i]);
                if (replicas < 1 || replicas > 5)
                    return usage();
                options.replicas = replicas;
            } else {
                return usage();
            }
        }
        sales::bus::Nats nats(nats_options());
        const auto restored = sales::bus::restore_streams(nats, dir, options);
        for (const auto& e : restored)
            print(e);
        std::printf("restored %zu streams from %s\n", restored.size(), dir.c_str());
        return 0;
    }
    return usage();
}

}  // namespace

int main(int argc, char** argv) {
    int status = 1;
    try {
        status = run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sales-streams: %s\n", e.what());
    }
    sales::bus::shutdown_library();
    return status;
}
