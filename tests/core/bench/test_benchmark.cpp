// The benchmark engine end to end on the synthetic tiny model: every variant measured with the
// requested number of samples, snapshots while it runs, cancellation keeping what was measured.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "bench/benchmark.h"

using namespace qs;
using namespace qs::bench;

namespace {

BenchmarkSettings tiny_settings() {
    BenchmarkSettings s;
    s.model = "synthetic:tiny";
    s.methods = {QuantOptions{Method::int8_dynamic}, QuantOptions{Method::int4}};
    s.prompts = {"hello world", "a longer prompt with more bytes in it"};
    s.max_new_tokens = 6;
    s.runs = 3;
    s.warmup = 1;
    s.threads = 1;
    s.eval_tokens = 256;
    s.measure_memory = false;
    return s;
}

}  // namespace

class TestBenchmark : public QObject {
    Q_OBJECT
private slots:
    void measuresEveryVariant() {
        BenchmarkSettings s = tiny_settings();
        int updates = 0;
        auto r = run_benchmark(s, {}, [&](const BenchmarkResult&) { ++updates; });
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(r->complete);
        QCOMPARE(r->variants.size(), size_t(3));  // fp32 added first
        QCOMPARE(r->variants[0].method, std::string("fp32"));
        QCOMPARE(r->variants[2].method, std::string("int4"));
        QVERIFY(updates > 0);
        // the bandwidth is sampled once per measured round (runs x prompts), and the run's
        // figure is the median sample (6 samples: the mean of the middle two)
        std::vector<double> bw = r->read_bandwidth_samples_gbps;
        QCOMPARE(bw.size(), size_t(6));
        for (double b : bw) QVERIFY(b > 0);
        std::sort(bw.begin(), bw.end());
        QCOMPARE(r->read_bandwidth_gbps, (bw[2] + bw[3]) / 2);
        QCOMPARE(r->settings.threads, 1);
        for (const VariantResult& v : r->variants) {
            QCOMPARE(v.status, std::string("ok"));
            // runs x prompts measured runs, each with max_new_tokens - 1 decode steps.
            QCOMPARE(v.ttft_ms.size(), size_t(6));
            QCOMPARE(v.latency_ms.size(), size_t(6));
            QCOMPARE(v.decode_token_ms.size(), size_t(6 * 5));
            for (size_t i = 0; i < v.latency_ms.size(); ++i) QVERIFY(v.latency_ms[i] > v.ttft_ms[i]);
            QVERIFY(v.latency.p50 <= v.latency.p95 && v.latency.p95 <= v.latency.p99);
            QVERIFY(v.decode_tokens_per_s > 0);
            QVERIFY(v.weight_bytes > 0);
            QVERIFY(v.decode_bandwidth_efficiency > 0);
        }
        QVERIFY(r->variants[1].weight_bytes < r->variants[0].weight_bytes);
        QVERIFY(r->variants[2].weight_bytes < r->variants[1].weight_bytes);
        QVERIFY(std::isfinite(r->variants[1].decode_speedup.value));
        QVERIFY(r->variants[1].decode_speedup.ci.lo <= r->variants[1].decode_speedup.value);
        QVERIFY(std::isnan(r->variants[0].decode_speedup.value));  // no ratio of fp32 to itself
    }

    void cancelKeepsWhatWasMeasured() {
        BenchmarkSettings s = tiny_settings();
        CancelToken token;
        Control control;
        control.cancel = &token;
        // Cancel as soon as the first measured samples are in.
        auto r = run_benchmark(s, control, [&](const BenchmarkResult& snap) {
            if (!snap.variants[0].ttft_ms.empty()) token.cancel();
        });
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(!r->complete);
        QVERIFY(!r->variants[0].ttft_ms.empty());
        QVERIFY(r->variants[0].ttft_ms.size() < 6);
    }

    void badModelIsAnError() {
        BenchmarkSettings s = tiny_settings();
        s.model = "synthetic:no-such-model";
        auto r = run_benchmark(s, {});
        QVERIFY(!r.ok());
        QVERIFY(!r.error().cancelled);
    }
};

QTEST_GUILESS_MAIN(TestBenchmark)
#include "test_benchmark.moc"
