#include "token_stream.h"

#include <algorithm>

namespace demo {

TokenStream::TokenStream(const qs::Tokenizer& tokenizer, const std::string& text)
    : tokens_(tokenizer.encode(text)) {
    // A story starts at the first token after two newlines. Newlines are byte-fallback or
    // plain pieces depending on the tokenizer, so ask each piece what it decodes to.
    std::vector<int> newlines(tokenizer.vocab_size());
    for (int32_t id = 0; id < tokenizer.vocab_size(); ++id) {
        const std::string s = tokenizer.decode({id});
        newlines[id] = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c == '\n'; })
                           ? int(s.size())
                           : 0;
    }
    if (!tokens_.empty()) story_starts_.push_back(0);
    int run = 0;
    for (size_t i = 0; i < tokens_.size(); ++i) {
        const int n = newlines[tokens_[i]];
        if (n == 0 && run >= 2) story_starts_.push_back(i);
        run = n ? run + n : 0;
    }
}

Batch TokenStream::sample(Rng& rng, int64_t batch, int64_t window, int32_t bos,
                          double story_start_share) const {
    const size_t last_start = tokens_.size() - static_cast<size_t>(window);
    torch::Tensor inputs = torch::empty({batch, window}, torch::kLong);
    torch::Tensor targets = torch::empty({batch, window}, torch::kLong);
    auto in = inputs.accessor<int64_t, 2>();
    auto out = targets.accessor<int64_t, 2>();
    for (int64_t b = 0; b < batch; ++b) {
        const bool at_story = rng.chance(story_start_share);
        const size_t start = at_story
                                 ? std::min(story_starts_[rng.below(story_starts_.size())], last_start)
                                 : rng.below(last_start + 1);
        in[b][0] = bos;
        for (int64_t t = 0; t < window; ++t) {
            if (t + 1 < window) in[b][t + 1] = tokens_[start + t];
            out[b][t] = tokens_[start + t];
        }
    }
    return {inputs, targets};
}

}  // namespace demo
