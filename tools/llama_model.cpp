#include "llama_model.h"

#include <cmath>

namespace demo {

namespace {

torch::nn::Linear linear(int64_t in, int64_t out) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

// Hugging Face's rotate_half: the second half of each head, negated, swapped with the first.
torch::Tensor rotate_half(const torch::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}

}  // namespace

RMSNormImpl::RMSNormImpl(int64_t dim, double eps) : eps_(eps) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
    return weight * (x * torch::rsqrt(x.pow(2).mean(-1, /*keepdim=*/true) + eps_));
}

DecoderLayerImpl::DecoderLayerImpl(const LlamaShape& s) : shape_(s) {
    const int64_t kv_dim = s.num_kv_heads * s.head_dim();
    input_layernorm = register_module("input_layernorm", RMSNorm(s.hidden_size, s.rms_norm_eps));
    post_attention_layernorm =
        register_module("post_attention_layernorm", RMSNorm(s.hidden_size, s.rms_norm_eps));
    q_proj = register_module("q_proj", linear(s.hidden_size, s.hidden_size));
    k_proj = register_module("k_proj", linear(s.hidden_size, kv_dim));
    v_proj = register_module("v_proj", linear(s.hidden_size, kv_dim));
    o_proj = register_module("o_proj", linear(s.hidden_size, s.hidden_size));
    gate_proj = register_module("gate_proj", linear(s.hidden_size, s.intermediate_size));
    up_proj = register_module("up_proj", linear(s.hidden_size, s.intermediate_size));
    down_proj = register_module("down_proj", linear(s.intermediate_size, s.hidden_size));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                        const torch::Tensor& sin, const torch::Tensor& mask) {
    const int64_t B = x.size(0), T = x.size(1), hd = shape_.head_dim();
    const int64_t H = shape_.num_heads, KV = shape_.num_kv_heads;

    const torch::Tensor h = input_layernorm(x);
    torch::Tensor q = q_proj(h).view({B, T, H, hd}).transpose(1, 2);
    torch::Tensor k = k_proj(h).view({B, T, KV, hd}).transpose(1, 2);
    torch::Tensor v = v_proj(h).view({B, T, KV, hd}).transpose(1, 2);
    q = q * cos + rotate_half(q) * sin;
    k = k * cos + rotate_half(k) * sin;
    // Query head i reads KV head i / (H / KV), as transformers' repeat_kv does.
    k = k.repeat_interleave(H / KV, 1);
    v = v.repeat_interleave(H / KV, 1);

    const torch::Tensor scores =
        torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(double(hd))) + mask;
    const torch::Tensor attn = torch::matmul(torch::softmax(scores, -1), v);
    const torch::Tensor y = x + o_proj(attn.transpose(1, 2).reshape({B, T, H * hd}));

    const torch::Tensor g = post_attention_layernorm(y);
    return y + down_proj(torch::silu(gate_proj(g)) * up_proj(g));
}

LlamaImpl::LlamaImpl(const LlamaShape& s) : shape_(s) {
    embed_tokens = register_module("embed_tokens", torch::nn::Embedding(s.vocab_size, s.hidden_size));
    for (int64_t i = 0; i < s.num_layers; ++i)
        layers.push_back(register_module("layers_" + std::to_string(i), DecoderLayer(s)));
    norm = register_module("norm", RMSNorm(s.hidden_size, s.rms_norm_eps));
    lm_head = register_module("lm_head", linear(s.hidden_size, s.vocab_size));

    // inv_freq = 1 / theta^(arange(0, d, 2) / d); emb = cat(freqs, freqs) as in transformers.
    const int64_t d = s.head_dim();
    const torch::Tensor inv_freq =
        1.0 / torch::pow(s.rope_theta, torch::arange(0, d, 2, torch::kFloat64) / double(d));
    const torch::Tensor t = torch::arange(s.max_positions, torch::kFloat64);
    const torch::Tensor freqs = torch::outer(t, inv_freq);
    const torch::Tensor emb = torch::cat({freqs, freqs}, -1);
    cos_ = emb.cos().to(torch::kFloat32);
    sin_ = emb.sin().to(torch::kFloat32);
    mask_ = torch::full({s.max_positions, s.max_positions}, -INFINITY).triu(1);
}

torch::Tensor LlamaImpl::forward(const torch::Tensor& ids) {
    const int64_t T = ids.size(1);
    TORCH_CHECK(T <= shape_.max_positions, "sequence longer than max_position_embeddings");
    const torch::Tensor cos = cos_.slice(0, 0, T), sin = sin_.slice(0, 0, T);
    const torch::Tensor mask = mask_.slice(0, 0, T).slice(1, 0, T);
    torch::Tensor x = embed_tokens(ids);
    for (auto& layer : layers) x = layer(x, cos, sin, mask);
    return lm_head(norm(x));
}

std::vector<std::pair<std::string, torch::Tensor>> LlamaImpl::hf_named_weights() {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    out.emplace_back("model.embed_tokens.weight", embed_tokens->weight);
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        const DecoderLayer& l = layers[i];
        out.emplace_back(p + "input_layernorm.weight", l->input_layernorm->weight);
        out.emplace_back(p + "post_attention_layernorm.weight", l->post_attention_layernorm->weight);
        out.emplace_back(p + "self_attn.q_proj.weight", l->q_proj->weight);
        out.emplace_back(p + "self_attn.k_proj.weight", l->k_proj->weight);
        out.emplace_back(p + "self_attn.v_proj.weight", l->v_proj->weight);
        out.emplace_back(p + "self_attn.o_proj.weight", l->o_proj->weight);
        out.emplace_back(p + "mlp.gate_proj.weight", l->gate_proj->weight);
        out.emplace_back(p + "mlp.up_proj.weight", l->up_proj->weight);
        out.emplace_back(p + "mlp.down_proj.weight", l->down_proj->weight);
    }
    out.emplace_back("model.norm.weight", norm->weight);
    out.emplace_back("lm_head.weight", lm_head->weight);
    return out;
}

void LlamaImpl::init_weights(uint64_t seed) {
    torch::manual_seed(seed);
    torch::NoGradGuard no_grad;
    const double residual_std = 0.02 / std::sqrt(2.0 * double(shape_.num_layers));
    for (auto& [name, w] : hf_named_weights()) {
        if (w.dim() == 1) {
            w.fill_(1.0);
        } else {
            const bool residual_out = name.find("o_proj") != std::string::npos ||
                                      name.find("down_proj") != std::string::npos;
            w.normal_(0.0, residual_out ? residual_std : 0.02);
        }
    }
}

int64_t LlamaImpl::parameter_count() {
    int64_t n = 0;
    for (const auto& p : parameters()) n += p.numel();
    return n;
}

}  // namespace demo
