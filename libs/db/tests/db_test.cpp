// Integration tests for sales::db against the real PostgreSQL (SALES_TEST_PG_*).
#include "sales/db.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <atomic>
#include <climits>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <set>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sales::db::param;
using sales::db::Pool;
using sales::db::PoolOptions;
using sales::db::Tx;

PoolOptions options(const std::string& conninfo, int size = 4) {
    PoolOptions o;
    o.conninfo = conninfo;
    o.size = size;
    return o;
}

std::int64_t count(Pool& pool, const std::string& sql) {
    return pool.transaction([&](Tx& tx) { return tx.exec_one(sql).int64(0); });
}

std::string what_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<no exception>";
}

TEST(Db, ParamsOfEveryTypeIncludingNull) {
    Pool pool(options(sales::test::fresh_database("t_db_params")));
    pool.run([](Tx& tx) {
        tx.exec("CREATE TABLE t (id bigserial PRIMARY KEY, n bigint, s text, b boolean, z text)");
    });
    const std::int64_t id = pool.transaction([](Tx& tx) {
        return tx
            .exec_one("INSERT INTO t (n, s, b, z) VALUES ($1, $2, $3, $4) RETURNING id",
                      {param(INT64_MIN), param("hello"), param(true), nullptr})
            .int64("id");
    });
    pool.run([&](Tx& tx) {
        auto row = tx.exec_one("SELECT n, s, b, z, id FROM t WHERE id = $1", {param(id)});
        EXPECT_EQ(row.int64("n"), INT64_MIN);
        EXPECT_EQ(row.int64(0), INT64_MIN);
        EXPECT_EQ(row.text("s"), "hello");
        EXPECT_TRUE(row.boolean("b"));
        EXPECT_TRUE(row.is_null("z"));
        EXPECT_TRUE(row.is_null(3));
        EXPECT_FALSE(row.is_null("s"));
        EXPECT_EQ(row.text("z"), "");
        EXPECT_EQ(row.opt_text("z"), std::nullopt);
        EXPECT_EQ(row.opt_text("s"), std::optional<std::string>("hello"));
        EXPECT_EQ(row.opt_int64("n"), std::optional<std::int64_t>(INT64_MIN));
        EXPECT_EQ(row.int64(4), id);

        // Every kind once more, including optional<> and NULL compared in SQL.
        std::optional<std::int64_t> none;
        auto r = tx.exec_one(
            "SELECT $1::bigint + 1 AS a, $2::text || '!' AS b, NOT $3::boolean AS c,"
            " $4::bigint IS NULL AS d, $5::text IS NULL AS e",
            {param(INT64_MAX - 1), param(std::string("x")), param(false), param(none), nullptr});
        EXPECT_EQ(r.int64("a"), INT64_MAX);
        EXPECT_EQ(r.text("b"), "x!");
        EXPECT_TRUE(r.boolean("c"));
        EXPECT_TRUE(r.boolean("d"));
        EXPECT_TRUE(r.boolean("e"));

        auto upd = tx.exec("UPDATE t SET n = $1 WHERE id = $2", {param(7), param(id)});
        EXPECT_EQ(upd.affected_rows(), 1u);
        EXPECT_TRUE(upd.empty());
    });
}

TEST(Db, VectorsBindAsArraysWithHostileElements) {
    Pool pool(options(sales::test::fresh_database("t_db_arrays")));
    const std::vector<std::string> texts = {"a,b", "say \"hi\"", "back\\slash", "{}", "梁", ""};
    pool.run([&](Tx& tx) {
        auto r = tx.exec_one(
            "SELECT cardinality($1::text[]) AS n, ($1::text[])[2] AS second, "
            "($1::text[])[3] AS third, $2::bigint[] = ARRAY[-1, 0, 9223372036854775807]::bigint[] "
            "AS ints, cardinality($3::text[]) AS empty, 'a,b' = ANY($1::text[]) AS found, "
            "rfc3339 FROM (SELECT " +
                sales::db::rfc3339("timestamptz '2026-11-22 15:30:00.5+08'", "rfc3339") + ") t",
            {param(texts), param(std::vector<std::int64_t>{-1, 0, INT64_MAX}),
             param(std::vector<std::string>{})});
        EXPECT_EQ(r.int64("n"), 6);
        EXPECT_EQ(r.text("second"), "say \"hi\"");
        EXPECT_EQ(r.text("third"), "back\\slash");
        EXPECT_TRUE(r.boolean("ints"));
        EXPECT_EQ(r.int64("empty"), 0);
        EXPECT_TRUE(r.boolean("found"));
        EXPECT_EQ(r.text("rfc3339"), "2026-11-22T07:30:00.500Z");
    });
    EXPECT_EQ(sales::db::nullable(std::optional<std::string>()), nlohmann::json(nullptr));
    EXPECT_EQ(sales::db::nullable(std::optional<std::int64_t>(5)), nlohmann::json(5));
}

