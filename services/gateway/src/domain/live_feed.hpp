#pragma once
// The live 楼盘表 feed (Server-Sent Events): the unit events the gateway received, numbered, the
// recent ones kept so that a client that reconnects with the last id it saw gets what it missed.
// Pure: no I/O, no clock, no locking (the adapter locks).
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway::domain {

struct LiveEvent {
    std::uint64_t number = 0;
    std::string project_id;
    std::string data;  // one line of JSON
};

class LiveFeed {
  public:
    // `epoch` tells feeds apart (a new one per process): ids are "<epoch>-<number>".
    LiveFeed(std::string epoch, std::size_t capacity);

    const LiveEvent& append(std::string project_id, std::string data);
    std::string id_of(std::uint64_t number) const;
    // The id of the newest event (number 0 before the first).
    std::string last_id() const;
    // The events after `last_id`, oldest first; none when the client is up to date. nullopt
    // when that cannot be told: an id of another feed (the gateway restarted), one older than
    // what is kept or than a gap, or not an id at all. The client must then reload.
    std::optional<std::vector<LiveEvent>> since(std::string_view last_id) const;
    // Events may have been missed (the message bus reconnected): no id given before now can be
    // resumed.
    void gap();

  private:
    std::string epoch_;
    std::size_t capacity_;
    std::deque<LiveEvent> events_;
    std::uint64_t next_ = 1;
    std::uint64_t resumable_after_ = 0;  // ids older than this number are not resumable
};

// One Server-Sent Events message; `data` must be a single line. `id` may be empty.
std::string sse_message(const std::string& id, const std::string& event, const std::string& data);

}  // namespace gateway::domain
