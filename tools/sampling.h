#pragma once
// Text from the trained model, to check by eye that it writes sentences.
#include <cstdint>
#include <string>

#include "llama_model.h"
#include "story_rng.h"
#include "tokenizer/tokenizer.h"

namespace demo {

// Continues [BOS] + prompt for up to max_new tokens (stopping at EOS or the model's window).
// temperature 0 is greedy; otherwise sampling draws from rng.
std::string continue_text(Llama& model, const qs::Tokenizer& tokenizer, const std::string& prompt,
                          int64_t max_new, double temperature, Rng& rng);

}  // namespace demo
