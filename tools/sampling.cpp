#include "sampling.h"

namespace demo {

std::string continue_text(Llama& model, const qs::Tokenizer& tokenizer, const std::string& prompt,
                          int64_t max_new, double temperature, Rng& rng) {
    torch::NoGradGuard no_grad;
    model->eval();
    std::vector<int32_t> ids = {*tokenizer.bos_id()};
    for (int32_t id : tokenizer.encode(prompt)) ids.push_back(id);
    for (int64_t n = 0; n < max_new && int64_t(ids.size()) < model->shape().max_positions; ++n) {
        const torch::Tensor input =
            torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong).unsqueeze(0);
        const torch::Tensor logits = model->forward(input)[0][-1].to(torch::kFloat64);
        int32_t next;
        if (temperature <= 0) {
            next = int32_t(logits.argmax().item<int64_t>());
        } else {
            // Inverse-CDF draw with our own Rng, so samples do not depend on torch's generator.
            const torch::Tensor p = torch::softmax(logits / temperature, -1).cumsum(0);
            const double u = double(rng.next() >> 11) * 0x1.0p-53;
            next = int32_t(std::min<int64_t>((p < u).sum().item<int64_t>(), p.size(0) - 1));
        }
        if (tokenizer.eos_id() && next == *tokenizer.eos_id()) break;
        ids.push_back(next);
    }
    return tokenizer.decode(std::vector<int32_t>(ids.begin() + 1, ids.end()));
}

}  // namespace demo
