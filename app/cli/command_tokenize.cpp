// `quantscope tokenize --tokenizer PATH --text TEXT`: ids without BOS/EOS.
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "tokenizer/tokenizer.h"

namespace qs::cli {

int command_tokenize(const Argv& argv) {
    Args args(argv, {"tokenizer", "text"}, {"json"});
    if (!args.positional().empty()) throw UsageError("unexpected argument \"" + args.positional()[0] + "\"");
    if (!args.has("tokenizer")) throw UsageError("missing --tokenizer PATH");
    if (!args.has("text")) throw UsageError("missing --text TEXT");
    auto tokenizer = unwrap(load_tokenizer(args.text("tokenizer")));
    const std::vector<int32_t> ids = tokenizer->encode(args.text("text"));
    if (args.flag("json")) {
        nlohmann::json pieces = nlohmann::json::array();
        for (int32_t id : ids) pieces.push_back(tokenizer->piece(id));
        print_json({{"ids", ids}, {"pieces", pieces}});
    } else {
        for (size_t i = 0; i < ids.size(); ++i)
            std::printf("%d\t%s\n", ids[i], tokenizer->piece(ids[i]).c_str());
    }
    return kExitOk;
}

}  // namespace qs::cli
