#pragma once
// Measures the machine's sustained memory read bandwidth with the current thread count, so a
// decode speed can be judged against what the memory can deliver in the same run.
#include <cstdint>

namespace qs {

struct BandwidthResult {
    double bytes_per_second = 0;  // best of the repetitions
    int64_t buffer_bytes = 0;     // far larger than the last-level cache
    int threads = 0;
    int repetitions = 0;
};

// Streams a buffer of buffer_bytes (default 512 MiB) `repetitions` times across all threads
// set by qs::set_num_threads and reports the best pass.
BandwidthResult measure_read_bandwidth(int64_t buffer_bytes = int64_t(512) << 20,
                                       int repetitions = 5);

}  // namespace qs
