// `quantscope benchmark [MODEL] [--methods fp32,int8-dynamic,...] ...`: runs the benchmark
// engine (core/bench/benchmark.h), prints a summary table with confidence intervals and writes
// the JSON / CSV reports. Ctrl-C cancels cleanly: what was measured is still printed and written,
// marked incomplete, and the exit code is 130.
//
// --csv FILE writes the per-variant summary to FILE and the raw samples beside it, with
// "-samples" inserted before the extension (results.csv -> results-samples.csv).
// --pdf FILE: the report is drawn by quantscope-studio beside this executable (the CLI keeps Qt
// out), from the JSON result, offscreen.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bench/benchmark.h"
#include "cli_common.h"
#include "commands.h"
#include "common/atomic_output.h"

namespace qs::cli {

namespace {

constexpr const char* kDemoModel = "quantscope-stories-3m";

CancelToken* g_cancel = nullptr;

extern "C" void on_sigint(int) {
    if (g_cancel) g_cancel->cancel();  // an atomic store: async-signal-safe
}

std::string executable_path() {
    std::error_code ec;
    const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

// The demo model beside the executable: <build>/bin/../../resources/models/ in the build tree,
// <prefix>/bin/../share/quantscope/models/ when installed.
std::string default_model(const std::string& exe, std::vector<std::string>& notes) {
    if (!exe.empty()) {
        const std::filesystem::path bin = std::filesystem::path(exe).parent_path();
        for (const auto& candidate : {bin / ".." / ".." / "resources" / "models" / kDemoModel,
                                      bin / ".." / "share" / "quantscope" / "models" / kDemoModel}) {
            std::error_code ec;
            if (std::filesystem::is_directory(candidate, ec))
                return std::filesystem::weakly_canonical(candidate, ec).string();
        }
    }
    notes.push_back(std::string("the demo model ") + kDemoModel + " was not found; using synthetic:tiny");
    return "synthetic:tiny";
}

std::vector<std::string> read_prompts(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(path + ": cannot open the prompts file");
    std::vector<std::string> prompts;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) prompts.push_back(line);
    }
    if (prompts.empty()) throw UsageError(path + ": the prompts file has no non-empty line");
    return prompts;
}

std::vector<QuantOptions> methods(const Args& args) {
    std::vector<QuantOptions> out;
    const int group = static_cast<int>(args.integer("group-size", 32, 1, 1 << 20));
    for (const std::string& name : args.has("methods") ? args.list("methods")
                                                       : std::vector<std::string>{"fp32", "int8-dynamic",
                                                                                  "int8-weight-only", "int4"}) {
        const auto m = parse_method(name);
        if (!m) {
            std::string known;
            for (Method k : all_methods()) known += (known.empty() ? "" : ", ") + method_name(k);
            throw UsageError("unknown method \"" + name + "\" in --methods (one of: " + known + ")");
        }
        QuantOptions q;
        q.method = *m;
        q.group_size = group;
        q.quantize_embeddings = !args.flag("fp32-embeddings");
        if (std::string problem = validate(q); !problem.empty()) throw UsageError(problem);
        out.push_back(q);
    }
    return out;
}

std::string samples_path(const std::string& csv) {
    const std::filesystem::path p(csv);
    return (p.parent_path() / (p.stem().string() + "-samples" + p.extension().string())).string();
}

// ---- the summary table ------------------------------------------------------------------

std::string fmt(const char* format, double v) {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof(buf), format, v);
    return buf;
}

std::string mib(int64_t bytes) { return bytes < 0 ? "n/a" : fmt("%.1f MiB", double(bytes) / (1 << 20)); }

std::string with_ci(const char* format, double v, const bench::Interval& ci) {
    std::string s = fmt(format, v);
    if (std::isfinite(ci.lo) && std::isfinite(ci.hi))
        s += " [" + fmt(format, ci.lo) + ", " + fmt(format, ci.hi) + "]";
    return s;
}

