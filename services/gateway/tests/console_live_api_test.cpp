// The gateway as the web console's server (issue 12), with real processes, PostgreSQL and NATS:
// the console's files (caching, SPA fallback, CSP, no way out of the directory) and the live
// 楼盘表 stream (a change reaches the viewers of its project within a second, nobody else; a
// reconnect resumes; an expired token ends the stream).
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::http::Headers;
using sales::test::expect_error;
using sales::test::Stack;
namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// --- The console's files ------------------------------------------------------------------------

class ConsoleFiles : public sales::test::StackSuite<ConsoleFiles> {
  protected:
    static void SetUpTestSuite() {
        const auto base = fs::temp_directory_path() / ("console-" + sales::new_uuid());
        dir_ = new fs::path(base / "dist");
        write_file(*dir_ / "index.html", "<!doctype html><title>售楼管理系统</title>");
        write_file(*dir_ / "assets/index-3f9a1c.js", "console.log('app')");
        write_file(*dir_ / "assets/index-3f9a1c.js.gz", "GZIPPED-BYTES");
        write_file(*dir_ / "favicon.svg", "<svg/>");
        write_file(base / "secret.txt", "outside the console directory");
        stack_ = new Stack("console", {"gateway"}, {{"SALES_GATEWAY_CONSOLE_DIR", dir_->string()}});
    }
    static void TearDownTestSuite() {
        fs::remove_all(dir_->parent_path());
        delete dir_;
        StackSuite::TearDownTestSuite();
    }
    static sales::http::ClientResponse get(const std::string& path, Headers headers = {}) {
        return stack_->http("gateway").get(path, headers);
    }
    static fs::path* dir_;
};
fs::path* ConsoleFiles::dir_ = nullptr;

