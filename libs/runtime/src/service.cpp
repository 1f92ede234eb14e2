#include "sales/service.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "sales/auth.hpp"
#include "sales/log.hpp"

namespace sales::service {
namespace {
std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// Retries `attempt` until it succeeds or the deadline passes, logging each failure once per
// distinct message; rethrows the last error after the deadline.
template <class F>
auto with_startup_retries(const std::string& what, std::chrono::milliseconds timeout, F&& attempt) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last_message;
    auto delay = std::chrono::milliseconds(100);
    while (true) {
        try {
            return attempt();
        } catch (const std::exception& e) {
            if (std::chrono::steady_clock::now() + delay >= deadline) {
                throw std::runtime_error(what + " not reachable within " +
                                         std::to_string(timeout.count() / 1000) +
                                         " s: " + e.what());
            }
            if (e.what() != last_message) {
                last_message = e.what();
                log::warn("waiting for dependency",
                          {{"dependency", what}, {"error", last_message}});
            }
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(2'000));
        }
    }
}
}  // namespace

struct Service::Impl {
    Spec spec;
    const Config& config;
    std::string prefix;
    SystemClock clock;
    http::Router router;
    std::unique_ptr<db::Pool> pool;
    std::unique_ptr<bus::Nats> nats;
    std::unique_ptr<bus::Relay> relay;
    struct Consumer {
        bus::InboxOptions options;
        bus::InboxHandler handler;
    };
    std::vector<Consumer> consumers;
    std::vector<std::unique_ptr<bus::InboxConsumer>> running_consumers;
    struct Responder {
        std::string subject;
        std::function<std::string(const std::string&)> handler;
    };
    std::vector<Responder> responders;
    struct Listener {
        std::string subject;
        std::function<void(const std::string&)> handler;
    };
    std::vector<Listener> listeners;
    struct Periodic {
        std::string name;
        std::chrono::milliseconds interval;
        std::function<void()> task;
    };
    std::vector<Periodic> periodic;
    std::mutex periodic_mutex;
    std::condition_variable periodic_cv;
    bool stopping = false;
    std::vector<std::thread> periodic_threads;

    void connect(bool serving);
    void stop_periodic() {
        {
            std::lock_guard lock(periodic_mutex);
            stopping = true;
        }
        periodic_cv.notify_all();
        for (auto& t : periodic_threads)
            t.join();
        periodic_threads.clear();
    }
    ~Impl() { stop_periodic(); }

    void run_periodic(const Periodic& p) {
        while (true) {
            {
                std::unique_lock lock(periodic_mutex);
                if (periodic_cv.wait_for(lock, p.interval, [&] { return stopping; }))
                    return;
            }
            try {
                p.task();
            } catch (const std::exception& e) {
                log::warn("periodic task failed", {{"task", p.name}, {"error", e.what()}});
            }
        }
    }
    std::unique_ptr<auth::Verifier> verifier;
    auth::DenyList deny_list;
    // Where the periodic refresh reads on from (load_denials); set by the load before serving.
    std::shared_ptr<std::string> deny_list_since = std::make_shared<std::string>();
    std::vector<std::function<void()>> start_tasks;
    http::Headers response_headers;
    decltype(http::ServerOptions::observer) request_observer;

