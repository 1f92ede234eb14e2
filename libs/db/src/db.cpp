#include "sales/db.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "internal.hpp"
#include "sales/log.hpp"

namespace sales::db {

struct Row::Data {
    pqxx::result r;
};

namespace detail {
namespace {

std::string one_line(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char ch : text) {
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty())
            out += ' ';
        space = false;
        out += ch;
    }
    return out;
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// 'duplicate key value violates unique constraint "units_code_key"' → units_code_key
std::string constraint_of(const std::string& message) {
    const std::string marker = "constraint \"";
    auto at = message.find(marker);
    if (at == std::string::npos)
        return {};
    at += marker.size();
    auto end = message.find('"', at);
    if (end == std::string::npos)
        return {};
    return message.substr(at, end - at);
}

// SQLSTATE classes that mean the session is gone: 08 connection exception, 57P0x shutdown.
bool session_lost(const std::string& sqlstate) {
    return starts_with(sqlstate, "08") || starts_with(sqlstate, "57P");
}

}  // namespace

bool NoticeLogger::operator()(const char msg[]) noexcept {
    std::string text = one_line(msg);
    try {
        if (starts_with(text, "NOTICE") || starts_with(text, "DEBUG") ||
            starts_with(text, "INFO") || starts_with(text, "LOG")) {
            sales::log::debug("postgres notice", {{"notice", text}});
        } else {
            sales::log::warn("postgres warning", {{"warning", text}});
        }
    } catch (const std::exception&) {
        // Logging itself failed (allocation); do not lose the message.
        std::fputs(msg, stderr);
    }
    return false;
}

std::string endpoint(const std::string& conninfo) {
    std::string host, hostaddr, port;
    // A key=value pair of either form that names the endpoint.
    const auto take = [&](const std::string& key, const std::string& value) {
        if (key == "host")
            host = value;
        if (key == "hostaddr")
            hostaddr = value;
        if (key == "port")
            port = value;
    };
    if (starts_with(conninfo, "postgresql://") || starts_with(conninfo, "postgres://")) {
        std::string rest = conninfo.substr(conninfo.find("://") + 3);
        std::string authority = rest.substr(0, rest.find_first_of("/?"));
        if (auto at = authority.rfind('@'); at != std::string::npos)
            authority = authority.substr(at + 1);
        if (!authority.empty() && authority[0] == '[') {
            auto rb = authority.find(']');
            host = authority.substr(1, rb == std::string::npos ? std::string::npos : rb - 1);
            if (rb != std::string::npos && rb + 1 < authority.size() && authority[rb + 1] == ':') {
                port = authority.substr(rb + 2);
            }
        } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        } else {
            host = authority;
        }
        if (auto q = rest.find('?'); q != std::string::npos) {
            std::stringstream query(rest.substr(q + 1));
            std::string kv;
            while (std::getline(query, kv, '&')) {
                auto eq = kv.find('=');
                if (eq == std::string::npos)
                    continue;
                take(kv.substr(0, eq), kv.substr(eq + 1));
            }
        }
    } else {
        std::size_t i = 0;
        const std::size_t n = conninfo.size();
        auto skip_ws = [&] {
            while (i < n && std::isspace(static_cast<unsigned char>(conninfo[i])))
                ++i;
        };
        while (true) {
            skip_ws();
            if (i >= n)
                break;
            std::string key;
            while (i < n && conninfo[i] != '=' &&
                   !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
                key += conninfo[i++];
            }
            skip_ws();
            if (i >= n || conninfo[i] != '=')
                break;
            ++i;
            skip_ws();
            std::string value;
            if (i < n && conninfo[i] == '\'') {
                ++i;
                while (i < n && conninfo[i] != '\'') {
                    if (conninfo[i] == '\\' && i + 1 < n)
                        ++i;
                    value += conninfo[i++];
                }
                ++i;
            } else {
                while (i < n && !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
                    if (conninfo[i] == '\\' && i + 1 < n)
                        ++i;
                    value += conninfo[i++];
                }
            }
            take(key, value);
        }
    }
    if (host.empty())
        host = hostaddr;
    if (host.empty()) {
        const char* env = std::getenv("PGHOST");
        host = env != nullptr && *env != '\0' ? env : "localhost";
    }
    if (port.empty()) {
        const char* env = std::getenv("PGPORT");
        port = env != nullptr && *env != '\0' ? env : "5432";
    }
    return host + ":" + port;
}

