// The HTTP request path: raw bytes from a client socket into an in-process server of
// libs/http with routes that read bodies and queries through sales/input.hpp. The server must
// never crash, hang or answer 500 to anything a client sends.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sales/http.hpp"
#include "sales/input.hpp"
#include "sales/log.hpp"

namespace {
using sales::http::Request;
using sales::http::Response;

std::uint16_t start_server() {
    sales::log::set_level(sales::log::Level::error);
    sales::http::Router router;
    router.add(
        "POST", "/things/{id}",
        [](Request& request) {
            const auto body = sales::service::read_body(
                request, {"name", "amount_fen", "when", "items", "flags"},
                [](const sales::service::Body& b) {
                    auto name = b.text("name", 100);
                    auto amount = b.opt_integer("amount_fen", 0, 1'000'000'000'000);
                    auto when = b.opt_date("when");
                    std::size_t items = 0;
                    if (b.has("items"))
                        items = b.objects("items", 10, {"floor", "note"}).size();
                    auto flags = b.has("flags") ? b.texts("flags", 5, 20).size() : 0;
                    return name.size() + static_cast<std::size_t>(amount.value_or(0) % 7) + items +
                           flags + (when ? 1 : 0);
                });
            return Response::json(201, {{"id", request.params.at("id")}, {"n", body}});
        },
        false);
    router.add(
        "GET", "/things",
        [](Request& request) {
            const sales::service::Query query(request, {"from", "limit", "q"});
            auto from = query.date("from");
            auto limit = query.opt_integer("limit", 1, 500);
            query.check();
            return Response::json(200, {{"limit", limit.value_or(50)}, {"from", bool(from)}});
        },
        false);
    sales::http::ServerOptions options;
    options.io_threads = 1;
    options.body_limit_bytes = 64 * 1024;
    options.read_timeout = std::chrono::milliseconds(500);
    static sales::http::Server server(options, std::move(router), nullptr, nullptr);
    server.start();
    return server.port();
}

int connect_to(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // The server closes first, so its side of every connection waits in TIME_WAIT and holds an
    // ephemeral port; at hundreds of connections a second the ports can run out for a while.
    // That is the harness's limit, not a finding (a crashed server would abort the process).
    int fd = -1;
    for (int attempt = 0; attempt < 100; ++attempt) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
            break;
        ::close(fd);
        fd = -1;
        ::usleep(50'000);
    }
    if (fd < 0)
        return -1;
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    // Close with a reset: tens of thousands of connections a minute would otherwise use up the
    // ephemeral ports in TIME_WAIT.
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    return fd;
}
// The status of each response in `answer` (pipelined responses follow each other; bodies can
// echo the request's bytes, so only status lines found by walking Content-Length count).
std::vector<int> statuses(const std::string& answer) {
    std::vector<int> out;
    std::size_t at = 0;
    while (answer.compare(at, 9, "HTTP/1.1 ") == 0 && at + 12 <= answer.size()) {
        out.push_back(std::atoi(answer.substr(at + 9, 3).c_str()));
        const auto headers_end = answer.find("\r\n\r\n", at);
        if (headers_end == std::string::npos)
            break;
        const auto length_at = answer.find("Content-Length: ", at);
        std::size_t length = 0;
        if (length_at != std::string::npos && length_at < headers_end)
            length = std::strtoul(answer.c_str() + length_at + 16, nullptr, 10);
        at = headers_end + 4 + length;
    }
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::uint16_t port = start_server();
    const int fd = connect_to(port);
    if (fd < 0)
        return 0;
    std::size_t sent = 0;
    while (sent < size) {
        const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buffer[4096];
    while (true) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    // A client's bytes are never a server error.
    for (const auto status : statuses(answer))
        if (status >= 500 && status != 503)
            std::abort();
    return 0;
}