    Impl(Spec s, const Config& c)
        : spec(std::move(s)), config(c), prefix("SALES_" + upper(spec.name) + "_") {}
};

Service::Service(Spec spec, const Config& config)
    : impl_(std::make_unique<Impl>(std::move(spec), config)) {
    auto& i = *impl_;
    log::set_service(i.spec.name);
    log::set_level(log::parse_level(
        config.one_of("SALES_LOG_LEVEL", "info", {"debug", "info", "warn", "error"})));
    // Public keys only (issue 11 item 8): no service but the gateway can mint a token.
    try {
        i.verifier = std::make_unique<auth::Verifier>(
            auth::parse_public_keys(config.secret("SALES_TOKEN_PUBLIC_KEYS")));
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("configuration: SALES_TOKEN_PUBLIC_KEYS: ") + e.what() +
                          " (expected 'kid:<base64 Ed25519 public key>', at most two, comma-"
                          "separated)");
    }
    db::PoolOptions pool_options;
    pool_options.conninfo = config.secret(i.prefix + "DB");
    // As many as handlers run at once (connections open only when needed).
    pool_options.size = static_cast<int>(config.integer(i.prefix + "DB_POOL", 16, 1, 512));
    i.pool = std::make_unique<db::Pool>(pool_options);
    const bus::StreamConfig identity{"IDENTITY", {"identity.>"}};
    if (i.spec.stream.name != identity.name) {
        const bool declared =
            std::any_of(i.spec.upstream.begin(), i.spec.upstream.end(),
                        [&](const bus::StreamConfig& s) { return s.name == identity.name; });
        if (!declared)
            i.spec.upstream.push_back(identity);
    }
    auto* list = &i.deny_list;
    consume("IDENTITY", "identity.>", [list](db::Tx& tx, const bus::Event& event) {
        apply_identity_event(tx, event, *list);
    });
    // The consumer above updates the list of the replica that got the event; the others learn
    // it from the table within SALES_DENY_LIST_REFRESH (SEC-1: a disabled user is refused by
    // every replica of every service).
    auto* pool = i.pool.get();
    auto since = i.deny_list_since;
    every("deny list refresh",
          config.duration("SALES_DENY_LIST_REFRESH", std::chrono::seconds(1),
                          std::chrono::milliseconds(100), std::chrono::minutes(1)),
          [pool, list, since] { *since = load_denials(*pool, *list, *since); });
}

Service::~Service() = default;

http::Router& Service::router() {
    return impl_->router;
}

void Service::route(const std::string& method, const std::string& pattern,
                    std::vector<std::string> permissions, RouteHandler handler) {
    impl_->router.add(
        method, pattern,
        with_dependency_errors([permissions = std::move(permissions), handler = std::move(handler),
                                pattern](http::Request& request) {
            const auto& caller = request.caller();
            require_any(caller, permissions);
            if (!is_write(request.method))
                return handler(request, caller);
            // Refused before the handler runs, whatever the handler reads first.
            request.refuse_deep_nesting();
            const auto entry = audit_entry_of(request, caller, pattern);
            db::BeforeCommitScope audited([&entry](db::Tx& tx) { append_audit_trail(tx, entry); });
            return handler(request, caller);
        }),
        true);
}

void Service::public_route(const std::string& method, const std::string& pattern,
                           http::Handler handler) {
    impl_->router.add(method, pattern, with_dependency_errors(std::move(handler)), false);
}
auth::DenyList& Service::deny_list() {
    return impl_->deny_list;
}
void Service::at_start(std::function<void()> task) {
    impl_->start_tasks.push_back(std::move(task));
}
void Service::add_response_header(const std::string& name, const std::string& value) {
    impl_->response_headers[name] = value;
}
void Service::observe_requests(decltype(http::ServerOptions::observer) observer) {
    impl_->request_observer = std::move(observer);
}

db::Pool& Service::db() {
    return *impl_->pool;
}
bus::Nats& Service::nats() {
    if (!impl_->nats)
        throw std::logic_error("NATS is connected in run(); use it from handlers only");
    return *impl_->nats;
}
const Clock& Service::clock() const {
    return impl_->clock;
}
const Config& Service::config() const {
    return impl_->config;
}
const std::string& Service::name() const {
    return impl_->spec.name;
}

void Service::serve(const std::string& subject,
                    std::function<std::string(const std::string&)> handler) {
    impl_->responders.push_back({subject, std::move(handler)});
}

void Service::listen(const std::string& subject,
                     std::function<void(const std::string& payload)> handler) {
    impl_->listeners.push_back({subject, std::move(handler)});
}

void Service::every(const std::string& task_name, std::chrono::milliseconds interval,
                    std::function<void()> task) {
    impl_->periodic.push_back({task_name, interval, std::move(task)});
}

void Service::consume(const std::string& stream, const std::string& subject,
                      bus::InboxHandler handler) {
    auto& i = *impl_;
    bus::InboxOptions options;
    options.consumer.stream = stream;
    // One durable per (service, subject filter): another department adds its own durable.
    std::string durable = i.spec.name + "_" + subject;
    std::replace_if(
        durable.begin(), durable.end(), [](char c) { return c == '.' || c == '>' || c == '*'; },
        '_');
    options.consumer.durable = durable;
    options.consumer.filter_subject = subject;
    // A durable hands out one message at a time (stream order across replicas), so an ack lost
    // with a NATS connection holds the consumer until the ack wait ends: kept short. A handler
    // outliving it is harmless (the redelivery waits on the first one's inbox row, then skips).
    options.consumer.ack_wait =
        i.config.duration(i.prefix + "ACK_WAIT", std::chrono::seconds(5),
                          std::chrono::milliseconds(500), std::chrono::hours(1));
    options.consumer.max_deliver =
        static_cast<int>(i.config.integer(i.prefix + "MAX_DELIVER", 5, 1, 1000));
    options.nak_delay = i.config.duration(i.prefix + "NAK_DELAY", std::chrono::seconds(1),
                                          std::chrono::milliseconds(10), std::chrono::minutes(10));
    i.consumers.push_back({options, std::move(handler)});
}

