#include "sales/stream_backup.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <system_error>

#include <nats/nats.h>

#include "nats_impl.hpp"

namespace sales::bus {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kChunkBytes = 128 * 1024;  // well under the servers' 1 MB max_payload
const std::chrono::milliseconds kApiTimeout{10'000};

std::string utc_now_rfc3339() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
        1'000'000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(micros));
    return text;
}

// A JetStream API call: the response's JSON, or StreamBackupError with the server's error.
json api(Nats& nats, const std::string& subject, const json& request) {
    const auto reply = nats.request(subject, request.is_null() ? "" : request.dump(), kApiTimeout);
    if (!reply)
        throw StreamBackupError(subject + ": no answer within " +
                                std::to_string(kApiTimeout.count()) +
                                " ms (JetStream not enabled, or no stream leader?)");
    json response = json::parse(*reply, nullptr, false);
    if (response.is_discarded())
        throw StreamBackupError(subject + ": the answer is not JSON: " + *reply);
    if (response.contains("error")) {
        const auto& error = response["error"];
        throw StreamBackupError(subject + ": " + error.value("description", error.dump()) +
                                " (code " + std::to_string(error.value("code", 0)) + ")");
    }
    return response;
}

std::vector<std::string> stream_names(Nats& nats) {
    std::vector<std::string> names;
    for (;;) {
        const json page = api(nats, "$JS.API.STREAM.NAMES", {{"offset", names.size()}});
        if (!page.contains("streams") || !page["streams"].is_array() || page["streams"].empty())
            break;
        for (const auto& name : page["streams"])
            names.push_back(name.get<std::string>());
        if (names.size() >= page.value("total", std::size_t{0}))
            break;
    }
    return names;
}

StreamBackupEntry entry_from_state(const std::string& stream, const json& state) {
    StreamBackupEntry entry;
    entry.stream = stream;
    entry.messages = state.value("messages", std::uint64_t{0});
    entry.bytes = state.value("bytes", std::uint64_t{0});
    entry.first_sequence = state.value("first_seq", std::uint64_t{0});
    entry.last_sequence = state.value("last_seq", std::uint64_t{0});
    entry.consumers = state.value("consumer_count", std::uint64_t{0});
    return entry;
}

json entry_to_json(const StreamBackupEntry& e) {
    return {{"stream", e.stream},
            {"messages", e.messages},
            {"bytes", e.bytes},
            {"first_seq", e.first_sequence},
            {"last_seq", e.last_sequence},
            {"consumers", e.consumers},
            {"archive_bytes", e.archive_bytes}};
}

void write_json(const fs::path& path, const json& value) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << value.dump(2) << '\n';
    if (!out.flush())
        throw StreamBackupError("cannot write " + path.string());
}

json read_json(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StreamBackupError("cannot read " + path.string());
    json value = json::parse(in, nullptr, false);
    if (value.is_discarded())
        throw StreamBackupError(path.string() + " is not JSON");
    return value;
}

struct SubscriptionGuard {
    natsSubscription* sub = nullptr;
    ~SubscriptionGuard() {
        if (sub != nullptr) {
            natsSubscription_Unsubscribe(sub);
            natsSubscription_Destroy(sub);
        }
    }
};

