#include "bench/prompts.h"

namespace qs::bench {

const std::vector<std::string>& default_prompts() {
    static const std::vector<std::string> prompts = {
        "Once upon a time, there was a little girl who",
        "The weather today is",
        "Here is a short story about a dog and a cat:",
        "The best way to learn a new language is",
        "In the morning, the old man walked to the market and",
    };
    return prompts;
}

std::vector<int32_t> prompt_ids(const Model& model, const std::string& text) {
    if (model.tokenizer()) {
        auto ids = model.encode_prompt(text);
        if (ids && !ids->empty()) return *ids;
    }
    const int64_t vocab = model.config().vocab_size;
    std::vector<int32_t> ids;
    if (model.bos_id()) ids.push_back(*model.bos_id());
    for (unsigned char c : text) ids.push_back(static_cast<int32_t>(c % vocab));
    return ids;
}

}  // namespace qs::bench
