#pragma once
// The result model of a benchmark run: what the CLI prints, the studio draws and the JSON/CSV
// reports hold. Plain data, no torch, no Qt. Every figure here was measured in the run that
// produced it; a figure that could not be measured is NaN / -1 and says why in `notes`.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "quant/method.h"

namespace qs::bench {

constexpr int kResultSchemaVersion = 1;
constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// A bootstrap 95% confidence interval.
struct Interval {
    double lo = kNotMeasured;
    double hi = kNotMeasured;
};

// Summary statistics of raw samples, each with its bootstrap 95% CI.
struct Summary {
    int64_t n = 0;
    double mean = kNotMeasured, stddev = kNotMeasured, min = kNotMeasured, max = kNotMeasured;
    double p50 = kNotMeasured, p95 = kNotMeasured, p99 = kNotMeasured;
    Interval mean_ci, p50_ci, p95_ci, p99_ci;
};

// variant / fp32 (or fp32 / variant for times, so "> 1" always means "better than fp32").
struct Ratio {
    double value = kNotMeasured;
    Interval ci;
};

struct SystemInfo {
    std::string cpu_model;
    std::vector<std::string> cpu_flags;  // e.g. avx2, avx512f, avx512_vnni, amx_tile
    int cores = 0;                       // logical CPUs
    int threads = 0;                     // threads used by this run
    int64_t ram_bytes = 0;
    std::string os;
    std::string libtorch_version, onednn_version, openblas_config, qt_version;  // qt: studio only
    std::string build_type, quantscope_version, git_commit;
    std::string kernel_isa;  // kernel table in use, e.g. "avx512-vnni"
};

struct BenchmarkSettings {
    std::string model;                 // a model spec (see Model::load)
    std::string tokenizer;             // optional explicit tokenizer
    std::vector<QuantOptions> methods; // fp32 is always run (added first when missing)
    std::vector<std::string> prompts;  // empty: built-in defaults
    std::string eval_text_path;        // empty: text sampled from the fp32 model (seeded)
    std::string task_path;             // JSONL task; empty: none (demo model: its task.jsonl)
    int max_new_tokens = 20;
    int runs = 5;                      // measured repetitions per prompt
    int warmup = 1;                    // discarded repetitions per prompt
    int threads = 0;                   // 0: all cores
    uint64_t seed = 1234;
    int eval_tokens = 0;               // cap on evaluation tokens (0: whole text)
    std::string task_template = "Review: {text}\nSentiment:";  // {"text","label"} task rows
    int task_rows = 0;                 // cap on task rows scored (0: all)
    bool measure_memory = true;        // peak RSS in an isolated child process per variant
    std::string probe_executable;      // the `quantscope` binary used as that child process
    std::string save_dir;              // when set, each quantized variant is saved there
};

// One position where a variant disagrees most with fp32 (largest KL).
struct WorstToken {
    int64_t position = 0;      // index in the evaluation tokens
    std::string context;       // a few preceding tokens as text
    std::string target;        // the actual next token
    std::string fp32_top, variant_top;  // top-1 predictions
    double kl = 0;
};

struct Accuracy {
    double perplexity = kNotMeasured;
    int64_t tokens_scored = 0;
    double top1_agreement = kNotMeasured;  // fraction of positions with the same argmax as fp32
    double kl_mean = kNotMeasured, kl_p99 = kNotMeasured;  // KL(fp32 || variant), nats
    std::vector<WorstToken> worst;                          // up to 20, largest KL first
    std::vector<int> greedy_agreement;  // per prompt: tokens generated before the first divergence
    double task_accuracy = kNotMeasured;
    int64_t task_rows = 0;
};

struct VariantResult {
    QuantOptions options;
    std::string method;          // method_name(options.method)
    std::string method_detail;   // e.g. "int4 asymmetric g32 with scale search"
    std::string status = "ok";   // "ok", "failed", "cancelled", "pending"
    std::string error;           // why it failed
    std::vector<std::string> kernels;
    std::vector<std::string> quantized_tensors;  // "name: format"

    double load_seconds = kNotMeasured, quantize_seconds = kNotMeasured;
    int64_t weight_bytes = -1, peak_rss_bytes = -1, rss_after_load_bytes = -1, kv_cache_bytes = -1;

    // Raw samples (milliseconds): per measured prompt run, and per decoded token.
    std::vector<double> ttft_ms, latency_ms, decode_token_ms;
    // Per measured prompt run (parallel to ttft_ms / latency_ms): which prompt, and its tokens.
    std::vector<int> sample_prompt;
    std::vector<int64_t> sample_prompt_tokens;
    Summary ttft, latency, decode_token;
    double prefill_tokens_per_s = kNotMeasured, decode_tokens_per_s = kNotMeasured;
    double prompts_per_s = kNotMeasured;
    double decode_bytes_per_token = kNotMeasured;       // weight bytes streamed per decoded token
    double decode_bandwidth_efficiency = kNotMeasured;  // bytes/token / s/token / read bandwidth
    // vs fp32, "> 1" better: decode = median token time fp32/variant, prefill = mean TTFT
    // fp32/variant, latency = P50 fp32/variant, memory = weight bytes fp32/variant (exact, no CI).
    Ratio decode_speedup, prefill_speedup, latency_speedup, memory_ratio;

    Accuracy accuracy;
};

struct BenchmarkResult {
    int schema_version = kResultSchemaVersion;
    std::string created_at;  // ISO 8601 UTC
    BenchmarkSettings settings;
    SystemInfo system;
    // Median of read_bandwidth_samples_gbps: the memory's read bandwidth with settings.threads,
    // sampled after every measured round of the speed phase (see BandwidthProbe).
    double read_bandwidth_gbps = kNotMeasured;
    std::vector<double> read_bandwidth_samples_gbps;
    std::string eval_text_source;               // file path, or "sampled from fp32, seed N"
    std::vector<VariantResult> variants;        // fp32 first
    bool complete = false;                      // false when cancelled or failed part-way
    double seconds = 0;
    std::vector<std::string> notes;             // what could not be measured, and why
};

}  // namespace qs::bench