// One stream's archive: the server sends chunks to our inbox, each with a reply subject that
// acknowledges it (its flow control), then an empty message.
StreamBackupEntry snapshot_one(Nats& nats, const std::string& stream, const fs::path& dir,
                               std::chrono::milliseconds chunk_timeout) {
    natsConnection* nc = nats.impl().nc;
    natsInbox* inbox = nullptr;
    if (natsInbox_Create(&inbox) != NATS_OK)
        throw StreamBackupError("cannot make an inbox for the snapshot of " + stream);
    const std::string deliver = inbox;
    natsInbox_Destroy(inbox);
    SubscriptionGuard sub;
    if (natsConnection_SubscribeSync(&sub.sub, nc, deliver.c_str()) != NATS_OK ||
        natsSubscription_SetPendingLimits(sub.sub, -1, -1) != NATS_OK)
        throw StreamBackupError(
            nats_error_text("cannot subscribe for the snapshot of " + stream, NATS_ERR));

    const json response = api(nats, "$JS.API.STREAM.SNAPSHOT." + stream,
                              {{"deliver_subject", deliver}, {"chunk_size", kChunkBytes}});
    write_json(dir / (stream + ".json"), {{"config", response.value("config", json::object())},
                                          {"state", response.value("state", json::object())}});
    StreamBackupEntry entry = entry_from_state(stream, response.value("state", json::object()));

    const fs::path archive = dir / (stream + ".tar.s2");
    std::ofstream out(archive, std::ios::binary | std::ios::trunc);
    for (;;) {
        MsgGuard chunk;
        const natsStatus s = natsSubscription_NextMsg(&chunk.msg, sub.sub, chunk_timeout.count());
        if (s == NATS_TIMEOUT)
            throw StreamBackupError("snapshot of " + stream + ": no chunk for " +
                                    std::to_string(chunk_timeout.count()) + " ms after " +
                                    std::to_string(entry.archive_bytes) + " bytes");
        if (s != NATS_OK)
            throw StreamBackupError(
                nats_error_text("snapshot of " + stream + ": receiving a chunk", s));
        const int length = natsMsg_GetDataLength(chunk.msg);
        const char* status = nullptr;
        if (natsMsgHeader_Get(chunk.msg, "Status", &status) == NATS_OK && status != nullptr &&
            *status != '\0') {
            const char* description = nullptr;
            natsMsgHeader_Get(chunk.msg, "Description", &description);
            throw StreamBackupError("snapshot of " + stream + " ended by the server: " + status +
                                    " " + (description != nullptr ? description : ""));
        }
        if (length == 0)
            break;  // the end of the archive
        out.write(natsMsg_GetData(chunk.msg), length);
        entry.archive_bytes += static_cast<std::uint64_t>(length);
        if (const char* reply = natsMsg_GetReply(chunk.msg); reply != nullptr && *reply != '\0')
            nats.publish(reply, "");
    }
    if (!out.flush())
        throw StreamBackupError("cannot write " + archive.string());
    if (entry.archive_bytes == 0)
        throw StreamBackupError("snapshot of " + stream + ": the server sent an empty archive");
    return entry;
}

}  // namespace

StreamBackup snapshot_streams(Nats& nats, const fs::path& dir,
                              const std::vector<std::string>& streams,
                              std::chrono::milliseconds chunk_timeout) {
    if (fs::exists(dir))
        throw StreamBackupError(dir.string() + " exists: a backup goes into a new directory");
    const fs::path partial = dir.string() + ".partial";
    std::error_code ignored;
    fs::remove_all(partial, ignored);
    fs::create_directories(partial);
    try {
        StreamBackup backup;
        backup.taken_at = utc_now_rfc3339();
        for (const auto& stream : streams.empty() ? stream_names(nats) : streams)
            backup.streams.push_back(snapshot_one(nats, stream, partial, chunk_timeout));
        json manifest = {{"taken_at", backup.taken_at}, {"streams", json::array()}};
        for (const auto& entry : backup.streams)
            manifest["streams"].push_back(entry_to_json(entry));
        write_json(partial / "manifest.json", manifest);
        fs::rename(partial, dir);
        return backup;
    } catch (...) {
        fs::remove_all(partial, ignored);
        throw;
    }
}

