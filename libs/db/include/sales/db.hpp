#pragma once
// PostgreSQL access for the services without libpqxx headers: a connection pool, transactions
// that retry on serialization failure and deadlock, statements with positional parameters
// ($1, $2, ...; always parameterised, never concatenated), and a migration runner.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace sales::db {

// A statement parameter. Integers bind as int8, text as text, bool as bool; null binds NULL;
// a vector binds as an array literal, cast it in the SQL: ANY($1::uuid[]), $2::text[],
// $3::bigint[].
using Param = std::variant<std::nullptr_t, std::int64_t, std::string, bool,
                           std::vector<std::string>, std::vector<std::int64_t>>;
using Params = std::vector<Param>;
inline Param param(std::int64_t v) {
    return v;
}
inline Param param(int v) {
    return static_cast<std::int64_t>(v);
}
inline Param param(std::string v) {
    return v;
}
inline Param param(const char* v) {
    return std::string(v);
}
inline Param param(bool v) {
    return v;
}
inline Param param(std::vector<std::string> v) {
    return v;
}
inline Param param(std::vector<std::int64_t> v) {
    return v;
}
template <class T>
Param param(const std::optional<T>& v) {
    return v ? param(*v) : Param{nullptr};
}

// SQL for a timestamptz column as RFC 3339 UTC text with milliseconds, named `alias`:
// rfc3339("created_at", "created_at") → to_char(created_at AT TIME ZONE 'UTC', …) AS created_at.
inline std::string rfc3339(const std::string& column, const std::string& alias) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS " +
           alias;
}
// SQL for a date column as YYYY-MM-DD, named `alias`.
inline std::string iso_date(const std::string& column, const std::string& alias) {
    return "to_char(" + column + ", 'YYYY-MM-DD') AS " + alias;
}

// A JSON value for an optional column: null or the value.
template <class T>
nlohmann::json nullable(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
// The database is unreachable or the connection broke (→ HTTP 503). Safe to retry later.
class Unavailable : public Error {
  public:
    using Error::Error;
};
// SQLSTATE 23505; constraint() names the violated constraint when known.
class UniqueViolation : public Error {
  public:
    UniqueViolation(const std::string& what, std::string constraint)
        : Error(what), constraint_(std::move(constraint)) {}
    const std::string& constraint() const { return constraint_; }

  private:
    std::string constraint_;
};
// Serialization failure / deadlock that persisted through all retries.
class RetriesExhausted : public Error {
  public:
    using Error::Error;
};

class Row {
  public:
    bool is_null(std::size_t column) const;
    bool is_null(const std::string& column) const;
    std::int64_t int64(std::size_t column) const;
    std::int64_t int64(const std::string& column) const;
    std::string text(std::size_t column) const;  // "" for NULL
    std::string text(const std::string& column) const;
    bool boolean(std::size_t column) const;
    bool boolean(const std::string& column) const;
    std::optional<std::int64_t> opt_int64(const std::string& column) const;
    std::optional<std::string> opt_text(const std::string& column) const;

  private:
    friend class Result;
    struct Data;
    Row(std::shared_ptr<const Data> data, std::size_t index)
        : data_(std::move(data)), index_(index) {}
    std::shared_ptr<const Data> data_;
    std::size_t index_;
};

class Result {
  public:
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    Row operator[](std::size_t i) const;
    Row at(std::size_t i) const;  // throws std::out_of_range
    std::size_t affected_rows() const;

    class iterator {
      public:
        iterator(const Result* r, std::size_t i) : r_(r), i_(i) {}
        Row operator*() const { return (*r_)[i_]; }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator!=(const iterator& o) const { return i_ != o.i_; }

      private:
        const Result* r_;
        std::size_t i_;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, size()}; }

  private:
    friend class Tx;
    std::shared_ptr<const Row::Data> data_;
};

enum class Isolation { read_committed, repeatable_read, serializable };

// An open transaction. Statements are prepared once per connection (named by a hash of the SQL)
// and re-prepared automatically after a reconnect.
class Tx {
  public:
    Result exec(const std::string& sql, const Params& params = {});
    // Exactly one row or throws Error naming the SQL's first words.
    Row exec_one(const std::string& sql, const Params& params = {});
    std::optional<Row> exec_maybe_one(const std::string& sql, const Params& params = {});
    // Runs `fn` on the committing thread right after this transaction commits, before
    // transaction() returns; never when it rolls back or is retried. For wake-ups (e.g. the outbox
    // relay); an exception from `fn` is logged, the commit stands.
    void after_commit(std::function<void()> fn);

  private:
    friend class Pool;
    struct Impl;
    explicit Tx(Impl* impl) : impl_(impl) {}
    Impl* impl_;
};

struct PoolOptions {
    std::string conninfo;  // libpq connection string
    int size = 4;
    std::chrono::milliseconds acquire_timeout{5'000};  // waiting for a free connection
    int max_retries = 5;  // serialization failure / deadlock retries in transaction()
    std::chrono::milliseconds statement_timeout{10'000};
};

class Pool {
  public:
    explicit Pool(PoolOptions options);  // does not connect yet: connections open lazily
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Runs fn in a transaction and commits. On serialization failure or deadlock the whole
    // transaction (fn included) is retried with backoff; a broken connection is replaced and
    // the call fails with Unavailable (never retried blindly: fn may have side effects outside
    // the database only if the caller made it so). Other exceptions roll back and propagate.
    void run(const std::function<void(Tx&)>& fn, Isolation isolation = Isolation::read_committed);

    template <class F>
    auto transaction(F&& fn, Isolation isolation = Isolation::read_committed) {
        using R = std::invoke_result_t<F&, Tx&>;
        if constexpr (std::is_void_v<R>) {
            run([&](Tx& tx) { fn(tx); }, isolation);
        } else {
            std::optional<R> out;
            run([&](Tx& tx) { out.emplace(fn(tx)); }, isolation);
            return std::move(*out);
        }
    }

    // True when a connection can run SELECT 1 (for /readyz).
    bool ping();

  private:
    friend struct PoolAccess;  // libs/db/src internals (the migration runner's own connection)
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Work that every transaction committed by the current thread runs just before its COMMIT,
// inside the transaction, while the scope lives (e.g. the audit row of the HTTP request this
// thread is serving, SEC-2). Scopes nest: the innermost one applies; a scope with an empty
// function suspends the outer one (for writes that must not carry it).
class BeforeCommitScope {
  public:
    explicit BeforeCommitScope(std::function<void(Tx&)> hook);
    ~BeforeCommitScope();
    BeforeCommitScope(const BeforeCommitScope&) = delete;
    BeforeCommitScope& operator=(const BeforeCommitScope&) = delete;

  private:
    std::function<void(Tx&)> hook_;
    const std::function<void(Tx&)>* outer_;
};

// Applies numbered SQL files in order, each in its own transaction, recording each as
// "<set>/<file name>" in schema_migrations. Holds a PostgreSQL advisory lock for the duration so
// several replicas can start at once. `sets`: (set name, directory) pairs, applied in the given
// order, files sorted by name (0001_init.sql, 0002_....sql). Returns the number applied.
struct MigrationSet {
    std::string name;       // e.g. "bus", "inventory"
    std::string directory;  // absolute or relative path to the *.sql files
};
int migrate(Pool& pool, const std::vector<MigrationSet>& sets);

// Runs one statement outside any transaction on a fresh connection (CREATE DATABASE and the
// like; for tooling and tests). Throws Unavailable / Error.
void exec_outside_transaction(const std::string& conninfo, const std::string& sql);

}  // namespace sales::db
