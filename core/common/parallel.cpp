#include "common/parallel.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>

// ATen's parallel_for falls back to running inline when its OpenMP region is not compiled in,
// and nothing else would notice: every "2-thread" figure would then be a 1-thread figure.
#ifndef _OPENMP
#error "common/parallel.cpp must be compiled with OpenMP (see core/CMakeLists.txt)"
#endif

namespace qs {

namespace {

// OpenBLAS is reached through libtorch's BLAS dependency; its symbols are looked up at run time
// so that core does not link a particular BLAS itself.
void set_openblas_threads(int n) {
    using SetFn = void (*)(int);
    static SetFn set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set) set(n);
}

// Relative speed of each thread (mean 1) for parallel_for_balanced, one entry per OpenMP
// thread number. Updated by whichever call finishes; relaxed atomics are enough for a hint.
constexpr int kMaxBalancedThreads = 64;
std::atomic<double> g_speed[kMaxBalancedThreads];
std::atomic<int> g_speed_threads{0};  // the thread count g_speed was measured for

// Weight of each new measurement in the running estimate: ~20 regions to follow a change
// (a decode step has ~100), little enough to ride out one preempted region.
constexpr double kSpeedSmoothing = 0.05;

}  // namespace

void set_num_threads(int n) {
    if (n < 1) n = 1;
    at::set_num_threads(n);
    set_openblas_threads(1);
}

int num_threads() { return at::get_num_threads(); }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn) {
    if (end <= begin) return;
    if (grain < 1) grain = 1;
    if (end - begin <= grain || at::get_num_threads() == 1 || at::in_parallel_region()) {
        fn(begin, end);
        return;
    }
    at::parallel_for(begin, end, grain, fn);
}

void parallel_for_balanced(int64_t begin, int64_t end, int64_t grain,
                           const std::function<void(int64_t, int64_t)>& fn) {
    const int threads = at::get_num_threads();
    if (grain < 1) grain = 1;
    if (threads == 1 || threads > kMaxBalancedThreads || (end - begin) / grain < threads ||
        at::in_parallel_region()) {
        parallel_for(begin, end, grain, fn);
        return;
    }
    if (g_speed_threads.exchange(threads) != threads)
        for (int t = 0; t < threads; ++t) g_speed[t] = 1.0;
    double speed[kMaxBalancedThreads], total = 0;
    for (int t = 0; t < threads; ++t) total += speed[t] = g_speed[t].load(std::memory_order_relaxed);
    // Chunk t holds rows [bound[t], bound[t + 1]), in proportion to speed[t].
    int64_t bound[kMaxBalancedThreads + 1];
    double sum = 0;
    bound[0] = begin;
    for (int t = 0; t < threads; ++t) {
        sum += speed[t];
        bound[t + 1] = t + 1 == threads ? end : begin + int64_t(double(end - begin) * sum / total);
    }
    double seconds[kMaxBalancedThreads] = {};
    // One index per thread: ATen gives thread t the index t (the calling thread is 0).
    at::parallel_for(0, threads, 1, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            const auto start = std::chrono::steady_clock::now();
            if (bound[i] < bound[i + 1]) fn(bound[i], bound[i + 1]);
            seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                             .count();
        }
    });
    // Rows per second of each thread, relative to their mean, into the running estimate.
    double rate[kMaxBalancedThreads], mean = 0;
    for (int t = 0; t < threads; ++t) {
        if (seconds[t] <= 0 || bound[t + 1] <= bound[t]) return;  // nothing to learn from
        mean += rate[t] = double(bound[t + 1] - bound[t]) / seconds[t];
    }
    mean /= threads;
    for (int t = 0; t < threads; ++t) {
        const double s = (1 - kSpeedSmoothing) * speed[t] + kSpeedSmoothing * rate[t] / mean;
        g_speed[t].store(std::clamp(s, 0.5, 2.0), std::memory_order_relaxed);
    }
}

}  // namespace qs
