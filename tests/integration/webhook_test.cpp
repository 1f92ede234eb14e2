// The webhook bridge end to end: a property-management office (tests/webhook/property_desk.py,
// a separate process) subscribes through the gateway to unit status changes, signed contracts
// and handovers of one project. Its receiver is down while a deal goes from subscription to
// handover; once it is up, every event is delivered exactly once and in order per event subject.
// A delivery signed with a secret the receiver does not know is refused (401), becomes a dead
// letter at once, and is delivered by hand once the receiver has the new secret.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "deal_desk.hpp"
#include "sales/auth.hpp"
#include "sales/bus.hpp"
#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "stack.hpp"
#include "test_support.hpp"

namespace {
using nlohmann::json;
using sales::test::DealDesk;
using sales::test::eventually;
using sales::test::Stack;
using namespace std::chrono_literals;

const std::vector<std::string> kSubjects = {"inventory.unit.status_changed", "contract.signed",
                                            "contract.handed_over"};

class Webhooks : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        stack_ = new Stack("webhooks", {"inventory", "contract", "finance", "webhooks", "gateway"},
                           {{"SALES_WEBHOOKS_RETRY_BASE", "100ms"},
                            {"SALES_WEBHOOKS_RETRY_MAX", "400ms"},
                            {"SALES_WEBHOOKS_DELIVERY_POLL", "50ms"},
                            {"SALES_WEBHOOKS_DELIVERY_TIMEOUT", "2s"}});
        project_ = new Stack::Project(stack_->released_project(2, 4));
        dir_ = stack_->log_directory() + "/property_desk";
        std::filesystem::create_directories(dir_);
        receiver_port_ = sales::test::free_port();
    }
    static void TearDownTestSuite() {
        receiver_.reset();
        delete project_;
        delete stack_;
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << stack_->logs();
            if (receiver_)
                std::cerr << receiver_->log();
        }
    }

    static json admin(const std::string& method, const std::string& path, const json& body,
                      int status = 200) {
        return stack_->ok("gateway", method, path, body, "admin", status);
    }
    // The property desk's receiver with `secret`; returns once it accepts connections.
    static void start_receiver(const std::string& secret) {
        receiver_.reset();
        const auto secret_file = dir_ + "/secret.txt";
        std::ofstream(secret_file) << secret;
        receiver_ = std::make_unique<sales::test::Process>(
            "/usr/bin/python3",
            std::vector<std::string>{SALES_PROPERTY_DESK, "--port", std::to_string(receiver_port_),
                                     "--secret-file", secret_file, "--record", record_file()},
            std::map<std::string, std::string>{}, dir_ + "/receiver.log");
        ASSERT_TRUE(eventually(
            [] {
                const int fd = sales::test::connect_loopback(receiver_port_);
                if (fd >= 0)
                    ::close(fd);
                return fd >= 0;
            },
            10s, 50ms))
            << receiver_->log();
    }
    static std::string record_file() { return dir_ + "/deliveries.jsonl"; }
    static std::vector<json> record() {
        std::vector<json> lines;
        std::ifstream in(record_file());
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                lines.push_back(json::parse(line));
        return lines;
    }
    static std::vector<json> handled() {
        std::vector<json> out;
        for (const auto& line : record())
            if (line.contains("handled"))
                out.push_back(line["handled"]);
        return out;
    }
    // Every event id the producers published on `kSubjects` for the project.
    static std::set<std::string> published() {
        std::set<std::string> ids;
        for (const std::string service : {"inventory", "contract"}) {
            const auto rows = stack_->db(service).transaction([](sales::db::Tx& tx) {
                return tx.exec(
                    "SELECT event_id::text AS id FROM outbox WHERE subject = ANY($1::text[]) "
                    "AND payload::jsonb -> 'data' ->> 'project_id' = $2 AND sent_at IS NOT NULL",
                    {sales::db::param(kSubjects), sales::db::param(project_->id)});
            });
            for (const auto& row : rows)
                ids.insert(row.text("id"));
        }
        return ids;
    }
    // The webhooks service has taken in every event the producers have published so far.
    static bool bridge_caught_up() {
        std::int64_t outbox = 0;
        for (const std::string service : {"inventory", "contract", "finance"})
            outbox += stack_->count(service,
                                    "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL "
                                    "AND NOT EXISTS (SELECT 1 FROM outbox WHERE sent_at "
                                    "IS NULL)");
        return outbox > 0 && stack_->count("webhooks",
                                           "SELECT count(*) FROM inbox WHERE subject "
                                           "NOT LIKE 'identity.%'") == outbox;
    }
    // A subscription of the property desk's receiver to `subjects` of the project, made once the
    // bridge has taken in the events so far (they are history to it); returns it with its secret.
    static json subscribe(const std::string& name, const std::vector<std::string>& subjects) {
        EXPECT_TRUE(eventually(bridge_caught_up, 30s, 50ms)) << "the bridge never caught up";
        return admin(
            "POST", "/api/v1/webhooks",
            {{"name", name},
             {"url", "http://127.0.0.1:" + std::to_string(receiver_port_) + "/sales-office/events"},
             {"subjects", subjects},
             {"project_ids", {project_->id}}},
            201);
    }
    static json deliveries(const std::string& query) {
        return admin("GET", "/api/v1/webhooks/" + subscription_id_ + "/deliveries" + query,
                     nullptr);
    }

    static inline Stack* stack_ = nullptr;
    static inline Stack::Project* project_ = nullptr;
    static inline std::unique_ptr<sales::test::Process> receiver_;
    static inline std::string dir_;
    static inline std::uint16_t receiver_port_ = 0;
    static inline std::string subscription_id_;
    static inline std::string secret_;
};

