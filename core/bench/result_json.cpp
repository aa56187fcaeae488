// The versioned JSON document of a benchmark result. Keys keep their declaration order; NaN
// (not measured) is written as null and read back as NaN; 64-bit integers stay integers.
#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <vector>

#include "bench/benchmark.h"

namespace qs::bench {

using json = nlohmann::ordered_json;

namespace {

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json interval(const Interval& i) { return {{"lo", number(i.lo)}, {"hi", number(i.hi)}}; }

json summary(const Summary& s) {
    return {{"n", s.n},          {"mean", number(s.mean)},   {"stddev", number(s.stddev)},
            {"min", number(s.min)}, {"max", number(s.max)}, {"p50", number(s.p50)},
            {"p95", number(s.p95)}, {"p99", number(s.p99)}, {"mean_ci", interval(s.mean_ci)},
            {"p50_ci", interval(s.p50_ci)}, {"p95_ci", interval(s.p95_ci)},
            {"p99_ci", interval(s.p99_ci)}};
}

json ratio(const Ratio& r) { return {{"value", number(r.value)}, {"ci", interval(r.ci)}}; }

json numbers(const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(number(x));
    return a;
}

json quant(const QuantOptions& q) {
    return {{"method", method_name(q.method)},
            {"group_size", q.group_size},
            {"quantize_embeddings", q.quantize_embeddings}};
}

json settings_json(const BenchmarkSettings& s) {
    json methods = json::array();
    for (const QuantOptions& q : s.methods) methods.push_back(quant(q));
    return {{"model", s.model},
            {"tokenizer", s.tokenizer},
            {"methods", methods},
            {"prompts", s.prompts},
            {"eval_text_path", s.eval_text_path},
            {"task_path", s.task_path},
            {"max_new_tokens", s.max_new_tokens},
            {"runs", s.runs},
            {"warmup", s.warmup},
            {"threads", s.threads},
            {"seed", s.seed},
            {"eval_tokens", s.eval_tokens},
            {"task_template", s.task_template},
            {"task_rows", s.task_rows},
            {"measure_memory", s.measure_memory},
            {"probe_executable", s.probe_executable},
            {"save_dir", s.save_dir}};
}

json system_json(const SystemInfo& s) {
    return {{"cpu_model", s.cpu_model},
            {"cpu_flags", s.cpu_flags},
            {"cores", s.cores},
            {"threads", s.threads},
            {"ram_bytes", s.ram_bytes},
            {"os", s.os},
            {"libtorch_version", s.libtorch_version},
            {"onednn_version", s.onednn_version},
            {"openblas_config", s.openblas_config},
            {"qt_version", s.qt_version},
            {"build_type", s.build_type},
            {"quantscope_version", s.quantscope_version},
            {"git_commit", s.git_commit},
            {"kernel_isa", s.kernel_isa}};
}

json accuracy_json(const Accuracy& a) {
    json worst = json::array();
    for (const WorstToken& w : a.worst)
        worst.push_back({{"position", w.position},
                         {"context", w.context},
                         {"target", w.target},
                         {"fp32_top", w.fp32_top},
                         {"variant_top", w.variant_top},
                         {"kl", number(w.kl)}});
    return {{"perplexity", number(a.perplexity)},
            {"tokens_scored", a.tokens_scored},
            {"top1_agreement", number(a.top1_agreement)},
            {"kl_mean", number(a.kl_mean)},
            {"kl_p99", number(a.kl_p99)},
            {"worst", worst},
            {"greedy_agreement", a.greedy_agreement},
            {"task_accuracy", number(a.task_accuracy)},
            {"task_rows", a.task_rows}};
}

json variant_json(const VariantResult& v) {
    return {{"method", v.method},
            {"options", quant(v.options)},
            {"method_detail", v.method_detail},
            {"status", v.status},
            {"error", v.error},
            {"kernels", v.kernels},
            {"quantized_tensors", v.quantized_tensors},
            {"load_seconds", number(v.load_seconds)},
            {"quantize_seconds", number(v.quantize_seconds)},
            {"weight_bytes", v.weight_bytes},
            {"peak_rss_bytes", v.peak_rss_bytes},
            {"rss_after_load_bytes", v.rss_after_load_bytes},
            {"kv_cache_bytes", v.kv_cache_bytes},
            {"prefill_tokens_per_s", number(v.prefill_tokens_per_s)},
            {"decode_tokens_per_s", number(v.decode_tokens_per_s)},
            {"prompts_per_s", number(v.prompts_per_s)},
            {"ttft_ms", summary(v.ttft)},
            {"latency_ms", summary(v.latency)},
            {"decode_token_ms", summary(v.decode_token)},
            {"decode_bytes_per_token", number(v.decode_bytes_per_token)},
            {"decode_bandwidth_efficiency", number(v.decode_bandwidth_efficiency)},
            {"decode_speedup", ratio(v.decode_speedup)},
            {"prefill_speedup", ratio(v.prefill_speedup)},
            {"latency_speedup", ratio(v.latency_speedup)},
            {"memory_ratio", ratio(v.memory_ratio)},
            {"accuracy", accuracy_json(v.accuracy)},
            {"samples",
             {{"ttft_ms", numbers(v.ttft_ms)},
              {"latency_ms", numbers(v.latency_ms)},
              {"prompt", v.sample_prompt},
              {"prompt_tokens", v.sample_prompt_tokens},
              {"decode_token_ms", numbers(v.decode_token_ms)}}}};
}

// ---- reading ----------------------------------------------------------------------------

double get_number(const json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return kNotMeasured;
    return j.at(key).get<double>();
}

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

// nlohmann converts a JSON float to an integer with a plain cast, undefined out of range (e.g.
// "runs": 1e300), so integer fields must hold integers.
template <class T>
void require_integers(const json& v, const char* key) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (v.is_number_float()) throw std::runtime_error(std::string("\"") + key + "\" must hold integers");
    } else if constexpr (is_vector<T>::value) {
        if (v.is_array())
            for (const json& x : v) require_integers<typename T::value_type>(x, key);
    }
}

