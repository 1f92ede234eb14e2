// Saga latency benchmark: deals driven through the real inventory, contract and finance
// services at a steady load by `--workers` concurrent sales offices, each running deals back to
// back: subscribe → deposit → (confirmed) → sign → (schedule) → pay the rest → (eligible),
// waiting for each (…) as its event appears on the bus.
// Measured per deal, from the services' own event times (outbox envelopes, same clock):
//   signed → schedule : contract.signed written → finance.schedule.created written
//   sign → eligible   : the signing response → contract.handover.eligible written
//   pay → eligible    : the last payment's response → contract.handover.eligible written
//   event → report    : contract.signed / the last finance.payment.recorded written → applied
//                       by the reporting service's read model (its inbox transaction)
// Baseline in the same run: the latency of the cashier's payment POST itself (one service, one
// transaction). Each of the two event hops is also split into relay pick-up, delivery and handler
// (struct Hop). Nothing is asserted; figures go to stdout and to --out (JSON).
//
// Needs the PostgreSQL of scripts/test.sh-style environment (SALES_TEST_PG_HOST/PORT/USER); the
// services are started by sales::test::Stack. Run it with tests/load/saga_latency.sh.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "load_stats.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "stack.hpp"

namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using sales::test::Stack;
using Clock = std::chrono::system_clock;

struct Options {
    int workers = 8;
    int deals = 400;
    double rate = 10;  // deals started per second over all offices; 0: back to back
    std::string out;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--workers")
            o.workers = std::stoi(value());
        else if (arg == "--deals")
            o.deals = std::stoi(value());
        else if (arg == "--rate")
            o.rate = std::stod(value());
        else if (arg == "--out")
            o.out = value();
        else
            throw std::invalid_argument(
                "unknown flag " + arg +
                " (flags: --workers N --deals N --rate DEALS_PER_S --out FILE)");
    }
    if (o.workers < 1 || o.deals < o.workers || o.rate < 0)
        throw std::invalid_argument("--workers must be ≥ 1, --deals ≥ --workers, --rate ≥ 0");
    return o;
}

struct DealTimes {
    std::string contract_id;
    Clock::time_point signed_response;
    Clock::time_point paid_response;
};

// Polls `condition` every 2 ms for up to 30 s; throws naming `what` when it never holds.
void wait_for(const std::string& what, const std::function<bool()>& condition) {
    const auto deadline = Clock::now() + 30s;
    while (!condition()) {
        if (Clock::now() > deadline)
            throw std::runtime_error("timed out waiting for " + what);
        std::this_thread::sleep_for(2ms);
    }
}

// The events on the bus as another department sees them (core subscription to the streams'
// subjects). The offices wait here for the event that lets them go on, as the console does with
// its live push, instead of polling a service every 2 ms: eight offices polling were most of
// the machine's load and inflated every latency the benchmark measures.
class EventsSeen {
  public:
    explicit EventsSeen(sales::bus::Nats& nats) {
        for (const auto* subjects : {"contract.>", "finance.>"})
            nats.subscribe(subjects, [this](const std::string& payload) { seen(payload); });
    }
    // Until an event `type` about `subject` has been published; throws after 30 s.
    void wait(const std::string& type, const std::string& subject) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, 30s, [&] { return seen_.contains(type + " " + subject); }))
            throw std::runtime_error("timed out waiting for " + type + " about " + subject);
    }

  private:
    void seen(const std::string& payload) {
        const auto doc = json::parse(payload, nullptr, false);
        if (!doc.is_object())
            return;
        std::lock_guard lock(mutex_);
        seen_.insert(doc.value("type", "") + " " + doc.value("subject", ""));
        changed_.notify_all();
    }
    std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_set<std::string> seen_;
};

class Office {
  public:
    Office(Stack& stack, EventsSeen& events)
        : events_(events),
          contract_("127.0.0.1", stack.port("contract")),
          finance_("127.0.0.1", stack.port("finance")) {}