TEST_F(Webhooks, ReceiverDownThenUpGetsEveryEventOnceInOrderPerKey) {
    // The project's own events so far are history: the subscription takes what comes after.
    ASSERT_TRUE(eventually(bridge_caught_up, 30s, 50ms)) << "the bridge never caught up";
    const auto before = published();
    const auto created = subscribe("物业公司交付对接", kSubjects);
    ASSERT_FALSE(HasFailure());
    subscription_id_ = created["id"];
    secret_ = created["secret"];
    EXPECT_GE(secret_.size(), 40u);
    EXPECT_FALSE(admin("GET", "/api/v1/webhooks/" + subscription_id_, nullptr).contains("secret"));

    // A deal from subscription to handover while the receiver is down.
    DealDesk desk(*stack_);
    const auto deal = desk.stamped_deal(project_->unit_ids[0]);
    ASSERT_FALSE(HasFailure());
    desk.pay_instalment(deal, deal.price_fen - deal.deposit_fen);
    const auto state = [&] {
        return stack_->ok("gateway", "GET", "/api/v1/contracts/" + deal.contract_id, nullptr,
                          "sales_manager")["handover_state"];
    };
    ASSERT_TRUE(eventually([&] { return state() == "eligible"; }, 30s, 50ms));
    desk.ok("POST", "/api/v1/contracts/" + deal.contract_id + "/handover",
            {{"notice_date", Stack::date_in_days(-1)}, {"handed_over_on", Stack::date_in_days(0)}},
            "handover_clerk");
    desk.ok("POST", "/api/v1/contracts/" + deal.contract_id + "/handover/approve",
            {{"note", "现场核实"}}, "sales_supervisor");
    // Another unit held and let go: a second key.
    const auto other_unit = project_->unit_ids[1];
    stack_->ok("gateway", "POST", "/api/v1/units/" + other_unit + "/reservation",
               {{"reason", "客户考虑中"}, {"expires_at", Stack::date_in_days(2) + "T02:00:00Z"}},
               "sales_manager", 200);
    stack_->ok("gateway", "DELETE", "/api/v1/units/" + other_unit + "/reservation", nullptr,
               "sales_manager", 200);

    std::set<std::string> expected;
    ASSERT_TRUE(eventually(
        [&] {
            expected.clear();
            for (const auto& id : published())
                if (!before.count(id))
                    expected.insert(id);
            return bridge_caught_up() && deliveries("?status=pending")["total"] ==
                                             static_cast<std::int64_t>(expected.size());
        },
        30s, 50ms));
    // Tried again and again while nobody answered, each failure kept with its reason.
    ASSERT_TRUE(eventually(
        [&] {
            const auto pending = deliveries("?status=pending&limit=500");
            for (const auto& d : pending["items"])
                if (d["attempts"].get<int>() >= 3 && !d["last_error"].is_null())
                    return true;
            return false;
        },
        20s, 50ms));
    EXPECT_TRUE(handled().empty());
    // The bridge itself killed meanwhile: nothing it took in is lost.
    stack_->kill_and_restart("webhooks");

    start_receiver(secret_);
    ASSERT_FALSE(HasFailure());
    ASSERT_TRUE(eventually(
        [&] {
            return handled().size() >= expected.size() &&
                   deliveries("?status=pending")["total"] == 0;
        },
        30s, 50ms))
        << handled().size() << " of " << expected.size() << " delivered";

    // Exactly once: every expected event, nothing else, no delivery handled twice.
    std::map<std::string, int> times;
    std::map<std::string, std::vector<std::int64_t>> sequences_by_key;
    bool handed_over = false;
    for (const auto& h : handled()) {
        ++times[h["id"].get<std::string>()];
        sequences_by_key[h["subject"]].push_back(h["sequence"]);
        handed_over = handed_over || (h["type"] == "contract.handed_over" &&
                                      h["data"]["contract_id"] == deal.contract_id);
    }
    EXPECT_EQ(times.size(), expected.size());
    for (const auto& id : expected)
        EXPECT_EQ(times[id], 1) << "event " << id;
    for (const auto& line : record())
        EXPECT_FALSE(line.contains("rejected") || line.contains("duplicate")) << line.dump();
    EXPECT_TRUE(handed_over) << "the property office never learnt of the handover";
    // In order per key (the event's subject: the unit, the contract).
    EXPECT_GE(sequences_by_key[deal.unit_id].size(), 3u);
    EXPECT_GE(sequences_by_key[other_unit].size(), 2u);
    for (const auto& [key, sequences] : sequences_by_key)
        EXPECT_TRUE(std::is_sorted(sequences.begin(), sequences.end()) &&
                    std::adjacent_find(sequences.begin(), sequences.end()) == sequences.end())
            << "key " << key << " out of order";
    const auto shown = admin("GET", "/api/v1/webhooks/" + subscription_id_, nullptr);
    EXPECT_EQ(shown["deliveries"]["delivered"], static_cast<std::int64_t>(expected.size()));
    EXPECT_EQ(shown["deliveries"]["dead"], 0);
    std::cout << "[ figures  ] " << expected.size() << " events delivered once each over "
              << sequences_by_key.size() << " keys\n";
}

