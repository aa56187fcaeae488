#include "model/generate.h"

#include <chrono>

#include "tokenizer/tokenizer.h"

namespace qs {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

Result<GenerateResult> generate(const Model& model, const std::vector<int32_t>& input_ids,
                                const GenerateOptions& options, const Control& control,
                                const std::function<void(int32_t)>& on_token) {
    return guarded([&] {
        if (input_ids.empty()) fail("the prompt is empty and the model has no BOS token");
        if (options.max_new_tokens < 0) fail("--max-new-tokens must not be negative");
        GenerateResult result;
        result.input_ids = input_ids;
        if (options.max_new_tokens == 0) return result;
        const int64_t capacity = static_cast<int64_t>(input_ids.size()) + options.max_new_tokens;
        if (capacity > model.max_positions())
            fail("prompt (" + std::to_string(input_ids.size()) + " tokens) plus " +
                 std::to_string(options.max_new_tokens) + " new tokens exceed the model's " +
                 std::to_string(model.max_positions()) + " positions");
        auto session = model.new_session(capacity);
        if (!session) fail(session.error().message);
        Sampler sampler(options.sampling);

        auto start = std::chrono::steady_clock::now();
        Status s = (*session)->append(input_ids);
        if (!s) fail(s.error().message);
        int32_t token = sampler.next((*session)->last_logits());
        result.prefill_seconds = seconds_since(start);
        for (;;) {
            result.generated_ids.push_back(token);
            if (on_token) on_token(token);
            if (options.stop_at_eos && model.is_eos(token)) {
                result.stopped_at_eos = true;
                break;
            }
            if (static_cast<int64_t>(result.generated_ids.size()) >= options.max_new_tokens) break;
            control.check();
            start = std::chrono::steady_clock::now();
            s = (*session)->append({token});
            if (!s) fail(s.error().message);
            token = sampler.next((*session)->last_logits());
            result.decode_seconds.push_back(seconds_since(start));
        }
        if (const Tokenizer* tok = model.tokenizer()) result.text = tok->decode(result.generated_ids);
        return result;
    });
}

}  // namespace qs
