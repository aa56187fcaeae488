#include "eval/sampled_text.h"

#include <algorithm>

#include "model/generate.h"

namespace qs {

Result<std::vector<int32_t>> sample_eval_tokens(const Model& model, int64_t n_tokens, uint64_t seed,
                                                const Control& control) {
    if (n_tokens < 2) return Error{"at least 2 evaluation tokens are needed"};
    int32_t start = 0;
    if (model.bos_id()) start = *model.bos_id();
    else if (!model.config().eos_token_ids.empty()) start = model.config().eos_token_ids.front();
    const int64_t segment = std::min<int64_t>(model.max_positions(), 1024) - 1;
    std::vector<int32_t> ids;
    for (uint64_t s = 0; int64_t(ids.size()) < n_tokens; ++s) {
        control.report("Sampling evaluation text from fp32", int64_t(ids.size()), n_tokens);
        GenerateOptions options;
        options.max_new_tokens = std::min(segment, n_tokens - int64_t(ids.size()));
        options.stop_at_eos = false;
        options.sampling.temperature = 1.0f;
        options.sampling.seed = seed + s;
        auto r = generate(model, {start}, options, control);
        if (!r) return r.error();
        ids.insert(ids.end(), r->generated_ids.begin(), r->generated_ids.end());
    }
    control.report("Sampling evaluation text from fp32", n_tokens, n_tokens);
    return ids;
}

}  // namespace qs