StreamBackup read_stream_backup(const fs::path& dir) {
    const json manifest = read_json(dir / "manifest.json");
    StreamBackup backup;
    try {
        backup.taken_at = manifest.at("taken_at").get<std::string>();
        for (const auto& s : manifest.at("streams")) {
            StreamBackupEntry entry;
            entry.stream = s.at("stream").get<std::string>();
            entry.messages = s.at("messages").get<std::uint64_t>();
            entry.bytes = s.at("bytes").get<std::uint64_t>();
            entry.first_sequence = s.at("first_seq").get<std::uint64_t>();
            entry.last_sequence = s.at("last_seq").get<std::uint64_t>();
            entry.consumers = s.at("consumers").get<std::uint64_t>();
            entry.archive_bytes = s.at("archive_bytes").get<std::uint64_t>();
            backup.streams.push_back(entry);
        }
    } catch (const json::exception& e) {
        throw StreamBackupError((dir / "manifest.json").string() + ": " + e.what());
    }
    for (const auto& entry : backup.streams) {
        const fs::path archive = dir / (entry.stream + ".tar.s2");
        std::error_code error;
        const auto size = fs::file_size(archive, error);
        if (error || size != entry.archive_bytes)
            throw StreamBackupError(archive.string() + ": " +
                                    (error ? error.message()
                                           : std::to_string(size) + " bytes, the manifest says " +
                                                 std::to_string(entry.archive_bytes)));
    }
    return backup;
}

std::vector<StreamBackupEntry> restore_streams(Nats& nats, const fs::path& dir,
                                               const StreamRestoreOptions& options) {
    const StreamBackup backup = read_stream_backup(dir);
    const auto existing = stream_names(nats);
    auto exists = [&](const std::string& name) {
        for (const auto& e : existing)
            if (e == name)
                return true;
        return false;
    };
    if (!options.replace_existing) {
        for (const auto& entry : backup.streams)
            if (exists(entry.stream))
                throw StreamBackupError("stream " + entry.stream +
                                        " exists: nothing restored (replace it with --replace, "
                                        "or restore into a server with an empty store)");
    }
    std::vector<StreamBackupEntry> restored;
    std::vector<char> chunk(kChunkBytes);
    for (const auto& entry : backup.streams) {
        json saved = read_json(dir / (entry.stream + ".json"));
        json config = saved.value("config", json::object());
        if (options.replicas)
            config["num_replicas"] = *options.replicas;
        if (exists(entry.stream))
            api(nats, "$JS.API.STREAM.DELETE." + entry.stream, nullptr);
        const json started = api(nats, "$JS.API.STREAM.RESTORE." + entry.stream,
                                 {{"config", config}, {"state", saved.value("state", json())}});
        const std::string deliver = started.value("deliver_subject", "");
        if (deliver.empty())
            throw StreamBackupError("restore of " + entry.stream + ": no deliver subject");
        std::ifstream in(dir / (entry.stream + ".tar.s2"), std::ios::binary);
        for (;;) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto length = static_cast<std::size_t>(in.gcount());
            if (length == 0)
                break;
            const auto ack =
                nats.request(deliver, std::string(chunk.data(), length), options.chunk_timeout);
            if (!ack || ack->rfind("-ERR", 0) == 0)
                throw StreamBackupError(
                    "restore of " + entry.stream + ": a chunk was " +
                    (ack ? "refused: " + *ack : std::string("not acknowledged")));
        }
        // The empty message ends the upload; the answer is the restored stream, or its error.
        const auto done = nats.request(deliver, "", std::chrono::milliseconds(60'000));
        if (!done)
            throw StreamBackupError("restore of " + entry.stream + ": no answer after the upload");
        json info = json::parse(*done, nullptr, false);
        if (info.is_discarded() || info.contains("error"))
            throw StreamBackupError("restore of " + entry.stream + " failed: " +
                                    (info.is_discarded() ? *done : info["error"].dump()));
        StreamBackupEntry after =
            entry_from_state(entry.stream, info.value("state", json::object()));
        after.archive_bytes = entry.archive_bytes;
        restored.push_back(after);
    }
    return restored;
}

}  // namespace sales::bus
