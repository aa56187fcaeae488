// Statistics of benchmark samples against values known independently: numpy.percentile's
// linear definition on exact small cases, the quantiles of a large uniform sample, and the
// coverage of the bootstrap CI of a normal sample's mean; decode figures from median token times.
#include <QtTest>
#include <cmath>
#include <random>

#include "bench/figures.h"
#include "bench/statistics.h"

using namespace qs::bench;

class TestStatistics : public QObject {
    Q_OBJECT
private slots:
    void exactSmallCases() {
        // numpy.percentile([1, 2, 3, 4], [0, 50, 95, 100]) == [1, 2.5, 3.85, 4]
        const std::vector<double> x = {4, 1, 3, 2};
        QCOMPARE(percentile(x, 0), 1.0);
        QCOMPARE(percentile(x, 50), 2.5);
        QVERIFY(std::abs(percentile(x, 95) - 3.85) < 1e-12);
        QCOMPARE(percentile(x, 100), 4.0);
        QCOMPARE(percentile({7}, 99), 7.0);
        QVERIFY(std::isnan(percentile({}, 50)));
        // mean 5, sample variance 32/7
        const std::vector<double> y = {2, 4, 4, 4, 5, 5, 7, 9};
        QCOMPARE(mean(y), 5.0);
        QVERIFY(std::abs(stddev(y) - std::sqrt(32.0 / 7.0)) < 1e-12);
        QVERIFY(std::isnan(stddev({1.0})));
    }

    void summaryOfOneSampleHasNoInterval() {
        const Summary s = summarize({3.0}, 1);
        QCOMPARE(s.n, int64_t(1));
        QCOMPARE(s.p50, 3.0);
        QVERIFY(std::isnan(s.mean_ci.lo) && std::isnan(s.p99_ci.hi));
    }

    void uniformQuantiles() {
        std::mt19937_64 rng(42);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<double> x(100000);
        for (double& v : x) v = u(rng);
        const Summary s = summarize(x, 7, 200);
        QVERIFY(std::abs(s.p50 - 0.50) < 0.01);
        QVERIFY(std::abs(s.p95 - 0.95) < 0.005);
        QVERIFY(std::abs(s.p99 - 0.99) < 0.002);
        QVERIFY(std::abs(s.mean - 0.5) < 0.005);
        QVERIFY(std::abs(s.stddev - std::sqrt(1.0 / 12.0)) < 0.005);
        QVERIFY(s.min >= 0 && s.max <= 1);
        // Each CI holds its estimate and is narrow for this many samples.
        QVERIFY(s.p95_ci.lo <= s.p95 && s.p95 <= s.p95_ci.hi);
        QVERIFY(s.p95_ci.hi - s.p95_ci.lo < 0.01);
    }

    void bootstrapMeanCoverageOfNormalSamples() {
        // A 95% interval should contain the true mean in about 95% of experiments (percentile
        // bootstrap with n = 40 under-covers slightly, ~93%).
        std::mt19937_64 rng(2024);
        std::normal_distribution<double> normal(10.0, 2.0);
        int covered = 0;
        const int experiments = 300;
        for (int e = 0; e < experiments; ++e) {
            std::vector<double> x(40);
            for (double& v : x) v = normal(rng);
            const Summary s = summarize(x, uint64_t(e), 400);
            if (s.mean_ci.lo <= 10.0 && 10.0 <= s.mean_ci.hi) ++covered;
        }
        const double coverage = double(covered) / experiments;
        QVERIFY2(coverage > 0.88 && coverage < 0.99, qPrintable(QString::number(coverage)));
    }

    void ratioOfMeans() {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> a(20.0, 1.0), b(10.0, 0.5);
        std::vector<double> x(200), y(200);
        for (double& v : x) v = a(rng);
        for (double& v : y) v = b(rng);
        const Ratio r = bootstrap_ratio(x, y, [](const std::vector<double>& v) { return mean(v); }, 3);
        QVERIFY(std::abs(r.value - mean(x) / mean(y)) < 1e-12);
        QVERIFY(r.ci.lo < r.value && r.value < r.ci.hi);
        QVERIFY(std::abs(r.value - 2.0) < 0.05);
        QVERIFY(r.ci.hi - r.ci.lo < 0.1);
        // Seeded: the same call gives the same interval.
        const Ratio again = bootstrap_ratio(x, y, [](const std::vector<double>& v) { return mean(v); }, 3);
        QCOMPARE(again.ci.lo, r.ci.lo);
        QCOMPARE(again.ci.hi, r.ci.hi);
    }

    void decodeFiguresIgnoreHostStalls() {
        // 20 tokens of 10 ms and 2 of 40 ms (a host stall): the decode speed is that of the
        // 10 ms tokens, 100 tok/s (the mean, 12.7 ms, would say 78.6), and against an fp32
        // variant at 50 ms per token with one 80 ms stall the speedup is exactly 5.
        VariantResult fp32, int4;
        int4.decode_token_ms.assign(20, 10.0);
        int4.decode_token_ms.insert(int4.decode_token_ms.begin() + 5, 2, 40.0);
        int4.decode_bytes_per_token = 0.5e9;  // 0.5 GB in 10 ms = 50 GB/s
        fp32.decode_token_ms.assign(21, 50.0);
        fp32.decode_token_ms.push_back(80.0);
        compute_speed_figures(int4, 100.0, 7);
        compute_speed_figures(fp32, 100.0, 7);
        compute_ratios(int4, fp32, 7);
        QCOMPARE(int4.decode_tokens_per_s, 100.0);
        QCOMPARE(int4.decode_bandwidth_efficiency, 0.5);
        QCOMPARE(int4.decode_speedup.value, 5.0);
        QVERIFY(int4.decode_token.mean > 12.0);  // the mean is still reported
        QCOMPARE(bandwidth_yardstick_note(int4, 100.0), std::string());
    }

    void decodeFasterThanTheProbeIsFlagged() {
        // 0.66 GB a token in 10 ms is 66 GB/s against a probe that read 55: 120%, and the note
        // says the probe under-read. At exactly the probe's speed (100%) there is no note.
        VariantResult fp32;
        fp32.method = "fp32";
        fp32.decode_token_ms.assign(5, 10.0);
        fp32.decode_bytes_per_token = 0.66e9;
        compute_speed_figures(fp32, 55.0, 7);
        QCOMPARE(fp32.decode_bandwidth_efficiency, 1.2);
        const std::string note = bandwidth_yardstick_note(fp32, 55.0);
        QVERIFY2(note.find("fp32: decode read 66.0 GB/s, faster than the bandwidth probe's 55.0 GB/s") == 0,
                 note.c_str());
        QVERIFY2(note.find("120%") != std::string::npos, note.c_str());
        fp32.decode_bytes_per_token = 0.55e9;
        compute_speed_figures(fp32, 55.0, 7);
        QCOMPARE(bandwidth_yardstick_note(fp32, 55.0), std::string());
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "test_statistics.moc"
