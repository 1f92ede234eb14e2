// The foundation's proof (ARCHITECTURE.md "Events: never lost, never applied twice"):
// inventory stores a project and its outbox event in one transaction; the relay publishes it with
// Nats-Msg-Id; contract applies it through the inbox. Real PostgreSQL, real nats-server, real
// service processes killed with SIGKILL at the worst moments.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/http.hpp"
#include "sales/ids.hpp"
#include "test_support.hpp"

namespace {
using namespace std::chrono_literals;
using sales::test::eventually;

// The services verify with the public key only (issue 11 item 8); the test signs.
const sales::auth::SigningKey& signing_key() {
    static const auto key = sales::auth::generate_signing_key("proof-1");
    return key;
}

std::string short_id() {
    return sales::new_uuid().substr(0, 8);
}

class EventProof : public ::testing::Test {
  protected:
    void SetUp() override {
        suffix_ = short_id();
        // Each service as its own database role and NATS user (issue 11 item 9); the test
        // reads as the administrator.
        inventory_db_ = sales::test::fresh_service_database("proof_inv_" + suffix_);
        contract_db_ = sales::test::fresh_service_database("proof_con_" + suffix_);
        inventory_port_ = sales::test::free_port();
        contract_port_ = sales::test::free_port();
        log_dir_ = std::filesystem::temp_directory_path() / ("sales-proof-" + suffix_);
        std::filesystem::create_directories(log_dir_);
        nats_ = std::make_unique<sales::test::NatsServer>();
        token_ = sales::auth::mint(
            signing_key(),
            sales::Principal{
                "proof-admin", {"admin"}, {"*"}, std::chrono::system_clock::now() + 1h});
        inventory_pool_ = std::make_unique<sales::db::Pool>(
            sales::db::PoolOptions{inventory_db_.admin_conninfo, 2});
        contract_pool_ = std::make_unique<sales::db::Pool>(
            sales::db::PoolOptions{contract_db_.admin_conninfo, 2});
    }

    void TearDown() override {
        if (HasFailure()) {
            for (auto* p : {inventory_.get(), contract_.get()}) {
                if (p)
                    std::cerr << "---- service log ----\n" << p->log() << "\n";
            }
        }
        inventory_.reset();
        contract_.reset();
    }

    std::map<std::string, std::string> common_env() const {
        return {
            {"SALES_NATS_URL", nats_->url()},
            {"SALES_TOKEN_PUBLIC_KEYS", sales::auth::format_public_key(signing_key().public_key())},
            {"SALES_STARTUP_TIMEOUT", "30s"},
            {"SALES_LOG_LEVEL", "info"},
            {"SALES_CONTRACT_ACK_WAIT", "2s"},
            {"SALES_CONTRACT_NAK_DELAY", "200ms"},
            {"SALES_INVENTORY_IO_THREADS", "2"},
            {"SALES_CONTRACT_IO_THREADS", "2"}};
    }

    std::unique_ptr<sales::test::Process> start(const std::string& name, std::uint16_t port,
                                                const sales::test::ServiceDatabase& db,
                                                const std::string& fault) {
        auto env = common_env();
        env[name == "inventory" ? "SALES_INVENTORY_DB" : "SALES_CONTRACT_DB"] = db.conninfo;
        for (const auto& [key, value] : nats_->service_env(name))
            env[key] = value;
        if (!fault.empty())
            env["SALES_FAULT"] = fault;
        return sales::test::start_service(name, port, env, (log_dir_ / (name + ".log")).string());
    }

    void start_inventory(const std::string& fault = "") {
        inventory_ = start("inventory", inventory_port_, inventory_db_, fault);
    }
    void start_contract(const std::string& fault = "") {
        contract_ = start("contract", contract_port_, contract_db_, fault);
    }

    sales::http::ClientResponse create_project(const std::string& code) {
        sales::http::Client client("127.0.0.1", inventory_port_);
        return client.post_json("/api/v1/projects",
                                {{"code", code}, {"name", "项目 " + code}, {"city", "成都"}},
                                {{"Authorization", "Bearer " + token_}});
    }

    std::string created_project_id(const std::string& code) {
        const auto response = create_project(code);
        EXPECT_EQ(response.status, 201) << response.body;
        return response.json().at("id").get<std::string>();
    }

    std::int64_t applied_count(const std::string& project_id) {
        return contract_pool_->transaction([&](sales::db::Tx& tx) {
            return tx
                .exec_one("SELECT count(*) FROM project_event_log WHERE project_id = $1::uuid",
                          {project_id})
                .int64(0);
        });
    }

    // Polls through a database restart too (the test's own connections break then).
    bool applied_once_eventually(const std::string& project_id) {
        std::int64_t count = 0;
        eventually(
            [&] {
                try {
                    count = applied_count(project_id);
                } catch (const sales::db::Unavailable&) {
                    return false;
                }
                return count >= 1;
            },
            30s);
        return count == 1;
    }

