#include "common/bandwidth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>

#include "common/parallel.h"

namespace qs {

namespace {

// Sums 64-bit words with independent accumulators: the compiler vectorises it (inlined into one
// clone per vector width below, picked at load time, so the loads are as wide as the kernels'),
// and the result is consumed so the loads cannot be dropped. With kPrefetch, each step also asks
// for the line 4 KB ahead, as the quantized kernels do (kernels/prefetch.h).
template <bool kPrefetch>
__attribute__((always_inline)) inline uint64_t sum_words(const uint64_t* p, int64_t n) {
    uint64_t a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        // A prefetch never faults, so running past the end of the buffer is harmless.
        if (kPrefetch) __builtin_prefetch(p + i + 512);
        for (int j = 0; j < 8; ++j) a[j] += p[i + j];
    }
    for (; i < n; ++i) a[0] += p[i];
    uint64_t s = 0;
    for (uint64_t v : a) s += v;
    return s;
}

// Clang does not clone templates, so each variant is a plain function.
__attribute__((target_clones("avx512f", "avx2", "default")))
uint64_t sum_plain(const uint64_t* p, int64_t n) { return sum_words<false>(p, n); }
__attribute__((target_clones("avx512f", "avx2", "default")))
uint64_t sum_prefetching(const uint64_t* p, int64_t n) { return sum_words<true>(p, n); }

// The buffer is a whole number of 2 MB pages, allocated as weight matrices are, so that it is
// held in huge pages as they are (quant/buffer.cpp): the yardstick must read memory the way the
// kernels do. With 4 KB pages (aligned_alloc) it read less in 5 of 6 alternating rounds here
// (one thread 23.2-28.8 GB/s against 27.6-28.9, two threads 48.7-53.5 against 49.8-55.5),
// which flattered every bandwidth efficiency.
constexpr int64_t kHugePage = int64_t(2) << 20;

}  // namespace

BandwidthProbe::BandwidthProbe(int64_t buffer_bytes)
    : bytes_(std::max<int64_t>(buffer_bytes / kHugePage, 1) * kHugePage),
      buf_(Buffer::allocate_for_overwrite(size_t(bytes_))) {
    // Touch every page from the worker threads so the pages are really backed (and placed
    // where the readers run), not the shared zero page.
    const int64_t words = bytes_ / int64_t(sizeof(uint64_t));
    parallel_for(0, words, 1 << 16, [&](int64_t b, int64_t e) {
        std::memset(buf_.mutable_as<uint64_t>() + b, 1, size_t(e - b) * sizeof(uint64_t));
    });
}

// Each pass reads the buffer once plainly and once with software prefetch, and the best read
// of all is the result. Neither read is the faster one on every machine: on an Intel Xeon the
// prefetching read was faster in 8 of 8 trials (by 2-17%); on an AMD EPYC in 3 of 4 at each
// thread count, and there the plain read alone, at 50-59 GB/s with 2 threads, was slower than
// the fp32 decode itself (66.6 GB/s), which the benchmark then reported at 122% of the memory's
// read bandwidth.
double BandwidthProbe::measure(int passes) const {
    const int64_t words = bytes_ / int64_t(sizeof(uint64_t));
    std::atomic<uint64_t> sink{0};
    double best = 1e30;
    for (int pass = 0; pass < passes; ++pass)
        for (const auto sum : {&sum_plain, &sum_prefetching}) {
            const auto t0 = std::chrono::steady_clock::now();
            parallel_for(0, words, 1 << 16, [&](int64_t b, int64_t e) {
                sink.fetch_add(sum(buf_.as<uint64_t>() + b, e - b), std::memory_order_relaxed);
            });
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            best = std::min(best, s);
        }
    return best > 0 && best < 1e30 ? double(bytes_) / best : 0;
}

BandwidthResult measure_read_bandwidth(int64_t buffer_bytes, int repetitions) {
    const BandwidthProbe probe(buffer_bytes);
    BandwidthResult r;
    r.buffer_bytes = probe.buffer_bytes();
    r.threads = num_threads();
    r.repetitions = repetitions;
    r.bytes_per_second = probe.measure(repetitions);
    return r;
}

}  // namespace qs
