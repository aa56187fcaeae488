// `quantscope tokenize [MODEL] [--tokenizer PATH] --text TEXT [--json]`: ids without BOS/EOS,
// with their vocabulary pieces. The tokenizer is --tokenizer when given, else the one found
// beside MODEL (the same rule the model loader uses).
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "formats/model_locator.h"
#include "tokenizer/tokenizer.h"

namespace qs::cli {

namespace {

// Only the locator runs (no weights are read): it knows where each kind of model keeps its
// tokenizer.
std::string tokenizer_beside(const std::string& spec) {
    const LocatedModel located = unwrap(guarded([&] { return locate_model(spec); }));
    if (located.tokenizer_path.empty())
        throw CommandError(Error{spec + ": no tokenizer found beside the model (pass --tokenizer PATH)"});
    return located.tokenizer_path;
}

}  // namespace

int command_tokenize(const Argv& argv) {
    Args args(argv, {"tokenizer", "text"}, {"json"});
    if (args.positional().size() > 1) throw UsageError("unexpected argument \"" + args.positional()[1] + "\"");
    if (!args.has("tokenizer") && args.positional().empty()) throw UsageError("missing MODEL or --tokenizer PATH");
    if (!args.has("text")) throw UsageError("missing --text TEXT");
    const std::string path = args.has("tokenizer") ? args.text("tokenizer") : tokenizer_beside(args.positional()[0]);
    auto tokenizer = unwrap(load_tokenizer(path));
    const std::vector<int32_t> ids = tokenizer->encode(args.text("text"));
    if (args.flag("json")) {
        nlohmann::json pieces = nlohmann::json::array();
        for (int32_t id : ids) pieces.push_back(tokenizer->piece(id));
        print_json({{"ids", ids}, {"pieces", pieces}});
    } else {
        for (size_t i = 0; i < ids.size(); ++i) std::printf("%d\t%s\n", ids[i], tokenizer->piece(ids[i]).c_str());
    }
    return kExitOk;
}

}  // namespace qs::cli