TEST_F(Webhooks, BadSignatureIsRefusedAndDeadLettersUntilRedeliveredByHand) {
    // A subscription of its own (gtest may run this test alone), its receiver up.
    const auto created = subscribe("物业公司（签名）", {"inventory.unit.status_changed"});
    ASSERT_FALSE(HasFailure());
    subscription_id_ = created["id"];
    secret_ = created["secret"];
    start_receiver(secret_);
    ASSERT_FALSE(HasFailure());
    const auto handled_before = handled().size();

    // The sample receiver refuses a forged delivery.
    sales::http::Client receiver("127.0.0.1", receiver_port_);
    const std::string body = R"({"id":"x","type":"contract.handed_over"})";
    const auto now = std::to_string(std::time(nullptr));
    const auto forged = receiver.request(
        "POST", "/sales-office/events", body,
        {{"X-Sales-Delivery-Id", "forged-1"},
         {"X-Sales-Timestamp", now},
         {"X-Sales-Signature", "v1=" + sales::auth::hmac_sha256_hex("guessed", now + "." + body)}});
    EXPECT_EQ(forged.status, 401);

    // A unit held: delivered with the secret the receiver knows.
    const auto unit = project_->unit_ids[2];
    stack_->ok("gateway", "POST", "/api/v1/units/" + unit + "/reservation",
               {{"reason", "客户考虑中"}, {"expires_at", Stack::date_in_days(2) + "T02:00:00Z"}},
               "sales_manager", 200);
    ASSERT_TRUE(eventually([&] { return handled().size() == handled_before + 1; }, 20s, 50ms));
    const auto delivered = deliveries("?status=delivered")["items"][0]["delivery_id"];

    // The secret is rotated but the receiver still has the old one: refused → dead at once.
    const auto rotated = admin("POST", "/api/v1/webhooks/" + subscription_id_ + "/secret", {});
    const std::string new_secret = rotated["secret"];
    EXPECT_NE(new_secret, secret_);
    stack_->ok("gateway", "DELETE", "/api/v1/units/" + unit + "/reservation", nullptr,
               "sales_manager", 200);
    json dead;
    ASSERT_TRUE(eventually(
        [&] {
            dead = deliveries("?status=dead");
            return dead["total"] == 1;
        },
        20s, 50ms));
    EXPECT_EQ(dead["items"][0]["last_status"], 401);
    EXPECT_EQ(dead["items"][0]["attempts"], 1);
    EXPECT_EQ(dead["items"][0]["ordering_key"], unit);
    const std::string delivery_id = dead["items"][0]["delivery_id"];

    // A delivered event is never sent again by hand.
    const auto refused =
        stack_->call("gateway", "POST", "/api/v1/webhooks/" + subscription_id_ + "/redeliver",
                     {{"delivery_ids", {delivered}}}, Stack::auth("admin"));
    sales::test::expect_error(refused, 409, "delivery_not_dead");

    // The receiver learns the new secret; the operator redelivers the dead letter.
    start_receiver(new_secret);
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(admin("POST", "/api/v1/webhooks/" + subscription_id_ + "/redeliver",
                    {{"delivery_ids", {delivery_id}}})["redelivered"],
              1);
    ASSERT_TRUE(eventually([&] { return handled().size() == handled_before + 2; }, 20s, 50ms));
    EXPECT_EQ(handled().back()["delivery_id"], delivery_id);
    EXPECT_EQ(handled().back()["subject"], unit);
    EXPECT_TRUE(eventually([&] { return deliveries("?status=dead")["total"] == 0; }, 5s, 50ms));
    std::size_t rejected = 0;
    for (const auto& line : record())
        rejected += line.contains("rejected") ? 1 : 0;
    EXPECT_EQ(rejected, 2u) << "the forged request and the delivery signed with the new secret";
}

