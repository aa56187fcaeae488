#include "model/model.h"

#include <algorithm>
#include <chrono>

#include "common/allocator_tuning.h"
#include "formats/model_locator.h"
#include "model/kv_cache.h"
#include "model/memory_guard.h"
#include "model/model_builder.h"
#include "model/model_impl.h"
#include "model/transformer.h"
#include "tokenizer/tokenizer.h"

namespace qs {


struct Session::State {
    KvCache cache;
};

namespace {

std::vector<std::string> kernel_summary(const Transformer& t) {
    std::vector<std::string> out;
    if (!t.layers.empty()) {
        out.push_back("decode projections: " + t.layers[0].q->kernel_name(1));
        out.push_back("prefill projections: " + t.layers[0].q->kernel_name(128));
    }
    out.push_back("decode LM head: " + t.lm_head->kernel_name(1));
    return out;
}

int64_t decode_bytes_per_token(const Transformer& t) {
    auto floats = [](const std::vector<float>& v) { return int64_t(v.size() * sizeof(float)); };
    int64_t bytes = t.lm_head->weight_bytes() + floats(t.final_norm) +
                    t.embedding->weight_bytes() / t.embedding->out_features();
    for (const LayerWeights& l : t.layers) {
        for (const auto* w : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down})
            bytes += (*w)->weight_bytes();
        bytes += floats(l.input_norm) + floats(l.post_attention_norm) + floats(l.q_bias) +
                 floats(l.k_bias) + floats(l.v_bias);
    }
    return bytes;
}

std::string method_detail(const std::vector<TensorInfo>& tensors, const QuantOptions& quant) {
    // The description of the first projection says exactly how the bulk of the model is stored.
    for (const TensorInfo& t : tensors)
        if (t.name.find(".layers.0.self_attn.q_proj.weight") != std::string::npos) {
            std::string detail = t.format;
            if (quant.method != Method::fp32)
                detail += quant.quantize_embeddings ? "; embedding/LM head quantized"
                                                    : "; embedding/LM head kept FP32";
            return detail;
        }
    return method_name(quant.method);
}

std::unique_ptr<Model::Impl> load_impl(const std::string& spec, const LoadOptions& options,
                                       const Control& control) {
    const auto start = std::chrono::steady_clock::now();
    tune_allocator();
    if (std::string problem = validate(options.quant); !problem.empty()) fail(problem);
    LocatedModel located = locate_model(spec);
    if (located.quantization && options.quant.method != Method::fp32)
        fail(spec + ": the model is already quantized (" +
             method_name(located.quantization->options.method) +
             "); --method applies to FP32, FP16 and BF16 checkpoints");

    // Metadata first: a config that lies about sizes fails on the tensors' shapes, and a model
    // too large for this machine is refused before anything is allocated.
    const QuantizationSection* section = located.quantization ? &*located.quantization : nullptr;
    const QuantizedManifest* manifest = section ? &section->tensors : nullptr;
    check_weights(*located.source, manifest);
    const std::string action = options.quant.method == Method::fp32
                                   ? "loading"
                                   : "loading as " + method_name(options.quant.method);
    check_memory(spec, action, load_peak_bytes(*located.source, options.quant, manifest));

    auto impl = std::make_unique<Model::Impl>();
    ModelInfo& info = impl->info;
    info.spec = spec;
    info.path = located.path;
    info.source = located.kind;
    info.description = located.source->description();
    info.synthetic = located.kind == "synthetic";
    info.config = located.source->config();
    info.stored_dtype = located.source->stored_dtype();
    info.parameters = info.config.parameter_count();
    info.stored_weight_bytes = located.source->stored_bytes();

    const std::string tokenizer_path = !options.tokenizer.empty() ? options.tokenizer : located.tokenizer_path;
    if (!tokenizer_path.empty()) {
        auto tok = load_tokenizer(tokenizer_path);
        if (!tok) fail(tok.error().message);
        impl->tokenizer = std::move(tok).value();
        info.tokenizer_path = impl->tokenizer->source();
    } else if (options.require_tokenizer) {
        fail(spec + ": no tokenizer found beside the model; pass --tokenizer PATH");
    }

    info.quant = section ? section->options : options.quant;
    info.method = info.quant.method;
    BuiltModel built = build_transformer(*located.source, info.quant, manifest, control);
    info.tensors = std::move(built.tensors);
    info.weight_bytes = built.weight_bytes;
    info.method_detail = method_detail(info.tensors, info.quant);
    impl->transformer = std::move(built.transformer);
    info.kernels = kernel_summary(*impl->transformer);
    info.decode_bytes_per_token = decode_bytes_per_token(*impl->transformer);
    info.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return impl;
}

}  // namespace

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

