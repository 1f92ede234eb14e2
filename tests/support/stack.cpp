#include "stack.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "sales/auth.hpp"
#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/ids.hpp"

namespace sales::test {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;

std::string upper(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}
}  // namespace

Stack::Stack(const std::string& name, std::vector<std::string> services,
             std::map<std::string, std::string> env)
    : order_(std::move(services)) {
    const auto suffix = new_uuid().substr(0, 8);
    nats_server_ = std::make_unique<NatsServer>();
    const auto logs = temp_dir(name);
    // Tokens (issue 11 item 8): every service gets the public key, only the gateway the private.
    env.try_emplace("SALES_TOKEN_PUBLIC_KEYS", public_keys());
    // Least privilege (issue 11 item 9): each service gets only its own database role and NATS
    // user; the stack's pools and NATS connection are the administrator's.
    for (const auto& service : order_) {
        databases_[service] =
            fresh_service_database(name + "_" + service.substr(0, 3) + "_" + suffix);
        service_env_[service] = nats_server_->service_env(service);
        service_env_[service]["SALES_" + upper(service) + "_DB"] = databases_[service].conninfo;
        ports_[service] = free_port();
    }
    if (std::find(order_.begin(), order_.end(), "gateway") != order_.end()) {
        for (const std::string upstream :
             {"inventory", "contract", "customer", "finance", "reporting", "webhooks"}) {
            const auto key = "SALES_GATEWAY_" + upper(upstream) + "_URL";
            if (env.count(key))
                continue;
            const auto port = ports_.count(upstream) ? ports_[upstream] : free_port();
            env[key] = "http://127.0.0.1:" + std::to_string(port);
        }
        env.try_emplace("SALES_GATEWAY_ADMIN_PASSWORD", kAdminPassword);
        if (!env.count("SALES_TOKEN_PRIVATE_KEY_FILE")) {
            const auto key_file = logs + "/token-private.key";
            auth::write_private_key_file(key_file, signing_key());
            service_env_["gateway"]["SALES_TOKEN_PRIVATE_KEY_FILE"] = key_file;
        }
    }
    env_ = env;
    log_dir_ = logs;
    for (const auto& service : order_) {
        processes_[service] =
            start_service(service, ports_[service], env_of(service), logs + "/" + service + ".log");
        pools_[service] =
            std::make_unique<db::Pool>(db::PoolOptions{databases_[service].admin_conninfo, 4});
        clients_[service] = std::make_unique<http::Client>("127.0.0.1", ports_[service]);
    }
    nats_ = std::make_unique<bus::Nats>(bus::NatsOptions{nats_server_->url(), name + "-test"});
}

Stack::~Stack() {
    clients_.clear();
    pools_.clear();
    // Reverse start order: consumers go before the services they depend on.
    for (auto it = order_.rbegin(); it != order_.rend(); ++it)
        processes_.erase(*it);
    nats_.reset();
}

http::Client& Stack::http(const std::string& service) {
    return *clients_.at(service);
}

db::Pool& Stack::db(const std::string& service) {
    return *pools_.at(service);
}

std::string Stack::logs() const {
    std::string out;
    for (const auto& service : order_)
        out += "---- " + service + " log ----\n" + processes_.at(service)->log() + "\n";
    return out;
}

const auth::SigningKey& Stack::signing_key() {
    static const auth::SigningKey key = auth::generate_signing_key("test-1");
    return key;
}

std::string Stack::public_keys() {
    return auth::format_public_key(signing_key().public_key());
}

std::string Stack::token(const Principal& principal) {
    return auth::mint(signing_key(), principal);
}

json Stack::login(const std::string& username, const std::string& password) {
    const auto r = http("gateway").post_json("/api/v1/auth/login",
                                             {{"username", username}, {"password", password}});
    EXPECT_EQ(r.status, 200) << "login " << username << ": " << r.body;
    return json::parse(r.body, nullptr, false);
}

http::Headers Stack::bearer(const std::string& access_token) {
    return {{"Authorization", "Bearer " + access_token}, {"Content-Type", "application/json"}};
}

std::string Stack::password_of(const std::string& username) {
    return "Secret-Passw0rd-" + std::to_string(username.size());
}

http::ClientResponse Stack::post_user(const std::string& token, const std::string& username,
                                      const std::vector<std::string>& roles,
                                      const std::vector<std::string>& projects,
                                      const std::string& region) {
    json body{{"username", username},
              {"display_name", username},
              {"password", password_of(username)},
              {"roles", roles},
              {"project_ids", projects}};
    if (!region.empty())
        body["region"] = region;
    return http("gateway").request("POST", "/api/v1/users", body.dump(), bearer(token));
}

std::string Stack::create_user(const std::string& token, const std::string& username,
                               const std::vector<std::string>& roles,
                               const std::vector<std::string>& projects,
                               const std::string& region) {
    const auto r = post_user(token, username, roles, projects, region);
    EXPECT_EQ(r.status, 201) << r.body;
    const auto created = json::parse(r.body, nullptr, false);
    return created.is_object() ? created.value("id", "") : "";
}

http::Headers Stack::auth(const std::string& role, std::vector<std::string> projects) {
    return as("user-" + role, {role}, std::move(projects));
}

http::Headers Stack::as(const std::string& user, std::vector<std::string> roles,
                        std::vector<std::string> projects) {
    return bearer(token(
        {user, std::move(roles), std::move(projects), std::chrono::system_clock::now() + 1h}));
}

http::ClientResponse Stack::call(const std::string& service, const std::string& method,
                                 const std::string& path, const json& body,
                                 const http::Headers& headers) {
    return http(service).request(method, path, body.is_null() ? "" : body.dump(), headers);
}

