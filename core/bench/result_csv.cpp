// RFC 4180 CSV exports of a benchmark result: CRLF line ends, fields holding a comma, a quote
// or a line break are quoted with inner quotes doubled. Numbers are written with enough digits
// to read back the same double (shortest form); unmeasured figures are empty fields.
#include <cmath>
#include <charconv>

#include "bench/benchmark.h"

namespace qs::bench {

namespace {

std::string field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string field(double v) {
    if (!std::isfinite(v)) return {};
    char buf[40];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);  // shortest exact text
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string field(int64_t v) { return v < 0 ? std::string() : std::to_string(v); }

std::string row(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
    return out + "\r\n";
}

}  // namespace

std::string summary_csv(const BenchmarkResult& r) {
    std::string out = row({"method", "status", "error", "weight_bytes", "peak_rss_bytes",
                           "rss_after_load_bytes", "kv_cache_bytes", "load_seconds",
                           "ttft_ms_p50", "latency_ms_p50", "latency_ms_p50_ci_lo",
                           "latency_ms_p50_ci_hi", "latency_ms_p95", "latency_ms_p95_ci_lo",
                           "latency_ms_p95_ci_hi", "latency_ms_p99", "prefill_tokens_per_s",
                           "decode_tokens_per_s", "decode_token_ms_mean",
                           "decode_token_ms_mean_ci_lo", "decode_token_ms_mean_ci_hi",
                           "decode_bytes_per_token", "decode_bandwidth_efficiency",
                           "decode_speedup", "decode_speedup_ci_lo", "decode_speedup_ci_hi",
                           "latency_speedup", "latency_speedup_ci_lo", "latency_speedup_ci_hi",
                           "memory_ratio", "perplexity", "top1_agreement", "kl_mean", "kl_p99",
                           "task_accuracy"});
    for (const VariantResult& v : r.variants) {
        const Accuracy& a = v.accuracy;
        out += row({field(v.method), field(v.status), field(v.error), field(v.weight_bytes),
                    field(v.peak_rss_bytes), field(v.rss_after_load_bytes), field(v.kv_cache_bytes),
                    field(v.load_seconds), field(v.ttft.p50), field(v.latency.p50),
                    field(v.latency.p50_ci.lo), field(v.latency.p50_ci.hi), field(v.latency.p95),
                    field(v.latency.p95_ci.lo), field(v.latency.p95_ci.hi), field(v.latency.p99),
                    field(v.prefill_tokens_per_s), field(v.decode_tokens_per_s),
                    field(v.decode_token.mean), field(v.decode_token.mean_ci.lo),
                    field(v.decode_token.mean_ci.hi), field(v.decode_bytes_per_token),
                    field(v.decode_bandwidth_efficiency), field(v.decode_speedup.value),
                    field(v.decode_speedup.ci.lo), field(v.decode_speedup.ci.hi),
                    field(v.latency_speedup.value), field(v.latency_speedup.ci.lo),
                    field(v.latency_speedup.ci.hi), field(v.memory_ratio.value),
                    field(a.perplexity), field(a.top1_agreement), field(a.kl_mean),
                    field(a.kl_p99), field(a.task_accuracy)});
    }
    return out;
}

// One row per raw sample: kind "ttft_ms" / "latency_ms" (per prompt run, with its prompt index
// and prompt tokens) or "decode_token_ms" (per decoded token; index counts within the variant).
std::string samples_csv(const BenchmarkResult& r) {
    std::string out = row({"method", "kind", "index", "prompt", "prompt_tokens", "value_ms"});
    for (const VariantResult& v : r.variants) {
        for (size_t i = 0; i < v.ttft_ms.size(); ++i) {
            const std::string prompt = i < v.sample_prompt.size() ? std::to_string(v.sample_prompt[i]) : "";
            const std::string tokens =
                i < v.sample_prompt_tokens.size() ? std::to_string(v.sample_prompt_tokens[i]) : "";
            out += row({field(v.method), "ttft_ms", std::to_string(i), prompt, tokens, field(v.ttft_ms[i])});
            if (i < v.latency_ms.size())
                out += row({field(v.method), "latency_ms", std::to_string(i), prompt, tokens,
                            field(v.latency_ms[i])});
        }
        for (size_t i = 0; i < v.decode_token_ms.size(); ++i)
            out += row({field(v.method), "decode_token_ms", std::to_string(i), "", "",
                        field(v.decode_token_ms[i])});
    }
    return out;
}

}  // namespace qs::bench
