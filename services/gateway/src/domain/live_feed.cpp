#include "domain/live_feed.hpp"

#include <charconv>
#include <utility>

namespace gateway::domain {

LiveFeed::LiveFeed(std::string epoch, std::size_t capacity)
    : epoch_(std::move(epoch)), capacity_(capacity == 0 ? 1 : capacity) {}

const LiveEvent& LiveFeed::append(std::string project_id, std::string data) {
    if (events_.size() == capacity_)
        events_.pop_front();
    events_.push_back({next_++, std::move(project_id), std::move(data)});
    return events_.back();
}

std::string LiveFeed::id_of(std::uint64_t number) const {
    return epoch_ + "-" + std::to_string(number);
}

std::string LiveFeed::last_id() const {
    return id_of(next_ - 1);
}

std::optional<std::vector<LiveEvent>> LiveFeed::since(std::string_view last_id) const {
    const auto dash = last_id.rfind('-');
    if (dash == std::string_view::npos || last_id.substr(0, dash) != epoch_)
        return std::nullopt;
    const auto digits = last_id.substr(dash + 1);
    std::uint64_t seen = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seen);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        seen >= next_ || seen < resumable_after_)
        return std::nullopt;
    // Every event after `seen` must still be kept.
    if (seen + 1 < next_ && (events_.empty() || events_.front().number > seen + 1))
        return std::nullopt;
    std::vector<LiveEvent> missed;
    for (const auto& event : events_)
        if (event.number > seen)
            missed.push_back(event);
    return missed;
}

// The gap takes a number of its own: last_id() is then resumable, every older id is not.
void LiveFeed::gap() {
    resumable_after_ = next_++;
}

std::string sse_message(const std::string& id, const std::string& event, const std::string& data) {
    std::string message;
    if (!id.empty())
        message += "id: " + id + "\n";
    message += "event: " + event + "\ndata: " + data + "\n\n";
    return message;
}

}  // namespace gateway::domain
