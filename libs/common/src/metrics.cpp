#include "sales/metrics.hpp"

#include <sstream>

namespace sales::metrics {
namespace {
std::string with_labels(const std::string& name, const std::string& labels) {
    return labels.empty() ? name : name + "{" + labels + "}";
}
std::string join_labels(const std::string& a, const std::string& b) {
    if (a.empty())
        return b;
    if (b.empty())
        return a;
    return a + "," + b;
}
}  // namespace

Histogram::Histogram()
    : bounds_us_{5'000,   10'000,    25'000,    50'000,    100'000,   250'000,
                 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000},
      buckets_(new std::atomic<std::int64_t>[bounds_us_.size()]) {
    for (std::size_t i = 0; i < bounds_us_.size(); ++i)
        buckets_[i].store(0);
}

void Histogram::observe_us(std::int64_t us) {
    for (std::size_t i = 0; i < bounds_us_.size(); ++i) {
        if (us <= bounds_us_[i]) {
            buckets_[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_us_.fetch_add(us, std::memory_order_relaxed);
}

std::string Histogram::render(const std::string& name, const std::string& labels) const {
    std::ostringstream out;
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_us_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        std::ostringstream le;
        le << "le=\"" << static_cast<double>(bounds_us_[i]) / 1e6 << "\"";
        out << with_labels(name + "_bucket", join_labels(labels, le.str())) << ' ' << cumulative
            << '\n';
    }
    const auto count = count_.load(std::memory_order_relaxed);
    out << with_labels(name + "_bucket", join_labels(labels, "le=\"+Inf\"")) << ' ' << count
        << '\n';
    out << with_labels(name + "_sum", labels) << ' '
        << static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6 << '\n';
    out << with_labels(name + "_count", labels) << ' ' << count << '\n';
    return out.str();
}

Registry::Family& Registry::family(const std::string& name, const std::string& type,
                                   const std::string& help) {
    auto& f = families_[name];
    if (f.type.empty()) {
        f.type = type;
        f.help = help;
    }
    return f;
}

namespace {
// The metric of `labels` in one family, made on first use.
template <class Metric>
Metric& metric_in(std::map<std::string, std::unique_ptr<Metric>>& metrics,
                  const std::string& labels) {
    auto& slot = metrics[labels];
    if (!slot)
        slot = std::make_unique<Metric>();
    return *slot;
}
}  // namespace

Counter& Registry::counter(const std::string& name, const std::string& help,
                           const std::string& labels) {
    std::lock_guard lock(mutex_);
    return metric_in(family(name, "counter", help).counters, labels);
}

Gauge& Registry::gauge(const std::string& name, const std::string& help,
                       const std::string& labels) {
    std::lock_guard lock(mutex_);
    return metric_in(family(name, "gauge", help).gauges, labels);
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const std::string& labels) {
    std::lock_guard lock(mutex_);
    return metric_in(family(name, "histogram", help).histograms, labels);
}

std::string Registry::render() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    for (const auto& [name, f] : families_) {
        out << "# HELP " << name << ' ' << f.help << '\n'
            << "# TYPE " << name << ' ' << f.type << '\n';
        for (const auto& [labels, c] : f.counters)
            out << with_labels(name, labels) << ' ' << c->value() << '\n';
        for (const auto& [labels, g] : f.gauges)
            out << with_labels(name, labels) << ' ' << g->value() << '\n';
        for (const auto& [labels, h] : f.histograms)
            out << h->render(name, labels);
    }
    return out.str();
}

Registry& registry() {
    // Never destroyed: I/O threads still closing connections while the process exits update
    // gauges after static destructors ran (AddressSanitizer found it through fuzz_http_request).
    static Registry* const instance = new Registry;
    return *instance;
}

}  // namespace sales::metrics
