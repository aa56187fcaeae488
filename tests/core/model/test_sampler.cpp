// Greedy sampling: argmax returns the first index of the largest logit, ignores NaN, and
// handles lengths that are not a multiple of its 8 lanes (checked against a plain scan).
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "model/sampler.h"

namespace {

// The reference: first index whose value no later value exceeds.
int32_t first_max(const std::vector<float>& v) {
    int64_t best = 0;
    for (int64_t i = 1; i < int64_t(v.size()); ++i)
        if (v[i] > v[best]) best = i;
    return int32_t(best);
}

}  // namespace

class SamplerTest : public QObject {
    Q_OBJECT
private slots:
    void argmaxMatchesAPlainScan() {
        std::mt19937 gen(7);
        std::normal_distribution<float> normal;
        for (int n : {1, 2, 7, 8, 9, 15, 16, 17, 100, 151936}) {
            std::vector<float> v(n);
            for (float& x : v) x = normal(gen);
            QCOMPARE(qs::argmax(v.data(), n), first_max(v));
            // The maximum in the tail after the last full group of 8, then at the very start.
            v[n - 1] = 100.0f;
            QCOMPARE(qs::argmax(v.data(), n), n - 1);
            v[0] = 200.0f;
            QCOMPARE(qs::argmax(v.data(), n), 0);
        }
    }
    void argmaxTakesTheFirstOfTies() {
        const std::vector<float> v = {1, 5, 3, 5, 5, 2, 0, 5, 4, 5};
        QCOMPARE(qs::argmax(v.data(), int64_t(v.size())), 1);
        const std::vector<float> zeros = {-1, -0.0f, 0.0f, -2};
        QCOMPARE(qs::argmax(zeros.data(), int64_t(zeros.size())), 1);
    }
    void argmaxIgnoresNaN() {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> v(20, 0.0f);
        v[3] = nan;
        v[11] = 2.0f;
        v[12] = nan;
        QCOMPARE(qs::argmax(v.data(), int64_t(v.size())), 11);
        v[0] = nan;  // as the plain scan: nothing compares greater than a NaN at index 0
        QCOMPARE(qs::argmax(v.data(), int64_t(v.size())), first_max(v));
    }
    void greedySamplerUsesArgmax() {
        qs::Sampler sampler(qs::SamplingOptions{});
        std::vector<float> v(1000, -1.0f);
        v[613] = 3.0f;
        v[777] = 3.0f;
        QCOMPARE(sampler.next(v), 613);
    }
};

QTEST_GUILESS_MAIN(SamplerTest)
#include "test_sampler.moc"
