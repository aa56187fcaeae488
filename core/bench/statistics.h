#pragma once
// Summary statistics of raw benchmark samples and their uncertainty.
//
// Percentiles use linear interpolation between closest ranks (numpy.percentile's default,
// "linear"): for sorted x[0..n-1] and q in [0,100], h = (n-1)*q/100 and the value is
// x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]).
// Confidence intervals are percentile-bootstrap 95% intervals (2.5th and 97.5th percentiles of
// the statistic over `resamples` resamples with replacement), from a seeded generator so a run
// is reproducible.
#include <cstdint>
#include <functional>
#include <vector>

#include "bench/bench_result.h"

namespace qs::bench {

constexpr int kBootstrapResamples = 1000;

double mean(const std::vector<double>& x);
// Sample standard deviation (n-1 in the denominator); NaN for fewer than 2 samples.
double stddev(const std::vector<double>& x);
// q in [0, 100]; NaN for no samples.
double percentile(std::vector<double> x, double q);
double percentile_sorted(const std::vector<double>& sorted, double q);

// Every figure of Summary with its bootstrap CI (CIs stay NaN for fewer than 2 samples).
Summary summarize(const std::vector<double>& x, uint64_t seed, int resamples = kBootstrapResamples);

// Bootstrap CI of an arbitrary statistic of one sample.
Interval bootstrap_ci(const std::vector<double>& x,
                      const std::function<double(const std::vector<double>&)>& statistic,
                      uint64_t seed, int resamples = kBootstrapResamples);

// Ratio statistic(numerator) / statistic(denominator) of two independent samples, each
// resampled independently, with its bootstrap CI.
Ratio bootstrap_ratio(const std::vector<double>& numerator, const std::vector<double>& denominator,
                      const std::function<double(const std::vector<double>&)>& statistic,
                      uint64_t seed, int resamples = kBootstrapResamples);

}  // namespace qs::bench
