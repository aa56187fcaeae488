#pragma once
// The tokenized training corpus and the windows the trainer reads from it. Every window is
// laid out exactly as the held-out perplexity protocol scores text: [BOS] + tokens, the loss
// taken on every token after BOS, so the training objective and the reported number agree.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "story_rng.h"
#include "tokenizer/tokenizer.h"

namespace demo {

struct Batch {
    torch::Tensor inputs;   // [B, W] int64: BOS, t0 .. t(W-2)
    torch::Tensor targets;  // [B, W] int64: t0 .. t(W-1)
};

class TokenStream {
public:
    // text is tokenized whole, without BOS, as the eval text is.
    TokenStream(const qs::Tokenizer& tokenizer, const std::string& text);

    // A window starts at a story's first token with probability story_start_share, else at a
    // random token; the first kind teaches the model what follows BOS at a story start (how a
    // prompt is fed), the second covers the mid-story chunks of the perplexity protocol.
    Batch sample(Rng& rng, int64_t batch, int64_t window, int32_t bos,
                 double story_start_share) const;

    size_t size() const { return tokens_.size(); }
    size_t stories() const { return story_starts_.size(); }

private:
    std::vector<int32_t> tokens_;
    std::vector<size_t> story_starts_;  // indexes of tokens that follow a blank line
};

}  // namespace demo
