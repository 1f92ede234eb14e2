#pragma once
// GET /api/v1/live/board: the live 楼盘表 (issue 12). The gateway listens to the inventory's unit
// events on NATS and pushes each to the open streams (Server-Sent Events) of the users assigned
// to its project. A client that reconnects sends the last id it saw (Last-Event-ID) and gets
// what it missed, or a `reset` event when that cannot be told (it then reloads the board).
#include <memory>

#include "sales/http.hpp"
#include "sales/service.hpp"

namespace gateway::adapters {

class LiveBoard;

// Subscribes at start-up and keeps the streams alive (heartbeat, token expiry, revocation).
// Configuration: SALES_GATEWAY_LIVE_MAX_STREAMS (1000), SALES_GATEWAY_LIVE_KEEP (10000 events),
// SALES_GATEWAY_LIVE_HEARTBEAT (15s).
std::shared_ptr<LiveBoard> start_live_board(sales::service::Service& service);

// The handler of GET /api/v1/live/board[?project_id=]: the route table has checked the
// permission and the project.
sales::http::Response open_live_board(LiveBoard& board, sales::http::Request& request);

}  // namespace gateway::adapters