    // Stream messages as nats-server's monitoring endpoint reports them.
    std::int64_t stream_messages(const std::string& stream) {
        sales::http::Client monitor("127.0.0.1", nats_->monitor_port());
        const auto body = monitor.get("/jsz?accounts=true&streams=true").json();
        for (const auto& account : body.value("account_details", nlohmann::json::array())) {
            for (const auto& s : account.value("stream_detail", nlohmann::json::array())) {
                if (s.value("name", "") == stream)
                    return s.at("state").at("messages").get<std::int64_t>();
            }
        }
        return -1;
    }

    std::int64_t metric(std::uint16_t port, const std::string& name) {
        sales::http::Client client("127.0.0.1", port);
        const auto text = client.get("/metrics").body;
        std::int64_t total = 0;
        std::size_t pos = 0;
        while ((pos = text.find(name, pos)) != std::string::npos) {
            const bool line_start = pos == 0 || text[pos - 1] == '\n';
            const auto end = text.find('\n', pos);
            const auto line = text.substr(pos, end - pos);
            pos = end;
            if (!line_start || (line.rfind(name + " ", 0) != 0 && line.rfind(name + "{", 0) != 0))
                continue;
            total += std::stoll(line.substr(line.rfind(' ') + 1));
        }
        return total;
    }