template <class T>
void read(const json& j, const char* key, T& out) {
    if (!j.contains(key) || j.at(key).is_null()) return;
    require_integers<T>(j.at(key), key);
    out = j.at(key).get<T>();
}

std::vector<double> get_numbers(const json& j, const char* key) {
    std::vector<double> out;
    if (!j.contains(key)) return out;
    for (const json& x : j.at(key)) out.push_back(x.is_null() ? kNotMeasured : x.get<double>());
    return out;
}

Interval get_interval(const json& j, const char* key) {
    if (!j.contains(key)) return {};
    return {get_number(j.at(key), "lo"), get_number(j.at(key), "hi")};
}

Summary get_summary(const json& j, const char* key) {
    Summary s;
    if (!j.contains(key)) return s;
    const json& o = j.at(key);
    read(o, "n", s.n);
    s.mean = get_number(o, "mean");
    s.stddev = get_number(o, "stddev");
    s.min = get_number(o, "min");
    s.max = get_number(o, "max");
    s.p50 = get_number(o, "p50");
    s.p95 = get_number(o, "p95");
    s.p99 = get_number(o, "p99");
    s.mean_ci = get_interval(o, "mean_ci");
    s.p50_ci = get_interval(o, "p50_ci");
    s.p95_ci = get_interval(o, "p95_ci");
    s.p99_ci = get_interval(o, "p99_ci");
    return s;
}

Ratio get_ratio(const json& j, const char* key) {
    if (!j.contains(key)) return {};
    return {get_number(j.at(key), "value"), get_interval(j.at(key), "ci")};
}

