#pragma once
// Derived figures of a variant, computed from its raw samples: summaries with bootstrap CIs,
// throughputs, bandwidth efficiency and the ratios against fp32.
#include <string>

#include "bench/bench_result.h"

namespace qs::bench {

// Fills ttft / latency / decode_token summaries, prefill/decode tokens/s, prompts/s and the
// decode bandwidth efficiency (needs v.decode_bytes_per_token and read_bandwidth_gbps).
void compute_speed_figures(VariantResult& v, double read_bandwidth_gbps, uint64_t seed);

// "" unless v's decode read memory faster than the bandwidth probe did in the same run
// (decode_bandwidth_efficiency above 1). Memory cannot be read faster than it can be read, so
// such a figure means the probe under-read, and the result has to say so: otherwise a BW eff
// above 100% reads as a result (it happened: fp32 at 122% on an AMD EPYC host).
std::string bandwidth_yardstick_note(const VariantResult& v, double read_bandwidth_gbps);

// Ratios of v against the fp32 reference (see VariantResult for their direction).
void compute_ratios(VariantResult& v, const VariantResult& fp32, uint64_t seed);

}  // namespace qs::bench
