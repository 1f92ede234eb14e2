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

const std::string kSecret = "cross-service-test-secret-0123456789abcdef";

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
    env["SALES_NATS_URL"] = nats_server_->url();
    env["SALES_JWT_SECRET"] = kSecret;
    std::map<std::string, std::string> databases;
    for (const auto& service : order_) {
        databases[service] = fresh_database(name + "_" + service.substr(0, 3) + "_" + suffix);
        env["SALES_" + upper(service) + "_DB"] = databases[service];
        ports_[service] = free_port();
    }
    if (std::find(order_.begin(), order_.end(), "gateway") != order_.end()) {
        for (const std::string upstream : {"inventory", "contract", "customer", "finance"}) {
            const auto key = "SALES_GATEWAY_" + upper(upstream) + "_URL";
            if (env.count(key))
                continue;
            const auto port = ports_.count(upstream) ? ports_[upstream] : free_port();
            env[key] = "http://127.0.0.1:" + std::to_string(port);
        }
        env.try_emplace("SALES_GATEWAY_ADMIN_PASSWORD", kAdminPassword);
    }
    env_ = env;
    log_dir_ = logs;
    for (const auto& service : order_) {
        processes_[service] =
            start_service(service, ports_[service], env, logs + "/" + service + ".log");
        pools_[service] = std::make_unique<db::Pool>(db::PoolOptions{databases[service], 4});
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

const std::string& Stack::secret() {
    return kSecret;
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

http::Headers Stack::auth(const std::string& role, std::vector<std::string> projects) {
    const auto token = auth::mint(
        {kSecret},
        {"user-" + role, {role}, std::move(projects), std::chrono::system_clock::now() + 1h});
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

http::Headers Stack::as(const std::string& user, std::vector<std::string> roles,
                        std::vector<std::string> projects) {
    const auto token = auth::mint({kSecret}, {user, std::move(roles), std::move(projects),
                                              std::chrono::system_clock::now() + 1h});
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
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
        start_service(service, ports_.at(service), env_,
                      log_dir_ + "/" + service + "." + std::to_string(++restarts_) + ".log");
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

std::string Stack::date_in_days(int days) {
    return to_string(shanghai_date(SystemClock().now() + days * 24h));
}

}  // namespace sales::test
