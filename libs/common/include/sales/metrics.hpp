#pragma once
// Process-wide metrics rendered in the Prometheus text format at GET /metrics.
// Counters and gauges are lock-free once created; look them up once and keep the reference.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sales::metrics {

class Counter {
  public:
    void inc(std::int64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::int64_t> value_{0};
};

class Gauge {
  public:
    void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
    void add(std::int64_t by) { value_.fetch_add(by, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::int64_t> value_{0};
};

// Latency histogram in seconds with fixed buckets (5ms .. 10s); observations in microseconds.
class Histogram {
  public:
    Histogram();
    void observe_us(std::int64_t microseconds);
    std::string render(const std::string& name, const std::string& labels) const;

  private:
    std::vector<std::int64_t> bounds_us_;
    std::unique_ptr<std::atomic<std::int64_t>[]> buckets_;
    std::atomic<std::int64_t> count_{0};
    std::atomic<std::int64_t> sum_us_{0};
};

class Registry {
  public:
    // name: metric name; labels: rendered label set without braces, e.g. `route="/x",code="200"`.
    Counter& counter(const std::string& name, const std::string& help,
                     const std::string& labels = "");
    Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = "");
    Histogram& histogram(const std::string& name, const std::string& help,
                         const std::string& labels = "");
    std::string render() const;

  private:
    struct Family {
        std::string type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(const std::string& name, const std::string& type, const std::string& help);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

Registry& registry();

}  // namespace sales::metrics
