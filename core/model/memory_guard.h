#pragma once
// Internal, no torch. Refuses a load or a quantization that would not fit in memory, with a
// clear message, instead of letting the kernel's OOM killer end the process halfway.
//
// Available memory is MemAvailable from /proc/meminfo, lowered to the room left under the
// process's cgroup limit (v2 memory.max, or v1 memory.limit_in_bytes) when one is set. The
// environment variable QS_MEMORY_AVAILABLE overrides the figure (bytes, or with a K/M/G/T
// suffix in powers of 1024, e.g. QS_MEMORY_AVAILABLE=2G): tests use it to trigger the guard
// without allocating anything, and users can use it to keep a run under a budget.
#include <cstdint>
#include <string>

#include "formats/weight_source.h"
#include "model/weight_check.h"
#include "quant/method.h"

namespace qs {

struct AvailableMemory {
    int64_t bytes = -1;  // -1: unknown (nothing is refused)
    std::string source;  // "MemAvailable", "cgroup limit", "QS_MEMORY_AVAILABLE"
};
AvailableMemory available_memory();  // throws Failure on a malformed QS_MEMORY_AVAILABLE

// Bytes the weights take once loaded: quantized folders as stored, otherwise every matrix in
// the method's packed format and norms/biases in FP32.
int64_t held_weight_bytes(const WeightSource& source, const QuantOptions& options,
                          const QuantizedManifest* manifest);
// Peak bytes of loading: the held weights plus the one FP32 matrix being converted.
int64_t load_peak_bytes(const WeightSource& source, const QuantOptions& options,
                        const QuantizedManifest* manifest);

// Throws Failure "<spec>: <action> needs X GiB of memory but Y GiB is available (<source>)".
void check_memory(const std::string& spec, const std::string& action, int64_t needed);

}  // namespace qs
