#pragma once
// Default evaluation data when the user gives none: tokens sampled from the model itself
// (temperature 1, seeded), so accuracy can be measured offline for any model, even one without
// a tokenizer. Perplexity on such text measures how well a variant reproduces the fp32 model's
// own distribution, not language quality, and is labelled as such by callers.
#include <cstdint>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model.h"

namespace qs {

// n_tokens ids, sampled in independent segments that each start from the model's BOS (or EOS,
// or id 0, when it has none) and fit its positions; the start tokens are not part of the text.
Result<std::vector<int32_t>> sample_eval_tokens(const Model& model, int64_t n_tokens, uint64_t seed,
                                                const Control& control = {});

}  // namespace qs
