#pragma once
// Measures the machine's sustained memory read bandwidth with the current thread count, so a
// decode speed can be judged against what the memory can deliver in the same run.
#include <cstdint>

#include "quant/buffer.h"

namespace qs {

struct BandwidthResult {
    double bytes_per_second = 0;  // best of the repetitions
    int64_t buffer_bytes = 0;     // far larger than the last-level cache
    int threads = 0;
    int repetitions = 0;
};

// A read buffer kept for repeated measurements between other work. The benchmark samples the
// bandwidth between its speed runs, so a shared machine's drift reaches the yardstick as it
// reaches the variants (one measurement up front read 24.0 GB/s in a run whose variants then
// streamed at up to 27.6; the next run read 30.7).
class BandwidthProbe {
public:
    // Allocates buffer_bytes (rounded down to whole 2 MB pages, at least one) and touches
    // every page.
    explicit BandwidthProbe(int64_t buffer_bytes);
    // Best of `passes` full reads of the buffer, in bytes per second, split across the threads
    // set by qs::set_num_threads.
    double measure(int passes) const;
    int64_t buffer_bytes() const { return bytes_; }

private:
    int64_t bytes_;
    Buffer buf_;  // allocated as weights are, so it is read through the same page size
};

// Streams a buffer of buffer_bytes (default 512 MiB) `repetitions` times across all threads
// set by qs::set_num_threads and reports the best pass.
BandwidthResult measure_read_bandwidth(int64_t buffer_bytes = int64_t(512) << 20,
                                       int repetitions = 5);

}  // namespace qs
