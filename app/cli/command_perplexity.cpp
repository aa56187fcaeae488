// `quantscope perplexity MODEL --text-file F [--window W]`, under the stories260K protocol
// (see core/eval/perplexity.h).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli_common.h"
#include "commands.h"
#include "eval/perplexity.h"
#include "tokenizer/tokenizer.h"

namespace qs::cli {

int command_perplexity(const Argv& argv) {
    Args args(argv, with(model_value_options(), {"text-file", "window"}), model_flag_options());
    const std::string spec = args.one_positional("MODEL");
    if (!args.has("text-file")) throw UsageError("missing --text-file FILE");
    const int64_t window = args.integer("window", 0, 2, 1 << 20);
    std::ifstream in(args.text("text-file"), std::ios::binary);
    if (!in) throw UsageError(args.text("text-file") + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (text.empty()) throw UsageError(args.text("text-file") + ": file is empty");

    auto model = load_model(args, spec, true);
    const std::vector<int32_t> ids = model->tokenizer()->encode(text);
    PerplexityResult r = unwrap(perplexity(*model, ids, window, stderr_progress()));
    if (args.flag("json")) {
        print_json({{"perplexity", r.perplexity},
                    {"tokens_scored", r.tokens_scored},
                    {"mean_nll", r.mean_nll},
                    {"windows", r.windows},
                    {"window", r.window},
                    {"text_tokens", r.text_tokens},
                    {"bos", r.bos},
                    {"method", method_name(model->info().method)},
                    {"seconds", r.seconds}});
    } else {
        std::printf("perplexity %.4f (mean NLL %.6f) over %lld tokens in %lld windows of %lld%s; %.1f s\n",
                    r.perplexity, r.mean_nll, (long long)r.tokens_scored, (long long)r.windows,
                    (long long)r.window, r.bos ? " (BOS + window-1 tokens)" : "", r.seconds);
    }
    return kExitOk;
}

}  // namespace qs::cli