TEST(Db, HostileTextRoundTripsAsData) {
    Pool pool(options(sales::test::fresh_database("t_db_text")));
    const std::string hostile = "梁'; drop table x;--";
    pool.run([&](Tx& tx) {
        tx.exec("CREATE TABLE x (s text)");
        tx.exec("INSERT INTO x (s) VALUES ($1)", {param(hostile)});
        tx.exec("INSERT INTO x (s) VALUES ($1)", {param("O'Brien \"quoted\" \\ back")});
    });
    pool.run([&](Tx& tx) {
        auto r = tx.exec("SELECT s, length(s) AS chars FROM x ORDER BY s");
        ASSERT_EQ(r.size(), 2u);
        EXPECT_EQ(r[0].text("s"), "O'Brien \"quoted\" \\ back");
        EXPECT_EQ(r[1].text("s"), hostile);
        EXPECT_EQ(r[1].int64("chars"), 19);  // characters, not bytes: UTF-8 survived
        auto found = tx.exec_maybe_one("SELECT s FROM x WHERE s = $1", {param(hostile)});
        ASSERT_TRUE(found.has_value());
        EXPECT_EQ(found->text(0), hostile);
    });
    EXPECT_EQ(count(pool, "SELECT count(*) FROM x"), 2);  // table x survived
}

TEST(Db, UniqueViolationNamesConstraint) {
    Pool pool(options(sales::test::fresh_database("t_db_unique")));
    pool.run([](Tx& tx) {
        tx.exec("CREATE TABLE u (code text CONSTRAINT u_code_key UNIQUE)");
        tx.exec("INSERT INTO u VALUES ('A')");
    });
    try {
        pool.run([](Tx& tx) { tx.exec("INSERT INTO u VALUES ($1)", {param("A")}); });
        FAIL() << "duplicate insert succeeded";
    } catch (const sales::db::UniqueViolation& e) {
        EXPECT_EQ(e.constraint(), "u_code_key");
    }
}

TEST(Db, ExceptionRollsBackEverything) {
    Pool pool(options(sales::test::fresh_database("t_db_rollback")));
    pool.run([](Tx& tx) { tx.exec("CREATE TABLE r (id bigint)"); });
    EXPECT_THROW(pool.run([](Tx& tx) {
        tx.exec("INSERT INTO r VALUES ($1)", {param(1)});
        tx.exec("INSERT INTO r VALUES ($1)", {param(2)});
        throw std::runtime_error("domain rule failed");
    }),
                 std::runtime_error);
    // A failing statement rolls back the earlier ones as well.
    EXPECT_THROW(pool.run([](Tx& tx) {
        tx.exec("INSERT INTO r VALUES ($1)", {param(3)});
        tx.exec("INSERT INTO r VALUES ($1)", {param("not a number")});
    }),
                 sales::db::Error);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM r"), 0);
}

TEST(Db, AccessorErrorsNameTheColumn) {
    Pool pool(options(sales::test::fresh_database("t_db_errors")));
    pool.run([](Tx& tx) {
        auto row =
            tx.exec_one("SELECT 'abc'::text AS label, NULL::bigint AS missing, 1.5 AS ratio");
        EXPECT_NE(what_of([&] { row.int64("label"); }).find("label"), std::string::npos);
        EXPECT_NE(what_of([&] { row.int64(2); }).find("ratio"), std::string::npos);
        EXPECT_NE(what_of([&] { row.int64("missing"); }).find("missing"), std::string::npos);
        EXPECT_NE(what_of([&] { row.text("nope"); }).find("nope"), std::string::npos);
        EXPECT_THROW(row.int64("label"), sales::db::Error);
        EXPECT_THROW(row.boolean("label"), sales::db::Error);
        EXPECT_THROW(row.text(7), sales::db::Error);

        auto empty = tx.exec("SELECT 1 WHERE false");
        EXPECT_THROW(empty.at(0), std::out_of_range);
        EXPECT_NE(what_of([&] { tx.exec_one("SELECT 1 WHERE false"); }).find("SELECT 1"),
                  std::string::npos);
        EXPECT_FALSE(tx.exec_maybe_one("SELECT 1 WHERE false").has_value());
        EXPECT_THROW(tx.exec_maybe_one("SELECT generate_series(1, 2)"), sales::db::Error);
    });
    const std::string syntax = what_of([&] { pool.run([](Tx& tx) { tx.exec("SELEC 1"); }); });
    EXPECT_NE(syntax.find("42601"), std::string::npos) << syntax;
}