    std::string suffix_, token_;
    sales::test::ServiceDatabase inventory_db_, contract_db_;
    std::uint16_t inventory_port_ = 0, contract_port_ = 0;
    std::filesystem::path log_dir_;
    std::unique_ptr<sales::test::NatsServer> nats_;
    std::unique_ptr<sales::test::Process> inventory_, contract_;
    std::unique_ptr<sales::db::Pool> inventory_pool_, contract_pool_;
};

// Proof 1: the event arrives and is applied exactly once.
TEST_F(EventProof, EventArrivesAndIsAppliedOnce) {
    start_inventory();
    start_contract();
    const auto id = created_project_id("PA01");
    ASSERT_TRUE(applied_once_eventually(id));
    // Barrier: a later event applied means anything earlier has been delivered too.
    ASSERT_TRUE(applied_once_eventually(created_project_id("PA02")));
    EXPECT_EQ(applied_count(id), 1);
    const auto ref = contract_pool_->transaction([&](sales::db::Tx& tx) {
        return tx.exec_one("SELECT code, version FROM project_refs WHERE project_id = $1::uuid",
                           {id});
    });
    EXPECT_EQ(ref.text("code"), "PA01");
    EXPECT_EQ(stream_messages("INVENTORY"), 2);
    // The outbox row is marked sent after the publish ack.
    EXPECT_TRUE(eventually([&] {
        return inventory_pool_->transaction([&](sales::db::Tx& tx) {
            return tx.exec_one("SELECT count(*) FROM outbox WHERE sent_at IS NULL").int64(0) == 0;
        });
    }));
}

// Proof 2: kill -9 of the relay after publishing, before marking sent; the restarted relay
// publishes again, JetStream drops the duplicate (Nats-Msg-Id) and nothing is applied twice.
TEST_F(EventProof, RelayKilledBetweenPublishAndMarkSentCausesNoSecondEffect) {
    start_contract();
    start_inventory("relay_after_publish");
    try {
        create_project("PB01");  // the process may die before it answers; the commit is what counts
    } catch (const sales::http::ClientError&) {
    }
    EXPECT_EQ(inventory_->wait_exit(20s), -9)
        << "the relay should have been killed at the fault point";

    const auto id = inventory_pool_->transaction([&](sales::db::Tx& tx) {
        return tx.exec_one("SELECT id::text FROM projects WHERE code = 'PB01'").text(0);
    });
    const auto unsent = inventory_pool_->transaction([&](sales::db::Tx& tx) {
        return tx.exec_one("SELECT count(*) FROM outbox WHERE sent_at IS NULL").int64(0);
    });
    EXPECT_EQ(unsent, 1) << "killed before mark-sent: the row must still be unsent";
    ASSERT_TRUE(applied_once_eventually(id)) << "the publish before the crash was acknowledged";

    start_inventory();  // same database: the relay finds the unsent row and publishes it again
    ASSERT_TRUE(eventually([&] {
        return inventory_pool_->transaction([&](sales::db::Tx& tx) {
            return tx.exec_one("SELECT count(*) FROM outbox WHERE sent_at IS NULL").int64(0) == 0;
        });
    }));
    ASSERT_TRUE(applied_once_eventually(created_project_id("PB02")));  // barrier
    EXPECT_EQ(applied_count(id), 1);
    EXPECT_EQ(stream_messages("INVENTORY"), 2)
        << "the re-publish must be de-duplicated by the stream";
}

// Proof 3: kill -9 of the consumer after its commit, before its ack; the redelivery is skipped.
TEST_F(EventProof, ConsumerKilledAfterCommitBeforeAckSkipsRedelivery) {
    start_inventory();
    start_contract("inbox_after_commit");
    const auto id = created_project_id("PC01");
    EXPECT_EQ(contract_->wait_exit(20s), -9)
        << "the consumer should have been killed at the fault point";
    EXPECT_EQ(applied_count(id), 1) << "the handler's transaction committed before the kill";

    start_contract();
    // Unacked, the message comes back after the ack wait (2 s); the inbox recognises it.
    ASSERT_TRUE(
        eventually([&] { return metric(contract_port_, "inbox_duplicates_total") >= 1; }, 30s));
    ASSERT_TRUE(applied_once_eventually(created_project_id("PC02")));  // barrier
    EXPECT_EQ(applied_count(id), 1);
}

// Proof 4a: NATS stopped for 10 s while writes continue: no write fails, every event arrives.
TEST_F(EventProof, NatsOutageLosesNoWriteAndNoEvent) {
    start_inventory();
    start_contract();
    ASSERT_TRUE(applied_once_eventually(created_project_id("PD00")));

    nats_->stop();
    std::vector<std::string> written;
    const auto outage_end = std::chrono::steady_clock::now() + 10s;
    int n = 0;
    while (std::chrono::steady_clock::now() < outage_end) {
        const auto response = create_project("PD" + std::to_string(100 + n++));
        ASSERT_EQ(response.status, 201)
            << "a write failed during the NATS outage: " << response.body;
        written.push_back(response.json().at("id").get<std::string>());
        std::this_thread::sleep_for(200ms);  // pacing of the writes, not synchronisation
    }
    ASSERT_GE(written.size(), 20u);
    nats_->start();

    for (const auto& id : written) {
        ASSERT_TRUE(applied_once_eventually(id))
            << "event for project " << id << " did not arrive once";
    }
    EXPECT_TRUE(inventory_->running());
    EXPECT_TRUE(contract_->running());
}

// Proof 4b: PostgreSQL restarted under both services: they recover without being restarted.
TEST_F(EventProof, PostgresRestartIsSurvivedWithoutRestartingServices) {
    start_inventory();
    start_contract();
    ASSERT_TRUE(applied_once_eventually(created_project_id("PE00")));

    sales::test::restart_postgres();

    int attempt = 0;
    std::string id;
    ASSERT_TRUE(eventually(
        [&] {
            try {
                const auto response = create_project("PE" + std::to_string(100 + attempt++));
                if (response.status == 201) {
                    id = response.json().at("id").get<std::string>();
                    return true;
                }
                EXPECT_EQ(response.status, 503)
                    << "while reconnecting only 503 is acceptable: " << response.body;
            } catch (const sales::http::ClientError&) {
                ADD_FAILURE() << "the inventory service stopped answering";
            }
            return false;
        },
        30s, 100ms));
    ASSERT_TRUE(applied_once_eventually(id));
    EXPECT_TRUE(inventory_->running());
    EXPECT_TRUE(contract_->running());
    sales::http::Client inventory("127.0.0.1", inventory_port_),
        contract("127.0.0.1", contract_port_);
    EXPECT_TRUE(eventually([&] { return inventory.get("/readyz").status == 200; }));
    EXPECT_TRUE(eventually([&] { return contract.get("/readyz").status == 200; }));
}

// Proof 5: a malformed message on the subject is dead-lettered and the consumer keeps going.
TEST_F(EventProof, MalformedMessagesAreDeadLetteredAndConsumerContinues) {
    start_inventory();
    start_contract();
    ASSERT_TRUE(applied_once_eventually(created_project_id("PF00")));  // streams and consumer exist

    sales::bus::Nats publisher({nats_->url(), "proof-test"});
    publisher.publish("inventory.project.created", "this is not json {");
    auto bad =
        sales::bus::make_event("inventory", "inventory.project.created", sales::new_uuid(), 1,
                               {{"id", sales::new_uuid()}, {"name", "no code"}, {"version", 1}});
    publisher.publish("inventory.project.created", sales::bus::to_json(bad));

    const auto id = created_project_id("PF01");
    ASSERT_TRUE(applied_once_eventually(id));
    ASSERT_TRUE(eventually([&] {
        return contract_pool_->transaction([&](sales::db::Tx& tx) {
            return tx.exec_one("SELECT count(*) FROM dead_letter").int64(0) == 2;
        });
    }));
    const auto reasons = contract_pool_->transaction([&](sales::db::Tx& tx) {
        std::vector<std::string> out;
        for (const auto& row : tx.exec("SELECT reason FROM dead_letter ORDER BY id"))
            out.push_back(row.text(0));
        return out;
    });
    EXPECT_NE(reasons[0].find("malformed"), std::string::npos) << reasons[0];
    EXPECT_NE(reasons[1].find("data.code"), std::string::npos) << reasons[1];
    EXPECT_TRUE(contract_->running());
}

}  // namespace
