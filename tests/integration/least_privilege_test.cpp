// Least privilege underneath (issue 11 item 9): each service reaches PostgreSQL only as its own
// role - no superuser, owner of its own database only, password (SCRAM) over TCP - and NATS only
// as its own user, which may publish its own events and nothing else (deploy/local/nats.conf).
// Real services (customer, finance, gateway) on the PostgreSQL of scripts/test.sh and the
// stack's private nats-server.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::Stack;

class LeastPrivilege : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("least_priv", {"customer", "finance", "gateway"});
    }
    static void TearDownTestSuite() { delete stack_; }
    void TearDown() override {
        if (HasFailure())
            std::cerr << stack_->logs();
    }

    static const sales::test::ServiceDatabase& database(const std::string& service) {
        return stack_->database(service);
    }
    // `service`'s role and password (over TCP, as the service connects) on `database_name`.
    static std::string as_role_on(const std::string& service, const std::string& database_name) {
        const auto& own = database(service);
        std::string conninfo = own.conninfo;
        conninfo.replace(conninfo.rfind("dbname=" + own.name),
                         std::string("dbname=").size() + own.name.size(),
                         "dbname=" + database_name);
        return conninfo;
    }
    // The error text of running `sql` with `conninfo`; nullopt when it succeeded.
    static std::optional<std::string> refusal(const std::string& conninfo, const std::string& sql) {
        try {
            sales::db::exec_outside_transaction(conninfo, sql);
            return std::nullopt;
        } catch (const sales::db::Error& e) {
            return std::string(e.what());
        }
    }
    static std::string admin(const std::string& service) {
        return database(service).admin_conninfo;
    }
    // A conninfo of `user` over TCP to `database_name` with no password from anywhere (no
    // PGPASSWORD, no password file).
    static std::string without_password(const std::string& user, const std::string& database_name) {
        const char* host = std::getenv("SALES_TEST_PG_HOST");
        const char* port = std::getenv("SALES_TEST_PG_PORT");
        return std::string("host=") + (host ? host : "") + " port=" + (port ? port : "") +
               " user=" + user + " dbname=" + database_name +
               " password='' passfile=/nonexistent/sales-no-passfile";
    }

    // Messages JetStream has stored in `stream`, asked as the administrator.
    static std::int64_t stored(const std::string& stream) {
        const auto info = stack_->nats().request("$JS.API.STREAM.INFO." + stream, "", 5s);
        if (!info)
            throw std::runtime_error("no answer to STREAM.INFO." + stream);
        const auto body = json::parse(*info);
        if (!body.contains("state"))
            throw std::runtime_error("STREAM.INFO." + stream + ": " + *info);
        return body["state"]["messages"].get<std::int64_t>();
    }
    // A connection as `user` with its own password.
    static std::unique_ptr<sales::bus::Nats> connect_as(const std::string& user) {
        sales::bus::NatsOptions options;
        options.url = stack_->nats_server().address();
        options.name = "least-privilege-" + user;
        options.user = user;
        options.password = stack_->nats_server().password(user);
        return std::make_unique<sales::bus::Nats>(options);
    }
    static std::string deposit_event() {
        return sales::bus::to_json(sales::bus::make_event(
            "finance", "finance.deposit.received", sales::new_uuid(), 1,
            {{"subscription_id", sales::new_uuid()}, {"amount_fen", 5'000'000}}));
    }

    static Stack* stack_;
};
Stack* LeastPrivilege::stack_ = nullptr;

TEST_F(LeastPrivilege, ServiceRoleIsNotSuperuserAndOwnsOnlyItsDatabase) {
    sales::db::Pool pool(sales::db::PoolOptions{database("customer").conninfo, 1});
    pool.run([&](sales::db::Tx& tx) {
        const auto role = tx.exec_one(
            "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
            "rolbypassrls FROM pg_roles WHERE rolname = current_user");
        EXPECT_EQ(role.text(0), database("customer").name);
        for (std::size_t column = 1; column <= 5; ++column)
            EXPECT_FALSE(role.boolean(column)) << "attribute " << column << " of the role";
        const auto owned = tx.exec_one(
            "SELECT count(*) FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
            "WHERE r.rolname = current_user");
        EXPECT_EQ(owned.int64(0), 1) << "the role owns exactly its own database";
        // The service's migrations ran as this role: it owns its tables.
        const auto tables = tx.exec_one(
            "SELECT count(*) FILTER (WHERE tableowner = current_user), count(*) "
            "FROM pg_tables WHERE schemaname = 'public'");
        EXPECT_GT(tables.int64(1), 0);
        EXPECT_EQ(tables.int64(0), tables.int64(1));
    });
    // Superuser-only settings stay out of reach (this one would switch triggers off).
    const auto replica =
        refusal(database("gateway").conninfo, "SET session_replication_role = replica");
    ASSERT_TRUE(replica.has_value());
    EXPECT_NE(replica->find("permission denied"), std::string::npos) << *replica;
    const auto create_db = refusal(database("customer").conninfo, "CREATE DATABASE sneaky_copy");
    ASSERT_TRUE(create_db.has_value());
    EXPECT_NE(create_db->find("permission denied"), std::string::npos) << *create_db;
}

