#pragma once
// Memory of one variant, measured in an isolated process that loads and runs only that variant
// (the benchmark process holds every variant at once, so its own RSS says nothing per variant).
// The child is `quantscope memory-probe MODEL --method M ... --json`, which calls
// probe_memory_here and prints probe_to_json.
#include <cstdint>
#include <string>

#include "common/progress.h"
#include "common/result.h"
#include "quant/method.h"

namespace qs::bench {

struct MemoryProbe {
    int64_t rss_after_load_bytes = -1;  // VmRSS right after the model is loaded
    int64_t peak_rss_bytes = -1;        // VmHWM after a generation (whole process lifetime)
    int64_t kv_cache_bytes = -1;        // the generation's KV cache
};

struct ProbeRequest {
    std::string model, tokenizer;
    QuantOptions quant;
    int64_t prompt_tokens = 16;  // the generation: prompt_tokens + max_new_tokens positions
    int64_t max_new_tokens = 20;
    int threads = 0;
};

// Loads and runs the request in this process and reads /proc/self/status. Call it only in a
// process that does nothing else (the memory-probe command).
Result<MemoryProbe> probe_memory_here(const ProbeRequest& request);
std::string probe_to_json(const MemoryProbe& probe);
Result<MemoryProbe> probe_from_json(const std::string& text);

// Runs `executable memory-probe ...` as a child process and parses its answer. Cancelling
// terminates the child.
Result<MemoryProbe> probe_memory_in_child(const std::string& executable, const ProbeRequest& request,
                                          const Control& control = {});

}  // namespace qs::bench
