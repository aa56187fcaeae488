#include "model/model_builder.h"

#include "common/result.h"
#include "quant/formats.h"
#include "quant/method_formats.h"

namespace qs {

namespace {

void expect_shape(const WeightSource& source, const std::string& name,
                  const std::vector<int64_t>& expected) {
    if (!source.has(name)) fail(source.location(name) + ": tensor '" + name + "' is missing");
    const std::vector<int64_t> actual = source.shape(name);
    if (actual != expected)
        fail(source.location(name) + ": tensor '" + name + "' has shape " + shape_text(actual) +
             " but the model configuration implies " + shape_text(expected));
}

std::vector<float> vector_of(const WeightSource& source, const std::string& name, int64_t size) {
    expect_shape(source, name, {size});
    Buffer b = source.fp32(name);
    const float* p = b.as<float>();
    return std::vector<float>(p, p + size);
}

}  // namespace

BuiltModel build_transformer(const WeightSource& source, const QuantOptions& options,
                             const QuantizedManifest* manifest, const Control& control) {
    const ModelConfig& c = source.config();
    BuiltModel built;
    built.transformer = std::make_unique<Transformer>(c);
    Transformer& t = *built.transformer;
    const bool quantizing = !manifest && options.method != Method::fp32;
    const std::string verb = quantizing ? "Quantizing" : "Loading";

    auto matrix = [&](const std::string& name, int64_t out, int64_t in, bool embedding_or_head) {
        std::shared_ptr<PackedLinear> packed;
        // A stored quantized matrix has its own shapes (packed codes, scales); its format
        // checks them against [out, in] when it is rebuilt.
        if (!manifest) expect_shape(source, name, {out, in});
        if (manifest) {
            auto it = manifest->find(name);
            if (it == manifest->end())
                fail(source.location(name) + ": tensor '" + name +
                     "' has no entry in the quantization section of config.json");
            packed = load_stored_matrix(source, name, it->second, out, in, StoredCopy::resident);
        } else {
            packed = pack_matrix(options, embedding_or_head, source.fp32(name), out, in);
            source.release(name);
        }
        built.tensors.push_back({name, {out, in}, packed->describe(), packed->weight_bytes()});
        built.weight_bytes += packed->weight_bytes();
        return packed;
    };
    auto vec = [&](const std::string& name, int64_t size) {
        std::vector<float> v = vector_of(source, name, size);
        built.tensors.push_back({name, {size}, "fp32", size * 4});
        built.weight_bytes += size * 4;
        return v;
    };

    const int64_t h = c.hidden_size, steps = c.num_layers + 2;
    control.report(verb + " embeddings", 0, steps);
    t.embedding = matrix("model.embed_tokens.weight", c.vocab_size, h, true);
    for (int64_t l = 0; l < c.num_layers; ++l) {
        control.check();
        control.report(verb + " layer " + std::to_string(l + 1) + "/" + std::to_string(c.num_layers),
                       l + 1, steps);
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LayerWeights w;
        w.input_norm = vec(p + "input_layernorm.weight", h);
        w.q = matrix(p + "self_attn.q_proj.weight", c.q_dim(), h, false);
        w.k = matrix(p + "self_attn.k_proj.weight", c.kv_dim(), h, false);
        w.v = matrix(p + "self_attn.v_proj.weight", c.kv_dim(), h, false);
        if (c.attention_bias) {
            w.q_bias = vec(p + "self_attn.q_proj.bias", c.q_dim());
            w.k_bias = vec(p + "self_attn.k_proj.bias", c.kv_dim());
            w.v_bias = vec(p + "self_attn.v_proj.bias", c.kv_dim());
        }
        w.o = matrix(p + "self_attn.o_proj.weight", h, c.q_dim(), false);
        w.post_attention_norm = vec(p + "post_attention_layernorm.weight", h);
        w.gate = matrix(p + "mlp.gate_proj.weight", c.intermediate_size, h, false);
        w.up = matrix(p + "mlp.up_proj.weight", c.intermediate_size, h, false);
        w.down = matrix(p + "mlp.down_proj.weight", h, c.intermediate_size, false);
        t.layers.push_back(std::move(w));
    }
    control.check();
    control.report(verb + " LM head", steps - 1, steps);
    t.final_norm = vec("model.norm.weight", h);
    t.lm_head = c.tie_word_embeddings ? t.embedding
                                      : matrix("lm_head.weight", c.vocab_size, h, true);
    control.report(verb + " done", steps, steps);
    return built;
}

}  // namespace qs