TEST(Db, StatementTimeoutApplies) {
    PoolOptions o = options(sales::test::fresh_database("t_db_timeout"), 1);
    o.statement_timeout = 100ms;
    Pool pool(o);
    const std::string msg =
        what_of([&] { pool.run([](Tx& tx) { tx.exec("SELECT pg_sleep(5)"); }); });
    EXPECT_NE(msg.find("57014"), std::string::npos) << msg;
    EXPECT_EQ(count(pool, "SELECT 1"), 1);  // the connection stays usable
}

TEST(Db, SerializationFailureIsRetriedDeterministically) {
    const std::string conninfo = sales::test::fresh_database("t_db_retry_one");
    Pool pool(options(conninfo, 1));
    Pool other(options(conninfo, 1));
    pool.run([](Tx& tx) { tx.exec("CREATE TABLE c (id int PRIMARY KEY, n bigint NOT NULL)"); });
    pool.run([](Tx& tx) { tx.exec("INSERT INTO c VALUES (1, 0)"); });

    int calls = 0;
    auto body = [&](Tx& tx) {
        ++calls;
        const auto n = tx.exec_one("SELECT n FROM c WHERE id = 1").int64(0);
        if (calls == 1) {  // a concurrent writer commits after our snapshot was taken
            other.run([](Tx& o) { o.exec("UPDATE c SET n = n + 10 WHERE id = 1"); });
        }
        tx.exec("UPDATE c SET n = $1 WHERE id = 1", {param(n + 1)});
    };
    pool.run(body, sales::db::Isolation::serializable);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(count(pool, "SELECT n FROM c WHERE id = 1"), 11);

    PoolOptions no_retry = options(conninfo, 1);
    no_retry.max_retries = 0;
    Pool strict(no_retry);
    calls = 0;
    EXPECT_THROW(strict.run(body, sales::db::Isolation::repeatable_read),
                 sales::db::RetriesExhausted);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(count(pool, "SELECT n FROM c WHERE id = 1"), 21);
}

// Tx::after_commit (the outbox relay's wake-up, issue 13 item 4): runs once, after the commit
// (the row is visible to another connection), never for a rolled-back or retried attempt.
TEST(Db, AfterCommitRunsOnceOnlyForTheCommittedAttempt) {
    const std::string conninfo = sales::test::fresh_database("t_db_after_commit");
    Pool pool(options(conninfo, 1));
    Pool other(options(conninfo, 1));
    pool.run([](Tx& tx) { tx.exec("CREATE TABLE c (id int PRIMARY KEY, n bigint NOT NULL)"); });
    pool.run([](Tx& tx) { tx.exec("INSERT INTO c VALUES (1, 0)"); });

    std::vector<std::int64_t> seen_after_commit;  // n as another connection sees it
    const auto record = [&] {
        seen_after_commit.push_back(count(other, "SELECT n FROM c WHERE id = 1"));
    };
    EXPECT_THROW(pool.run([&](Tx& tx) {
        tx.exec("UPDATE c SET n = 100 WHERE id = 1");
        tx.after_commit(record);
        throw std::runtime_error("rolled back");
    }),
                 std::runtime_error);
    EXPECT_TRUE(seen_after_commit.empty());

    int attempts = 0;
    pool.run(
        [&](Tx& tx) {
            ++attempts;
            const auto n = tx.exec_one("SELECT n FROM c WHERE id = 1").int64(0);
            tx.after_commit(record);
            if (attempts == 1)  // a concurrent writer forces a retry of this attempt
                other.run([](Tx& o) { o.exec("UPDATE c SET n = n + 10 WHERE id = 1"); });
            tx.exec("UPDATE c SET n = $1 WHERE id = 1", {param(n + 1)});
        },
        sales::db::Isolation::serializable);
    EXPECT_EQ(attempts, 2);
    EXPECT_EQ(seen_after_commit, std::vector<std::int64_t>{11});
}

