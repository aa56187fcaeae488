#pragma once
// Internal state of one benchmark run shared by its phases (speed, memory, accuracy): the
// loaded variants, the result being filled in, and how progress and snapshots are reported.
#include <chrono>
#include <memory>
#include <vector>

#include "bench/benchmark.h"
#include "model/model.h"

namespace qs::bench {

struct RunState {
    const BenchmarkSettings& settings;
    const Control& control;
    const UpdateFn& on_update;
    BenchmarkResult result;
    // Parallel to result.variants; null when the variant failed to load.
    std::vector<std::shared_ptr<Model>> models;
    std::vector<std::vector<int32_t>> prompt_tokens;  // tokens of each prompt (from fp32)
    // Greedy tokens of the first measured run of each prompt, per variant (greedy agreement).
    std::vector<std::vector<std::vector<int32_t>>> greedy_tokens;
    std::vector<int32_t> eval_tokens;  // the evaluation text's tokens (no BOS)
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    RunState(const BenchmarkSettings& s, const Control& c, const UpdateFn& u)
        : settings(s), control(c), on_update(u) {}

    bool usable(size_t i) const { return models[i] != nullptr && result.variants[i].status != "failed"; }
    void fail_variant(size_t i, const std::string& why);
    // Recomputes derived figures and hands a snapshot to on_update.
    void publish();
    // Progress with an ETA extrapolated from the phase's elapsed time.
    void report(const std::string& stage, int64_t done, int64_t total,
                std::chrono::steady_clock::time_point phase_start) const;
};

// The phases, in the order run_benchmark calls them. Each stops early (without throwing) when
// the run is cancelled; a variant that fails is marked failed and the others go on.
void run_speed_phase(RunState& state);
void run_memory_phase(RunState& state);
void run_accuracy_phase(RunState& state);

}  // namespace qs::bench
