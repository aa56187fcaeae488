#pragma once
// The benchmark engine: loads the model once per variant, measures speed (interleaved variants,
// warmup discarded, raw samples kept), memory (an isolated child process per variant) and
// accuracy against fp32, and reports partial results as they arrive.
#include <functional>
#include <string>

#include "bench/bench_result.h"
#include "common/progress.h"
#include "common/result.h"

namespace qs::bench {

// Called (on the calling thread) whenever new measurements are in; `snapshot` is complete up
// to that point, with unmeasured figures NaN / -1 and variants still to run marked "pending".
using UpdateFn = std::function<void(const BenchmarkResult& snapshot)>;

// Runs the whole benchmark. Cancelling returns the result measured so far with complete=false
// (an Error only when nothing could be measured, e.g. the model does not load).
Result<BenchmarkResult> run_benchmark(const BenchmarkSettings& settings, const Control& control,
                                      const UpdateFn& on_update = {});

// The versioned JSON document of a result, and its inverse (for Open run / compare).
std::string result_to_json(const BenchmarkResult& result);
Result<BenchmarkResult> result_from_json(const std::string& text);

// RFC 4180 CSV: one row per variant with the summary figures, and one row per raw sample.
std::string summary_csv(const BenchmarkResult& result);
std::string samples_csv(const BenchmarkResult& result);

}  // namespace qs::bench
