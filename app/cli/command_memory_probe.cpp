// `quantscope memory-probe MODEL [--method M ...] [--prompt-tokens N] [--max-new-tokens N] --json`
// (hidden): the isolated child process in which `benchmark` measures one variant's memory. It
// loads only that variant, runs one generation and prints RSS after load, peak RSS (VmHWM) and
// the KV-cache bytes as one JSON line.
#include <cstdio>

#include "bench/memory_probe.h"
#include "cli_common.h"
#include "commands.h"

namespace qs::cli {

int command_memory_probe(const Argv& argv) {
    Args args(argv, with(model_value_options(), {"prompt-tokens", "max-new-tokens"}), model_flag_options());
    bench::ProbeRequest request;
    request.model = args.one_positional("MODEL");
    request.quant = quant_options(args);
    request.tokenizer = args.text("tokenizer");
    request.prompt_tokens = args.integer("prompt-tokens", 16, 1, 1 << 20);
    request.max_new_tokens = args.integer("max-new-tokens", 20, 0, 1 << 20);
    request.threads = apply_threads(args);
    const bench::MemoryProbe probe = unwrap(bench::probe_memory_here(request));
    if (args.flag("json")) {
        std::printf("%s\n", bench::probe_to_json(probe).c_str());
    } else {
        std::printf("RSS after load %lld bytes, peak RSS %lld bytes, KV cache %lld bytes\n",
                    (long long)probe.rss_after_load_bytes, (long long)probe.peak_rss_bytes,
                    (long long)probe.kv_cache_bytes);
    }
    return kExitOk;
}

}  // namespace qs::cli
