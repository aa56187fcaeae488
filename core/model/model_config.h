#pragma once
// The shape and hyper-parameters of a decoder-only transformer, independent of where the
// weights come from (Hugging Face folder, llama2.c checkpoint, synthetic preset).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct ModelConfig {
    std::string architecture;  // "LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"
    std::string model_type;    // "llama", "mistral", "qwen2"
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_layers = 0;
    int64_t num_heads = 0;
    int64_t num_kv_heads = 0;
    int64_t head_dim = 0;
    int64_t vocab_size = 0;
    int64_t max_position_embeddings = 0;
    int64_t sliding_window = 0;  // 0: full causal attention
    double rope_theta = 10000.0;
    double rms_norm_eps = 1e-6;
    bool tie_word_embeddings = false;
    bool attention_bias = false;  // biases on q/k/v (Qwen2)
    std::optional<int32_t> bos_token_id;
    std::vector<int32_t> eos_token_ids;
    std::string torch_dtype;  // as declared by the checkpoint ("float32", "bfloat16", ...)

    int64_t q_dim() const { return num_heads * head_dim; }
    int64_t kv_dim() const { return num_kv_heads * head_dim; }
    // Parameters counted once even when the LM head is tied to the embedding.
    int64_t parameter_count() const;
};

}  // namespace qs