// Migrations applied, NATS connected and the streams declared: what run() and
// rebuild_read_model() need first. Start tasks run only when serving.
void Service::Impl::connect(bool serving) {
    auto& i = *this;
    const auto startup_timeout =
        i.config.duration("SALES_STARTUP_TIMEOUT", std::chrono::seconds(60),
                          std::chrono::seconds(1), std::chrono::hours(1));
    // Images install the SQL under one root (deploy/images): <root>/bus, <root>/runtime and
    // <root>/<service>; a source build reads it from the source tree.
    const std::string root = i.config.str("SALES_MIGRATIONS_ROOT", "");
    const auto under_root = [&root](const std::string& set, std::string source_tree) {
        return root.empty() ? source_tree : root + "/" + set;
    };
    const std::string migrations =
        i.config.str(i.prefix + "MIGRATIONS", under_root(i.spec.name, i.spec.migrations_directory));

    const int applied = with_startup_retries("PostgreSQL", startup_timeout, [&] {
        return db::migrate(*i.pool,
                           {{"bus", under_root("bus", bus::migrations_directory())},
                            {"runtime", under_root("runtime", runtime_migrations_directory())},
                            {i.spec.name, migrations}});
    });
    log::info("migrations applied", {{"count", applied}});
    if (serving) {
        *i.deny_list_since = load_denials(*i.pool, i.deny_list);  // all rows, before serving
        for (const auto& task : i.start_tasks)
            task();
    }

    bus::NatsOptions nats_options;
    nats_options.url = i.config.str("SALES_NATS_URL", "nats://127.0.0.1:4222");
    nats_options.name = i.spec.name;
    // Its own NATS user (deploy/local/nats.conf); a password without a user is a mistake.
    nats_options.user = i.config.str("SALES_NATS_USER", "");
    nats_options.password = i.config.secret("SALES_NATS_PASSWORD", false);
    if (nats_options.user.empty() && !nats_options.password.empty())
        throw ConfigError("configuration: SALES_NATS_PASSWORD is set but SALES_NATS_USER is not");
    i.nats = with_startup_retries("NATS at " + nats_options.url, startup_timeout,
                                  [&] { return std::make_unique<bus::Nats>(nats_options); });
    // SALES_STREAM_REPLICAS: 3 on a three-node JetStream cluster (deploy/compose, Kubernetes).
    const auto replicas = static_cast<int>(i.config.integer("SALES_STREAM_REPLICAS", 1, 1, 5));
    i.spec.stream.replicas = replicas;
    for (auto& s : i.spec.upstream)
        s.replicas = replicas;
    with_startup_retries("JetStream", startup_timeout, [&] {
        i.nats->ensure_stream(i.spec.stream);
        for (const auto& s : i.spec.upstream)
            i.nats->ensure_stream(s, /*update_existing=*/false);
        return 0;
    });
}

int Service::rebuild_read_model(const std::function<void(db::Tx&)>& empty_read_model) {
    auto& i = *impl_;
    i.connect(/*serving=*/false);
    std::vector<std::string> subjects;
    for (const auto& c : i.consumers) {
        if (c.options.consumer.stream != "IDENTITY")
            subjects.push_back(c.options.consumer.filter_subject);
    }
    for (auto& subject : subjects) {
        if (!subject.empty() && subject.back() == '>')
            subject.pop_back();
    }
    i.pool->transaction([&](db::Tx& tx) {
        empty_read_model(tx);
        bus::forget_applied_events(tx, subjects);
    });
    for (const auto& c : i.consumers) {
        if (c.options.consumer.stream == "IDENTITY")
            continue;
        const bool existed =
            i.nats->delete_consumer(c.options.consumer.stream, c.options.consumer.durable);
        log::info("read model: consumer removed; the next start replays its stream",
                  {{"stream", c.options.consumer.stream},
                   {"consumer", c.options.consumer.durable},
                   {"existed", existed}});
    }
    log::info("read model emptied; start the service to replay the streams", {});
    return 0;
}

