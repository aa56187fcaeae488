#pragma once
// How closely quantized models follow a reference model on the same evaluation tokens: each
// model's perplexity, and against the reference the top-1 agreement and the KL divergence
// KL(reference || candidate) at every scored position, with the positions that differ most.
// Positions and targets follow the perplexity protocol (eval/perplexity.h make_windows).
#include <cstdint>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "eval/perplexity.h"
#include "model/model.h"

namespace qs {

struct Disagreement {
    int64_t text_index = 0;        // index of the target in the evaluation text's tokens
    std::vector<int32_t> context;  // up to 8 input tokens before the target
    int32_t target = 0, reference_top = 0, candidate_top = 0;
    double kl = 0;
};

struct ModelAgreement {
    double perplexity = 0, mean_nll = 0;
    int64_t tokens_scored = 0;
    // Against the reference (NaN / empty for the reference itself).
    double top1_agreement = 0, kl_mean = 0, kl_p99 = 0;  // KL in nats
    std::vector<Disagreement> worst;                    // largest KL first
    bool ok = true;                                     // false: the model failed; see error
    std::string error;
};

// Result[0] is the reference, result[i + 1] candidate i. A candidate that fails to run is
// marked !ok and the others go on. The reference's log-probabilities of one window are kept
// in memory at a time (window x vocab floats).
Result<std::vector<ModelAgreement>> compare_to_reference(const Model& reference,
                                                         const std::vector<const Model*>& candidates,
                                                         const EvaluationWindows& windows,
                                                         int worst_count, const Control& control = {});

}  // namespace qs
