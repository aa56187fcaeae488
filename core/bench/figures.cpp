#include "bench/figures.h"

#include <cmath>
#include <cstdio>
#include <numeric>

#include "bench/statistics.h"

namespace qs::bench {

namespace {

double median(const std::vector<double>& x) { return percentile(x, 50); }

}  // namespace

void compute_speed_figures(VariantResult& v, double read_bandwidth_gbps, uint64_t seed) {
    v.ttft = summarize(v.ttft_ms, seed + 1);
    v.latency = summarize(v.latency_ms, seed + 2);
    v.decode_token = summarize(v.decode_token_ms, seed + 3);
    const double ttft_total = std::accumulate(v.ttft_ms.begin(), v.ttft_ms.end(), 0.0);
    const double prompt_tokens =
        static_cast<double>(std::accumulate(v.sample_prompt_tokens.begin(), v.sample_prompt_tokens.end(), int64_t(0)));
    v.prefill_tokens_per_s = ttft_total > 0 ? prompt_tokens / (ttft_total / 1000.0) : kNotMeasured;
    // Decode speed from the median token time: the host can stall a process for 20-40 ms at a
    // time (measured here: every 0.5 s, the sampling period of the host's DAMON memory monitor),
    // and such stalls say nothing about the method. The mean and the tail stay in the summary.
    const double seconds_per_token = v.decode_token.p50 / 1000.0;
    v.decode_tokens_per_s = v.decode_token_ms.empty() ? kNotMeasured : 1.0 / seconds_per_token;
    v.prompts_per_s = v.latency_ms.empty() ? kNotMeasured : 1000.0 / v.latency.mean;
    v.decode_bandwidth_efficiency =
        std::isfinite(v.decode_bytes_per_token) && std::isfinite(read_bandwidth_gbps) &&
                read_bandwidth_gbps > 0 && seconds_per_token > 0
            ? v.decode_bytes_per_token / seconds_per_token / (read_bandwidth_gbps * 1e9)
            : kNotMeasured;
}

std::string bandwidth_yardstick_note(const VariantResult& v, double read_bandwidth_gbps) {
    if (!(v.decode_bandwidth_efficiency > 1.0)) return "";  // also when not measured (NaN)
    char text[256];
    std::snprintf(text, sizeof(text),
                  "%s: decode read %.1f GB/s, faster than the bandwidth probe's %.1f GB/s; its BW eff "
                  "of %.0f%% means the probe under-read in this run, not that memory was beaten",
                  v.method.c_str(), v.decode_bandwidth_efficiency * read_bandwidth_gbps,
                  read_bandwidth_gbps, v.decode_bandwidth_efficiency * 100);
    return text;
}

void compute_ratios(VariantResult& v, const VariantResult& fp32, uint64_t seed) {
    auto m = [](const std::vector<double>& x) { return mean(x); };
    v.decode_speedup = bootstrap_ratio(fp32.decode_token_ms, v.decode_token_ms, median, seed + 11);
    v.prefill_speedup = bootstrap_ratio(fp32.ttft_ms, v.ttft_ms, m, seed + 12);
    v.latency_speedup = bootstrap_ratio(fp32.latency_ms, v.latency_ms, median, seed + 13);
    v.memory_ratio = Ratio{};
    if (fp32.weight_bytes > 0 && v.weight_bytes > 0)
        v.memory_ratio.value = static_cast<double>(fp32.weight_bytes) / static_cast<double>(v.weight_bytes);
}

}  // namespace qs::bench
