#pragma once
// Perplexity under the stories260K reference protocol: the whole text is tokenized without BOS
// and split into consecutive non-overlapping chunks; a model with BOS sees [BOS] + W-1 tokens
// per chunk and all W-1 are scored; a model without BOS sees W tokens and the first one is not
// scored. The trailing remainder is dropped (a text shorter than one chunk is scored as one
// partial chunk). NLL is computed in double from the FP32 logits.
#include <cstdint>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model.h"

namespace qs {

struct PerplexityResult {
    double perplexity = 0;
    double mean_nll = 0;
    int64_t tokens_scored = 0;
    int64_t windows = 0;
    int64_t window = 0;
    int64_t text_tokens = 0;
    bool bos = false;
    double seconds = 0;
};

// The model inputs of the protocol: each chunk, with BOS in front when the model has one.
// Every position but the last of an input predicts the next token, which is scored.
struct EvaluationWindows {
    std::vector<std::vector<int32_t>> inputs;
    bool bos = false;
    int64_t text_tokens = 0;
    int64_t window = 0;
};

// window <= 0 means min(max positions, 512).
Result<EvaluationWindows> make_windows(const Model& model, const std::vector<int32_t>& text_ids,
                                       int64_t window);

Result<PerplexityResult> perplexity(const Model& model, const std::vector<int32_t>& text_ids,
                                    int64_t window, const Control& control = {});

// Negative log-likelihood (natural log) of target under logits, computed in double.
double token_nll(const float* logits, int64_t vocab, int32_t target);

}  // namespace qs
