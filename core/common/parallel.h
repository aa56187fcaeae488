#pragma once
// Thread control for all of core. Kernels split work with parallel_for; set_num_threads sets
// ATen's intra-op pool, the only pool that does work for us, so the thread count we report is
// the one that ran (tests/core/common/test_parallel.cpp checks that two threads are two OS
// threads). Work is split by output rows or fixed column blocks, never inside a sum, so results
// are bit-identical for any thread count. OpenBLAS is kept single-threaded and our GEMMs split
// their columns over the ATen pool instead: OpenBLAS's own pthreads next to ATen's OpenMP
// workers (which spin for a while after each parallel region) oversubscribed the cores, and the
// FP32 baseline's prefill on the demo model took 16.3 ms with 2 threads against 5.2 ms with 1.
#include <cstdint>
#include <functional>

namespace qs {

void set_num_threads(int n);
int num_threads();

// Calls fn(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), at most one
// chunk per thread, each at least `grain` long. Runs inline when there is one chunk.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn);

// parallel_for for work spread evenly over [begin, end) (rows of a weight matrix), with one
// chunk per thread sized by how fast each thread has been: the chunks' times are measured and
// the shares follow them. With equal halves the second thread took ~8% longer per row than the
// first (perf, int4 decode, 2 threads: the first thread waited 16% of its time at the joins).
// Which rows a chunk holds never changes a result (work is split by rows, see above).
void parallel_for_balanced(int64_t begin, int64_t end, int64_t grain,
                           const std::function<void(int64_t, int64_t)>& fn);

}  // namespace qs
