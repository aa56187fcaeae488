// Speed: every variant runs every prompt, interleaved (A B A B ...) so drift of the machine
// (thermal, other load) hits all variants alike; warmup repetitions are timed the same way and
// discarded. Each run prefills the prompt and then generates exactly max_new_tokens greedy
// tokens (no stop at EOS), so every variant does the same work. After each measured round (all
// variants on one prompt) the memory's read bandwidth is sampled too, the yardstick of BW eff,
// so it sees the same drift; its median is the run's figure. Each timed run follows a short
// untimed re-warm of its own variant (see rewarm).
#include <chrono>

#include "bench/engine.h"
#include "bench/figures.h"
#include "bench/statistics.h"
#include "common/bandwidth.h"
#include "model/generate.h"

namespace qs::bench {

namespace {

// Runs the variant untimed (a one-token prompt, one decode step, repeated: at least 2 passes,
// then until 200 ms have gone or 16 passes) so the timed run that follows sees its weights as a
// model serving alone would. On this project's VM, memory the other variants left idle comes
// back slowly: qwen2.5-0.5b int4 after fp32 and int8 decoded its first 8-11 tokens at 11-12 ms
// and the rest at 8.5-9, and a 20-token run is mostly that ramp. The bandwidth yardstick is
// taken warm too (best of several reads), so without this every BW eff was biased low (int4
// and int8-weight-only 79% in one run, 85-91% with it; one thread).
void rewarm(const Model& model, int32_t token, const Control& cancel_only) {
    GenerateOptions options;
    options.max_new_tokens = 2;
    options.stop_at_eos = false;
    const auto start = std::chrono::steady_clock::now();
    for (int pass = 0; pass < 16; ++pass) {
        if (pass >= 2 && std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(200)) return;
        if (!generate(model, {token}, options, cancel_only)) return;  // the timed run reports it
    }
}

}  // namespace

void run_speed_phase(RunState& state) {
    const BenchmarkSettings& s = state.settings;
    const size_t n_variants = state.result.variants.size();
    const size_t n_prompts = state.prompt_tokens.size();
    const int repetitions = s.warmup + s.runs;
    const int64_t total = int64_t(repetitions) * int64_t(n_prompts) * int64_t(n_variants);
    const auto phase_start = std::chrono::steady_clock::now();
    state.greedy_tokens.assign(n_variants, std::vector<std::vector<int32_t>>(n_prompts));

    GenerateOptions options;
    options.max_new_tokens = s.max_new_tokens;
    options.stop_at_eos = false;
    Control cancel_only;
    cancel_only.cancel = state.control.cancel;

    // A sample is the best of four pairs of reads of 256 MiB (8 ms each at 30 GB/s; 8x a 32 MB
    // L3), one plain and one prefetching (see BandwidthProbe::measure).
    // Memory left idle while the variants run comes back slowly on this project's VM: the
    // first one or two reads after a round ran at 0.9-3 GB/s (pages faulted back in), the
    // next ones at 28-33 GB/s, and one read alone would measure the faults, not the memory.
    constexpr int kBandwidthPasses = 4;
    const BandwidthProbe probe(int64_t(256) << 20);
    std::vector<double>& bandwidth = state.result.read_bandwidth_samples_gbps;

    int64_t done = 0;
    for (int rep = 0; rep < repetitions; ++rep) {
        const bool measured = rep >= s.warmup;
        for (size_t p = 0; p < n_prompts; ++p) {
            for (size_t v = 0; v < n_variants; ++v, ++done) {
                if (state.control.cancelled()) return;
                if (!state.usable(v)) continue;
                VariantResult& vr = state.result.variants[v];
                state.report("Speed: " + vr.method + (measured ? "" : " (warmup)") + ", prompt " +
                                 std::to_string(p + 1) + "/" + std::to_string(n_prompts) + ", run " +
                                 std::to_string(rep + 1) + "/" + std::to_string(repetitions),
                             done, total, phase_start);
                if (measured) rewarm(*state.models[v], state.prompt_tokens[p].front(), cancel_only);
                auto run = generate(*state.models[v], state.prompt_tokens[p], options, cancel_only);
                if (!run) {
                    if (run.error().cancelled) return;
                    state.fail_variant(v, "generation failed: " + run.error().message);
                    continue;
                }
                if (!measured) continue;
                const double ttft = run->prefill_seconds * 1000.0;
                double latency = ttft;
                for (double d : run->decode_seconds) {
                    vr.decode_token_ms.push_back(d * 1000.0);
                    latency += d * 1000.0;
                }
                vr.ttft_ms.push_back(ttft);
                vr.latency_ms.push_back(latency);
                vr.sample_prompt.push_back(static_cast<int>(p));
                vr.sample_prompt_tokens.push_back(static_cast<int64_t>(state.prompt_tokens[p].size()));
                if (state.greedy_tokens[v][p].empty()) state.greedy_tokens[v][p] = run->generated_ids;
                if (vr.status == "pending") vr.status = "ok";
            }
            if (!measured) continue;
            bandwidth.push_back(probe.measure(kBandwidthPasses) / 1e9);
            state.result.read_bandwidth_gbps = percentile(bandwidth, 50);
            state.publish();
        }
    }
    for (const VariantResult& v : state.result.variants) {
        const std::string note = bandwidth_yardstick_note(v, state.result.read_bandwidth_gbps);
        if (!note.empty()) state.result.notes.push_back(note);
    }
    state.report("Speed done", total, total, phase_start);
}

}  // namespace qs::bench
