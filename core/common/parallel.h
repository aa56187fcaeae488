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

// parallel_for for work spread evenly over [begin, end) (rows of a weight matrix), which keeps
// the threads busy until the end: each starts on a share sized by how fast it has been on work
// of the same `key` (say, one matrix shape), and a thread that runs out takes from the back of
// another's. One speed ratio for all matrices fitted none of them, and even a right ratio left
// each region's own noise: fp32 decode, 2 threads, spent 6-12% of its thread time waiting at
// the joins, ~2.5% with both (and 8% more tokens/s; int8 weight-only 13%).
// Which rows a chunk holds never changes a result (work is split by rows, see above).
void parallel_for_balanced(int64_t begin, int64_t end, int64_t grain, uint64_t key,
                           const std::function<void(int64_t, int64_t)>& fn);

// Runs fn on the calling thread while the pool's other threads wait for its parallel_for and
// parallel_for_balanced calls inside one OpenMP region, spinning between them. An OpenMP
// region costs ~3.4 us to open and close on this VM (at::parallel_for and a bare
// `omp parallel` alike) against ~0.5 us for a spin hand-off, and a decode step opens ~120 of
// them (two threads, int4 Qwen2.5-0.5B: ~8 ms a token). ATen's own parallel operations called
// inside fn run on the calling thread alone, so this is for work that splits itself with the
// functions above (one decode step). Exceptions from fn or from any chunk reach the caller.
void run_as_team(const std::function<void()>& fn);

}  // namespace qs
