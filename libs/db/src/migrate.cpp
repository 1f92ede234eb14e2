#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "internal.hpp"
#include "sales/db.hpp"
#include "sales/log.hpp"

namespace sales::db {
namespace {

namespace fs = std::filesystem;

// pg_advisory_lock key shared by every service's migration runner ("SALESMIG").
constexpr long long kMigrationLockKey = 0x53414c45534d4947LL;

struct Pending {
    std::string version;  // "<set>/<file name>"
    fs::path path;
};

std::vector<Pending> list_files(const std::vector<MigrationSet>& sets) {
    std::vector<Pending> out;
    for (const MigrationSet& set : sets) {
        std::error_code ec;
        if (!fs::is_directory(set.directory, ec)) {
            throw Error("migration directory not found: " + set.directory);
        }
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(set.directory)) {
            if (entry.is_regular_file() && entry.path().extension() == ".sql") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end(),
                  [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
        for (const auto& f : files)
            out.push_back({set.name + "/" + f.filename().string(), f});
    }
    return out;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read migration file " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Holds the session-level advisory lock; releases it (best effort: closing the session also
// releases it) when the migration ends, including on error.
class LockGuard {
  public:
    explicit LockGuard(detail::Connection& c) : c_(c) {
        try {
            pqxx::nontransaction n(*c_.conn);
            n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
        } catch (...) {
            detail::rethrow_translated(&c_, "taking the migration lock");
        }
    }
    ~LockGuard() {
        if (c_.broken || !c_.conn->is_open())
            return;
        try {
            pqxx::nontransaction n(*c_.conn);
            n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
        } catch (const std::exception& e) {
            sales::log::warn("releasing the migration lock failed; it ends with the session",
                             {{"error", e.what()}});
        }
    }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

  private:
    detail::Connection& c_;
};

}  // namespace

int migrate(Pool& pool, const std::vector<MigrationSet>& sets) {
    const std::vector<Pending> files = list_files(sets);
    const PoolOptions& options = PoolAccess::options(pool);
    // Own connection, no statement timeout: a migration may legitimately run long, and waiting
    // for another replica's lock is expected.
    auto conn = detail::open_connection(options.conninfo, std::chrono::milliseconds(0));
    LockGuard lock(*conn);

    std::set<std::string> applied;
    try {
        pqxx::work w(*conn->conn);
        w.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())");
        for (const auto& row : w.exec("SELECT version FROM schema_migrations")) {
            applied.insert(row[0].c_str());
        }
        w.commit();
    } catch (...) {
        detail::rethrow_translated(conn.get(), "creating schema_migrations");
    }

    int count = 0;
    for (const Pending& file : files) {
        if (applied.count(file.version) != 0)
            continue;
        const std::string sql = read_file(file.path);
        try {
            pqxx::work w(*conn->conn);
            if (sql.find_first_not_of(" \t\r\n") != std::string::npos)
                w.exec(sql);
            w.exec_params("INSERT INTO schema_migrations (version) VALUES ($1)", file.version);
            w.commit();
        } catch (const std::exception& e) {
            sales::log::error(
                "migration failed",
                {{"version", file.version}, {"file", file.path.string()}, {"error", e.what()}});
            try {
                detail::rethrow_translated(conn.get(), "migration " + file.path.string());
            } catch (const Unavailable&) {
                throw;
            } catch (const Error& translated) {
                throw Error(std::string("migration ") + file.version +
                            " failed: " + translated.what());
            }
        }
        ++count;
        sales::log::info("migration applied", {{"version", file.version}});
    }
    return count;
}

}  // namespace sales::db
