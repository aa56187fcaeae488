#pragma once
// One function per subcommand; argv holds the arguments after the subcommand name.
#include <string>
#include <vector>

namespace qs::cli {

using Argv = std::vector<std::string>;

int command_stats(const Argv& argv);
int command_tokenize(const Argv& argv);
int command_generate(const Argv& argv);
int command_logits(const Argv& argv);
int command_perplexity(const Argv& argv);
int command_bench_kernels(const Argv& argv);
int command_membw(const Argv& argv);
int command_benchmark(const Argv& argv);
int command_memory_probe(const Argv& argv);
int command_quantize(const Argv& argv);

}  // namespace qs::cli