TEST(Db, ConcurrentSerializableIncrementsAllLand) {
    PoolOptions o = options(sales::test::fresh_database("t_db_retry"), 2);
    o.max_retries = 200;
    Pool pool(o);
    pool.run([](Tx& tx) { tx.exec("CREATE TABLE c (id int PRIMARY KEY, n bigint NOT NULL)"); });
    pool.run([](Tx& tx) { tx.exec("INSERT INTO c VALUES (1, 0)"); });

    std::atomic<int> invocations{0};
    std::latch start(2);
    // The first attempt of each thread's first increment waits until both have read the row, so
    // at least one conflict is certain rather than left to scheduling luck.
    std::latch both_read(2);
    auto worker = [&] {
        start.arrive_and_wait();
        for (int i = 0; i < 50; ++i) {
            bool first_attempt = (i == 0);
            pool.run(
                [&](Tx& tx) {
                    ++invocations;
                    const auto n =
                        tx.exec_one("SELECT n FROM c WHERE id = $1", {param(1)}).int64("n");
                    if (first_attempt) {
                        first_attempt = false;
                        both_read.arrive_and_wait();
                    }
                    tx.exec("UPDATE c SET n = $1 WHERE id = $2", {param(n + 1), param(1)});
                },
                sales::db::Isolation::serializable);
        }
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    EXPECT_EQ(count(pool, "SELECT n FROM c WHERE id = 1"), 100);
    EXPECT_GT(invocations.load(), 100) << "no conflict was ever retried";
}

TEST(Db, AcquireTimesOutWhenPoolIsHeld) {
    PoolOptions o = options(sales::test::fresh_database("t_db_acquire"), 1);
    o.acquire_timeout = 200ms;
    Pool pool(o);
    std::atomic<bool> holding{false};
    std::promise<void> release;
    auto released = release.get_future().share();
    std::thread holder([&] {
        pool.run([&](Tx& tx) {
            tx.exec("SELECT 1");
            holding = true;
            released.wait();
        });
    });
    ASSERT_TRUE(sales::test::eventually([&] { return holding.load(); }));
    const auto t0 = std::chrono::steady_clock::now();
    try {
        pool.run([](Tx& tx) { tx.exec("SELECT 1"); });
        ADD_FAILURE() << "acquired a connection from a fully held pool";
    } catch (const sales::db::Unavailable& e) {
        EXPECT_NE(
            std::string(e.what()).find("no free database connection within 200 ms (pool size 1)"),
            std::string::npos)
            << e.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);
    release.set_value();
    holder.join();
    EXPECT_EQ(count(pool, "SELECT 1"), 1);
}

TEST(Db, ReconnectsAndReprepareAfterBackendsAreTerminated) {
    const std::string db = "t_db_reconnect";
    Pool pool(options(sales::test::fresh_database(db), 2));
    Pool admin(options(sales::test::pg_conninfo("postgres"), 1));
    const std::string sql = "SELECT pg_backend_pid() AS pid, $1::text AS echo";
    std::set<std::int64_t> before;
    // Open both connections (nested transactions take two) and prepare the statement on each.
    pool.run([&](Tx& outer) {
        before.insert(outer.exec_one(sql, {param("a")}).int64("pid"));
        pool.run([&](Tx& inner) { before.insert(inner.exec_one(sql, {param("b")}).int64("pid")); });
    });
    ASSERT_EQ(before.size(), 2u);

    for (auto pid : before) {
        admin.run([&](Tx& tx) { tx.exec("SELECT pg_terminate_backend($1::int)", {param(pid)}); });
    }
    ASSERT_TRUE(sales::test::eventually([&] {
        return count(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'") ==
               0;
    }));

    auto call = [&] {
        return pool.transaction([&](Tx& tx) { return tx.exec_one(sql, {param("after")}); });
    };
    try {
        call();
    } catch (const sales::db::Unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("connection"), std::string::npos) << e.what();
    }
    const auto row = call();
    EXPECT_EQ(row.text("echo"), "after");
    EXPECT_EQ(before.count(row.int64("pid")), 0u);
    EXPECT_TRUE(pool.ping());
}

TEST(Db, UnreachableServerIsUnavailable) {
    const auto port = sales::test::free_port();
    PoolOptions o =
        options("host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=x", 1);
    Pool pool(o);
    EXPECT_FALSE(pool.ping());
    try {
        pool.run([](Tx& tx) { tx.exec("SELECT 1"); });
        FAIL() << "ran a transaction without a server";
    } catch (const sales::db::Unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("cannot connect to PostgreSQL at 127.0.0.1:" +
                                             std::to_string(port)),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(sales::db::exec_outside_transaction(o.conninfo, "SELECT 1"),
                 sales::db::Unavailable);
}

// ---------------------------------------------------------------------------------------------
// Migrations

class Migrations : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("t_db_mig_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        write("a/0001_init.sql",
              "CREATE TABLE items (id int PRIMARY KEY, label text);\n"
              "CREATE TABLE applied_log (note text);\n"
              "INSERT INTO applied_log VALUES ('a1');\n");
        write("a/0002_more.sql",
              "ALTER TABLE items ADD COLUMN price bigint;\n"
              "INSERT INTO items VALUES (1, 'x;y', 100);\n"
              "INSERT INTO applied_log VALUES ('a2');\n");
        write("a/README.txt", "not a migration");
        write("b/0001_other.sql",
              "CREATE TABLE other (id int); INSERT INTO applied_log VALUES ('b1');");
        sets_ = {{"a", (root_ / "a").string()}, {"b", (root_ / "b").string()}};
    }
    void TearDown() override { fs::remove_all(root_); }
    void write(const std::string& rel, const std::string& text) {
        fs::create_directories((root_ / rel).parent_path());
        std::ofstream(root_ / rel) << text;
    }
    fs::path root_;
    std::vector<sales::db::MigrationSet> sets_;
};

