#pragma once
// Writes the trained model as a Hugging Face LlamaForCausalLM folder: config.json as
// save_pretrained writes it, model.safetensors under HF tensor names, tokenizer_config.json.
#include <string>

#include "llama_model.h"

namespace demo {

// Rounds every weight to BF16 in place (round to nearest even, as torch does), so what is
// evaluated afterwards is exactly what model.safetensors stores.
void round_weights_to_bf16(Llama& model);

void write_hf_config(const std::string& path, const LlamaShape& shape, int bos_id, int eos_id);
void write_tokenizer_config(const std::string& path, int64_t max_length);
void write_bf16_safetensors(const std::string& path, Llama& model);

}  // namespace demo
