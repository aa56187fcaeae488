// Accuracy: every variant against fp32 on the same evaluation tokens (perplexity, top-1
// agreement, KL, worst positions), greedy agreement from the speed runs' greedy tokens, and
// task accuracy when a task file is given (or the model folder has task.jsonl).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/engine.h"
#include "eval/agreement.h"
#include "eval/sampled_text.h"
#include "eval/task.h"
#include "tokenizer/tokenizer.h"

namespace qs::bench {

namespace {

constexpr int kWorstPositions = 20;
constexpr int64_t kDefaultSampledTokens = 1024;

std::string token_text(const Model& model, const std::vector<int32_t>& ids) {
    if (const Tokenizer* tok = model.tokenizer()) return tok->decode(ids);
    std::string out;
    for (int32_t id : ids) out += (out.empty() ? "#" : " #") + std::to_string(id);
    return out;
}

// The evaluation tokens: the user's text file, else text sampled from fp32.
Status prepare_eval_tokens(RunState& state) {
    const BenchmarkSettings& s = state.settings;
    const Model& fp32 = *state.models[0];
    if (!s.eval_text_path.empty()) {
        if (!fp32.tokenizer()) return Error{s.eval_text_path + ": the model has no tokenizer to read it"};
        std::ifstream in(s.eval_text_path, std::ios::binary);
        if (!in) return Error{s.eval_text_path + ": cannot open"};
        std::stringstream ss;
        ss << in.rdbuf();
        state.eval_tokens = fp32.tokenizer()->encode(ss.str());
        state.result.eval_text_source = s.eval_text_path;
        if (s.eval_tokens > 0 && int64_t(state.eval_tokens.size()) > s.eval_tokens) {
            state.eval_tokens.resize(size_t(s.eval_tokens));
            state.result.eval_text_source += " (first " + std::to_string(s.eval_tokens) + " tokens)";
        }
        return {};
    }
    const int64_t n = s.eval_tokens > 0 ? s.eval_tokens : kDefaultSampledTokens;
    auto ids = sample_eval_tokens(fp32, n, s.seed, state.control);
    if (!ids) return ids.error();
    state.eval_tokens = std::move(ids).value();
    state.result.eval_text_source = "sampled from fp32, seed " + std::to_string(s.seed) + ", " +
                                    std::to_string(n) + " tokens";
    return {};
}

void measure_agreement(RunState& state) {
    BenchmarkResult& r = state.result;
    const Model& fp32 = *state.models[0];
    auto windows = make_windows(fp32, state.eval_tokens, 0);
    if (!windows) {
        r.notes.push_back("accuracy not measured: " + windows.error().message);
        return;
    }
    std::vector<const Model*> candidates;
    std::vector<size_t> index;
    for (size_t i = 1; i < r.variants.size(); ++i)
        if (state.usable(i)) {
            candidates.push_back(state.models[i].get());
            index.push_back(i);
        }
    auto agreement = compare_to_reference(fp32, candidates, *windows, kWorstPositions, state.control);
    if (!agreement) {
        if (!agreement.error().cancelled) r.notes.push_back("accuracy not measured: " + agreement.error().message);
        return;
    }
    for (size_t k = 0; k < agreement->size(); ++k) {
        const size_t v = k == 0 ? 0 : index[k - 1];
        const ModelAgreement& a = (*agreement)[k];
        Accuracy& acc = r.variants[v].accuracy;
        if (!a.ok) {
            state.fail_variant(v, "evaluation failed: " + a.error);
            continue;
        }
        acc.perplexity = a.perplexity;
        acc.tokens_scored = a.tokens_scored;
        acc.top1_agreement = a.top1_agreement;
        acc.kl_mean = a.kl_mean;
        acc.kl_p99 = a.kl_p99;
        acc.worst.clear();
        for (const Disagreement& d : a.worst)
            acc.worst.push_back({d.text_index, token_text(fp32, d.context), token_text(fp32, {d.target}),
                                 token_text(fp32, {d.reference_top}), token_text(fp32, {d.candidate_top}),
                                 d.kl});
    }
    state.publish();
}

// Tokens each variant generated greedily before its first difference from fp32, per prompt.
void greedy_agreement(RunState& state) {
    const auto& ref = state.greedy_tokens[0];
    for (size_t v = 0; v < state.result.variants.size(); ++v) {
        if (!state.usable(v)) continue;
        std::vector<int>& out = state.result.variants[v].accuracy.greedy_agreement;
        out.clear();
        for (size_t p = 0; p < ref.size(); ++p) {
            const auto& mine = state.greedy_tokens[v][p];
            if (ref[p].empty() || mine.empty()) break;  // cancelled before this prompt ran
            size_t same = 0;
            while (same < ref[p].size() && same < mine.size() && ref[p][same] == mine[same]) ++same;
            out.push_back(int(same));
        }
    }
}

std::string task_file(const RunState& state) {
    if (!state.settings.task_path.empty()) return state.settings.task_path;
    const std::string folder = state.models[0]->info().path;
    if (folder.empty() || !std::filesystem::is_directory(folder)) return {};
    const std::string beside = folder + "/task.jsonl";
    return std::filesystem::exists(beside) ? beside : std::string();
}

void measure_task(RunState& state) {
    BenchmarkResult& r = state.result;
    const std::string path = task_file(state);
    if (path.empty()) return;
    if (!state.models[0]->tokenizer()) {
        r.notes.push_back("task accuracy not measured: the model has no tokenizer");
        return;
    }
    auto rows = load_task(path, state.settings.task_template, state.settings.task_rows);
    if (!rows) {
        r.notes.push_back("task accuracy not measured: " + rows.error().message);
        return;
    }
    if (state.settings.task_path.empty()) r.notes.push_back("task: " + path + " (beside the model)");
    const auto phase_start = std::chrono::steady_clock::now();
    for (size_t v = 0; v < r.variants.size(); ++v) {
        if (state.control.cancelled()) return;
        if (!state.usable(v)) continue;
        state.report("Task accuracy: " + r.variants[v].method + " (" + std::to_string(rows->size()) + " rows)",
                     int64_t(v), int64_t(r.variants.size()), phase_start);
        Control cancel_only;
        cancel_only.cancel = state.control.cancel;
        auto acc = task_accuracy(*state.models[v], *rows, cancel_only);
        if (!acc) {
            if (acc.error().cancelled) return;
            r.notes.push_back(r.variants[v].method + ": task accuracy failed: " + acc.error().message);
            continue;
        }
        r.variants[v].accuracy.task_accuracy = *acc;
        r.variants[v].accuracy.task_rows = int64_t(rows->size());
        state.publish();
    }
}

}  // namespace

void run_accuracy_phase(RunState& state) {
    if (!state.greedy_tokens.empty()) greedy_agreement(state);
    if (state.control.cancelled()) return;
    if (Status s = prepare_eval_tokens(state); !s) {
        if (!s.error().cancelled) state.result.notes.push_back("accuracy not measured: " + s.error().message);
        return;
    }
    measure_agreement(state);
    if (state.control.cancelled()) return;
    measure_task(state);
}

}  // namespace qs::bench