TEST_F(Webhooks, SubscriptionsAreCheckedAndOnlyForAdministrators) {
    const auto counts = [] {
        return stack_->row_counts("webhooks", {"webhook_subscriptions", "webhook_deliveries"});
    };
    const auto before = counts();
    const json good = {{"name", "财务共享中心"},
                       {"url", "http://10.1.2.3:8000/hook"},
                       {"subjects", {"finance.>"}}};
    struct Case {
        json change;
        std::string field;
    };
    for (const auto& c : std::vector<Case>{
             {{{"url", "https://pm.example/hook"}}, "url"},
             {{{"url", "http://user:pw@pm.example/"}}, "url"},
             {{{"subjects", json::array()}}, "subjects"},
             {{{"subjects", {"identity.>"}}}, "subjects[0]"},
             {{{"subjects", {"contract.>.signed"}}}, "subjects[0]"},
             {{{"project_ids", {"HX01"}}}, "project_ids"},
             {{{"secret", "mine"}}, "secret"},
         }) {
        auto body = good;
        body.update(c.change);
        const auto r =
            stack_->call("gateway", "POST", "/api/v1/webhooks", body, Stack::auth("admin"));
        const auto error = sales::test::expect_error(r, 400, "validation_failed");
        EXPECT_EQ(error["details"]["field"], c.field) << body.dump();
    }
    // Managers read reports; only administrators manage what leaves the system.
    for (const char* role : {"sales_manager", "finance_director", "gm", "executive"}) {
        const auto r = stack_->call("gateway", "POST", "/api/v1/webhooks", good, Stack::auth(role));
        EXPECT_EQ(r.status, 403) << role;
    }
    // A region administrator may not take every project's events.
    const auto regional = stack_->call("gateway", "POST", "/api/v1/webhooks", good,
                                       Stack::auth("admin", {project_->id}));
    sales::test::expect_error(regional, 403, "project_forbidden");
    EXPECT_EQ(counts(), before);

    const auto unknown =
        stack_->call("gateway", "GET", "/api/v1/webhooks/00000000-0000-4000-8000-000000000000",
                     nullptr, Stack::auth("admin"));
    sales::test::expect_error(unknown, 404, "webhook_not_found");
}

