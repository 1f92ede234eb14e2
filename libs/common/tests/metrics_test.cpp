#include <gtest/gtest.h>

#include "sales/metrics.hpp"

TEST(Metrics, RendersPrometheusText) {
    sales::metrics::Registry r;
    r.counter("t_requests_total", "Requests.", "code=\"200\"").inc(3);
    r.gauge("t_backlog", "Backlog.").set(7);
    auto& h = r.histogram("t_latency_seconds", "Latency.");
    h.observe_us(3'000);    // ≤ 5ms
    h.observe_us(700'000);  // ≤ 1s
    const auto text = r.render();
    EXPECT_NE(text.find("# TYPE t_requests_total counter\n"), std::string::npos) << text;
    EXPECT_NE(text.find("t_requests_total{code=\"200\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("t_backlog 7\n"), std::string::npos) << text;
    EXPECT_NE(text.find("t_latency_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("t_latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("t_latency_seconds_count 2\n"), std::string::npos) << text;
}

TEST(Metrics, SameNameAndLabelsIsTheSameCounter) {
    sales::metrics::Registry r;
    auto& a = r.counter("x_total", "X.", "k=\"v\"");
    auto& b = r.counter("x_total", "X.", "k=\"v\"");
    a.inc();
    b.inc();
    EXPECT_EQ(&a, &b);
    EXPECT_EQ(a.value(), 2);
}
