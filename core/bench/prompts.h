#pragma once
// The prompts a benchmark times, and how they become token ids.
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace qs::bench {

// A handful of short, generic English prompts, used when the user gives none.
const std::vector<std::string>& default_prompts();

// Token ids of a prompt: the model's own encoding (BOS first when it expects one). A model
// without a tokenizer (synthetic) gets one id per UTF-8 byte (byte % vocab), so prompts of the
// same text have the same length on every variant and the timing shape stays realistic.
std::vector<int32_t> prompt_ids(const Model& model, const std::string& text);

}  // namespace qs::bench
