#pragma once
// What machine and build a benchmark ran on, recorded in every result.
#include "bench/bench_result.h"

namespace qs::bench {

// threads: the thread count the run uses (recorded as is).
SystemInfo collect_system_info(int threads);

}  // namespace qs::bench