void print_summary(const bench::BenchmarkResult& r) {
    const bench::SystemInfo& sys = r.system;
    std::printf("\nModel %s — %d threads, %s kernels, read bandwidth %s GB/s (median of %d samples "
                "between the speed runs)\n",
                r.settings.model.c_str(), sys.threads, sys.kernel_isa.c_str(),
                fmt("%.1f", r.read_bandwidth_gbps).c_str(), int(r.read_bandwidth_samples_gbps.size()));
    std::printf("CPU %s; %d prompts x %d runs (+%d warmup), %d new tokens each; evaluation: %s\n",
                sys.cpu_model.c_str(),
                int(r.settings.prompts.size()),
                r.settings.runs, r.settings.warmup, r.settings.max_new_tokens,
                r.eval_text_source.empty() ? "none" : r.eval_text_source.c_str());
    std::printf("Each timed run follows an untimed re-warm (~200 ms) of its own variant. Intervals are "
                "bootstrap 95%% CIs; speedups are fp32/variant (> 1 is faster).\n");
    std::printf("Decode t/s, decode speedup and BW eff use the median token time (the mean is in the "
                "JSON: host stalls inflate it).\n\n");

    std::printf("%-17s %-11s %-11s %-27s %-27s %-11s %-22s %-22s %-7s %-9s %-8s %-9s %-8s %s\n", "method",
                "weights", "peak RSS", "latency P50 ms", "latency P95 ms", "decode t/s", "decode speedup",
                "latency speedup", "memory", "ppl", "top-1", "KL mean", "BW eff", "task");
    for (const bench::VariantResult& v : r.variants) {
        if (v.status == "failed") {
            std::printf("%-17s failed: %s\n", v.method.c_str(), v.error.c_str());
            continue;
        }
        const bench::Accuracy& a = v.accuracy;
        std::printf("%-17s %-11s %-11s %-27s %-27s %-11s %-22s %-22s %-7s %-9s %-8s %-9s %-8s %s%s\n",
                    v.method.c_str(), mib(v.weight_bytes).c_str(), mib(v.peak_rss_bytes).c_str(),
                    with_ci("%.2f", v.latency.p50, v.latency.p50_ci).c_str(),
                    with_ci("%.2f", v.latency.p95, v.latency.p95_ci).c_str(),
                    fmt("%.1f", v.decode_tokens_per_s).c_str(),
                    with_ci("%.2fx", v.decode_speedup.value, v.decode_speedup.ci).c_str(),
                    with_ci("%.2fx", v.latency_speedup.value, v.latency_speedup.ci).c_str(),
                    fmt("%.2fx", v.memory_ratio.value).c_str(), fmt("%.3f", a.perplexity).c_str(),
                    fmt("%.1f%%", a.top1_agreement * 100).c_str(), fmt("%.3g", a.kl_mean).c_str(),
                    fmt("%.0f%%", v.decode_bandwidth_efficiency * 100).c_str(),
                    fmt("%.1f%%", a.task_accuracy * 100).c_str(),
                    v.status == "ok" ? "" : ("  (" + v.status + ")").c_str());
    }
    for (const bench::VariantResult& v : r.variants) {
        if (v.accuracy.greedy_agreement.empty() || &v == &r.variants.front()) continue;
        std::string g;
        for (int n : v.accuracy.greedy_agreement) g += (g.empty() ? "" : ", ") + std::to_string(n);
        std::printf("greedy agreement with fp32, %s: %s of %d tokens per prompt\n", v.method.c_str(), g.c_str(),
                    r.settings.max_new_tokens);
    }
    for (const std::string& n : r.notes) std::printf("note: %s\n", n.c_str());
    std::printf("%s in %.1f s\n", r.complete ? "complete" : "INCOMPLETE (cancelled)", r.seconds);
}

std::string studio_beside(const std::string& exe) {
    const std::string studio = (std::filesystem::path(exe).parent_path() / "quantscope-studio").string();
    if (exe.empty() || access(studio.c_str(), X_OK) != 0)
        throw UsageError("--pdf needs quantscope-studio next to quantscope (build with -DQS_BUILD_UI=ON)");
    return studio;
}

