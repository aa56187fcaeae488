#pragma once
// Pieces every subcommand shares: the model options (--method, --group-size, --fp32-embeddings,
// --threads, --tokenizer), loading a model with progress on stderr, and JSON output.
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "cli_args.h"
#include "common/result.h"
#include "model/model.h"

namespace qs::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

// A core Error surfacing in a command: printed as one line, exit code 2 (or 130 if cancelled).
class CommandError : public std::runtime_error {
public:
    explicit CommandError(const Error& e) : std::runtime_error(e.message), cancelled(e.cancelled) {}
    bool cancelled;
};

template <class T>
T unwrap(Result<T> r) {
    if (!r) throw CommandError(r.error());
    return std::move(r).value();
}
inline void unwrap(const Status& s) {
    if (!s) throw CommandError(s.error());
}

// Options understood by every command that loads a model.
const std::set<std::string>& model_value_options();
const std::set<std::string>& model_flag_options();
std::set<std::string> with(std::set<std::string> base, std::initializer_list<std::string> more);

QuantOptions quant_options(const Args& args);
// Applies --threads (default: every core) to every thread pool; returns the count.
int apply_threads(const Args& args);
std::shared_ptr<Model> load_model(const Args& args, const std::string& spec, bool require_tokenizer);

// Progress lines on stderr ("\r"-updated when stderr is a terminal, else one line per stage).
Control stderr_progress();

void print_json(const nlohmann::json& j);
// Shortest text that reads back as the same float (keeps logits output exact and compact).
std::string float_text(float v);

}  // namespace qs::cli