int Service::run() {
    auto& i = *impl_;
    i.connect(/*serving=*/true);

    http::ServerOptions server_options;
    server_options.service_name = i.spec.name;
    // SALES_BIND: every service of a container image listens on all its interfaces.
    server_options.address =
        i.config.str(i.prefix + "BIND", i.config.str("SALES_BIND", "127.0.0.1"));
    server_options.port = i.config.port(i.prefix + "PORT", i.spec.default_port);
    server_options.io_threads =
        static_cast<int>(i.config.integer(i.prefix + "IO_THREADS", 4, 1, 256));
    server_options.handler_threads =
        static_cast<int>(i.config.integer(i.prefix + "HANDLER_THREADS", 16, 1, 1024));
    server_options.body_limit_bytes = static_cast<std::size_t>(
        i.config.integer(i.prefix + "BODY_LIMIT", 1 << 20, 1024, 64 << 20));
    server_options.response_headers = i.response_headers;
    server_options.max_connections = static_cast<std::size_t>(
        i.config.integer(i.prefix + "MAX_CONNECTIONS", 1024, 1, 1'000'000));
    server_options.max_connections_per_address = static_cast<std::size_t>(
        i.config.integer(i.prefix + "MAX_CONNECTIONS_PER_ADDRESS", 256, 1, 1'000'000));
    server_options.observer = i.request_observer;

    const auth::Verifier verifier = *i.verifier;
    auto* denied = &i.deny_list;
    auto authenticator = [verifier, denied](const http::Request& request) {
        try {
            auto principal = verifier.verify(auth::bearer_token(request.header("Authorization")));
            if (auto reason = denied->reason(principal); !reason.empty())
                throw auth::InvalidToken(reason);
            return principal;
        } catch (const auth::InvalidToken& e) {
            log::info("authentication failed", {{"reason", e.what()}, {"path", request.path}});
            throw Failure(Failure::Kind::unauthenticated, "unauthenticated",
                          "a valid bearer token is required");
        }
    };
    auto readiness = [&i]() -> std::string {
        if (!i.pool->ping())
            return "database";
        if (!i.nats->connected())
            return "nats";
        return "";
    };
    http::Server server(server_options, std::move(i.router), authenticator, readiness);
    server.start();  // first, so that a busy port fails before any background work starts

    bus::RelayOptions relay_options;
    // The relay is woken after each commit of an outbox row; this poll is only the safety net.
    relay_options.idle_poll =
        i.config.duration(i.prefix + "OUTBOX_POLL", relay_options.idle_poll,
                          std::chrono::milliseconds(10), std::chrono::minutes(10));
    i.relay = std::make_unique<bus::Relay>(*i.pool, *i.nats, relay_options);
    i.relay->start();
    for (auto& c : i.consumers) {
        auto consumer =
            std::make_unique<bus::InboxConsumer>(*i.pool, *i.nats, c.options, c.handler);
        consumer->start();
        i.running_consumers.push_back(std::move(consumer));
    }

    for (const auto& r : i.responders)
        i.nats->serve(r.subject, i.spec.name, r.handler);
    for (const auto& l : i.listeners)
        i.nats->subscribe(l.subject, l.handler);
    for (const auto& p : i.periodic)
        i.periodic_threads.emplace_back([&i, &p] { i.run_periodic(p); });

    log::info("listening", {{"address", server_options.address}, {"port", server.port()}});
    server.wait();

    log::info("shutting down");
    i.stop_periodic();
    for (auto& c : i.running_consumers)
        c->stop();
    i.relay->stop();
    log::info("stopped");
    return 0;
}

bool record_denial(db::Tx& tx, const std::string& kind, const std::string& id, bool denied,
                   std::int64_t sequence) {
    // A row recorded at a higher sequence wins (SEC-1: an older identity event arriving late
    // changes nothing); an equal one is a repeat or a 0-sequence event and applies.
    return tx.exec(
                 "INSERT INTO denied_principals (kind, id, denied, sequence) "
                 "VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (kind, id) DO UPDATE SET denied = EXCLUDED.denied, "
                 "sequence = EXCLUDED.sequence, updated_at = now() "
                 "WHERE denied_principals.sequence <= EXCLUDED.sequence",
                 {kind, id, denied, sequence})
               .affected_rows() > 0;
}

