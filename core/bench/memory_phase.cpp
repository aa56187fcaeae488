// Memory: one child process per variant (see memory_probe.h), after the speed runs so the
// children never compete with timed work. A probe that fails leaves -1 and a note; the variant
// itself stays valid.
#include <algorithm>

#include "bench/engine.h"
#include "bench/memory_probe.h"

namespace qs::bench {

void run_memory_phase(RunState& state) {
    const BenchmarkSettings& s = state.settings;
    BenchmarkResult& r = state.result;
    if (!s.measure_memory) {
        r.notes.push_back("peak RSS not measured: memory measurement was turned off");
        return;
    }
    if (s.probe_executable.empty()) {
        r.notes.push_back("peak RSS not measured: no probe executable to run each variant in isolation");
        return;
    }
    size_t longest = 1;
    for (const auto& p : state.prompt_tokens) longest = std::max(longest, p.size());
    const auto phase_start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < r.variants.size(); ++i) {
        if (state.control.cancelled()) return;
        if (!state.usable(i)) continue;
        VariantResult& v = r.variants[i];
        state.report("Memory: " + v.method + " in its own process (" + std::to_string(i + 1) + "/" +
                         std::to_string(r.variants.size()) + ")",
                     int64_t(i), int64_t(r.variants.size()), phase_start);
        ProbeRequest request;
        request.model = s.model;
        request.tokenizer = s.tokenizer;
        request.quant = v.options;
        request.prompt_tokens = int64_t(longest);
        request.max_new_tokens = s.max_new_tokens;
        request.threads = r.settings.threads;
        auto probe = probe_memory_in_child(s.probe_executable, request, state.control);
        if (!probe) {
            if (probe.error().cancelled) return;
            r.notes.push_back(v.method + ": " + probe.error().message);
            continue;
        }
        v.rss_after_load_bytes = probe->rss_after_load_bytes;
        v.peak_rss_bytes = probe->peak_rss_bytes;
        v.kv_cache_bytes = probe->kv_cache_bytes;
        state.publish();
    }
}

}  // namespace qs::bench
