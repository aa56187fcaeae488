#pragma once
// Derived figures of a variant, computed from its raw samples: summaries with bootstrap CIs,
// throughputs, bandwidth efficiency and the ratios against fp32.
#include "bench/bench_result.h"

namespace qs::bench {

// Fills ttft / latency / decode_token summaries, prefill/decode tokens/s, prompts/s and the
// decode bandwidth efficiency (needs v.decode_bytes_per_token and read_bandwidth_gbps).
void compute_speed_figures(VariantResult& v, double read_bandwidth_gbps, uint64_t seed);

// Ratios of v against the fp32 reference (see VariantResult for their direction).
void compute_ratios(VariantResult& v, const VariantResult& fp32, uint64_t seed);

}  // namespace qs::bench
