#include "cli_common.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <thread>

#include "common/parallel.h"

namespace qs::cli {

const std::set<std::string>& model_value_options() {
    static const std::set<std::string> v = {"method", "group-size", "threads", "tokenizer"};
    return v;
}

const std::set<std::string>& model_flag_options() {
    static const std::set<std::string> f = {"fp32-embeddings", "json"};
    return f;
}

std::set<std::string> with(std::set<std::string> base, std::initializer_list<std::string> more) {
    base.insert(more.begin(), more.end());
    return base;
}

QuantOptions quant_options(const Args& args) {
    QuantOptions q;
    const std::string name = args.text("method", "fp32");
    const auto method = parse_method(name);
    if (!method) {
        std::string known;
        for (Method m : all_methods()) known += (known.empty() ? "" : ", ") + method_name(m);
        throw UsageError("unknown --method \"" + name + "\" (one of: " + known + ")");
    }
    q.method = *method;
    q.group_size = static_cast<int>(args.integer("group-size", 32, 1, 1 << 20));
    if (args.has("group-size") && q.method != Method::int4)
        throw UsageError("--group-size applies to --method int4 only");
    q.quantize_embeddings = !args.flag("fp32-embeddings");
    if (std::string problem = validate(q); !problem.empty()) throw UsageError(problem);
    return q;
}

int apply_threads(const Args& args) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = static_cast<int>(args.integer("threads", cores, 1, 1024));
    set_num_threads(threads);
    return threads;
}

Control stderr_progress() {
    Control control;
    const bool tty = isatty(STDERR_FILENO);
    control.progress = [tty, last = std::string()](const Progress& p) mutable {
        if (tty) {
            std::fprintf(stderr, "\r\033[K%s", p.stage.c_str());
            if (p.done >= p.total) std::fputc('\n', stderr);
        } else if (p.stage != last && (p.done == 0 || p.done >= p.total)) {
            std::fprintf(stderr, "%s\n", p.stage.c_str());
        }
        last = p.stage;
        std::fflush(stderr);
    };
    return control;
}

std::shared_ptr<Model> load_model(const Args& args, const std::string& spec, bool require_tokenizer) {
    apply_threads(args);
    LoadOptions options;
    options.quant = quant_options(args);
    options.tokenizer = args.text("tokenizer");
    options.require_tokenizer = require_tokenizer;
    return unwrap(Model::load(spec, options, stderr_progress()));
}

// Decoded text may hold partial UTF-8 sequences; replace them instead of failing.
void print_json(const nlohmann::json& j) {
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

std::string float_text(float v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return ec == std::errc() ? std::string(buf, end) : "nan";
}

}  // namespace qs::cli
