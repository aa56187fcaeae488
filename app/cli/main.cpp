// The `quantscope` command-line tool: a thin dispatcher over core; every measurement it prints
// comes from the same core functions the studio calls.
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "common/openblas_kernels.h"
#include "common/version.h"

namespace {

using qs::cli::Argv;

struct Command {
    int (*run)(const Argv&);
    const char* usage;
};

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table = {
        {"stats", {qs::cli::command_stats, "stats MODEL [--method M] [--json]"}},
        {"tokenize", {qs::cli::command_tokenize, "tokenize [MODEL] [--tokenizer PATH] --text TEXT [--json]"}},
        {"generate",
         {qs::cli::command_generate,
          "generate MODEL [--prompt TEXT | --prompt-ids 1,2,3] [--max-new-tokens N] [--temperature T] "
          "[--top-p P] [--seed S] [--no-stop] [--json]"}},
        {"logits", {qs::cli::command_logits, "logits MODEL --ids 1,2,3 [--positions 0,2|all] [--json]"}},
        {"perplexity", {qs::cli::command_perplexity, "perplexity MODEL --text-file F [--window W] [--json]"}},
        {"bench-kernels", {qs::cli::command_bench_kernels, "bench-kernels [--threads T] [--seconds S] [--json]"}},
        {"quantize",
         {qs::cli::command_quantize,
          "quantize MODEL --method M [--group-size G] [--fp32-embeddings] -o DIR [--force] [--json]\n"
          "  quantscope quantize DIR --stats [--json]"}},
        {"membw", {qs::cli::command_membw, "membw [MODEL] [--method M] [--tokens N] [--json]"}},
        {"benchmark",
         {qs::cli::command_benchmark,
          "benchmark [MODEL] [--methods fp32,int8-dynamic,...] [--group-size G] [--prompts FILE] [--eval-text FILE]\n"
          "      [--task FILE] [--task-template T] [--task-rows N] [--max-new-tokens N] [--runs N] [--warmup N]\n"
          "      [--threads T] [--eval-tokens N] [--seed S] [--json FILE] [--csv FILE] [--pdf FILE] [--no-memory]"}},
        {"memory-probe",
         {qs::cli::command_memory_probe,
          "memory-probe MODEL [--method M] [--prompt-tokens N] [--max-new-tokens N] [--json]  (benchmark's child)"}},
    };
    return table;
}

void print_help() {
    std::printf("quantscope %s — quantize language models and measure what it buys and costs\n\n", qs::version().c_str());
    std::printf("usage: quantscope COMMAND [options]\n\ncommands:\n");
    for (const auto& [name, c] : commands()) std::printf("  quantscope %s\n", c.usage);
    std::printf(
        "\nMODEL: a Hugging Face folder (config.json + safetensors), a llama2.c .bin, a folder written by\n"
        "`quantscope quantize`, or synthetic:tiny | synthetic:qwen2.5-0.5b | synthetic:qwen2.5-1.5b.\n"
        "Model options: --method fp32|int8-dynamic|int8-weight-only|int4|fp16|bf16 (quantize in memory),\n"
        "  --group-size 32|64|128 (int4), --fp32-embeddings, --threads T, --tokenizer PATH.\n"
        "Exit codes: 0 success, 2 bad input (one-line reason on stderr), 130 cancelled.\n");
}

}  // namespace

int main(int argc, char** argv) {
    qs::select_openblas_kernels();  // before any thread or BLAS call: it sets the environment
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        print_help();
        return argc < 2 ? qs::cli::kExitBadInput : qs::cli::kExitOk;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("quantscope %s (commit %s)\n", qs::version().c_str(), qs::git_commit().c_str());
        return qs::cli::kExitOk;
    }
    auto it = commands().find(argv[1]);
    if (it == commands().end()) {
        std::fprintf(stderr, "quantscope: unknown command \"%s\" (see quantscope --help)\n", argv[1]);
        return qs::cli::kExitBadInput;
    }
    const Argv args(argv + 2, argv + argc);
    try {
        return it->second.run(args);
    } catch (const qs::cli::UsageError& e) {
        std::fprintf(stderr, "quantscope %s: %s\nusage: quantscope %s\n", argv[1], e.what(), it->second.usage);
        return qs::cli::kExitBadInput;
    } catch (const qs::cli::CommandError& e) {
        std::fprintf(stderr, "quantscope %s: %s\n", argv[1], e.what());
        return e.cancelled ? qs::cli::kExitCancelled : qs::cli::kExitBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quantscope %s: internal error: %s\n", argv[1], e.what());
        return qs::cli::kExitInternal;
    }
}