    DealTimes run(const std::string& unit_id, sales::load::Recorder& payments) {
        const auto sub = must(contract_.request("POST", "/api/v1/subscriptions",
                                                json{{"unit_id", unit_id},
                                                     {"customer_id", sales::new_uuid()},
                                                     {"discount_fen", 0},
                                                     {"payment_plan", "one_off"},
                                                     {"deposit_fen", kDeposit},
                                                     {"signing_deadline", Stack::date_in_days(30)}}
                                                    .dump(),
                                                rep_),
                              201, "subscribe");
        const std::string subscription_id = sub["id"];
        const std::int64_t price = sub["price_fen"];
        events_.wait("contract.subscription.created", subscription_id);
        sales::http::ClientResponse deposit;
        wait_for("finance to learn subscription " + subscription_id, [&] {
            deposit = pay({{"subscription_id", subscription_id}}, kDeposit, nullptr);
            return deposit.status != 404;
        });
        must(deposit, 201, "deposit");
        events_.wait("contract.subscription.confirmed", subscription_id);
        DealTimes t;
        const auto contract = must(
            contract_.request(
                "POST", "/api/v1/subscriptions/" + subscription_id + "/sign",
                json{{"plan", {{"kind", "one_off"}, {"due_date", Stack::date_in_days(10)}}}}.dump(),
                rep_),
            201, "sign");
        t.signed_response = Clock::now();
        t.contract_id = contract["id"];
        events_.wait("finance.schedule.created", t.contract_id);
        must(pay({{"contract_id", t.contract_id}}, price - kDeposit, &payments), 201, "pay");
        t.paid_response = Clock::now();
        return t;
    }

  private:
    static constexpr std::int64_t kDeposit = 5'000'000;

    static json must(const sales::http::ClientResponse& r, int status, const std::string& step) {
        if (r.status != status)
            throw std::runtime_error(step + " answered " + std::to_string(r.status) + ": " +
                                     r.body);
        return json::parse(r.body);
    }
    sales::http::ClientResponse pay(json body, std::int64_t amount, sales::load::Recorder* timed) {
        body.update({{"category", body.contains("contract_id") ? "instalment" : "deposit"},
                     {"method", "transfer"},
                     {"payer", "王先生"},
                     {"amount_fen", amount},
                     {"receipt_no", "R-" + sales::new_uuid().substr(0, 13)}});
        const auto started = std::chrono::steady_clock::now();
        auto r = finance_.request("POST", "/api/v1/payments", body.dump(), cashier_);
        if (timed != nullptr) {
            timed->record(r.status, std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - started));
        }
        return r;
    }

    EventsSeen& events_;
    sales::http::Client contract_;
    sales::http::Client finance_;
    sales::http::Headers rep_ = Stack::auth("sales_rep");
    sales::http::Headers cashier_ = Stack::auth("cashier");
};

// The envelope time of the first outbox event `type` about `subject` in `service`'s database.
Clock::time_point event_time(Stack& stack, const std::string& service, const std::string& type,
                             const std::string& subject) {
    const auto text = stack.db(service).transaction([&](sales::db::Tx& tx) {
        const auto row = tx.exec_maybe_one(
            "SELECT payload::jsonb ->> 'time' FROM outbox WHERE subject = $1 AND "
            "payload::jsonb ->> 'subject' = $2 ORDER BY id LIMIT 1",
            {type, subject});
        return row ? row->text(0) : std::string();
    });
    const auto t = sales::parse_rfc3339(text);
    if (!t)
        throw std::runtime_error("no " + type + " event for " + subject + " in " + service);
    return *t;
}

std::chrono::microseconds between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::microseconds>(to - from);
}

// Event → report: the event of `type` of `service` chosen by `where` (SQL on its outbox row,
// $1 = `value`) is written (envelope time) → the reporting service's transaction applying it to
// the read model (its inbox.received_at; the report shows the row once that commits, about a
// millisecond later). Waits up to 30 s for reporting to apply it.
std::chrono::microseconds to_read_model(Stack& stack, const std::string& service,
                                        const std::string& type, const std::string& where,
                                        const std::string& value) {
    const auto row = stack.db(service).transaction([&](sales::db::Tx& tx) {
        return tx.exec_maybe_one(
            "SELECT event_id::text, payload::jsonb ->> 'time' FROM outbox "
            "WHERE subject = $2 AND " +
                where + " ORDER BY id DESC LIMIT 1",
            {value, type});
    });
    if (!row)
        throw std::runtime_error("no " + type + " event for " + value + " in " + service);
    const auto written = sales::parse_rfc3339(row->text(1));
    std::optional<std::int64_t> applied_us;
    wait_for("reporting to apply " + type + " " + value, [&] {
        applied_us = stack.db("reporting").transaction([&](sales::db::Tx& tx) {
            const auto r = tx.exec_maybe_one(
                "SELECT (EXTRACT(EPOCH FROM received_at) * 1000000)::bigint FROM inbox WHERE "
                "event_id = $1::uuid",
                {row->text(0)});
            return r ? std::optional<std::int64_t>(r->int64(0)) : std::nullopt;
        });
        return applied_us.has_value();
    });
    return between(*written, Clock::time_point(std::chrono::microseconds(*applied_us)));
}