QuantOptions get_quant(const json& j) {
    QuantOptions q;
    const std::string name = j.at("method").get<std::string>();
    const auto m = parse_method(name);
    if (!m) throw std::runtime_error("unknown method \"" + name + "\"");
    q.method = *m;
    read(j, "group_size", q.group_size);
    read(j, "quantize_embeddings", q.quantize_embeddings);
    return q;
}

BenchmarkSettings get_settings(const json& j) {
    BenchmarkSettings s;
    read(j, "model", s.model);
    read(j, "tokenizer", s.tokenizer);
    if (j.contains("methods"))
        for (const json& q : j.at("methods")) s.methods.push_back(get_quant(q));
    read(j, "prompts", s.prompts);
    read(j, "eval_text_path", s.eval_text_path);
    read(j, "task_path", s.task_path);
    read(j, "max_new_tokens", s.max_new_tokens);
    read(j, "runs", s.runs);
    read(j, "warmup", s.warmup);
    read(j, "threads", s.threads);
    read(j, "seed", s.seed);
    read(j, "eval_tokens", s.eval_tokens);
    read(j, "task_template", s.task_template);
    read(j, "task_rows", s.task_rows);
    read(j, "measure_memory", s.measure_memory);
    read(j, "probe_executable", s.probe_executable);
    read(j, "save_dir", s.save_dir);
    return s;
}

SystemInfo get_system(const json& j) {
    SystemInfo s;
    read(j, "cpu_model", s.cpu_model);
    read(j, "cpu_flags", s.cpu_flags);
    read(j, "cores", s.cores);
    read(j, "threads", s.threads);
    read(j, "ram_bytes", s.ram_bytes);
    read(j, "os", s.os);
    read(j, "libtorch_version", s.libtorch_version);
    read(j, "onednn_version", s.onednn_version);
    read(j, "openblas_config", s.openblas_config);
    read(j, "qt_version", s.qt_version);
    read(j, "build_type", s.build_type);
    read(j, "quantscope_version", s.quantscope_version);
    read(j, "git_commit", s.git_commit);
    read(j, "kernel_isa", s.kernel_isa);
    return s;
}

Accuracy get_accuracy(const json& j) {
    Accuracy a;
    a.perplexity = get_number(j, "perplexity");
    read(j, "tokens_scored", a.tokens_scored);
    a.top1_agreement = get_number(j, "top1_agreement");
    a.kl_mean = get_number(j, "kl_mean");
    a.kl_p99 = get_number(j, "kl_p99");
    if (j.contains("worst"))
        for (const json& w : j.at("worst")) {
            WorstToken t;
            read(w, "position", t.position);
            read(w, "context", t.context);
            read(w, "target", t.target);
            read(w, "fp32_top", t.fp32_top);
            read(w, "variant_top", t.variant_top);
            t.kl = get_number(w, "kl");
            a.worst.push_back(std::move(t));
        }
    read(j, "greedy_agreement", a.greedy_agreement);
    a.task_accuracy = get_number(j, "task_accuracy");
    read(j, "task_rows", a.task_rows);
    return a;
}

