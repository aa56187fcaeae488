#include "formats/synthetic_source.h"

#include <cmath>
#include <map>

#include "common/parallel.h"
#include "common/result.h"

namespace qs {

namespace {

ModelConfig qwen2_shape(int64_t hidden, int64_t inter, int64_t layers, int64_t heads,
                        int64_t kv_heads) {
    ModelConfig c;
    c.architecture = "Qwen2ForCausalLM";
    c.model_type = "qwen2";
    c.hidden_size = hidden;
    c.intermediate_size = inter;
    c.num_layers = layers;
    c.num_heads = heads;
    c.num_kv_heads = kv_heads;
    c.head_dim = hidden / heads;
    c.vocab_size = 151936;
    c.max_position_embeddings = 32768;
    c.rope_theta = 1000000.0;
    c.rms_norm_eps = 1e-6;
    c.tie_word_embeddings = true;
    c.attention_bias = true;
    c.bos_token_id = 151643;
    c.eos_token_ids = {151643};
    c.torch_dtype = "float32";
    return c;
}

ModelConfig preset(const std::string& name) {
    if (name == "qwen2.5-0.5b") return qwen2_shape(896, 4864, 24, 14, 2);
    if (name == "qwen2.5-1.5b") return qwen2_shape(1536, 8960, 28, 12, 2);
    if (name == "tiny") {
        ModelConfig c;
        c.architecture = "LlamaForCausalLM";
        c.model_type = "llama";
        c.hidden_size = 64;
        c.intermediate_size = 176;
        c.num_layers = 2;
        c.num_heads = 4;
        c.num_kv_heads = 2;
        c.head_dim = 16;
        c.vocab_size = 512;
        c.max_position_embeddings = 512;
        c.rope_theta = 10000.0;
        c.rms_norm_eps = 1e-5;
        c.bos_token_id = 1;
        c.eos_token_ids = {2};
        c.torch_dtype = "float32";
        return c;
    }
    std::string known;
    for (const std::string& n : synthetic_model_names()) known += (known.empty() ? "" : ", ") + n;
    fail("synthetic:" + name + ": unknown synthetic model (available: " + known + ")");
}

uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t name_seed(const std::string& name) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    return h;
}

// Approximately normal values: the sum of four 16-bit uniforms (Irwin-Hall), rescaled to unit
// variance. Counter-based, so any element can be made independently and in parallel; a
// Box-Muller stream would take tens of seconds for 1.5 B weights.
void fill_normal(float* out, int64_t n, uint64_t seed, float stddev) {
    const float scale = stddev * std::sqrt(3.0f) / 65536.0f;
    parallel_for(0, n, 1 << 16, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
            const uint64_t r = splitmix64(seed ^ static_cast<uint64_t>(i) * 0xd1b54a32d192ed03ull);
            const int32_t sum = static_cast<int32_t>(r & 0xffff) + static_cast<int32_t>((r >> 16) & 0xffff) +
                                static_cast<int32_t>((r >> 32) & 0xffff) + static_cast<int32_t>(r >> 48);
            out[i] = static_cast<float>(sum - 131070) * scale;
        }
    });
}

}  // namespace

const std::vector<std::string>& synthetic_model_names() {
    static const std::vector<std::string> names = {"tiny", "qwen2.5-0.5b", "qwen2.5-1.5b"};
    return names;
}

SyntheticSource::SyntheticSource(const std::string& name) : name_(name) {
    config_ = preset(name);
    const ModelConfig& c = config_;
    const int64_t h = c.hidden_size;
    shapes_["model.embed_tokens.weight"] = {c.vocab_size, h};
    shapes_["model.norm.weight"] = {h};
    if (!c.tie_word_embeddings) shapes_["lm_head.weight"] = {c.vocab_size, h};
    for (int64_t l = 0; l < c.num_layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        shapes_[p + "input_layernorm.weight"] = {h};
        shapes_[p + "post_attention_layernorm.weight"] = {h};
        shapes_[p + "self_attn.q_proj.weight"] = {c.q_dim(), h};
        shapes_[p + "self_attn.k_proj.weight"] = {c.kv_dim(), h};
        shapes_[p + "self_attn.v_proj.weight"] = {c.kv_dim(), h};
        shapes_[p + "self_attn.o_proj.weight"] = {h, c.q_dim()};
        shapes_[p + "mlp.gate_proj.weight"] = {c.intermediate_size, h};
        shapes_[p + "mlp.up_proj.weight"] = {c.intermediate_size, h};
        shapes_[p + "mlp.down_proj.weight"] = {h, c.intermediate_size};
        if (c.attention_bias) {
            shapes_[p + "self_attn.q_proj.bias"] = {c.q_dim()};
            shapes_[p + "self_attn.k_proj.bias"] = {c.kv_dim()};
            shapes_[p + "self_attn.v_proj.bias"] = {c.kv_dim()};
        }
    }
}

std::string SyntheticSource::description() const {
    return "synthetic " + name_ + " (deterministic random weights, models nothing)";
}

int64_t SyntheticSource::stored_bytes() const {
    int64_t total = 0;
    for (const auto& [name, shape] : shapes_) {
        int64_t n = 4;
        for (int64_t d : shape) n *= d;
        total += n;
    }
    return total;
}

std::vector<std::string> SyntheticSource::names() const {
    std::vector<std::string> out;
    for (const auto& [name, shape] : shapes_) out.push_back(name);
    return out;
}

bool SyntheticSource::has(const std::string& name) const { return shapes_.count(name) > 0; }

std::string SyntheticSource::dtype(const std::string& name) const {
    shape(name);
    return "F32";
}

std::vector<int64_t> SyntheticSource::shape(const std::string& name) const {
    auto it = shapes_.find(name);
    if (it == shapes_.end()) fail("synthetic:" + name_ + ": no tensor '" + name + "'");
    return it->second;
}

Buffer SyntheticSource::fp32(const std::string& name) const {
    const std::vector<int64_t> s = shape(name);
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    Buffer out = Buffer::allocate_for_overwrite(static_cast<size_t>(n) * 4);
    float* p = out.mutable_as<float>();
    const bool is_norm = name.find("norm") != std::string::npos;
    if (is_norm) {
        for (int64_t i = 0; i < n; ++i) p[i] = 1.0f;
    } else {
        fill_normal(p, n, name_seed(name), 0.02f);
    }
    return out;
}

StoredTensor SyntheticSource::stored(const std::string& name) const {
    return StoredTensor{"", "F32", shape(name), fp32(name)};
}

}  // namespace qs