// Where one event hop's time goes: the event is written (envelope time, inside the producer's
// transaction) → its relay claims it (outbox.sent_at = now() of the relay's transaction, i.e. its
// start, before the publish) → the consumer takes it (inbox.received_at = now() of the
// consumer's transaction) → the consumer's own event is written (its envelope time).
struct Hop {
    sales::load::Recorder written_to_claimed;   // producer's commit, relay wake-up
    sales::load::Recorder claimed_to_received;  // publish, JetStream ack, delivery, consumer tx
    sales::load::Recorder received_to_next;     // the consumer's handler

    void record(Stack& stack, const std::string& producer, const std::string& type,
                const std::string& subject, const std::string& consumer, Clock::time_point written,
                Clock::time_point next) {
        const auto micros = [](std::int64_t us) {
            return Clock::time_point(std::chrono::microseconds(us));
        };
        const auto claimed = stack.db(producer).transaction([&](sales::db::Tx& tx) {
            return tx.exec_maybe_one(
                "SELECT event_id::text, (EXTRACT(EPOCH FROM sent_at) * 1000000)::bigint FROM "
                "outbox WHERE subject = $1 AND payload::jsonb ->> 'subject' = $2 AND sent_at IS "
                "NOT NULL ORDER BY id LIMIT 1",
                {type, subject});
        });
        if (!claimed)
            return;
        const auto received = stack.db(consumer).transaction([&](sales::db::Tx& tx) {
            return tx.exec_maybe_one(
                "SELECT (EXTRACT(EPOCH FROM received_at) * 1000000)::bigint FROM inbox WHERE "
                "event_id = $1::uuid",
                {claimed->text(0)});
        });
        if (!received)
            return;
        const auto claimed_at = micros(claimed->int64(1));
        const auto received_at = micros(received->int64(0));
        written_to_claimed.record(200, between(written, claimed_at));
        claimed_to_received.record(200, between(claimed_at, received_at));
        received_to_next.record(200, between(received_at, next));
    }
    json summary() {
        return {{"written_to_relay_claim_ms", written_to_claimed.latency_summary()},
                {"relay_claim_to_consumer_tx_ms", claimed_to_received.latency_summary()},
                {"consumer_tx_to_next_event_ms", received_to_next.latency_summary()}};
    }
};

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto options = parse(argc, argv);
        Stack stack("saga_bench", {"inventory", "contract", "finance", "reporting"},
                    {{"SALES_LOG_LEVEL", "warn"},
                     {"SALES_CONTRACT_IO_THREADS", "8"},
                     {"SALES_FINANCE_IO_THREADS", "8"}});
        const auto floors = (options.deals + 7) / 8;
        const auto project = stack.released_project(floors, 8);
        std::cout << "saga_latency: " << options.deals << " deals, " << options.workers
                  << " workers, project of " << project.unit_ids.size() << " units\n";

        EventsSeen events(stack.nats());
        std::atomic<int> next{0};
        std::mutex mutex;
        std::vector<DealTimes> deals;
        sales::load::Recorder payments;
        std::vector<std::string> failures;
        const auto started = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        for (int w = 0; w < options.workers; ++w) {
            workers.emplace_back([&] {
                Office office(stack, events);
                sales::load::Recorder own;
                for (int i = next++; i < options.deals; i = next++) {
                    if (options.rate > 0)  // deal i starts i / rate seconds after the first
                        std::this_thread::sleep_until(
                            started + std::chrono::microseconds(
                                          static_cast<std::int64_t>(i * 1e6 / options.rate)));
                    try {
                        const auto t =
                            office.run(project.unit_ids[static_cast<std::size_t>(i)], own);
                        std::lock_guard lock(mutex);
                        deals.push_back(t);
                    } catch (const std::exception& e) {
                        std::lock_guard lock(mutex);
                        failures.push_back(e.what());
                    }
                }
                std::lock_guard lock(mutex);
                payments.merge(own);
            });
        }
        for (auto& w : workers)
            w.join();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

        sales::load::Recorder signed_to_schedule, sign_to_eligible, pay_to_eligible;
        sales::load::Recorder signed_to_report, payment_to_report;
        Hop signed_hop, cleared_hop;
        int never_eligible = 0;
        for (const auto& d : deals) {
            const auto signed_at = event_time(stack, "contract", "contract.signed", d.contract_id);
            const auto schedule_at =
                event_time(stack, "finance", "finance.schedule.created", d.contract_id);
            signed_to_schedule.record(200, between(signed_at, schedule_at));
            signed_hop.record(stack, "contract", "contract.signed", d.contract_id, "finance",
                              signed_at, schedule_at);
            try {
                signed_to_report.record(
                    200, to_read_model(stack, "contract", "contract.signed",
                                       "payload::jsonb ->> 'subject' = $1", d.contract_id));
                payment_to_report.record(
                    200, to_read_model(stack, "finance", "finance.payment.recorded",
                                       "payload::jsonb -> 'data' ->> 'contract_id' = $1",
                                       d.contract_id));
            } catch (const std::runtime_error& e) {
                failures.push_back(e.what());
            }
            try {
                Clock::time_point eligible_at;
                wait_for("eligibility of " + d.contract_id, [&] {
                    try {
                        eligible_at = event_time(stack, "contract", "contract.handover.eligible",
                                                 d.contract_id);
                        return true;
                    } catch (const std::runtime_error&) {
                        return false;
                    }
                });
                sign_to_eligible.record(200, between(d.signed_response, eligible_at));
                pay_to_eligible.record(200, between(d.paid_response, eligible_at));
                try {  // the breakdown only; a deal without it still counts
                    const auto cleared_at =
                        event_time(stack, "finance", "finance.contract.cleared", d.contract_id);
                    cleared_hop.record(stack, "finance", "finance.contract.cleared", d.contract_id,
                                       "contract", cleared_at, eligible_at);
                } catch (const std::runtime_error&) {
                }
            } catch (const std::runtime_error& e) {
                ++never_eligible;
                failures.push_back(e.what());
            }
        }

        const double deals_per_second = static_cast<double>(deals.size()) / seconds;
        const auto baseline = payments.percentile_ms(50);
        const json result = {
            {"deals_completed", deals.size()},
            {"deals_failed", failures.size()},
            {"never_eligible", never_eligible},
            {"workers", options.workers},
            {"rate_deals_per_second_asked", options.rate},
            {"seconds", seconds},
            {"deals_per_second", deals_per_second},
            {"signed_to_schedule_ms", signed_to_schedule.latency_summary()},
            {"sign_response_to_eligible_ms", sign_to_eligible.latency_summary()},
            {"last_payment_to_eligible_ms", pay_to_eligible.latency_summary()},
            {"baseline_payment_post_ms", payments.latency_summary()},
            {"hop_contract_signed_to_schedule", signed_hop.summary()},
            {"hop_finance_cleared_to_eligible", cleared_hop.summary()},
            {"contract_signed_to_report_ms", signed_to_report.latency_summary()},
            {"payment_recorded_to_report_ms", payment_to_report.latency_summary()},
            {"ratio_pay_to_eligible_p50_vs_payment_post_p50",
             baseline > 0 ? pay_to_eligible.percentile_ms(50) / baseline : 0.0},
            {"first_failures",
             json(std::vector<std::string>(
                 failures.begin(), failures.begin() + std::min<std::size_t>(failures.size(), 5)))}};
        std::cout << result.dump(2) << "\n";
        if (!options.out.empty())
            std::ofstream(options.out) << result.dump(2) << "\n";
        return failures.empty() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "saga_latency: " << e.what() << "\n";
        return 2;
    }
}