TEST_F(ConsoleFiles, IndexIsRevalidatedEveryTimeWithTheConsolesPolicy) {
    const auto index = get("/");
    ASSERT_EQ(index.status, 200) << index.body;
    EXPECT_NE(index.body.find("售楼管理系统"), std::string::npos);
    EXPECT_EQ(index.headers.at("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(index.headers.at("Cache-Control"), "no-cache");
    const auto& policy = index.headers.at("Content-Security-Policy");
    EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
    ASSERT_TRUE(index.headers.count("ETag"));

    const auto again = get("/", {{"If-None-Match", index.headers.at("ETag")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
}

TEST_F(ConsoleFiles, HashedAssetsAreCachedForAYearAndSentGzippedWhenAccepted) {
    const auto plain = get("/assets/index-3f9a1c.js");
    ASSERT_EQ(plain.status, 200);
    EXPECT_EQ(plain.body, "console.log('app')");
    EXPECT_EQ(plain.headers.at("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(plain.headers.at("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(plain.headers.count("Content-Encoding"), 0u);

    const auto packed = get("/assets/index-3f9a1c.js", {{"Accept-Encoding", "gzip, br"}});
    ASSERT_EQ(packed.status, 200);
    EXPECT_EQ(packed.body, "GZIPPED-BYTES");
    EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
    EXPECT_EQ(packed.headers.at("Vary"), "Accept-Encoding");

    const auto icon = get("/favicon.svg");
    ASSERT_EQ(icon.status, 200);
    EXPECT_EQ(icon.headers.at("Cache-Control"), "no-cache") << "not hashed: revalidated";
}

TEST_F(ConsoleFiles, ConsoleRoutesGetIndexMissingFilesAndApiPathsGet404) {
    for (const auto* route : {"/board", "/board/2f0c", "/subscriptions/new", "/login"}) {
        const auto page = get(route);
        EXPECT_EQ(page.status, 200) << route;
        EXPECT_NE(page.body.find("售楼管理系统"), std::string::npos) << route;
    }
    expect_error(get("/assets/index-000000.js"), 404, "not_found");
    expect_error(get("/missing.png"), 404, "not_found");
    expect_error(get("/api/v1/no-such-route"), 404, "not_found");
    // A POST to a console path is no route at all.
    const auto post = stack_->http("gateway").request("POST", "/board", "{}");
    EXPECT_EQ(post.status, 404);
}

TEST_F(ConsoleFiles, NoPathReachesOutsideTheConsoleDirectory) {
    for (const auto* path :
         {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
          "/assets/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/%5c..%5csecret.txt"}) {
        const auto answer = get(path);
        EXPECT_EQ(answer.body.find("outside the console directory"), std::string::npos) << path;
        EXPECT_TRUE(answer.status == 404 || answer.status == 400) << path << " " << answer.status;
    }
    const auto hidden = get("/.env");
    EXPECT_EQ(hidden.status, 404) << "dot files are never served";
}

// --- The live 楼盘表 ----------------------------------------------------------------------------

// An open event stream on a raw socket: what arrived so far.
class EventStream {
  public:
    EventStream(std::uint16_t port, const std::string& token, const std::string& query = "",
                const std::string& last_event_id = "") {
        fd_ = sales::test::connect_loopback(port);
        std::string request = "GET /api/v1/live/board" + query +
                              " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token + "\r\n";
        if (!last_event_id.empty())
            request += "Last-Event-ID: " + last_event_id + "\r\n";
        request += "\r\n";
        EXPECT_EQ(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(request.size()));
        sales::test::set_receive_timeout(fd_, 100ms);
    }
    ~EventStream() { ::close(fd_); }

    // Reads until `text` has arrived (true) or `timeout` passed or the stream ended (false).
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (received_.find(text) == std::string::npos) {
            if (closed_ || std::chrono::steady_clock::now() > deadline)
                return false;
            char buffer[4096];
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0)
                closed_ = true;
            else if (n > 0)
                received_.append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    }
    // How many times `text` has arrived.
    std::size_t count(const std::string& text) const {
        std::size_t n = 0;
        for (auto at = received_.find(text); at != std::string::npos;
             at = received_.find(text, at + 1))
            ++n;
        return n;
    }
    const std::string& received() const { return received_; }
    bool closed() const { return closed_; }
    // The id line of the message that contains `text`.
    std::string id_before(const std::string& text) const {
        const auto at = received_.find(text);
        const auto id = received_.rfind("id: ", at);
        return received_.substr(id + 4, received_.find('\n', id) - id - 4);
    }

  private:
    int fd_ = -1;
    std::string received_;
    bool closed_ = false;
};

class LiveBoard : public sales::test::StackSuite<LiveBoard> {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("liveboard", {"inventory", "gateway"},
                           {{"SALES_GATEWAY_LIVE_HEARTBEAT", "200ms"}});
        mine_ = new Stack::Project(stack_->released_project(2, 2));
        other_ = new Stack::Project(stack_->released_project(1, 2));
    }
    static void TearDownTestSuite() {
        delete mine_;
        delete other_;
        StackSuite::TearDownTestSuite();
    }
    static std::string viewer_token(const std::string& project,
                                    std::chrono::seconds lifetime = 3600s) {
        return Stack::token({"viewer-" + sales::new_uuid().substr(0, 6),
                             {"sales_rep"},
                             {project},
                             std::chrono::system_clock::now() + lifetime,
                             sales::new_uuid()});
    }
    // Takes a unit off sale through the gateway (inventory.unit.status_changed).
    static void withdraw(const std::string& unit_id) {
        const auto answer = stack_->call("gateway", "POST", "/api/v1/units:withdraw",
                                         {{"unit_ids", {unit_id}}, {"reason", "live test"}},
                                         Stack::auth("sales_control"));
        ASSERT_EQ(answer.status, 200) << answer.body;
    }
    static void release(const std::string& unit_id) {
        const auto answer = stack_->call("gateway", "POST", "/api/v1/units:release",
                                         {{"unit_ids", {unit_id}}}, Stack::auth("sales_control"));
        ASSERT_EQ(answer.status, 200) << answer.body;
    }
    static Stack::Project* mine_;
    static Stack::Project* other_;
};
Stack::Project* LiveBoard::mine_ = nullptr;
Stack::Project* LiveBoard::other_ = nullptr;

TEST_F(LiveBoard, AChangeReachesTheViewersOfItsProjectWithinASecondAndNobodyElse) {
    EventStream viewer(stack_->port("gateway"), viewer_token(mine_->id));
    EventStream outsider(stack_->port("gateway"), viewer_token(other_->id));
    ASSERT_TRUE(viewer.wait_for("event: ready")) << viewer.received();
    ASSERT_TRUE(outsider.wait_for("event: ready")) << outsider.received();
    EXPECT_NE(viewer.received().find("text/event-stream"), std::string::npos);

    const auto unit = mine_->unit_ids.at(0);
    const auto changed_at = std::chrono::steady_clock::now();
    withdraw(unit);
    // (The unit's release may still be on its way: wait for this change itself; the event's
    // keys are in alphabetical order.)
    ASSERT_TRUE(viewer.wait_for("\"to\":\"not_for_sale\",\"unit_id\":\"" + unit + "\"", 1s))
        << "the change did not arrive within 1 s: " << viewer.received();
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - changed_at);
    std::cout << "live board: change to viewer in " << latency.count() << " ms\n";
    EXPECT_NE(viewer.received().find("\"to\":\"not_for_sale\""), std::string::npos)
        << viewer.received();

    // Heartbeats come after every event pushed before them: two of them after the change mean
    // the outsider would have had it by now.
    const auto beats = outsider.count(": keep-alive");
    ASSERT_TRUE(sales::test::eventually(
        [&] {
            outsider.wait_for("not in any stream", 100ms);
            return outsider.count(": keep-alive") >= beats + 2;
        },
        5s))
        << outsider.received();
    EXPECT_EQ(outsider.received().find(unit), std::string::npos)
        << "a viewer of another project saw the change";
    release(unit);
}

TEST_F(LiveBoard, AReconnectWithTheLastIdGetsWhatItMissedAStrangeIdGetsReset) {
    const auto unit = mine_->unit_ids.at(1);
    std::string last_seen;
    {
        EventStream viewer(stack_->port("gateway"), viewer_token(mine_->id));
        ASSERT_TRUE(viewer.wait_for("event: ready"));
        withdraw(unit);
        ASSERT_TRUE(viewer.wait_for("\"to\":\"not_for_sale\"")) << viewer.received();
        last_seen = viewer.id_before("\"to\":\"not_for_sale\"");
    }
    // Released while the viewer is away; a second viewer shows when the gateway has the event.
    EventStream watcher(stack_->port("gateway"), viewer_token(mine_->id));
    ASSERT_TRUE(watcher.wait_for("event: ready"));
    release(unit);
    ASSERT_TRUE(watcher.wait_for("\"to\":\"available\"")) << watcher.received();

    EventStream resumed(stack_->port("gateway"), viewer_token(mine_->id), "", last_seen);
    ASSERT_TRUE(resumed.wait_for("event: ready")) << resumed.received();
    const auto& text = resumed.received();
    const auto missed = text.find("\"to\":\"available\"");
    ASSERT_NE(missed, std::string::npos) << "the missed release was not replayed: " << text;
    EXPECT_LT(missed, text.find("event: ready")) << "replayed before ready";
    EXPECT_EQ(text.find("\"to\":\"not_for_sale\""), std::string::npos)
        << "what the client had seen is not sent again";

    EventStream strange(stack_->port("gateway"), viewer_token(mine_->id), "", "someone-else-17");
    ASSERT_TRUE(strange.wait_for("event: reset")) << strange.received();
}

TEST_F(LiveBoard, AnExpiredTokenEndsTheStreamAndOtherProjectsAreRefused) {
    EventStream brief(stack_->port("gateway"), viewer_token(mine_->id, 2s));
    ASSERT_TRUE(brief.wait_for("event: ready"));
    ASSERT_TRUE(brief.wait_for("event: expired", 6s)) << brief.received();
    EXPECT_TRUE(sales::test::eventually(
        [&] {
            brief.wait_for("never", 100ms);
            return brief.closed();
        },
        5s))
        << "the stream stayed open after its token expired";

    const auto refused = stack_->http("gateway").get("/api/v1/live/board?project_id=" + other_->id,
                                                     Stack::bearer(viewer_token(mine_->id)));
    expect_error(refused, 403, "project_forbidden");
    const auto anonymous = stack_->http("gateway").get("/api/v1/live/board");
    EXPECT_EQ(anonymous.status, 401);
}

}  // namespace
