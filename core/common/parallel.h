#pragma once
// Thread control for all of core. Kernels split work with parallel_for; set_num_threads sets
// every pool that does work for us (ATen's intra-op pool and OpenBLAS's own pthreads, which
// at::set_num_threads does not touch), so the thread count we report is the one that ran.
#include <cstdint>
#include <functional>

namespace qs {

void set_num_threads(int n);
int num_threads();

// Calls fn(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), at most one
// chunk per thread, each at least `grain` long. Runs inline when there is one chunk.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn);

}  // namespace qs
