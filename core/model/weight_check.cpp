#include "model/weight_check.h"

#include "common/result.h"
#include "formats/dtype.h"
#include "quant/formats.h"

namespace qs {

namespace {

void check_plain(const WeightSource& source, const ExpectedTensor& t) {
    const std::vector<int64_t> actual = source.shape(t.name);
    if (actual != t.shape)
        fail(source.location(t.name) + ": tensor '" + t.name + "' has shape " + shape_text(actual) +
             " but the model configuration implies " + shape_text(t.shape));
    const std::string dtype = source.dtype(t.name);
    if (!is_float_weight_dtype(dtype))
        fail(source.location(t.name) + ": tensor '" + t.name + "' has dtype " + dtype +
             " (supported: F32, F16, BF16)");
}

}  // namespace

void for_each_expected_tensor(const ModelConfig& c,
                              const std::function<bool(const ExpectedTensor&)>& fn) {
    const int64_t h = c.hidden_size;
    if (!fn({"model.embed_tokens.weight", {c.vocab_size, h}, true, true})) return;
    for (int64_t l = 0; l < c.num_layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        std::vector<ExpectedTensor> layer = {
            {p + "input_layernorm.weight", {h}},
            {p + "self_attn.q_proj.weight", {c.q_dim(), h}, true},
            {p + "self_attn.k_proj.weight", {c.kv_dim(), h}, true},
            {p + "self_attn.v_proj.weight", {c.kv_dim(), h}, true}};
        if (c.attention_bias) {
            layer.push_back({p + "self_attn.q_proj.bias", {c.q_dim()}});
            layer.push_back({p + "self_attn.k_proj.bias", {c.kv_dim()}});
            layer.push_back({p + "self_attn.v_proj.bias", {c.kv_dim()}});
        }
        layer.push_back({p + "self_attn.o_proj.weight", {h, c.q_dim()}, true});
        layer.push_back({p + "post_attention_layernorm.weight", {h}});
        layer.push_back({p + "mlp.gate_proj.weight", {c.intermediate_size, h}, true});
        layer.push_back({p + "mlp.up_proj.weight", {c.intermediate_size, h}, true});
        layer.push_back({p + "mlp.down_proj.weight", {h, c.intermediate_size}, true});
        for (const ExpectedTensor& t : layer)
            if (!fn(t)) return;
    }
    if (!fn({"model.norm.weight", {h}})) return;
    if (!c.tie_word_embeddings) fn({"lm_head.weight", {c.vocab_size, h}, true, true});
}

std::vector<std::string> stored_parts(const WeightSource& source, const std::string& name) {
    std::vector<std::string> parts;
    for (const std::string& stored : source.names()) {
        if (stored.compare(0, name.size(), name) != 0) continue;
        const std::string suffix = stored.substr(name.size());
        if (suffix.empty() || suffix[0] == '.') parts.push_back(stored);
    }
    return parts;
}

void check_weights(const WeightSource& source, const QuantizedManifest* manifest) {
    for_each_expected_tensor(source.config(), [&](const ExpectedTensor& t) {
        if (!source.has(t.name)) fail(source.location(t.name) + ": tensor '" + t.name + "' is missing");
        if (!t.matrix || !manifest) {
            check_plain(source, t);
            return true;
        }
        auto it = manifest->find(t.name);
        if (it == manifest->end())
            fail(source.location(t.name) + ": tensor '" + t.name +
                 "' has no entry in the quantization section of config.json");
        load_stored_matrix(source, t.name, it->second, t.shape[0], t.shape[1], StoredCopy::borrowed);
        // Building the format may have read the matrix through the mapping (row sums); a model
        // reads its own copy, so those pages need not stay in RSS. resident_copy drops them
        // too, but only after its copy is complete: left to it, a loaded int8 Qwen2.5-0.5B
        // peaked at 783 MB instead of 661 MB (the embedding's pages and its copy at once).
        for (const std::string& part : stored_parts(source, t.name)) source.release(part);
        return true;
    });
}

std::unique_ptr<PackedLinear> load_stored_matrix(const WeightSource& source, const std::string& name,
                                                 const std::string& spec, int64_t out, int64_t in,
                                                 StoredCopy copy) {
    std::map<std::string, StoredTensor> tensors;
    for (const std::string& stored : stored_parts(source, name)) {
        StoredTensor t =
            copy == StoredCopy::resident ? source.resident(stored) : source.stored(stored);
        t.suffix = stored.substr(name.size());
        tensors.emplace(t.suffix, std::move(t));
    }
    try {
        return load_packed_linear(spec, out, in, tensors);
    } catch (const Failure& e) {
        fail(source.location(name) + ": tensor '" + name + "': " + e.what());
    }
}

}  // namespace qs
