#include "bench/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace qs::bench {

double mean(const std::vector<double>& x) {
    if (x.empty()) return kNotMeasured;
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double stddev(const std::vector<double>& x) {
    if (x.size() < 2) return kNotMeasured;
    const double m = mean(x);
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double percentile_sorted(const std::vector<double>& s, double q) {
    if (s.empty()) return kNotMeasured;
    const double h = (static_cast<double>(s.size()) - 1.0) * std::clamp(q, 0.0, 100.0) / 100.0;
    const size_t lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, s.size() - 1);
    return s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

double percentile(std::vector<double> x, double q) {
    std::sort(x.begin(), x.end());
    return percentile_sorted(x, q);
}

namespace {

void resample(const std::vector<double>& x, std::mt19937_64& rng, std::vector<double>& out) {
    std::uniform_int_distribution<size_t> pick(0, x.size() - 1);
    out.resize(x.size());
    for (double& v : out) v = x[pick(rng)];
}

Interval interval_of(std::vector<double> estimates) {
    // A statistic can be NaN on a degenerate resample (e.g. a zero denominator); drop those.
    estimates.erase(std::remove_if(estimates.begin(), estimates.end(),
                                   [](double v) { return !std::isfinite(v); }),
                    estimates.end());
    if (estimates.empty()) return {};
    std::sort(estimates.begin(), estimates.end());
    return {percentile_sorted(estimates, 2.5), percentile_sorted(estimates, 97.5)};
}

}  // namespace

Summary summarize(const std::vector<double>& x, uint64_t seed, int resamples) {
    Summary s;
    s.n = static_cast<int64_t>(x.size());
    if (x.empty()) return s;
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    s.mean = mean(x);
    s.stddev = stddev(x);
    s.min = sorted.front();
    s.max = sorted.back();
    s.p50 = percentile_sorted(sorted, 50);
    s.p95 = percentile_sorted(sorted, 95);
    s.p99 = percentile_sorted(sorted, 99);
    if (x.size() < 2) return s;
    // All four statistics come from the same resamples: one sort per resample.
    std::mt19937_64 rng(seed);
    std::vector<double> means, p50s, p95s, p99s, r;
    for (int i = 0; i < resamples; ++i) {
        resample(x, rng, r);
        std::sort(r.begin(), r.end());
        means.push_back(mean(r));
        p50s.push_back(percentile_sorted(r, 50));
        p95s.push_back(percentile_sorted(r, 95));
        p99s.push_back(percentile_sorted(r, 99));
    }
    s.mean_ci = interval_of(std::move(means));
    s.p50_ci = interval_of(std::move(p50s));
    s.p95_ci = interval_of(std::move(p95s));
    s.p99_ci = interval_of(std::move(p99s));
    return s;
}

Interval bootstrap_ci(const std::vector<double>& x,
                      const std::function<double(const std::vector<double>&)>& statistic,
                      uint64_t seed, int resamples) {
    if (x.size() < 2) return {};
    std::mt19937_64 rng(seed);
    std::vector<double> estimates, r;
    for (int i = 0; i < resamples; ++i) {
        resample(x, rng, r);
        estimates.push_back(statistic(r));
    }
    return interval_of(std::move(estimates));
}

Ratio bootstrap_ratio(const std::vector<double>& numerator, const std::vector<double>& denominator,
                      const std::function<double(const std::vector<double>&)>& statistic,
                      uint64_t seed, int resamples) {
    Ratio ratio;
    if (numerator.empty() || denominator.empty()) return ratio;
    ratio.value = statistic(numerator) / statistic(denominator);
    if (numerator.size() < 2 || denominator.size() < 2) return ratio;
    std::mt19937_64 rng(seed);
    std::vector<double> estimates, a, b;
    for (int i = 0; i < resamples; ++i) {
        resample(numerator, rng, a);
        resample(denominator, rng, b);
        estimates.push_back(statistic(a) / statistic(b));
    }
    ratio.ci = interval_of(std::move(estimates));
    return ratio;
}

}  // namespace qs::bench
