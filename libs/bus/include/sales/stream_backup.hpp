#pragma once
// Backups of the JetStream streams through the JetStream API ($JS.API.STREAM.SNAPSHOT and
// $JS.API.STREAM.RESTORE): each stream's messages, configuration and durable consumers' state,
// as the server's own archive (tar compressed with S2), with the acknowledgement flow control
// the server expects. A backup is a directory:
//   manifest.json        when it was taken and, per stream, its state and archive size
//   <STREAM>.json        the stream's configuration and state when its snapshot was taken
//   <STREAM>.tar.s2      the server's archive
// written under "<dir>.partial" and renamed when complete, so a directory without that suffix is
// always a whole backup.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sales/bus.hpp"

namespace sales::bus {

struct StreamBackupEntry {
    std::string stream;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;  // of the messages, as the server counts them
    std::uint64_t first_sequence = 0;
    std::uint64_t last_sequence = 0;
    std::uint64_t consumers = 0;
    std::uint64_t archive_bytes = 0;
};

struct StreamBackup {
    std::string taken_at;  // RFC 3339 UTC, just before the first snapshot was asked for
    std::vector<StreamBackupEntry> streams;
};

class StreamBackupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Snapshots every stream of the connection's account (or only `streams`) into `dir`, which must
// not exist. Throws StreamBackupError (nothing is left under `dir`; "<dir>.partial" is removed).
StreamBackup snapshot_streams(Nats& nats, const std::filesystem::path& dir,
                              const std::vector<std::string>& streams = {},
                              std::chrono::milliseconds chunk_timeout = std::chrono::seconds(10));

// The manifest of a backup directory; throws StreamBackupError when it is not a whole backup.
StreamBackup read_stream_backup(const std::filesystem::path& dir);

struct StreamRestoreOptions {
    // A stream that exists is deleted first; otherwise it is an error and nothing is restored.
    bool replace_existing = false;
    // Overrides the configuration's replicas (e.g. a three-node cluster's backup restored on a
    // single server).
    std::optional<int> replicas{};
    std::chrono::milliseconds chunk_timeout = std::chrono::seconds(10);
};

// Restores every stream of the backup in `dir`; returns each stream's state as the server
// reports it after the restore. Throws StreamBackupError on the first failure.
std::vector<StreamBackupEntry> restore_streams(Nats& nats, const std::filesystem::path& dir,
                                               const StreamRestoreOptions& options = {});

}  // namespace sales::bus
