#include "bench/benchmark.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <unistd.h>

#include "bench/engine.h"
#include "bench/figures.h"
#include "bench/prompts.h"
#include "bench/system_info.h"
#include "common/parallel.h"

namespace qs::bench {

namespace {

std::string now_iso8601() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// fp32 first (added when missing), each distinct method once, in the user's order.
std::vector<QuantOptions> normalized_methods(const std::vector<QuantOptions>& methods) {
    std::vector<QuantOptions> out{QuantOptions{}};
    for (const QuantOptions& q : methods) {
        const bool seen = std::any_of(out.begin(), out.end(), [&](const QuantOptions& o) {
            return o.method == q.method && o.group_size == q.group_size &&
                   o.quantize_embeddings == q.quantize_embeddings;
        });
        if (!seen) out.push_back(q);
    }
    return out;
}

std::string check_settings(const BenchmarkSettings& s) {
    if (s.model.empty()) return "no model given";
    if (s.runs < 1) return "--runs must be at least 1";
    if (s.warmup < 0) return "--warmup must not be negative";
    if (s.max_new_tokens < 1) return "--max-new-tokens must be at least 1";
    if (s.eval_tokens < 0) return "--eval-tokens must not be negative";
    for (const std::string* path : {&s.eval_text_path, &s.task_path})
        if (!path->empty() && access(path->c_str(), R_OK) != 0) return *path + ": cannot read the file";
    for (const QuantOptions& q : s.methods)
        if (std::string problem = validate(q); !problem.empty()) return problem;
    return {};
}

// Loads every variant; a variant that fails to load becomes a failed entry. Returns an Error
// only when fp32 (the reference everything is compared to) does not load.
Status load_variants(RunState& state) {
    auto& variants = state.result.variants;
    for (size_t i = 0; i < variants.size(); ++i) {
        if (state.control.cancelled()) return cancelled_error();
        VariantResult& v = variants[i];
        state.control.report("Loading " + v.method + " (" + std::to_string(i + 1) + "/" +
                                 std::to_string(variants.size()) + ")",
                             static_cast<int64_t>(i), static_cast<int64_t>(variants.size()));
        LoadOptions options;
        options.quant = v.options;
        options.tokenizer = state.settings.tokenizer;
        Control cancel_only;
        cancel_only.cancel = state.control.cancel;
        auto model = Model::load(state.settings.model, options, cancel_only);
        if (!model) {
            if (model.error().cancelled) return model.error();
            if (i == 0) return Error{model.error().message};
            state.fail_variant(i, "load failed: " + model.error().message);
            continue;
        }
        const ModelInfo& info = (*model)->info();
        if (i == 0 && info.method != Method::fp32)
            state.result.notes.push_back("the reference \"fp32\" entry is the model as stored (" +
                                         method_name(info.method) + "): ratios and agreement are against it");
        v.method_detail = info.method_detail;
        v.kernels = info.kernels;
        v.quantized_tensors.clear();
        for (const TensorInfo& t : info.tensors) v.quantized_tensors.push_back(t.name + ": " + t.format);
        v.load_seconds = info.load_seconds;
        if (i > 0 && std::isfinite(variants[0].load_seconds))
            v.quantize_seconds = std::max(0.0, v.load_seconds - variants[0].load_seconds);
        v.weight_bytes = info.weight_bytes;
        v.decode_bytes_per_token = static_cast<double>(info.decode_bytes_per_token);
        state.models[i] = std::move(model).value();
        state.publish();
    }
    return {};
}

// Prompt tokens from the fp32 model (all variants share its tokenizer); every prompt plus the
// generated tokens must fit the model's positions.
Status prepare_prompts(RunState& state) {
    const Model& model = *state.models[0];
    const std::vector<std::string>& texts =
        state.settings.prompts.empty() ? default_prompts() : state.settings.prompts;
    for (size_t i = 0; i < texts.size(); ++i) {
        std::vector<int32_t> ids = prompt_ids(model, texts[i]);
        if (ids.empty()) return Error{"prompt " + std::to_string(i + 1) + " is empty"};
        if (static_cast<int64_t>(ids.size()) + state.settings.max_new_tokens > model.max_positions())
            return Error{"prompt " + std::to_string(i + 1) + " (" + std::to_string(ids.size()) +
                         " tokens) plus " + std::to_string(state.settings.max_new_tokens) +
                         " new tokens exceed the model's " + std::to_string(model.max_positions()) +
                         " positions"};
        state.prompt_tokens.push_back(std::move(ids));
    }
    state.result.settings.prompts = texts;  // the report names the prompts actually timed
    if (!model.tokenizer())
        state.result.notes.push_back(
            "the model has no tokenizer: prompts are fed as one token id per byte (byte % vocab)");
    return {};
}

}  // namespace

void RunState::fail_variant(size_t i, const std::string& why) {
    result.variants[i].status = "failed";
    result.variants[i].error = why;
    models[i].reset();
}

void RunState::publish() {
    const uint64_t seed = settings.seed;
    for (VariantResult& v : result.variants) compute_speed_figures(v, result.read_bandwidth_gbps, seed);
    for (size_t i = 1; i < result.variants.size(); ++i)
        compute_ratios(result.variants[i], result.variants[0], seed + i * 100);
    result.seconds = seconds_since(start);
    if (on_update) on_update(result);
}

void RunState::report(const std::string& stage, int64_t done, int64_t total,
                      std::chrono::steady_clock::time_point phase_start) const {
    std::string text = stage;
    if (done > 0 && done < total) {
        const double eta = seconds_since(phase_start) / double(done) * double(total - done);
        text += ", ETA " + std::to_string(static_cast<long long>(std::ceil(eta))) + " s";
    }
    control.report(text, done, total);
}

Result<BenchmarkResult> run_benchmark(const BenchmarkSettings& settings, const Control& control,
                                      const UpdateFn& on_update) {
    if (std::string problem = check_settings(settings); !problem.empty()) return Error{problem};
    RunState state(settings, control, on_update);
    return guarded([&]() -> BenchmarkResult {
        BenchmarkResult& r = state.result;
        r.created_at = now_iso8601();
        r.settings = settings;
        r.settings.methods = normalized_methods(settings.methods);
        if (r.settings.threads > 0) set_num_threads(r.settings.threads);
        r.settings.threads = num_threads();
        r.system = collect_system_info(r.settings.threads);
        for (const QuantOptions& q : r.settings.methods) {
            VariantResult v;
            v.options = q;
            v.method = method_name(q.method);
            v.status = "pending";
            r.variants.push_back(std::move(v));
        }
        state.models.resize(r.variants.size());

        if (Status s = load_variants(state); !s) {
            if (!s.error().cancelled) fail(s.error().message);
            if (!state.models[0]) throw Cancelled();  // nothing was measured
        } else if (Status p = prepare_prompts(state); !p) {
            fail(p.error().message);
        } else {
            run_speed_phase(state);
            run_memory_phase(state);
            run_accuracy_phase(state);
        }

        r.complete = !control.cancelled();
        for (VariantResult& v : r.variants)
            if (v.status == "pending") v.status = r.complete ? "ok" : "cancelled";
        if (!r.complete) r.notes.push_back("cancelled: figures measured before the cancel are kept");
        state.publish();
        return r;
    });
}

}  // namespace qs::bench
