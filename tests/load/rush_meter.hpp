#pragma once
// What a load phase cost: CPU ticks (utime + stime from /proc/<pid>/stat) of named processes and
// committed transactions (pg_stat_database.xact_commit) of named databases, read before and after.
//
// A process measured as a tree (PostgreSQL's postmaster) counts itself, its live children and
// its reaped children (cutime + cstime): a backend that ends during the phase moves its time to
// the postmaster's reaped total, so nothing is lost or counted twice.
//
// pg_stat_database lags: a backend publishes its counts at most once a second while busy and up
// to 10 s after it goes idle (PostgreSQL 15), so commits are read kStatsFlush after a phase.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sales/db.hpp"

namespace sales::load {

inline constexpr std::chrono::seconds kStatsFlush{11};

struct ProcessTimes {
    bool found = false;
    long parent = 0;
    std::int64_t own_ticks = 0;     // utime + stime
    std::int64_t reaped_ticks = 0;  // cutime + cstime of waited-for children
};

inline ProcessTimes read_process_times(const std::string& pid) {
    std::ifstream file("/proc/" + pid + "/stat");
    std::string stat;
    if (!std::getline(file, stat))
        return {};
    const auto name_end = stat.rfind(") ");  // the command name may contain spaces and ')'
    if (name_end == std::string::npos)
        return {};
    std::istringstream fields_in(stat.substr(name_end + 2));
    std::vector<std::string> fields;  // [0] state, [1] ppid, ..., [11] utime, [12] stime, ...
    for (std::string field; fields_in >> field;)
        fields.push_back(field);
    if (fields.size() < 15)
        return {};
    ProcessTimes t;
    t.found = true;
    t.parent = std::stol(fields[1]);
    t.own_ticks = std::stoll(fields[11]) + std::stoll(fields[12]);
    t.reaped_ticks = std::stoll(fields[13]) + std::stoll(fields[14]);
    return t;
}

// The process, its reaped children and its live direct children (with their reaped children).
inline std::int64_t process_tree_ticks(long root) {
    const auto self = read_process_times(std::to_string(root));
    std::int64_t total = self.own_ticks + self.reaped_ticks;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const auto child = read_process_times(name);
        if (child.found && child.parent == root)
            total += child.own_ticks + child.reaped_ticks;
    }
    return total;
}

inline double ticks_to_seconds(std::int64_t ticks) {
    static const auto per_second = sysconf(_SC_CLK_TCK);
    return static_cast<double>(ticks) / static_cast<double>(per_second > 0 ? per_second : 100);
}

class Meter {
  public:
    struct Process {
        std::string name;
        long pid = 0;
        bool tree = false;  // count live and reaped children too (PostgreSQL)
    };

    // stats_conninfo: any database of the server (the administrator's "postgres"), so that
    // reading the statistics commits nothing in the measured databases.
    Meter(std::vector<Process> processes, const std::string& stats_conninfo,
          std::vector<std::string> databases)
        : processes_(std::move(processes)),
          stats_db_({stats_conninfo, 1}),
          databases_(std::move(databases)) {}

    // Ticks per process name, plus "driver" (this process).
    std::map<std::string, std::int64_t> cpu_ticks() const {
        std::map<std::string, std::int64_t> out;
        for (const auto& p : processes_) {
            if (p.tree) {
                out[p.name] = process_tree_ticks(p.pid);
            } else {
                const auto t = read_process_times(std::to_string(p.pid));
                out[p.name] = t.own_ticks;
            }
        }
        out["driver"] = read_process_times("self").own_ticks;
        return out;
    }

    // xact_commit per database name.
    std::map<std::string, std::int64_t> commits() {
        std::map<std::string, std::int64_t> out;
        for (const auto& name : databases_)
            out[name] = 0;
        stats_db_.run([&](sales::db::Tx& tx) {
            for (const auto& r : tx.exec("SELECT datname::text, xact_commit FROM pg_stat_database "
                                         "WHERE datname IS NOT NULL")) {
                if (out.contains(r.text(0)))
                    out[r.text(0)] = r.int64(1);
            }
        });
        return out;
    }

    const std::vector<Process>& processes() const { return processes_; }
    const std::vector<std::string>& databases() const { return databases_; }

  private:
    std::vector<Process> processes_;
    sales::db::Pool stats_db_;
    std::vector<std::string> databases_;
};

}  // namespace sales::load