// Runs `studio --export-pdf pdf json_path` with the offscreen platform unless one is set.
void render_pdf(const std::string& studio, const std::string& json_text, const std::string& pdf) {
    char json_path[] = "/tmp/quantscope-result-XXXXXX";
    const int fd = mkstemp(json_path);
    if (fd < 0) throw CommandError(Error{"--pdf: cannot create a temporary file"});
    close(fd);
    write_file_atomically(json_path, json_text);
    const pid_t pid = fork();
    if (pid == 0) {
        setenv("QT_QPA_PLATFORM", "offscreen", 0);
        execl(studio.c_str(), studio.c_str(), "--export-pdf", pdf.c_str(), json_path, static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    std::remove(json_path);
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw CommandError(Error{"--pdf: quantscope-studio could not write " + pdf});
}

}  // namespace

int command_benchmark(const Argv& argv) {
    Args args(argv,
              {"methods", "group-size", "prompts", "eval-text", "task", "task-template", "task-rows",
               "max-new-tokens", "runs", "warmup", "threads", "eval-tokens", "seed", "json", "csv", "pdf", "tokenizer"},
              {"no-memory", "fp32-embeddings"});
    if (args.positional().size() > 1) throw UsageError("give at most one MODEL");
    bench::BenchmarkSettings s;
    std::vector<std::string> notes;
    const std::string exe = executable_path();
    s.model = args.positional().empty() ? default_model(exe, notes) : args.positional()[0];
    s.tokenizer = args.text("tokenizer");
    s.methods = methods(args);
    if (args.has("prompts")) s.prompts = read_prompts(args.text("prompts"));
    s.eval_text_path = args.text("eval-text");
    s.task_path = args.text("task");
    if (args.has("task-template")) s.task_template = args.text("task-template");
    s.task_rows = static_cast<int>(args.integer("task-rows", 200, 0, 1 << 30));
    s.max_new_tokens = static_cast<int>(args.integer("max-new-tokens", 20, 1, 1 << 20));
    s.runs = static_cast<int>(args.integer("runs", 5, 1, 100000));
    s.warmup = static_cast<int>(args.integer("warmup", 1, 0, 100000));
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    s.threads = static_cast<int>(args.integer("threads", cores, 1, 1024));
    s.eval_tokens = static_cast<int>(args.integer("eval-tokens", 4096, 0, 1 << 30));
    s.seed = static_cast<uint64_t>(args.integer("seed", 1234, 0, INT64_MAX));
    s.measure_memory = !args.flag("no-memory");
    s.probe_executable = exe;
    const std::string studio = args.has("pdf") ? studio_beside(exe) : std::string();
    for (const std::string* path : {&s.eval_text_path, &s.task_path})
        if (!path->empty() && access(path->c_str(), R_OK) != 0) throw UsageError(*path + ": cannot read the file");

    CancelToken cancel;
    g_cancel = &cancel;
    std::signal(SIGINT, on_sigint);
    Control control = stderr_progress();
    control.cancel = &cancel;
    auto result = bench::run_benchmark(s, control);
    std::signal(SIGINT, SIG_DFL);
    g_cancel = nullptr;
    bench::BenchmarkResult r = unwrap(std::move(result));
    r.notes.insert(r.notes.begin(), notes.begin(), notes.end());

    print_summary(r);
    try {
        if (args.has("json")) write_file_atomically(args.text("json"), bench::result_to_json(r));
        if (args.has("csv")) {
            write_file_atomically(args.text("csv"), bench::summary_csv(r));
            write_file_atomically(samples_path(args.text("csv")), bench::samples_csv(r));
        }
        if (args.has("pdf")) render_pdf(studio, bench::result_to_json(r), args.text("pdf"));
    } catch (const Failure& e) {
        throw CommandError(Error{e.what()});
    }
    return r.complete ? kExitOk : kExitCancelled;
}

}  // namespace qs::cli
