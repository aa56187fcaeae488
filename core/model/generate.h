#pragma once
// Generation: prefill the prompt in one batch, then decode token by token through the KV
// cache, stopping at EOS or after max_new_tokens. Times every step, so callers can report
// time to first token and per-token decode latency from the same run.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model.h"
#include "model/sampler.h"

namespace qs {

struct GenerateOptions {
    int64_t max_new_tokens = 64;
    SamplingOptions sampling;
    bool stop_at_eos = true;
};

struct GenerateResult {
    std::vector<int32_t> input_ids;
    std::vector<int32_t> generated_ids;  // EOS included when it ended the generation
    std::string text;                    // decoded generated_ids ("" without a tokenizer)
    double prefill_seconds = 0;          // prompt forward pass including the first token's logits
    std::vector<double> decode_seconds;  // one per generated token after the first
    bool stopped_at_eos = false;
};

// on_token is called with each generated id as soon as it is chosen (for streaming output).
Result<GenerateResult> generate(const Model& model, const std::vector<int32_t>& input_ids,
                                const GenerateOptions& options, const Control& control = {},
                                const std::function<void(int32_t)>& on_token = {});

}  // namespace qs
