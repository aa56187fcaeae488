#include "hf_export.h"

#include <nlohmann/json.hpp>

#include "common/atomic_output.h"
#include "formats/safetensors_writer.h"

namespace demo {

void round_weights_to_bf16(Llama& model) {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.copy_(p.to(torch::kBFloat16).to(torch::kFloat32));
}

void write_hf_config(const std::string& path, const LlamaShape& s, int bos_id, int eos_id) {
    // Keys sorted and indented by 2, as transformers' to_json_string writes them.
    const nlohmann::json config = {
        {"architectures", {"LlamaForCausalLM"}},
        {"attention_bias", false},
        {"attention_dropout", 0.0},
        {"bos_token_id", bos_id},
        {"eos_token_id", eos_id},
        {"head_dim", s.head_dim()},
        {"hidden_act", "silu"},
        {"hidden_size", s.hidden_size},
        {"initializer_range", 0.02},
        {"intermediate_size", s.intermediate_size},
        {"max_position_embeddings", s.max_positions},
        {"mlp_bias", false},
        {"model_type", "llama"},
        {"num_attention_heads", s.num_heads},
        {"num_hidden_layers", s.num_layers},
        {"num_key_value_heads", s.num_kv_heads},
        {"pretraining_tp", 1},
        {"rms_norm_eps", s.rms_norm_eps},
        {"rope_scaling", nullptr},
        {"rope_theta", s.rope_theta},
        {"tie_word_embeddings", false},
        {"torch_dtype", "bfloat16"},
        {"use_cache", true},
        {"vocab_size", s.vocab_size},
    };
    qs::write_file_atomically(path, config.dump(2) + "\n");
}

void write_tokenizer_config(const std::string& path, int64_t max_length) {
    const nlohmann::json config = {
        {"add_bos_token", true},          {"add_eos_token", false},
        {"bos_token", "<s>"},             {"eos_token", "</s>"},
        {"unk_token", "<unk>"},           {"model_max_length", max_length},
        {"legacy", true},                 {"clean_up_tokenization_spaces", false},
        {"tokenizer_class", "LlamaTokenizer"},
    };
    qs::write_file_atomically(path, config.dump(2) + "\n");
}

void write_bf16_safetensors(const std::string& path, Llama& model) {
    std::vector<torch::Tensor> keep;  // owns the BF16 copies until the file is written
    std::vector<qs::TensorToWrite> tensors;
    for (const auto& [name, weight] : model->hf_named_weights()) {
        keep.push_back(weight.detach().to(torch::kBFloat16).contiguous());
        const torch::Tensor& t = keep.back();
        tensors.push_back({name, "BF16", t.sizes().vec(), t.data_ptr(), size_t(t.nbytes())});
    }
    qs::write_safetensors(path, tensors);
}

}  // namespace demo
