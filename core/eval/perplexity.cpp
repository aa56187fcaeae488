#include "eval/perplexity.h"

#include <chrono>
#include <cmath>
#include <algorithm>
#include <numeric>

namespace qs {

double token_nll(const float* logits, int64_t vocab, int32_t target) {
    double max_logit = logits[0];
    for (int64_t i = 1; i < vocab; ++i) max_logit = std::max(max_logit, static_cast<double>(logits[i]));
    double sum = 0.0;
    for (int64_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i]) - max_logit);
    return std::log(sum) + max_logit - static_cast<double>(logits[target]);
}

Result<EvaluationWindows> make_windows(const Model& model, const std::vector<int32_t>& ids,
                                       int64_t window) {
    return guarded([&] {
        EvaluationWindows w;
        w.window = window > 0 ? window : std::min<int64_t>(model.max_positions(), 512);
        if (w.window < 2) fail("--window must be at least 2");
        if (w.window > model.max_positions())
            fail("--window " + std::to_string(w.window) + " exceeds the model's " +
                 std::to_string(model.max_positions()) + " positions");
        const bool bos = model.adds_bos();
        const int64_t chunk = bos ? w.window - 1 : w.window;
        const int64_t n = static_cast<int64_t>(ids.size());
        w.text_tokens = n;
        w.bos = bos;
        auto add = [&](int64_t begin, int64_t count) {
            std::vector<int32_t> input(static_cast<size_t>(count + (bos ? 1 : 0)));
            if (bos) input[0] = *model.bos_id();
            std::copy(ids.begin() + begin, ids.begin() + begin + count, input.begin() + (bos ? 1 : 0));
            w.inputs.push_back(std::move(input));
        };
        for (int64_t begin = 0; begin + chunk <= n; begin += chunk) add(begin, chunk);
        if (w.inputs.empty()) {
            if (n < (bos ? 1 : 2)) fail("the evaluation text has too few tokens to score");
            add(0, n);
        }
        return w;
    });
}

Result<PerplexityResult> perplexity(const Model& model, const std::vector<int32_t>& ids,
                                    int64_t window, const Control& control) {
    auto windows = make_windows(model, ids, window);
    if (!windows) return windows.error();
    return guarded([&] {
        const auto start = std::chrono::steady_clock::now();
        const EvaluationWindows& w = *windows;
        const int64_t vocab = model.config().vocab_size;
        double nll_sum = 0.0;
        int64_t scored = 0;
        for (size_t i = 0; i < w.inputs.size(); ++i) {
            control.check();
            control.report("Perplexity window " + std::to_string(i + 1) + "/" +
                               std::to_string(w.inputs.size()),
                           static_cast<int64_t>(i), static_cast<int64_t>(w.inputs.size()));
            const std::vector<int32_t>& input = w.inputs[i];
            // Position p predicts input[p + 1]. Without BOS, input[0] is simply never predicted.
            std::vector<int64_t> positions(input.size() - 1);
            std::iota(positions.begin(), positions.end(), 0);
            Status s = model.forward(input, positions, [&](int64_t p, const float* logits) {
                nll_sum += token_nll(logits, vocab, input[p + 1]);
                ++scored;
            });
            if (!s) fail(s.error().message);
        }
        PerplexityResult r;
        r.tokens_scored = scored;
        r.mean_nll = nll_sum / static_cast<double>(scored);
        r.perplexity = std::exp(r.mean_nll);
        r.windows = static_cast<int64_t>(w.inputs.size());
        r.window = w.window;
        r.text_tokens = w.text_tokens;
        r.bos = w.bos;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        control.report("Perplexity done", r.windows, r.windows);
        return r;
    });
}

}  // namespace qs
