#pragma once
// Private to libs/db/src: shared by db.cpp and migrate.cpp (pqxx headers are allowed here).
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include <pqxx/pqxx>

#include "sales/db.hpp"

namespace sales::db {

struct PoolAccess {
    static const PoolOptions& options(const Pool& pool);
};

namespace detail {

// Serialization failure or deadlock: Pool::run retries the transaction; escapes as
// RetriesExhausted when retries run out (or as this Error if caught outside Pool::run).
class Conflict : public Error {
  public:
    using Error::Error;
};

// Routes server notices and libpqxx warnings to sales::log instead of raw stderr.
class NoticeLogger : public pqxx::errorhandler {
  public:
    explicit NoticeLogger(pqxx::connection_base& c) : pqxx::errorhandler(c) {}
    bool operator()(const char msg[]) noexcept override;
};

struct Connection {
    std::unique_ptr<pqxx::connection> conn;
    std::unique_ptr<NoticeLogger> notices;  // declared after conn: unregisters before conn closes
    std::unordered_map<std::string, std::string> prepared;  // statement name → SQL
    bool broken = false;
};

// "host:port" named by a libpq connection string (key=value or URI form), for messages.
std::string endpoint(const std::string& conninfo);

// Opens a connection and sets statement_timeout (0 ms = no limit).
// Throws Unavailable("cannot connect to PostgreSQL at host:port: <reason>").
std::unique_ptr<Connection> open_connection(const std::string& conninfo,
                                            std::chrono::milliseconds statement_timeout);

// Call only inside a catch block: rethrows the current exception as a sales::db error.
// `context` names what was being done (the SQL's first words, a migration file). Marks `conn`
// broken when the connection is no longer usable (may be null).
[[noreturn]] void rethrow_translated(Connection* conn, const std::string& context);

// The first few words of a statement, for messages (never parameter values).
std::string sql_head(const std::string& sql);

}  // namespace detail
}  // namespace sales::db
