#pragma once
// What the trainer measures on the finished weights (after BF16 rounding, i.e. as saved).
#include <cstdint>
#include <string>

#include "llama_model.h"
#include "tokenizer/tokenizer.h"

namespace demo {

struct Perplexity {
    double value = 0;
    int64_t window = 0;
    int64_t tokens_scored = 0;
};

// The protocol the app re-computes: tokenize the whole text without BOS, cut it into
// consecutive chunks of window-1 tokens (the remainder is dropped), feed each as
// [BOS] + chunk, and take exp of the mean NLL of all chunk tokens.
Perplexity heldout_perplexity(Llama& model, const qs::Tokenizer& tokenizer,
                              const std::string& text, int64_t window);

// Share of task.jsonl rows whose answer has the highest summed log-probability of its tokens
// given the prompt (prompt fed as [BOS] + prompt).
double choice_accuracy(Llama& model, const qs::Tokenizer& tokenizer, const std::string& jsonl);

}  // namespace demo
