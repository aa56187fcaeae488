// `quantscope logits MODEL --ids 1,2,3 [--positions 0,2|all]`: one row of vocab_size logits per
// requested position (default: all), all from one forward pass over the whole sequence.
#include <iostream>
#include <numeric>

#include "cli_common.h"
#include "commands.h"

namespace qs::cli {

int command_logits(const Argv& argv) {
    Args args(argv, with(model_value_options(), {"ids", "positions"}), model_flag_options());
    const std::string spec = args.one_positional("MODEL");
    if (!args.has("ids")) throw UsageError("missing --ids 1,2,3");
    const std::vector<int64_t> raw_ids = args.integers("ids");
    if (raw_ids.empty()) throw UsageError("--ids is empty");
    std::vector<int64_t> positions;
    const std::string pos_text = args.text("positions", "all");
    if (pos_text == "all") {
        positions.resize(raw_ids.size());
        std::iota(positions.begin(), positions.end(), 0);
    } else {
        positions = args.integers("positions");
        if (positions.empty()) throw UsageError("--positions is empty");
    }
    auto model = load_model(args, spec, false);
    std::vector<int32_t> ids;
    for (int64_t id : raw_ids) {
        if (id < 0 || id >= model->config().vocab_size)
            throw UsageError("--ids: id " + std::to_string(id) + " is outside the vocabulary (0.." +
                             std::to_string(model->config().vocab_size - 1) + ")");
        ids.push_back(static_cast<int32_t>(id));
    }
    for (int64_t p : positions)
        if (p < 0 || p >= static_cast<int64_t>(ids.size()))
            throw UsageError("--positions: " + std::to_string(p) + " is outside 0.." + std::to_string(ids.size() - 1));

    // Written by hand rather than through a json tree: rows can hold millions of floats, and
    // the shortest round-trip text keeps them exact.
    const int64_t vocab = model->config().vocab_size;
    std::string out = "{\"positions\": [";
    for (size_t i = 0; i < positions.size(); ++i) out += (i ? ", " : "") + std::to_string(positions[i]);
    out += "], \"method\": \"" + method_name(model->info().method) + "\", \"logits\": [";
    bool first_row = true;
    unwrap(model->forward(ids, positions, [&](int64_t, const float* logits) {
        out += first_row ? "\n  [" : ",\n  [";
        first_row = false;
        for (int64_t v = 0; v < vocab; ++v) {
            if (v) out += ", ";
            out += float_text(logits[v]);
        }
        out += "]";
    }));
    out += "\n]}\n";
    std::cout << out;
    return kExitOk;
}

}  // namespace qs::cli