void apply_identity_event(db::Tx& tx, const bus::Event& event, auth::DenyList& list) {
    const auto text = [&](const char* field) -> std::string {
        auto it = event.data.find(field);
        if (it == event.data.end() || !it->is_string() || it->get<std::string>().empty())
            throw bus::PoisonMessage(event.type + " without " + field);
        return it->get<std::string>();
    };
    // `sequence` is the user's identity version: a disable and an enable of one user are applied
    // in the order they happened, not the order they arrive in.
    if (event.type == "identity.user.disabled" || event.type == "identity.user.enabled") {
        const auto user = text("user_id");
        const bool disabled = event.type == "identity.user.disabled";
        if (!record_denial(tx, "user", user, disabled, event.sequence)) {
            log::info("identity event older than the one applied; ignored",
                      {{"type", event.type}, {"user_id", user}, {"sequence", event.sequence}});
            return;
        }
        if (disabled)
            list.deny_user(user);
        else
            list.allow_user(user);
    } else if (event.type == "identity.user.created") {
        // display_name is absent from events published before it was added: the username then.
        const auto name = event.data.find("display_name");
        tx.exec(
            "INSERT INTO staff_names (user_id, username, display_name) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, "
            "display_name = EXCLUDED.display_name",
            {text("user_id"), text("username"),
             name != event.data.end() && name->is_string() ? name->get<std::string>()
                                                           : std::string()});
    } else if (event.type == "identity.session.revoked") {
        // A revocation is final: applied whatever its sequence.
        const auto session = text("session_id");
        record_denial(tx, "session", session, true);
        list.revoke_session(session);
    }
}

StaffNames::StaffNames(db::Tx& tx) {
    for (const auto row : tx.exec("SELECT user_id, username, display_name FROM staff_names")) {
        const auto name = row.text(2);
        labels_[row.text(0)] = (name.empty() ? row.text(1) : name) + "（" + row.text(1) + "）";
    }
}

std::string StaffNames::label(const std::string& user_id) const {
    const auto it = labels_.find(user_id);
    return it == labels_.end() ? user_id : it->second;
}

std::string load_denials(db::Pool& pool, auth::DenyList& list, const std::string& since) {
    return pool.transaction([&](db::Tx& tx) {
        // A row's updated_at is its transaction's start: one that commits after this read but
        // started before it is caught by the next call's 60 s overlap.
        for (const auto row : tx.exec("SELECT kind, id, denied FROM denied_principals "
                                      "WHERE $1::timestamptz IS NULL OR updated_at > $1",
                                      {since.empty() ? db::Param{nullptr} : db::Param{since}})) {
            const auto kind = row.text(0);
            const auto id = row.text(1);
            if (kind == "session" && row.boolean(2))
                list.revoke_session(id);
            else if (kind == "user" && row.boolean(2))
                list.deny_user(id);
            else if (kind == "user")
                list.allow_user(id);
        }
        return tx.exec_one("SELECT (now() - interval '60 seconds')::text").text(0);
    });
}

std::string runtime_migrations_directory() {
    return SALES_RUNTIME_MIGRATIONS_DIR;
}

int guarded_main(const std::function<int()>& body) {
    try {
        const int code = body();
        bus::shutdown_library();
        return code;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        log::error("fatal", {{"error", e.what()}});
        return 1;
    }
}

Spec spec_of(const std::string& name, std::uint16_t default_port,
             const std::string& migrations_directory,
             const std::vector<std::string>& upstream_streams) {
    const auto cased = [](std::string text, int (*to)(int)) {
        for (auto& c : text)
            c = static_cast<char>(to(static_cast<unsigned char>(c)));
        return text;
    };
    Spec spec;
    spec.name = name;
    spec.default_port = default_port;
    spec.migrations_directory = migrations_directory;
    spec.stream = {cased(name, ::toupper), {name + ".>"}};
    for (const auto& stream : upstream_streams)
        spec.upstream.push_back({stream, {cased(stream, ::tolower) + ".>"}});
    return spec;
}

int serve_main(const Spec& spec, const std::function<int(Service&, const Config&)>& body) {
    return guarded_main([&] {
        const Config config;
        Service service(spec, config);
        return body(service, config);
    });
}

}  // namespace sales::service