// A department with a NATS client (docs/operations.md "Adding a consumer department"): the
// operator makes it a durable on its subject starting from the time it asks for; its own user
// reads only that durable, from that time on, and can neither make consumers nor read others'.
TEST_F(Webhooks, ADepartmentReadsItsSubjectFromATimeWithItsOwnNatsUser) {
    // A handover before the requested start time and one after it.
    DealDesk desk(*stack_);
    const auto hand_over = [&](const std::string& unit_id) {
        const auto deal = desk.stamped_deal(unit_id);
        desk.pay_instalment(deal, deal.price_fen - deal.deposit_fen);
        EXPECT_TRUE(eventually(
            [&] {
                return stack_->ok("gateway", "GET", "/api/v1/contracts/" + deal.contract_id,
                                  nullptr, "sales_manager")["handover_state"] == "eligible";
            },
            30s, 50ms));
        desk.ok(
            "POST", "/api/v1/contracts/" + deal.contract_id + "/handover",
            {{"notice_date", Stack::date_in_days(-1)}, {"handed_over_on", Stack::date_in_days(0)}},
            "handover_clerk");
        desk.ok("POST", "/api/v1/contracts/" + deal.contract_id + "/handover/approve",
                {{"note", "现场核实"}}, "sales_supervisor");
        return deal.contract_id;
    };
    hand_over(project_->unit_ids[3]);
    ASSERT_FALSE(HasFailure());
    const auto handed_over_events = [] {
        return stack_->count("contract",
                             "SELECT count(*) FROM outbox WHERE subject = 'contract.handed_over' "
                             "AND sent_at IS NOT NULL");
    };
    ASSERT_TRUE(eventually([&] { return handed_over_events() >= 1; }, 10s, 50ms));
    const auto before = handed_over_events();
    // The department asks for the events from just after the first handover was stored in the
    // stream (JetStream's own time of the message, read as the operator).
    const auto stored = stack_->nats().request("$JS.API.STREAM.MSG.GET.CONTRACT",
                                               R"({"last_by_subj":"contract.handed_over"})", 5s);
    ASSERT_TRUE(stored);
    const auto stored_time = json::parse(*stored)["message"].value("time", "");
    // RFC 3339 with up to nanoseconds, trailing zeros trimmed → milliseconds, rounded down.
    auto seconds = stored_time.substr(0, 19);
    auto fraction = stored_time.size() > 20 && stored_time[19] == '.'
                        ? stored_time.substr(20, stored_time.find('Z') - 20)
                        : std::string();
    fraction = (fraction + "000").substr(0, 3);
    const auto stored_at = sales::parse_rfc3339(seconds + "." + fraction + "Z");
    ASSERT_TRUE(stored_at) << *stored;
    const auto start = sales::to_rfc3339(*stored_at + 1ms);
    const auto wanted = hand_over(project_->unit_ids[4]);
    ASSERT_FALSE(HasFailure());
    ASSERT_TRUE(eventually([&] { return handed_over_events() == before + 1; }, 10s, 50ms));

    // The operator's durable for the department (as admin).
    const json config = {{"stream_name", "CONTRACT"},
                         {"config",
                          {{"durable_name", "property_contract_handed_over"},
                           {"filter_subject", "contract.handed_over"},
                           {"deliver_policy", "by_start_time"},
                           {"opt_start_time", start},
                           {"ack_policy", "explicit"}}}};
    const auto made = stack_->nats().request(
        "$JS.API.CONSUMER.DURABLE.CREATE.CONTRACT.property_contract_handed_over", config.dump(),
        5s);
    ASSERT_TRUE(made);
    ASSERT_FALSE(json::parse(*made).contains("error")) << *made;

    sales::bus::NatsOptions options;
    options.url = stack_->nats_server().address();
    options.name = "property-office";
    options.user = "property";
    options.password = stack_->nats_server().password("property");
    sales::bus::Nats department(options);
    const std::string next = "$JS.API.CONSUMER.MSG.NEXT.CONTRACT.property_contract_handed_over";
    const auto first = department.request(next, R"({"batch":1,"no_wait":true})", 5s);
    ASSERT_TRUE(first && !first->empty()) << "the department got nothing";
    const auto event = json::parse(*first);
    EXPECT_EQ(event["type"], "contract.handed_over");
    EXPECT_EQ(event["data"]["contract_id"], wanted) << "not the handover after the start time";
    const auto second = department.request(next, R"({"batch":1,"no_wait":true})", 5s);
    EXPECT_TRUE(!second || second->empty()) << "an event before the start time: " << *second;

    // Read-only, and only its own durable.
    EXPECT_FALSE(department.request(
        "$JS.API.CONSUMER.DURABLE.CREATE.CONTRACT.property_everything",
        json({{"stream_name", "CONTRACT"}, {"config", {{"durable_name", "property_everything"}}}})
            .dump(),
        1s));
    EXPECT_FALSE(department.request("$JS.API.CONSUMER.MSG.NEXT.CONTRACT.webhooks_contract__",
                                    R"({"batch":1,"no_wait":true})", 1s));
    EXPECT_FALSE(department.request("$JS.API.CONSUMER.MSG.NEXT.FINANCE.webhooks_finance__",
                                    R"({"batch":1,"no_wait":true})", 1s));
}

}  // namespace
