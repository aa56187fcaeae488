#pragma once
// A Llama decoder in libtorch's C++ frontend, numerically the same computation as Hugging Face's
// LlamaForCausalLM (RMSNorm, RoPE in the rotate_half convention, grouped KV heads, SwiGLU), so
// weights trained here mean the same thing when the app or transformers loads them.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace demo {

struct LlamaShape {
    int64_t vocab_size = 1024;
    int64_t hidden_size = 128;
    int64_t intermediate_size = 384;
    int64_t num_layers = 6;
    int64_t num_heads = 4;
    int64_t num_kv_heads = 2;
    int64_t max_positions = 256;
    double rope_theta = 10000.0;
    double rms_norm_eps = 1e-5;

    int64_t head_dim() const { return hidden_size / num_heads; }
};

class RMSNormImpl : public torch::nn::Module {
public:
    RMSNormImpl(int64_t dim, double eps);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;

private:
    double eps_;
};
TORCH_MODULE(RMSNorm);

class DecoderLayerImpl : public torch::nn::Module {
public:
    explicit DecoderLayerImpl(const LlamaShape& shape);
    // cos/sin: [T, head_dim]; mask: [T, T] additive causal mask.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                          const torch::Tensor& mask);

    RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
    torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
    torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

private:
    LlamaShape shape_;
};
TORCH_MODULE(DecoderLayer);

class LlamaImpl : public torch::nn::Module {
public:
    explicit LlamaImpl(const LlamaShape& shape);
    // ids: [B, T] int64 -> logits [B, T, vocab].
    torch::Tensor forward(const torch::Tensor& ids);

    // Every weight under its Hugging Face name, in nn.Linear [out, in] layout.
    std::vector<std::pair<std::string, torch::Tensor>> hf_named_weights();
    // GPT-2 style init: N(0, 0.02), residual output projections scaled by 1/sqrt(2 * layers)
    // so the residual stream does not grow with depth at the start of training.
    void init_weights(uint64_t seed);
    int64_t parameter_count();

    const LlamaShape& shape() const { return shape_; }

    torch::nn::Embedding embed_tokens{nullptr};
    std::vector<DecoderLayer> layers;
    RMSNorm norm{nullptr};
    torch::nn::Linear lm_head{nullptr};

private:
    LlamaShape shape_;
    torch::Tensor cos_, sin_, mask_;  // precomputed for max_positions, sliced per call
};
TORCH_MODULE(Llama);

}  // namespace demo