TEST_F(Migrations, ApplyTwiceAppliesOnce) {
    Pool pool(options(sales::test::fresh_database("t_db_mig_twice"), 2));
    EXPECT_EQ(sales::db::migrate(pool, sets_), 3);
    EXPECT_EQ(sales::db::migrate(pool, sets_), 0);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM applied_log"), 3);
    EXPECT_EQ(count(pool, "SELECT price FROM items WHERE id = 1"), 100);
    pool.run([](Tx& tx) {
        auto r = tx.exec("SELECT version FROM schema_migrations ORDER BY applied_at, version");
        ASSERT_EQ(r.size(), 3u);
        EXPECT_EQ(r[0].text(0), "a/0001_init.sql");
        EXPECT_EQ(r[1].text(0), "a/0002_more.sql");
        EXPECT_EQ(r[2].text(0), "b/0001_other.sql");
    });
    write("b/0002_later.sql", "INSERT INTO applied_log VALUES ('b2');");
    EXPECT_EQ(sales::db::migrate(pool, sets_), 1);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM applied_log"), 4);
}

TEST_F(Migrations, ConcurrentMigratorsApplyEachFileOnce) {
    const std::string conninfo = sales::test::fresh_database("t_db_mig_race");
    std::atomic<int> total{0};
    std::latch start(3);
    auto runner = [&] {
        Pool pool(options(conninfo, 1));
        start.arrive_and_wait();
        try {
            total += sales::db::migrate(pool, sets_);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "concurrent migrate failed: " << e.what();
        }
    };
    std::thread a(runner), b(runner), c(runner);
    a.join();
    b.join();
    c.join();
    EXPECT_EQ(total.load(), 3);
    Pool pool(options(conninfo, 1));
    EXPECT_EQ(count(pool, "SELECT count(*) FROM applied_log"), 3);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM schema_migrations"), 3);
}

TEST_F(Migrations, BrokenFileIsNamedAndNotRecorded) {
    write("a/0003_broken.sql", "CREATE TABLE half_done (id int);\nSELEC nonsense;\n");
    Pool pool(options(sales::test::fresh_database("t_db_mig_broken"), 1));
    const std::string msg = what_of([&] { sales::db::migrate(pool, sets_); });
    EXPECT_NE(msg.find("0003_broken.sql"), std::string::npos) << msg;
    EXPECT_EQ(
        count(pool, "SELECT count(*) FROM schema_migrations WHERE version = 'a/0003_broken.sql'"),
        0);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM schema_migrations"), 2);  // earlier files stay
    EXPECT_EQ(count(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"), 0);
    EXPECT_EQ(count(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'other'"),
              0);  // set b not reached

    write("a/0003_broken.sql", "CREATE TABLE half_done (id int);\n");  // fixed
    EXPECT_EQ(sales::db::migrate(pool, sets_), 2);
}

TEST_F(Migrations, MissingDirectoryIsAnError) {
    Pool pool(options(sales::test::fresh_database("t_db_mig_missing"), 1));
    const std::string missing = (root_ / "nope").string();
    const std::string msg = what_of([&] { sales::db::migrate(pool, {{"x", missing}}); });
    EXPECT_EQ(msg, "migration directory not found: " + missing);
}

}  // namespace
