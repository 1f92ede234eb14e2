#pragma once
// Latency/outcome bookkeeping for load drivers: per-thread recorders merged at the end.
// Latencies are kept in microseconds (integers); percentiles are reported in milliseconds as
// doubles (floating point is for statistics only, never for money or area).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sales::load {

class Recorder {
  public:
    void record(int status, std::chrono::microseconds latency) {
        latencies_us_.push_back(latency.count());
        ++by_status_[status];
        sorted_ = false;
    }
    // Also counts an outcome label, e.g. "409 unit_not_available" or "transport timeout".
    void record(int status, std::chrono::microseconds latency, const std::string& outcome) {
        record(status, latency);
        ++by_outcome_[outcome];
    }
    void merge(const Recorder& other) {
        latencies_us_.insert(latencies_us_.end(), other.latencies_us_.begin(),
                             other.latencies_us_.end());
        for (const auto& [status, n] : other.by_status_)
            by_status_[status] += n;
        for (const auto& [outcome, n] : other.by_outcome_)
            by_outcome_[outcome] += n;
        sorted_ = false;
    }
    std::int64_t count() const { return static_cast<std::int64_t>(latencies_us_.size()); }
    std::int64_t with_status(int status) const {
        const auto it = by_status_.find(status);
        return it == by_status_.end() ? 0 : it->second;
    }
    // Requests whose status lies in [low, high].
    std::int64_t with_status_between(int low, int high) const {
        std::int64_t n = 0;
        for (const auto& [status, count] : by_status_) {
            if (status >= low && status <= high)
                n += count;
        }
        return n;
    }
    // Percentile in milliseconds (nearest rank), p in (0, 100].
    double percentile_ms(double p) {
        if (latencies_us_.empty())
            return 0;
        sort();
        auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(latencies_us_.size()));
        rank = std::min(rank == 0 ? 0 : rank - 1, latencies_us_.size() - 1);
        return static_cast<double>(latencies_us_[rank]) / 1000.0;
    }
    double max_ms() {
        if (latencies_us_.empty())
            return 0;
        sort();
        return static_cast<double>(latencies_us_.back()) / 1000.0;
    }
    double mean_ms() const {
        if (latencies_us_.empty())
            return 0;
        std::int64_t sum = 0;
        for (auto us : latencies_us_)
            sum += us;
        return static_cast<double>(sum) / static_cast<double>(latencies_us_.size()) / 1000.0;
    }
    nlohmann::json statuses() const {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [status, n] : by_status_)
            out[std::to_string(status)] = n;
        return out;
    }
    nlohmann::json outcomes() const {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [outcome, n] : by_outcome_)
            out[outcome] = n;
        return out;
    }
    // {"count":..,"p50":..,"p95":..,"p99":..,"max":..,"mean":..} in milliseconds.
    nlohmann::json latency_summary() {
        return {{"count", count()},         {"p50", percentile_ms(50)}, {"p95", percentile_ms(95)},
                {"p99", percentile_ms(99)}, {"max", max_ms()},          {"mean", mean_ms()}};
    }

  private:
    void sort() {
        if (!sorted_)
            std::sort(latencies_us_.begin(), latencies_us_.end());
        sorted_ = true;
    }

    std::vector<std::int64_t> latencies_us_;
    std::map<int, std::int64_t> by_status_;
    std::map<std::string, std::int64_t> by_outcome_;
    bool sorted_ = true;
};

}  // namespace sales::load