std::unique_ptr<Connection> open_connection(const std::string& conninfo,
                                            std::chrono::milliseconds statement_timeout) {
    auto out = std::make_unique<Connection>();
    try {
        out->conn = std::make_unique<pqxx::connection>(conninfo);
    } catch (const std::exception& e) {
        throw Unavailable("cannot connect to PostgreSQL at " + endpoint(conninfo) + ": " +
                          one_line(e.what()));
    }
    out->notices = std::make_unique<NoticeLogger>(*out->conn);
    // A broken connection is discarded by the pool; never let libpqxx silently reconnect it
    // (that would drop the session settings made below).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    out->conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    if (statement_timeout.count() > 0) {
        try {
            pqxx::nontransaction n(*out->conn);
            n.exec("SET statement_timeout = " + std::to_string(statement_timeout.count()));
            n.commit();
        } catch (...) {
            rethrow_translated(out.get(), "SET statement_timeout");
        }
    }
    return out;
}

void rethrow_translated(Connection* c, const std::string& context) {
    const bool open = c == nullptr || (c->conn && c->conn->is_open());
    auto lost = [&](const std::string& what) -> Unavailable {
        if (c != nullptr)
            c->broken = true;
        return Unavailable("database connection lost during " + context + ": " + one_line(what));
    };
    try {
        throw;
    } catch (const pqxx::broken_connection& e) {
        throw lost(e.what());
    } catch (const pqxx::in_doubt_error& e) {
        if (c != nullptr)
            c->broken = true;
        throw Unavailable("connection lost during COMMIT, outcome unknown: " + one_line(e.what()));
    } catch (const pqxx::statement_completion_unknown& e) {
        throw lost(e.what());
    } catch (const pqxx::serialization_failure& e) {
        if (!open)
            throw lost(e.what());
        throw Conflict("serialization failure in " + context + ": " + one_line(e.what()));
    } catch (const pqxx::deadlock_detected& e) {
        if (!open)
            throw lost(e.what());
        throw Conflict("deadlock in " + context + ": " + one_line(e.what()));
    } catch (const pqxx::unique_violation& e) {
        throw UniqueViolation("unique violation in " + context + ": " + one_line(e.what()),
                              constraint_of(e.what()));
    } catch (const pqxx::sql_error& e) {
        if (!open || session_lost(e.sqlstate()))
            throw lost(e.what());
        throw Error("SQLSTATE " + e.sqlstate() + " in " + context + ": " + one_line(e.what()));
    } catch (const pqxx::failure& e) {
        if (!open)
            throw lost(e.what());
        throw Error("database failure in " + context + ": " + one_line(e.what()));
    } catch (const pqxx::pqxx_exception& e) {
        throw Error("database client error in " + context + ": " + one_line(e.base().what()));
    }
    // Anything else (our own errors, std::bad_alloc) propagates unchanged from `throw;`.
}