TEST_F(LeastPrivilege, ServiceRoleCannotConnectToAnotherServicesDatabase) {
    for (const auto& [service, other] :
         {std::pair{"customer", "finance"}, {"finance", "gateway"}, {"customer", "gateway"}}) {
        const auto error = refusal(as_role_on(service, database(other).name), "SELECT 1");
        ASSERT_TRUE(error.has_value()) << service << " connected to " << other << "'s database";
        EXPECT_NE(error->find("permission denied for database"), std::string::npos) << *error;
    }
    // The positive control: its own database is open to it.
    EXPECT_FALSE(refusal(as_role_on("customer", database("customer").name), "SELECT 1"));
}

TEST_F(LeastPrivilege, EvenWithConnectGrantedByMistakeAnotherServicesTablesAreOutOfReach) {
    const auto& gateway = database("gateway");
    const auto& customer = database("customer");
    ASSERT_FALSE(refusal(admin("gateway"), "GRANT CONNECT ON DATABASE \"" + gateway.name +
                                               "\" TO \"" + customer.name + "\""));
    const auto intruder = as_role_on("customer", gateway.name);
    const auto disable_audit =
        refusal(intruder, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete");
    const auto alter_other = refusal(intruder, "ALTER TABLE outbox ADD COLUMN sneaky integer");
    const auto drop_trigger = refusal(intruder, "DROP TRIGGER audit_log_no_truncate ON audit_log");
    const auto read_users = refusal(intruder, "SELECT count(*) FROM users");
    const auto write_outbox = refusal(intruder, "DELETE FROM outbox");
    ASSERT_FALSE(refusal(admin("gateway"), "REVOKE CONNECT ON DATABASE \"" + gateway.name +
                                               "\" FROM \"" + customer.name + "\""));

    for (const auto* error : {&disable_audit, &alter_other, &drop_trigger}) {
        ASSERT_TRUE(error->has_value());
        EXPECT_NE((*error)->find("must be owner"), std::string::npos) << **error;
    }
    for (const auto* error : {&read_users, &write_outbox}) {
        ASSERT_TRUE(error->has_value());
        EXPECT_NE((*error)->find("permission denied"), std::string::npos) << **error;
    }
    // The audit trigger is still there and enabled.
    sales::db::Pool pool(sales::db::PoolOptions{admin("gateway"), 1});
    pool.run([&](sales::db::Tx& tx) {
        EXPECT_EQ(tx.exec_one("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                              "'audit_log'::regclass AND tgenabled = 'O' AND tgname IN "
                              "('audit_log_no_update_delete', 'audit_log_no_truncate')")
                      .int64(0),
                  2);
    });
}

TEST_F(LeastPrivilege, TcpWithoutTheRightPasswordIsRefused) {
    const auto& customer = database("customer");
    const auto missing = refusal(without_password(customer.name, customer.name), "SELECT 1");
    ASSERT_TRUE(missing.has_value()) << "a service role connected over TCP without a password";
    EXPECT_NE(missing->find("password"), std::string::npos) << *missing;

    std::string wrong = customer.conninfo;
    wrong.replace(wrong.find(customer.password), customer.password.size(), "0123456789abcdef");
    const auto refused = refusal(wrong, "SELECT 1");
    ASSERT_TRUE(refused.has_value()) << "a wrong password was accepted";
    EXPECT_NE(refused->find("password authentication failed"), std::string::npos) << *refused;

    // No trust on TCP for the administrator either: it has its password or the Unix socket.
    const char* admin_user = std::getenv("SALES_TEST_PG_USER");
    const auto superuser =
        refusal(without_password(admin_user ? admin_user : "postgres", "postgres"), "SELECT 1");
    ASSERT_TRUE(superuser.has_value()) << "the superuser connected over TCP without a password";
    EXPECT_NE(superuser->find("password"), std::string::npos) << *superuser;

    EXPECT_FALSE(refusal(customer.conninfo, "SELECT 1")) << "the right password must work";
}

TEST_F(LeastPrivilege, NatsRefusesConnectionsWithoutCredentials) {
    sales::bus::NatsOptions anonymous;
    anonymous.url = stack_->nats_server().address();
    anonymous.connect_timeout = 2s;
    EXPECT_THROW(sales::bus::Nats{anonymous}, sales::bus::NatsError);

    auto wrong = anonymous;
    wrong.user = "finance";
    wrong.password = "not-the-password";
    EXPECT_THROW(sales::bus::Nats{wrong}, sales::bus::NatsError);

    EXPECT_NO_THROW(connect_as("finance")) << "the right password must work";
}

TEST_F(LeastPrivilege, OnlyFinanceMayPublishFinanceDepositReceived) {
    const auto before = stored("FINANCE");
    // The positive control: finance's own user publishes its event and JetStream stores it.
    const auto finance = connect_as("finance");
    const auto ack = finance->request("finance.deposit.received", deposit_event(), 5s);
    ASSERT_TRUE(ack.has_value());
    EXPECT_NE(ack->find("\"FINANCE\""), std::string::npos) << *ack;
    EXPECT_EQ(stored("FINANCE"), before + 1);

    // The customer service's user: the server drops the publish (permissions violation), so
    // nothing acknowledges it and the stream does not store it.
    const auto customer = connect_as("customer");
    EXPECT_FALSE(customer->request("finance.deposit.received", deposit_event(), 2s));
    EXPECT_FALSE(customer->request("contract.signed", deposit_event(), 1s));
    // Nor can it delete or purge another service's stream, or read it through a consumer.
    EXPECT_FALSE(customer->request("$JS.API.STREAM.PURGE.FINANCE", "", 1s));
    EXPECT_FALSE(customer->request("$JS.API.STREAM.DELETE.FINANCE", "", 1s));
    EXPECT_FALSE(customer->request(
        "$JS.API.CONSUMER.DURABLE.CREATE.FINANCE.spy",
        json{{"stream_name", "FINANCE"}, {"config", {{"durable_name", "spy"}}}}.dump(), 1s));
    EXPECT_EQ(stored("FINANCE"), before + 1);
    // The connection stays usable for what it may do: its own events.
    const auto own = customer->request(
        "customer.probe.checked",
        sales::bus::to_json(sales::bus::make_event("customer", "customer.probe.checked",
                                                   sales::new_uuid(), 1, json::object())),
        5s);
    ASSERT_TRUE(own.has_value());
    EXPECT_NE(own->find("\"CUSTOMER\""), std::string::npos) << *own;
}

// Replies (JetStream answers, acks, RPC answers) come on each user's own inbox subjects; no other
// service may listen there, nor on the default _INBOX.> of clients without a prefix.
TEST_F(LeastPrivilege, AServiceCannotListenToAnotherServicesReplies) {
    std::atomic<int> overheard{0};
    std::atomic<int> delivered{0};
    const auto customer = connect_as("customer");
    for (const auto* subject : {"_INBOX_contract.>", "_INBOX.>"})
        customer->serve(subject, "spy", [&](const std::string&) {
            ++overheard;
            return std::string();
        });
    // The positive control: inventory hears its own inbox subjects.
    const auto inventory = connect_as("inventory");
    inventory->serve("_INBOX_inventory.probe", "probe", [&](const std::string&) {
        ++delivered;
        return std::string("heard");
    });
    EXPECT_EQ(stack_->nats().request("_INBOX_inventory.probe", "", 5s), "heard");
    stack_->nats().publish("_INBOX_contract.reply", "a reply meant for contract");
    stack_->nats().publish("_INBOX.reply", "a reply meant for another client");
    // Give a (wrongly) permitted subscription time to receive them, then check it did not.
    EXPECT_FALSE(sales::test::eventually([&] { return overheard.load() > 0; }, 1s));
    EXPECT_EQ(delivered.load(), 1);
}

}  // namespace