Result<std::shared_ptr<Model>> Model::load(const std::string& spec, const LoadOptions& options,
                                           const Control& control) {
    return guarded([&] { return std::shared_ptr<Model>(new Model(load_impl(spec, options, control))); });
}

const ModelInfo& Model::info() const { return impl_->info; }
const ModelConfig& Model::config() const { return impl_->info.config; }
const Tokenizer* Model::tokenizer() const { return impl_->tokenizer.get(); }

bool Model::adds_bos() const { return impl_->tokenizer && impl_->tokenizer->adds_bos() && bos_id(); }

std::optional<int32_t> Model::bos_id() const {
    if (impl_->tokenizer && impl_->tokenizer->bos_id()) return impl_->tokenizer->bos_id();
    return config().bos_token_id;
}

bool Model::is_eos(int32_t id) const {
    const auto& eos = config().eos_token_ids;
    if (std::find(eos.begin(), eos.end(), id) != eos.end()) return true;
    return impl_->tokenizer && impl_->tokenizer->eos_id() == id;
}

int64_t Model::max_positions() const { return impl_->transformer->max_positions(); }

Result<std::vector<int32_t>> Model::encode_prompt(const std::string& text) const {
    return guarded([&] {
        if (!impl_->tokenizer)
            fail(info().spec + ": the model has no tokenizer; pass --tokenizer or give token ids");
        std::vector<int32_t> ids;
        if (adds_bos()) ids.push_back(*bos_id());
        const std::vector<int32_t> body = impl_->tokenizer->encode(text);
        ids.insert(ids.end(), body.begin(), body.end());
        return ids;
    });
}

Status Model::forward(const std::vector<int32_t>& ids, const std::vector<int64_t>& positions,
                      const std::function<void(int64_t, const float*)>& sink) const {
    return guarded([&] {
        const int64_t n = static_cast<int64_t>(ids.size());
        if (n == 0) fail("no token ids given");
        for (size_t i = 0; i < positions.size(); ++i) {
            if (positions[i] < 0 || positions[i] >= n)
                fail("position " + std::to_string(positions[i]) + " is outside the " +
                     std::to_string(n) + " ids given");
            if (i > 0 && positions[i] <= positions[i - 1]) fail("positions must be ascending");
        }
        if (n > max_positions())
            fail(std::to_string(n) + " ids exceed the model's " + std::to_string(max_positions()) +
                 " positions");
        KvCache cache(config(), n);
        impl_->transformer->forward(ids.data(), n, cache, positions, sink);
    });
}

Result<std::vector<std::vector<float>>> Model::logits(const std::vector<int32_t>& ids,
                                                      const std::vector<int64_t>& positions) const {
    std::vector<std::vector<float>> rows;
    const int64_t vocab = config().vocab_size;
    Status s = forward(ids, positions, [&](int64_t, const float* logits) {
        rows.emplace_back(logits, logits + vocab);
    });
    if (!s) return s.error();
    return rows;
}

Result<std::unique_ptr<Session>> Model::new_session(int64_t capacity) const {
    return guarded([&] {
        if (capacity <= 0) fail("a session needs room for at least one position");
        capacity = std::min(capacity, max_positions());
        auto state = std::make_unique<Session::State>(Session::State{KvCache(config(), capacity)});
        return std::unique_ptr<Session>(new Session(shared_from_this(), std::move(state)));
    });
}

Session::Session(std::shared_ptr<const Model> model, std::unique_ptr<State> state)
    : model_(std::move(model)), state_(std::move(state)) {}
Session::~Session() = default;

Status Session::append(const std::vector<int32_t>& ids) {
    return guarded([&] {
        if (ids.empty()) fail("no token ids to append");
        logits_.resize(static_cast<size_t>(model_->config().vocab_size));
        model_->impl_->transformer->forward_last(ids.data(), static_cast<int64_t>(ids.size()),
                                                 state_->cache, logits_.data());
    });
}

int64_t Session::length() const { return state_->cache.length; }
int64_t Session::capacity() const { return state_->cache.capacity; }
int64_t Session::kv_cache_bytes() const { return state_->cache.bytes(); }
void Session::reset() { state_->cache.length = 0; }

}  // namespace qs