std::string sql_head(const std::string& sql) {
    const std::string flat = one_line(sql);
    std::size_t words = 0, i = 0;
    for (; i < flat.size(); ++i) {
        if (flat[i] == ' ' && ++words == 5)
            break;
    }
    std::string head = flat.substr(0, std::min<std::size_t>(i, 60));
    if (head.size() < flat.size())
        head += " ...";
    return "'" + head + "'";
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Row / Result

namespace {

std::size_t column_index(const pqxx::result& r, const std::string& name) {
    try {
        return r.column_number(name);
    } catch (const std::exception&) {
        throw Error("result has no column '" + name + "'");
    }
}

pqxx::field field_of(const pqxx::result& r, std::size_t row, std::size_t column) {
    if (column >= r.columns()) {
        throw Error("result has no column #" + std::to_string(column) + " (it has " +
                    std::to_string(r.columns()) + ")");
    }
    return r[static_cast<pqxx::result::size_type>(row)][static_cast<pqxx::row::size_type>(column)];
}

std::string column_name(const pqxx::result& r, std::size_t column) {
    return r.column_name(static_cast<pqxx::row::size_type>(column));
}

std::int64_t int64_of(const pqxx::result& r, std::size_t row, std::size_t column) {
    const pqxx::field f = field_of(r, row, column);
    if (f.is_null())
        throw Error("column '" + column_name(r, column) + "' is NULL, expected an integer");
    try {
        return f.as<long long>();
    } catch (const std::exception&) {
        throw Error("column '" + column_name(r, column) + "' is not an integer (type oid " +
                    std::to_string(f.type()) + ")");
    }
}

bool bool_of(const pqxx::result& r, std::size_t row, std::size_t column) {
    const pqxx::field f = field_of(r, row, column);
    if (f.is_null())
        throw Error("column '" + column_name(r, column) + "' is NULL, expected a boolean");
    try {
        return f.as<bool>();
    } catch (const std::exception&) {
        throw Error("column '" + column_name(r, column) + "' is not a boolean (type oid " +
                    std::to_string(f.type()) + ")");
    }
}

std::string text_of(const pqxx::result& r, std::size_t row, std::size_t column) {
    const pqxx::field f = field_of(r, row, column);
    if (f.is_null())
        return {};
    return std::string(f.c_str(), f.size());
}

}  // namespace

bool Row::is_null(std::size_t column) const {
    return field_of(data_->r, index_, column).is_null();
}
bool Row::is_null(const std::string& column) const {
    return is_null(column_index(data_->r, column));
}
std::int64_t Row::int64(std::size_t column) const {
    return int64_of(data_->r, index_, column);
}
std::int64_t Row::int64(const std::string& column) const {
    return int64_of(data_->r, index_, column_index(data_->r, column));
}
std::string Row::text(std::size_t column) const {
    return text_of(data_->r, index_, column);
}
std::string Row::text(const std::string& column) const {
    return text_of(data_->r, index_, column_index(data_->r, column));
}
bool Row::boolean(std::size_t column) const {
    return bool_of(data_->r, index_, column);
}
bool Row::boolean(const std::string& column) const {
    return bool_of(data_->r, index_, column_index(data_->r, column));
}
std::optional<std::int64_t> Row::opt_int64(const std::string& column) const {
    const std::size_t c = column_index(data_->r, column);
    if (field_of(data_->r, index_, c).is_null())
        return std::nullopt;
    return int64_of(data_->r, index_, c);
}
std::optional<std::string> Row::opt_text(const std::string& column) const {
    const std::size_t c = column_index(data_->r, column);
    if (field_of(data_->r, index_, c).is_null())
        return std::nullopt;
    return text_of(data_->r, index_, c);
}

std::size_t Result::size() const {
    return data_ ? data_->r.size() : 0;
}
Row Result::operator[](std::size_t i) const {
    return Row(data_, i);
}
Row Result::at(std::size_t i) const {
    if (i >= size()) {
        throw std::out_of_range("row " + std::to_string(i) + " of a result with " +
                                std::to_string(size()) + " rows");
    }
    return Row(data_, i);
}
std::size_t Result::affected_rows() const {
    return data_ ? data_->r.affected_rows() : 0;
}

// ---------------------------------------------------------------------------------------------
// Tx

struct Tx::Impl {
    detail::Connection* conn;
    pqxx::dbtransaction* tx;
    std::vector<std::function<void()>> after_commit{};
};

namespace {

std::string statement_name(const std::string& sql) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "s%016zx", std::hash<std::string>{}(sql));
    return buf;
}

// A PostgreSQL array literal of texts: every element quoted, " and \\ escaped.
std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (char c : items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::vector<std::optional<std::string>> bind_values(const Params& params) {
    std::vector<std::optional<std::string>> values;
    values.reserve(params.size());
    for (const Param& p : params) {
        values.push_back(std::visit(
            [](const auto& v) -> std::optional<std::string> {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    return std::nullopt;
                } else if constexpr (std::is_same_v<T, std::int64_t>) {
                    return std::to_string(v);
                } else if constexpr (std::is_same_v<T, bool>) {
                    return std::string(v ? "true" : "false");
                } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                    return array_literal(v);
                } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
                    std::string out = "{";
                    for (std::size_t i = 0; i < v.size(); ++i)
                        out += (i ? "," : "") + std::to_string(v[i]);
                    return out + "}";
                } else {
                    return v;
                }
            },
            p));
    }
    return values;
}

}  // namespace

