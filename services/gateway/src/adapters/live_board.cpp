#include "adapters/live_board.hpp"

#include <chrono>
#include <list>
#include <mutex>

#include "domain/live_feed.hpp"
#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"

namespace gateway::adapters {
using sales::http::Request;
using sales::http::Response;
using sales::http::ResponseStream;

struct LiveViewer {
    std::shared_ptr<ResponseStream> stream;
    sales::Principal principal;
    std::string project_id;  // "" = every project of the principal

    bool sees(const std::string& project) const {
        return principal.in_project(project) && (project_id.empty() || project_id == project);
    }
};

class LiveBoard {
  public:
    LiveBoard(sales::auth::DenyList& deny, std::size_t max_streams, std::size_t keep)
        : deny_(deny), max_streams_(max_streams), feed_(sales::new_uuid().substr(0, 8), keep) {}

    // A unit event from NATS (nats.c's thread).
    void on_event(const std::string& payload) {
        sales::bus::Event event;
        try {
            event = sales::bus::parse_event(payload);
        } catch (const std::exception& e) {
            sales::log::warn("live board: event ignored", {{"error", e.what()}});
            return;
        }
        const auto project = event.data.value("project_id", std::string());
        if (project.empty())
            return;
        const auto data = nlohmann::json{
            {"type", event.type},
            {"time", event.time},
            {"sequence", event.sequence},
            {"data",
             event.data}}.dump();
        std::lock_guard lock(mutex_);
        const auto& added = feed_.append(project, data);
        const auto message = domain::sse_message(feed_.id_of(added.number), "unit", data);
        for (auto it = viewers_.begin(); it != viewers_.end();) {
            if (it->sees(project) && !it->stream->push(message))
                it = viewers_.erase(it);
            else
                ++it;
        }
        gauge().set(static_cast<double>(viewers_.size()));
    }

    Response open(Request& request) {
        const auto& caller = request.caller();
        LiveViewer viewer{std::make_shared<ResponseStream>(), caller,
                          request.query.count("project_id") ? request.query.at("project_id") : ""};
        auto last_id = request.header("Last-Event-ID");
        if (last_id.empty() && request.query.count("last_event_id"))
            last_id = request.query.at("last_event_id");

        Response response;
        response.content_type = "text/event-stream; charset=utf-8";
        response.headers["X-Accel-Buffering"] = "no";
        response.stream = viewer.stream;
        std::string opening = "retry: 2000\n\n";
        std::lock_guard lock(mutex_);
        if (viewers_.size() >= max_streams_) {
            auto refused = Response::error(
                503, "too_many_connections",
                "the live board has too many viewers; the board still works without live updates",
                {{"limit", "live_streams"}});
            refused.headers["Retry-After"] = "10";
            return refused;
        }
        const auto missed = last_id.empty() ? std::optional(std::vector<domain::LiveEvent>())
                                            : feed_.since(last_id);
        if (!missed) {
            opening += domain::sse_message(
                feed_.last_id(), "reset", R"({"reason":"events since your last id are not kept"})");
        } else {
            for (const auto& event : *missed)
                if (viewer.sees(event.project_id))
                    opening += domain::sse_message(feed_.id_of(event.number), "unit", event.data);
            opening += domain::sse_message(feed_.last_id(), "ready", "{}");
        }
        response.body = std::move(opening);
        viewers_.push_back(std::move(viewer));
        gauge().set(static_cast<double>(viewers_.size()));
        return response;
    }

    // Every heartbeat: a comment to keep proxies from closing idle streams (and to notice dead
    // peers); a stream whose token expired or was revoked ends (the client reconnects with a
    // fresh token); after a NATS reconnect every client reloads.
    void heartbeat(std::uint64_t reconnects) {
        const auto now = std::chrono::system_clock::now();
        std::lock_guard lock(mutex_);
        std::string beat = ": keep-alive\n\n";
        if (reconnects != reconnects_) {
            reconnects_ = reconnects;
            feed_.gap();
            beat = domain::sse_message(feed_.last_id(), "reset",
                                       R"({"reason":"the message bus reconnected"})");
        }
        for (auto it = viewers_.begin(); it != viewers_.end();) {
            const bool expired = it->principal.expires_at <= now;
            const bool revoked = !deny_.reason(it->principal).empty();
            if (expired || revoked) {
                it->stream->push(domain::sse_message(
                    "", "expired",
                    revoked ? R"({"reason":"revoked"})" : R"({"reason":"expired"})"));
                it->stream->close();
                it = viewers_.erase(it);
            } else if (!it->stream->push(beat)) {
                it = viewers_.erase(it);
            } else {
                ++it;
            }
        }
        gauge().set(static_cast<double>(viewers_.size()));
    }

  private:
    static sales::metrics::Gauge& gauge() {
        return sales::metrics::registry().gauge("live_board_streams",
                                                "open live 楼盘表 streams (Server-Sent Events)");
    }

    sales::auth::DenyList& deny_;
    const std::size_t max_streams_;
    std::mutex mutex_;
    domain::LiveFeed feed_;
    std::list<LiveViewer> viewers_;
    std::uint64_t reconnects_ = 0;
};

std::shared_ptr<LiveBoard> start_live_board(sales::service::Service& service) {
    using namespace std::chrono_literals;
    const auto& config = service.config();
    auto board = std::make_shared<LiveBoard>(
        service.deny_list(),
        static_cast<std::size_t>(
            config.integer("SALES_GATEWAY_LIVE_MAX_STREAMS", 1000, 1, 100'000)),
        static_cast<std::size_t>(config.integer("SALES_GATEWAY_LIVE_KEEP", 10'000, 1, 1'000'000)));
    service.listen("inventory.unit.>",
                   [board](const std::string& payload) { board->on_event(payload); });
    service.every("live board heartbeat",
                  config.duration("SALES_GATEWAY_LIVE_HEARTBEAT", 15s, 100ms, 10min),
                  [&service, board] { board->heartbeat(service.nats().reconnects()); });
    return board;
}

Response open_live_board(LiveBoard& board, Request& request) {
    return board.open(request);
}

}  // namespace gateway::adapters
