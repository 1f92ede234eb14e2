// JetStream stream backups (SEC-3) against real nats-servers: a snapshot of one server's streams
// restored into another server with an empty store keeps every message and each durable
// consumer's position; nothing is restored over an existing stream unless asked; a damaged
// backup is refused.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../src/nats_impl.hpp"  // the connection handle, to pull and acknowledge
#include "sales/bus.hpp"
#include "sales/stream_backup.hpp"
#include "test_support.hpp"

namespace sales::bus {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

NatsOptions options_for(const test::NatsServer& server) {
    NatsOptions o;
    o.url = server.url();
    o.name = "stream-backup-test";
    return o;
}

json api(Nats& nats, const std::string& subject, const std::string& body = "") {
    const auto reply = nats.request(subject, body, 5s);
    if (!reply)
        throw std::runtime_error(subject + ": no answer");
    return json::parse(*reply);
}

// Pulls the durable's next message and acknowledges it (waiting for the server's confirmation);
// returns its stream sequence.
std::uint64_t pull_and_ack(Nats& nats, const std::string& stream, const std::string& durable) {
    natsMsg* msg = nullptr;
    const std::string next = "$JS.API.CONSUMER.MSG.NEXT." + stream + "." + durable;
    const std::string request = R"({"batch":1,"expires":2000000000})";
    if (natsConnection_Request(&msg, nats.impl().nc, next.c_str(), request.data(),
                               static_cast<int>(request.size()), 5'000) != NATS_OK)
        throw std::runtime_error("no message for " + durable);
    const std::string reply = natsMsg_GetReply(msg) != nullptr ? natsMsg_GetReply(msg) : "";
    natsMsg_Destroy(msg);
    // $JS.ACK.<stream>.<durable>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>
    std::vector<std::string> tokens;
    for (std::size_t start = 0, dot; start <= reply.size(); start = dot + 1) {
        dot = reply.find('.', start);
        if (dot == std::string::npos)
            dot = reply.size();
        tokens.push_back(reply.substr(start, dot - start));
    }
    if (tokens.size() < 9 || tokens[0] != "$JS" || tokens[1] != "ACK")
        throw std::runtime_error("not a JetStream message: reply " + reply);
    nats.request(reply, "+ACK", 5s);  // acknowledged with a reply: the ack is stored
    return std::stoull(tokens[5]);
}

std::uint64_t ack_floor(Nats& nats, const std::string& stream, const std::string& durable) {
    const json info = api(nats, "$JS.API.CONSUMER.INFO." + stream + "." + durable);
    return info.at("ack_floor").at("stream_seq").get<std::uint64_t>();
}

class StreamBackupTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::path(test::temp_dir("stream-backup"));
        nats = std::make_unique<Nats>(options_for(source));
        StreamConfig stream;
        stream.name = "TBACKUP";
        stream.subjects = {"tbackup.>"};
        nats->ensure_stream(stream);
        for (int i = 1; i <= 20; ++i)
            nats->request("tbackup.event", R"({"n":)" + std::to_string(i) + "}", 5s);
        ConsumerConfig consumer;
        consumer.stream = "TBACKUP";
        consumer.durable = "reader";
        nats->ensure_consumer(consumer);
        for (int i = 0; i < 5; ++i)
            pull_and_ack(*nats, "TBACKUP", "reader");
        ASSERT_TRUE(
            test::eventually([&] { return ack_floor(*nats, "TBACKUP", "reader") == 5; }, 5s));
    }
    void TearDown() override { fs::remove_all(dir); }

    test::NatsServer source;
    std::unique_ptr<Nats> nats;
    fs::path dir;
};

TEST_F(StreamBackupTest, SnapshotRestoredIntoAnEmptyServerKeepsMessagesAndConsumerPositions) {
    // SEC-3: the streams are backed up through the JetStream API.
    const StreamBackup backup = snapshot_streams(*nats, dir / "b1");
    ASSERT_EQ(backup.streams.size(), 1u);
    EXPECT_EQ(backup.streams[0].stream, "TBACKUP");
    EXPECT_EQ(backup.streams[0].messages, 20u);
    EXPECT_EQ(backup.streams[0].last_sequence, 20u);
    EXPECT_EQ(backup.streams[0].consumers, 1u);
    EXPECT_GT(backup.streams[0].archive_bytes, 0u);
    EXPECT_FALSE(fs::exists(dir / "b1.partial"));
    EXPECT_EQ(read_stream_backup(dir / "b1").streams[0].archive_bytes,
              backup.streams[0].archive_bytes);

    test::NatsServer target;  // another server, empty store
    Nats restored_into(options_for(target));
    const auto restored = restore_streams(restored_into, dir / "b1");
    ASSERT_EQ(restored.size(), 1u);
    EXPECT_EQ(restored[0].messages, 20u);
    EXPECT_EQ(restored[0].first_sequence, 1u);
    EXPECT_EQ(restored[0].last_sequence, 20u);
    // The durable resumes where it was: the next message is the sixth.
    EXPECT_EQ(ack_floor(restored_into, "TBACKUP", "reader"), 5u);
    EXPECT_EQ(pull_and_ack(restored_into, "TBACKUP", "reader"), 6u);
    const json message = api(restored_into, "$JS.API.STREAM.MSG.GET.TBACKUP", R"({"seq":20})");
    EXPECT_EQ(message.at("message").at("subject"), "tbackup.event");
}

TEST_F(StreamBackupTest, AnExistingStreamIsReplacedOnlyWhenAsked) {
    snapshot_streams(*nats, dir / "b1");
    nats->request("tbackup.event", R"({"n":21})", 5s);  // the live stream moves on

    try {
        restore_streams(*nats, dir / "b1");
        ADD_FAILURE() << "restored over an existing stream";
    } catch (const StreamBackupError& e) {
        EXPECT_NE(std::string(e.what()).find("TBACKUP exists"), std::string::npos) << e.what();
    }
    EXPECT_EQ(api(*nats, "$JS.API.STREAM.INFO.TBACKUP").at("state").at("messages"), 21);

    StreamRestoreOptions replace;
    replace.replace_existing = true;
    const auto restored = restore_streams(*nats, dir / "b1", replace);
    ASSERT_EQ(restored.size(), 1u);
    EXPECT_EQ(restored[0].messages, 20u);
    EXPECT_EQ(api(*nats, "$JS.API.STREAM.INFO.TBACKUP").at("state").at("messages"), 20);
}

TEST_F(StreamBackupTest, ADamagedOrIncompleteBackupIsRefused) {
    snapshot_streams(*nats, dir / "b1");
    EXPECT_THROW(snapshot_streams(*nats, dir / "b1"), StreamBackupError);  // never overwritten

    const fs::path archive = dir / "b1" / "TBACKUP.tar.s2";
    fs::resize_file(archive, fs::file_size(archive) / 2);
    test::NatsServer target;
    Nats restored_into(options_for(target));
    EXPECT_THROW(restore_streams(restored_into, dir / "b1"), StreamBackupError);
    EXPECT_EQ(api(restored_into, "$JS.API.STREAM.NAMES").value("total", -1), 0);

    fs::remove(dir / "b1" / "manifest.json");  // as a snapshot cut short leaves it
    EXPECT_THROW(read_stream_backup(dir / "b1"), StreamBackupError);
}

}  // namespace
}  // namespace sales::bus
