// `quantscope generate MODEL [--prompt TEXT | --prompt-ids 1,2,3] [--max-new-tokens N]
// [--temperature T] [--top-p P] [--seed S]`. An empty prompt on a model with BOS means [BOS].
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "model/generate.h"
#include "tokenizer/tokenizer.h"

namespace qs::cli {

namespace {

std::vector<int32_t> prompt_ids(const Args& args, const Model& model) {
    if (args.has("prompt") && args.has("prompt-ids"))
        throw UsageError("give either --prompt or --prompt-ids, not both");
    std::vector<int32_t> ids;
    if (args.has("prompt-ids")) {
        for (int64_t id : args.integers("prompt-ids")) {
            if (id < 0 || id >= model.config().vocab_size)
                throw UsageError("--prompt-ids: id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                 std::to_string(model.config().vocab_size - 1) + ")");
            ids.push_back(static_cast<int32_t>(id));
        }
    } else if (!args.text("prompt").empty()) {
        ids = unwrap(model.encode_prompt(args.text("prompt")));
    }
    if (ids.empty()) {
        if (!model.adds_bos())
            throw UsageError("the prompt is empty and the model has no BOS token to start from");
        ids.push_back(*model.bos_id());
    }
    return ids;
}

}  // namespace

int command_generate(const Argv& argv) {
    Args args(argv,
              with(model_value_options(), {"prompt", "prompt-ids", "max-new-tokens", "temperature", "top-p", "seed"}),
              with(model_flag_options(), {"no-stop"}));
    const std::string spec = args.one_positional("MODEL");
    GenerateOptions options;
    options.max_new_tokens = args.integer("max-new-tokens", 64, 0, 1 << 20);
    options.sampling.temperature = static_cast<float>(args.number("temperature", 0.0, 0.0, 100.0));
    options.sampling.top_p = static_cast<float>(args.number("top-p", 1.0, 0.0, 1.0));
    options.sampling.seed = static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX));
    options.stop_at_eos = !args.flag("no-stop");
    // Parse everything before the (possibly slow) load, so typos fail fast.
    if (args.has("prompt-ids")) args.integers("prompt-ids");
    auto model = load_model(args, spec, false);
    const std::vector<int32_t> input = prompt_ids(args, *model);

    const bool json = args.flag("json");
    const Tokenizer* tok = model->tokenizer();
    if (!json && tok) {
        std::printf("%s", tok->decode(input).c_str());
        std::fflush(stdout);
    }
    // Stream decoded text as it grows; a token may end mid-character, so print the new suffix.
    std::vector<int32_t> so_far;
    std::string printed;
    GenerateResult r = unwrap(generate(*model, input, options, stderr_progress(), [&](int32_t id) {
        if (json) return;
        if (!tok) {
            std::printf("%d ", id);
        } else {
            so_far.push_back(id);
            const std::string text = tok->decode(so_far);
            if (text.size() > printed.size() && text.compare(0, printed.size(), printed) == 0) {
                std::printf("%s", text.substr(printed.size()).c_str());
                printed = text;
            }
        }
        std::fflush(stdout);
    }));
    double decode_total = 0;
    for (double s : r.decode_seconds) decode_total += s;
    const double decode_tps = decode_total > 0 ? r.decode_seconds.size() / decode_total : 0.0;
    if (json) {
        print_json({{"input_ids", r.input_ids},
                    {"generated_ids", r.generated_ids},
                    {"text", r.text},
                    {"method", method_name(model->info().method)},
                    {"prefill_seconds", r.prefill_seconds},
                    {"decode_tokens_per_s", decode_tps},
                    {"stopped_at_eos", r.stopped_at_eos}});
    } else {
        std::printf("\n");
        std::fprintf(stderr, "[%s, %s] prompt %zu tokens in %.1f ms; %zu tokens at %.2f tokens/s\n",
                     model->info().spec.c_str(), method_name(model->info().method).c_str(), r.input_ids.size(),
                     r.prefill_seconds * 1e3, r.generated_ids.size(), decode_tps);
    }
    return kExitOk;
}

}  // namespace qs::cli