json expect_error(const http::ClientResponse& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    const auto body = json::parse(response.body, nullptr, false);
    const bool envelope = body.is_object() && body.contains("error") && body["error"].is_object();
    EXPECT_TRUE(envelope) << "not an error envelope: " << response.body;
    if (!envelope)
        return nullptr;
    const auto& error = body["error"];
    EXPECT_EQ(error.value("code", ""), code) << response.body;
    EXPECT_TRUE(error.contains("message") && error["message"].is_string()) << response.body;
    EXPECT_TRUE(error.contains("details") && error["details"].is_object()) << response.body;
    return error;
}

json Stack::ok(const std::string& service, const std::string& method, const std::string& path,
               const json& body, const std::string& role, int status) {
    const auto r =
        http(service).request(method, path, body.is_null() ? "" : body.dump(), auth(role));
    EXPECT_EQ(r.status, status) << service << " " << method << " " << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
}

std::int64_t Stack::count(const std::string& service, const std::string& sql,
                          const db::Params& params) {
    return db(service).transaction([&](db::Tx& tx) { return tx.exec_one(sql, params).int64(0); });
}

std::map<std::string, std::int64_t> Stack::row_counts(const std::string& service,
                                                      const std::vector<std::string>& tables) {
    std::map<std::string, std::int64_t> out;
    db(service).run([&](db::Tx& tx) {
        for (const auto& table : tables)
            out[table] = tx.exec_one("SELECT count(*) FROM " + table).int64(0);
    });
    return out;
}

void Stack::publish(const bus::Event& event) {
    // A request on a stream's subject is answered by JetStream with its publish ack.
    const auto ack = nats_->request(event.type, bus::to_json(event), 5s);
    if (!ack || ack->find("\"stream\"") == std::string::npos)
        throw std::runtime_error("no stream stored " + event.type + ": " + ack.value_or("timeout"));
}

void Stack::kill_and_restart(const std::string& service) {
    processes_.at(service)->kill9();
    processes_[service] =
        start_service(service, ports_.at(service), env_of(service),
                      log_dir_ + "/" + service + "." + std::to_string(++restarts_) + ".log");
}

int Stack::run_command(const std::string& service, const std::vector<std::string>& args,
                       std::string* log) {
    Process command(binary("services/" + service + "/" + service), args, env_of(service),
                    log_dir_ + "/" + service + ".command." + std::to_string(++restarts_) + ".log");
    const int status = command.wait_exit(std::chrono::seconds(60));
    if (log)
        *log = command.log();
    return status;
}

std::map<std::string, std::string> Stack::env_of(const std::string& service) const {
    auto env = env_;
    for (const auto& [key, value] : service_env_.at(service))
        env[key] = value;
    return env;
}

std::string Stack::log(const std::string& service) const {
    return processes_.at(service)->log();
}

Stack::Project Stack::released_project(std::int64_t floors, std::int64_t positions,
                                       const json& settings) {
    const std::string code = "S" + std::to_string(++projects_made_);
    auto project = ok("inventory", "POST", "/api/v1/projects",
                      {{"code", code}, {"name", "项目" + code}, {"city", "成都"}}, "admin", 201);
    const std::string id = project["id"];
    if (!settings.empty())
        project =
            ok("inventory", "PATCH", "/api/v1/projects/" + id + "/settings", settings, "admin");
    const std::string building = ok("inventory", "POST", "/api/v1/projects/" + id + "/buildings",
                                    {{"name", "1栋"}, {"floors", floors}}, "operator", 201)["id"];
    json templates = json::array();
    for (std::int64_t p = 1; p <= positions; ++p) {
        templates.push_back({{"position", p},
                             {"floors", {{"from", 1}, {"to", floors}}},
                             {"layout", "3室2厅2卫"},
                             {"orientation", "south"},
                             {"decoration", "bare"},
                             {"internal_area_centi_m2", 9'000 + p * 100},
                             {"shared_area_centi_m2", 1'850},
                             {"list_unit_price_fen_per_m2", 1'500'000}});
    }
    const auto created = ok("inventory", "POST", "/api/v1/buildings/" + building + "/units:bulk",
                            {{"templates", templates}}, "operator", 201);
    ok("inventory", "POST", "/api/v1/units:release", {{"building_id", building}}, "sales_control");
    if (pools_.contains("contract")) {
        const std::int64_t version = project["version"];
        EXPECT_TRUE(eventually([&] {
            return count("contract",
                         "SELECT count(*) FROM project_refs WHERE project_id = $1::uuid AND "
                         "version >= $2",
                         {id, version}) == 1;
        })) << "contract never applied version "
            << version << " of project " << code;
    }
    Project out{id, {}};
    for (const auto& unit : created["units"])
        out.unit_ids.push_back(unit["id"]);
    return out;
}

std::string Stack::announce_project(const std::string& service, const std::string& code,
                                    const std::string& name) {
    const auto id = new_uuid();
    publish(bus::make_event(
        "inventory", "inventory.project.created", id, 1,
        {{"id", id}, {"code", code}, {"name", name}, {"city", "成都"}, {"version", 1}}));
    EXPECT_TRUE(eventually([&] {
        return count(service, "SELECT count(*) FROM project_refs WHERE project_id = $1::uuid",
                     {id}) == 1;
    })) << "project event not applied; log:\n"
        << log(service);
    return id;
}

std::string Stack::date_in_days(int days) {
    return to_string(shanghai_date(SystemClock().now() + days * 24h));
}

}  // namespace sales::test