VariantResult get_variant(const json& j) {
    VariantResult v;
    read(j, "method", v.method);
    if (j.contains("options")) v.options = get_quant(j.at("options"));
    read(j, "method_detail", v.method_detail);
    read(j, "status", v.status);
    read(j, "error", v.error);
    read(j, "kernels", v.kernels);
    read(j, "quantized_tensors", v.quantized_tensors);
    v.load_seconds = get_number(j, "load_seconds");
    v.quantize_seconds = get_number(j, "quantize_seconds");
    read(j, "weight_bytes", v.weight_bytes);
    read(j, "peak_rss_bytes", v.peak_rss_bytes);
    read(j, "rss_after_load_bytes", v.rss_after_load_bytes);
    read(j, "kv_cache_bytes", v.kv_cache_bytes);
    v.prefill_tokens_per_s = get_number(j, "prefill_tokens_per_s");
    v.decode_tokens_per_s = get_number(j, "decode_tokens_per_s");
    v.prompts_per_s = get_number(j, "prompts_per_s");
    v.ttft = get_summary(j, "ttft_ms");
    v.latency = get_summary(j, "latency_ms");
    v.decode_token = get_summary(j, "decode_token_ms");
    v.decode_bytes_per_token = get_number(j, "decode_bytes_per_token");
    v.decode_bandwidth_efficiency = get_number(j, "decode_bandwidth_efficiency");
    v.decode_speedup = get_ratio(j, "decode_speedup");
    v.prefill_speedup = get_ratio(j, "prefill_speedup");
    v.latency_speedup = get_ratio(j, "latency_speedup");
    v.memory_ratio = get_ratio(j, "memory_ratio");
    if (j.contains("accuracy")) v.accuracy = get_accuracy(j.at("accuracy"));
    if (j.contains("samples")) {
        const json& s = j.at("samples");
        v.ttft_ms = get_numbers(s, "ttft_ms");
        v.latency_ms = get_numbers(s, "latency_ms");
        read(s, "prompt", v.sample_prompt);
        read(s, "prompt_tokens", v.sample_prompt_tokens);
        v.decode_token_ms = get_numbers(s, "decode_token_ms");
    }
    return v;
}

}  // namespace

std::string result_to_json(const BenchmarkResult& r) {
    json variants = json::array();
    for (const VariantResult& v : r.variants) variants.push_back(variant_json(v));
    const json doc = {{"format", "quantscope-benchmark"},
                      {"schema_version", r.schema_version},
                      {"created_at", r.created_at},
                      {"complete", r.complete},
                      {"seconds", number(r.seconds)},
                      {"eval_text_source", r.eval_text_source},
                      {"read_bandwidth_gbps", number(r.read_bandwidth_gbps)},
                      {"read_bandwidth_samples_gbps", numbers(r.read_bandwidth_samples_gbps)},
                      {"settings", settings_json(r.settings)},
                      {"system", system_json(r.system)},
                      {"notes", r.notes},
                      {"variants", variants}};
    // Decoded text (contexts, tokens) may hold partial UTF-8 sequences; never fail on them.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<BenchmarkResult> result_from_json(const std::string& text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const std::exception& e) {
        return Error{std::string("not a JSON document: ") + e.what()};
    }
    // Checked by hand: json::value() throws when a member has another type.
    if (!doc.is_object() || !doc.contains("format") || doc.at("format") != "quantscope-benchmark")
        return Error{"not a Quantscope benchmark result (\"format\" is not \"quantscope-benchmark\")"};
    const json version_json = doc.contains("schema_version") ? doc.at("schema_version") : json(0);
    const int64_t version = version_json.is_number_integer() ? version_json.get<int64_t>() : 0;
    if (version < 1 || version > kResultSchemaVersion)
        return Error{"benchmark result schema version " + version_json.dump() +
                     " is not supported (this build reads up to " +
                     std::to_string(kResultSchemaVersion) + ")"};
    return guarded([&] {
        BenchmarkResult r;
        r.schema_version = static_cast<int>(version);
        read(doc, "created_at", r.created_at);
        read(doc, "complete", r.complete);
        r.seconds = get_number(doc, "seconds");
        read(doc, "eval_text_source", r.eval_text_source);
        r.read_bandwidth_gbps = get_number(doc, "read_bandwidth_gbps");
        r.read_bandwidth_samples_gbps = get_numbers(doc, "read_bandwidth_samples_gbps");
        if (doc.contains("settings")) r.settings = get_settings(doc.at("settings"));
        if (doc.contains("system")) r.system = get_system(doc.at("system"));
        read(doc, "notes", r.notes);
        if (doc.contains("variants"))
            for (const json& v : doc.at("variants")) r.variants.push_back(get_variant(v));
        return r;
    });
}

}  // namespace qs::bench