Result Tx::exec(const std::string& sql, const Params& params) {
    detail::Connection& c = *impl_->conn;
    const auto values = bind_values(params);
    using Data = std::remove_const_t<decltype(std::declval<Result&>().data_)::element_type>;
    auto data = std::make_shared<Data>();
    try {
        const std::string name = statement_name(sql);
        auto it = c.prepared.find(name);
        if (it == c.prepared.end()) {
            c.conn->prepare(name, sql);
            it = c.prepared.emplace(name, sql).first;
        }
        if (it->second == sql) {
            data->r = impl_->tx->exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
        } else {
            // Hash collision with another statement on this connection: run it unprepared.
            data->r = impl_->tx->exec_params(sql, pqxx::prepare::make_dynamic_params(values));
        }
    } catch (...) {
        detail::rethrow_translated(&c, detail::sql_head(sql));
    }
    Result out;
    out.data_ = std::move(data);
    return out;
}

Row Tx::exec_one(const std::string& sql, const Params& params) {
    Result r = exec(sql, params);
    if (r.size() != 1) {
        throw Error("expected exactly one row from " + detail::sql_head(sql) + ", got " +
                    std::to_string(r.size()));
    }
    return r[0];
}

std::optional<Row> Tx::exec_maybe_one(const std::string& sql, const Params& params) {
    Result r = exec(sql, params);
    if (r.size() > 1) {
        throw Error("expected at most one row from " + detail::sql_head(sql) + ", got " +
                    std::to_string(r.size()));
    }
    if (r.empty())
        return std::nullopt;
    return r[0];
}

void Tx::after_commit(std::function<void()> fn) {
    impl_->after_commit.push_back(std::move(fn));
}

// ---------------------------------------------------------------------------------------------
// Pool

struct Pool::Impl {
    PoolOptions opt;
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::unique_ptr<detail::Connection>> idle;
    int open = 0;  // idle + leased + being opened

    std::unique_ptr<detail::Connection> acquire(std::chrono::milliseconds timeout) {
        std::unique_lock lock(m);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (idle.empty() && open >= opt.size) {
            if (cv.wait_until(lock, deadline) == std::cv_status::timeout && idle.empty() &&
                open >= opt.size) {
                throw Unavailable("no free database connection within " +
                                  std::to_string(timeout.count()) + " ms (pool size " +
                                  std::to_string(opt.size) + ")");
            }
        }
        if (!idle.empty()) {
            auto c = std::move(idle.back());
            idle.pop_back();
            return c;
        }
        ++open;
        lock.unlock();
        try {
            auto c = detail::open_connection(opt.conninfo, opt.statement_timeout);
            sales::log::debug("database connection opened",
                              {{"endpoint", detail::endpoint(opt.conninfo)},
                               {"backend_pid", c->conn->backendpid()}});
            return c;
        } catch (...) {
            {
                std::lock_guard relock(m);
                --open;
            }
            cv.notify_one();
            throw;
        }
    }

    void release(std::unique_ptr<detail::Connection> c) noexcept {
        std::vector<std::unique_ptr<detail::Connection>> drop;
        {
            std::lock_guard lock(m);
            if (c->broken || !c->conn->is_open()) {
                // Usually the server restarted or terminated sessions: the idle connections are
                // suspect too, so they are replaced as well (lazily, on next use).
                drop.push_back(std::move(c));
                for (auto& i : idle)
                    drop.push_back(std::move(i));
                idle.clear();
                open -= static_cast<int>(drop.size());
            } else {
                idle.push_back(std::move(c));
            }
        }
        cv.notify_all();
        if (!drop.empty()) {
            try {
                sales::log::warn("database connection broken; discarding it and idle connections",
                                 {{"discarded", drop.size()}});
            } catch (const std::exception& e) {
                std::fputs(e.what(), stderr);
            }
        }
        drop.clear();  // closes outside the lock
    }

    struct Lease {
        Impl& pool;
        std::unique_ptr<detail::Connection> c;
        Lease(Impl& p, std::unique_ptr<detail::Connection> conn) : pool(p), c(std::move(conn)) {}
        ~Lease() {
            if (c)
                pool.release(std::move(c));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
    };
};

const PoolOptions& PoolAccess::options(const Pool& pool) {
    return pool.impl_->opt;
}

Pool::Pool(PoolOptions options) : impl_(std::make_unique<Impl>()) {
    if (options.size < 1)
        throw std::invalid_argument("database pool size must be at least 1");
    if (options.max_retries < 0)
        throw std::invalid_argument("max_retries must not be negative");
    impl_->opt = std::move(options);
}

Pool::~Pool() = default;

namespace {

std::unique_ptr<pqxx::dbtransaction> begin_tx(pqxx::connection& c, Isolation isolation) {
    switch (isolation) {
        case Isolation::serializable:
            return std::make_unique<pqxx::transaction<pqxx::serializable>>(c);
        case Isolation::repeatable_read:
            return std::make_unique<pqxx::transaction<pqxx::repeatable_read>>(c);
        case Isolation::read_committed:
            break;
    }
    return std::make_unique<pqxx::transaction<pqxx::read_committed>>(c);
}

std::chrono::milliseconds backoff(int attempt) {
    thread_local std::mt19937 rng{std::random_device{}()};
    const int base = 10 * std::min(attempt + 1, 20);  // 10, 20, 30 ... 200 ms
    std::uniform_int_distribution<int> jitter(base / 2, base + base / 2);
    return std::chrono::milliseconds(jitter(rng));
}

}  // namespace

namespace {
thread_local const std::function<void(Tx&)>* before_commit_hook = nullptr;
}  // namespace

BeforeCommitScope::BeforeCommitScope(std::function<void(Tx&)> hook)
    : hook_(std::move(hook)), outer_(before_commit_hook) {
    before_commit_hook = &hook_;
}

BeforeCommitScope::~BeforeCommitScope() {
    before_commit_hook = outer_;
}

void Pool::run(const std::function<void(Tx&)>& fn, Isolation isolation) {
    for (int attempt = 0;; ++attempt) {
        std::string conflict;
        {
            Impl::Lease lease(*impl_, impl_->acquire(impl_->opt.acquire_timeout));
            try {
                std::unique_ptr<pqxx::dbtransaction> t;
                try {
                    t = begin_tx(*lease.c->conn, isolation);
                } catch (...) {
                    detail::rethrow_translated(lease.c.get(), "BEGIN");
                }
                Tx::Impl state{lease.c.get(), t.get()};
                Tx tx(&state);
                fn(tx);
                if (before_commit_hook != nullptr && *before_commit_hook)
                    (*before_commit_hook)(tx);
                try {
                    t->commit();
                } catch (...) {
                    detail::rethrow_translated(lease.c.get(), "COMMIT");
                }
                for (const auto& committed : state.after_commit) {
                    try {
                        committed();
                    } catch (const std::exception& e) {
                        sales::log::warn("after-commit action failed", {{"error", e.what()}});
                    }
                }
                return;
            } catch (const detail::Conflict& e) {
                conflict = e.what();
            }
        }
        if (attempt >= impl_->opt.max_retries) {
            sales::log::warn("transaction retries exhausted",
                             {{"attempts", attempt + 1}, {"error", conflict}});
            throw RetriesExhausted("transaction still conflicting after " +
                                   std::to_string(attempt) + " retries: " + conflict);
        }
        sales::log::debug("transaction conflict, retrying",
                          {{"attempt", attempt + 1}, {"error", conflict}});
        std::this_thread::sleep_for(backoff(attempt));
    }
}

bool Pool::ping() {
    try {
        Impl::Lease lease(*impl_,
                          impl_->acquire(std::min<std::chrono::milliseconds>(
                              impl_->opt.acquire_timeout, std::chrono::milliseconds(1000))));
        try {
            pqxx::nontransaction n(*lease.c->conn);
            n.exec("SELECT 1");
        } catch (...) {
            detail::rethrow_translated(lease.c.get(), "SELECT 1");
        }
        return true;
    } catch (const std::exception& e) {
        sales::log::warn("database ping failed", {{"error", e.what()}});
        return false;
    }
}

void exec_outside_transaction(const std::string& conninfo, const std::string& sql) {
    auto c = detail::open_connection(conninfo, std::chrono::milliseconds(0));
    try {
        pqxx::nontransaction n(*c->conn);
        n.exec(sql);
        n.commit();
    } catch (...) {
        detail::rethrow_translated(c.get(), detail::sql_head(sql));
    }
}

}  // namespace sales::db
