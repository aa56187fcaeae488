// Trains the built-in demo model end to end: story corpus -> SentencePiece tokenizer -> Llama
// decoder -> Hugging Face folder with eval.txt, task.jsonl and training.json. Every flag has a
// default, and the defaults are the settings of the shipped model (see README.md).
//
//   train_demo_model --out=resources/models/quantscope-stories-3m [--flag=value ...]
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/stat.h>

#include "common/atomic_output.h"
#include "common/parallel.h"
#include "common/result.h"
#include "evaluation.h"
#include "hf_export.h"
#include "llama_model.h"
#include "sampling.h"
#include "story_generator.h"
#include "story_task.h"
#include "token_stream.h"
#include "tokenizer/sentencepiece_trainer.h"
#include "tokenizer/tokenizer.h"

namespace {

using Clock = std::chrono::steady_clock;
using ordered_json = nlohmann::ordered_json;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// --name=value flags over defaults; an unknown name is an error so a typo cannot silently
// train something else than what the command line says.
class Flags {
public:
    Flags(int argc, char** argv) {
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            const size_t eq = arg.find('=');
            if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
                qs::fail("expected --name=value, got " + arg);
            given_[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
        }
    }
    std::string str(const std::string& name, const std::string& fallback) {
        used_.push_back(name);
        const auto it = given_.find(name);
        return it == given_.end() ? fallback : it->second;
    }
    int64_t integer(const std::string& name, int64_t fallback) {
        return std::stoll(str(name, std::to_string(fallback)));
    }
    double real(const std::string& name, double fallback) {
        std::ostringstream s;
        s << fallback;
        return std::stod(str(name, s.str()));
    }
    void check_all_known() const {
        for (const auto& [name, value] : given_)
            if (std::find(used_.begin(), used_.end(), name) == used_.end())
                qs::fail("unknown flag --" + name);
    }

private:
    std::map<std::string, std::string> given_;
    std::vector<std::string> used_;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) qs::fail(path + ": cannot read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Peak lr after a linear warmup, then a cosine down to min_lr at the last step.
double learning_rate(int64_t step, int64_t steps, int64_t warmup, double peak, double min_lr) {
    if (step < warmup) return peak * double(step + 1) / double(warmup);
    const double progress = double(step - warmup) / double(std::max<int64_t>(1, steps - warmup));
    return min_lr + 0.5 * (peak - min_lr) * (1.0 + std::cos(M_PI * progress));
}

void run(int argc, char** argv) {
    const Clock::time_point start = Clock::now();
    Flags flags(argc, argv);
    const std::string out = flags.str("out", "");
    const std::string work = flags.str("work", "/tmp/quantscope-demo-work");
    const int64_t threads = flags.integer("threads", 2);
    const uint64_t corpus_seed = flags.integer("corpus-seed", 1001);
    const int64_t corpus_stories = flags.integer("corpus-stories", 20000);
    const int64_t tokenizer_stories = flags.integer("tokenizer-stories", 6000);
    const uint64_t eval_seed = flags.integer("eval-seed", 2002);
    const int64_t eval_stories = flags.integer("eval-stories", 60);
    const uint64_t task_seed = flags.integer("task-seed", 3003);
    const int64_t task_rows = flags.integer("task-rows", 200);
    const uint64_t init_seed = flags.integer("init-seed", 4004);
    const uint64_t data_seed = flags.integer("data-seed", 5005);
    const uint64_t sample_seed = flags.integer("sample-seed", 6006);
    demo::LlamaShape shape;
    shape.vocab_size = flags.integer("vocab", 1024);
    shape.hidden_size = flags.integer("hidden", 192);
    shape.intermediate_size = flags.integer("intermediate", 512);
    shape.num_layers = flags.integer("layers", 4);
    shape.num_heads = flags.integer("heads", 4);
    shape.num_kv_heads = flags.integer("kv-heads", 2);
    shape.max_positions = flags.integer("window", 256);
    const int64_t batch = flags.integer("batch", 6);
    int64_t steps = flags.integer("steps", 600);
    const int64_t warmup = flags.integer("warmup", 30);
    // A wall-time budget instead of --steps: the step count is fixed when warmup ends, from
    // the warmup's speed. The warmup's learning rates do not depend on the step count, so
    // --steps=N with the N recorded in training.json repeats the run exactly.
    const double minutes = flags.real("minutes", 0);
    const double peak_lr = flags.real("lr", 2e-3);
    const double min_lr = flags.real("min-lr", 2e-4);
    const double weight_decay = flags.real("weight-decay", 0.1);
    const double grad_clip = flags.real("grad-clip", 1.0);
    const double story_start_share = flags.real("story-start-share", 0.25);
    flags.check_all_known();
    if (out.empty()) qs::fail("--out=FOLDER is required");
    const int64_t window = shape.max_positions;

    qs::set_num_threads(int(threads));
    ::mkdir(work.c_str(), 0755);
    ::mkdir(out.c_str(), 0755);
    ordered_json record;
    std::string command = "train_demo_model";
    for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
    record["command"] = command;
    record["seeds"] = {{"corpus", corpus_seed}, {"eval", eval_seed},   {"task", task_seed},
                       {"init", init_seed},     {"data_order", data_seed}, {"samples", sample_seed}};
    ordered_json wall;

    // 1. Text: the training corpus stays in the work folder (regenerable); eval and task ship.
    Clock::time_point phase = Clock::now();
    const std::string corpus = demo::generate_stories(corpus_seed, corpus_stories);
    const std::string eval_text = demo::generate_stories(eval_seed, eval_stories);
    const std::string task = demo::make_task_jsonl(task_seed, task_rows);
    qs::write_file_atomically(work + "/tokenizer_corpus.txt",
                              demo::generate_stories(corpus_seed, tokenizer_stories));
    qs::write_file_atomically(out + "/eval.txt", eval_text);
    qs::write_file_atomically(out + "/task.jsonl", task);
    wall["corpus"] = seconds_since(phase);

    // 2. Tokenizer: Llama-style BPE with byte fallback. No dummy prefix, so a story's first
    // word is the same token at the start of a text and after a blank line.
    phase = Clock::now();
    const std::string spm_flags =
        "--input=" + work + "/tokenizer_corpus.txt --model_prefix=" + work +
        "/tokenizer --vocab_size=" + std::to_string(shape.vocab_size) +
        " --model_type=bpe --character_coverage=1.0 --byte_fallback=true --split_digits=true"
        " --normalization_rule_name=identity --remove_extra_whitespaces=false"
        " --add_dummy_prefix=false --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1"
        " --max_sentence_length=16384 --num_threads=" + std::to_string(threads);
    const qs::Status trained = qs::train_sentencepiece(spm_flags);
    if (!trained) qs::fail(trained.error().message);
    qs::write_file_atomically(out + "/tokenizer.model", read_file(work + "/tokenizer.model"));
    demo::write_tokenizer_config(out + "/tokenizer_config.json", window);
    auto loaded = qs::load_tokenizer(out);
    if (!loaded) qs::fail(loaded.error().message);
    const qs::Tokenizer& tokenizer = **loaded;
    wall["tokenizer"] = seconds_since(phase);

    phase = Clock::now();
    const demo::TokenStream stream(tokenizer, corpus);
    wall["tokenize_corpus"] = seconds_since(phase);
    record["corpus"] = {{"stories", corpus_stories}, {"bytes", corpus.size()},
                        {"tokens", stream.size()}, {"story_starts_found", stream.stories()},
                        {"file", work + "/tokenizer_corpus.txt holds the first " +
                                     std::to_string(tokenizer_stories) +
                                     " stories, the tokenizer's input; the full corpus is kept "
                                     "in memory only"}};
    record["tokenizer"] = {{"type", "sentencepiece bpe"},
                           {"vocab_size", tokenizer.vocab_size()},
                           {"trained_on_stories", tokenizer_stories},
                           {"flags", spm_flags}};
    std::printf("corpus: %zu stories, %zu bytes, %zu tokens\n", size_t(corpus_stories),
                corpus.size(), stream.size());

    // 3. Model and optimizer. Norm gains are not decayed (decay would pull them to zero).
    demo::Llama model(shape);
    model->init_weights(init_seed);
    std::vector<torch::Tensor> decayed, plain;
    for (const auto& p : model->parameters()) (p.dim() >= 2 ? decayed : plain).push_back(p);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decayed, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(peak_lr)
                                         .betas({0.9, 0.95})
                                         .weight_decay(weight_decay)));
    groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(peak_lr).betas({0.9, 0.95}).weight_decay(0)));
    torch::optim::AdamW optimizer(std::move(groups));
    std::printf("model: %lld parameters\n", static_cast<long long>(model->parameter_count()));

    // 4. Training.
    phase = Clock::now();
    demo::Rng data_rng(data_seed);
    ordered_json curve = ordered_json::array();
    std::vector<double> losses;  // one per step
    // Mean loss of the last (up to) 50 steps: the curve's points and the final train loss.
    const auto recent_mean = [&losses] {
        const size_t n = std::min<size_t>(50, losses.size());
        double sum = 0;
        for (size_t i = losses.size() - n; i < losses.size(); ++i) sum += losses[i];
        return n ? sum / double(n) : 0.0;
    };
    model->train();
    for (int64_t step = 0; step < steps; ++step) {
        if (minutes > 0 && step == warmup) {
            const double per_step = seconds_since(phase) / double(warmup);
            steps = warmup + std::max<int64_t>(
                                 1, int64_t((minutes * 60 - seconds_since(start)) / per_step));
            std::printf("budget of %.0f min: %.1f s per step, training for %lld steps\n",
                        minutes, per_step, static_cast<long long>(steps));
        }
        const double lr = learning_rate(step, steps, warmup, peak_lr, min_lr);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        const demo::Batch b = stream.sample(data_rng, batch, window, *tokenizer.bos_id(),
                                            story_start_share);
        optimizer.zero_grad();
        const torch::Tensor logits = model->forward(b.inputs);
        const torch::Tensor loss = torch::nn::functional::cross_entropy(
            logits.view({-1, shape.vocab_size}), b.targets.view({-1}));
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), grad_clip);
        optimizer.step();
        losses.push_back(loss.item<double>());
        // Progress every 10 steps, with process CPU time: on a shared machine the wall time
        // alone does not tell a slow configuration from a busy machine.
        if ((step + 1) % 10 == 0) {
            const double t = seconds_since(phase);
            std::printf("step %5lld  loss %.4f  lr %.2e  %.0f s wall  %.0f s cpu  %.0f tok/s\n",
                        static_cast<long long>(step + 1), losses.back(), lr, t,
                        double(std::clock()) / CLOCKS_PER_SEC,
                        double((step + 1) * batch * window) / t);
        }
        if ((step + 1) % 50 == 0) curve.push_back({step + 1, recent_mean()});
    }
    wall["training"] = seconds_since(phase);
    const double final_loss = recent_mean();

    // 5. The weights as saved (BF16), then everything measured on exactly those.
    phase = Clock::now();
    demo::round_weights_to_bf16(model);
    demo::write_hf_config(out + "/config.json", shape, *tokenizer.bos_id(), *tokenizer.eos_id());
    demo::write_bf16_safetensors(out + "/model.safetensors", model);
    const demo::Perplexity ppl = demo::heldout_perplexity(model, tokenizer, eval_text, window);
    const double accuracy = demo::choice_accuracy(model, tokenizer, task);
    demo::Rng sample_rng(sample_seed);
    ordered_json samples = ordered_json::array();
    for (const auto& [prompt, temperature] : std::vector<std::pair<std::string, double>>{
             {"", 0.0}, {"", 0.8}, {"", 0.8}, {"Once upon a time", 0.0}, {"One day, Mia", 0.8}}) {
        samples.push_back({{"prompt", prompt},
                           {"temperature", temperature},
                           {"text", demo::continue_text(model, tokenizer, prompt, 160,
                                                        temperature, sample_rng)}});
    }
    wall["evaluation"] = seconds_since(phase);
    wall["total"] = seconds_since(start);

    record["model"] = {{"architecture", "LlamaForCausalLM"},
                       {"vocab_size", shape.vocab_size},
                       {"hidden_size", shape.hidden_size},
                       {"intermediate_size", shape.intermediate_size},
                       {"num_hidden_layers", shape.num_layers},
                       {"num_attention_heads", shape.num_heads},
                       {"num_key_value_heads", shape.num_kv_heads},
                       {"head_dim", shape.head_dim()},
                       {"max_position_embeddings", window},
                       {"tie_word_embeddings", false},
                       {"parameters", model->parameter_count()},
                       {"stored_dtype", "BF16"}};
    record["training"] = {
        {"steps", steps},
        {"steps_from_budget_minutes", minutes > 0 ? ordered_json(minutes) : ordered_json()},
        {"reproduce_with", minutes > 0 ? "the same command with --minutes replaced by --steps=" +
                                             std::to_string(steps)
                                       : "the same command"},
        {"batch_sequences", batch},
        {"sequence", "[BOS] + " + std::to_string(window - 1) +
                         " corpus tokens, loss on the next token at every position"},
        {"tokens_seen", steps * batch * window},
        {"story_start_share", story_start_share},
        {"optimizer", "AdamW betas (0.9, 0.95), eps 1e-8, no decay on norm gains"},
        {"peak_lr", peak_lr},
        {"min_lr", min_lr},
        {"warmup_steps", warmup},
        {"schedule", "linear warmup, cosine decay to min_lr"},
        {"weight_decay", weight_decay},
        {"grad_clip", grad_clip},
        {"threads", threads},
        {"final_train_loss", final_loss},
        {"final_train_loss_means", "mean cross-entropy (nats/token) of the last 50 steps"},
        {"loss_curve_every_50_steps", curve}};
    record["heldout_perplexity"] = {
        {"value", ppl.value},
        {"window", ppl.window},
        {"tokens_scored", ppl.tokens_scored},
        {"text", "eval.txt"},
        {"weights", "model.safetensors as saved (BF16)"},
        {"protocol",
         "tokenize all of eval.txt without BOS; consecutive chunks of window-1 tokens, "
         "remainder dropped; each fed as [BOS]+chunk; exp(mean NLL of the chunk tokens)"}};
    record["task_accuracy"] = {
        {"value", accuracy},
        {"rows", task_rows},
        {"file", "task.jsonl"},
        {"scoring", "[BOS]+prompt+choice; highest summed log-probability of the choice tokens"}};
    record["samples"] = samples;
    record["wall_time_seconds"] = wall;
    qs::write_file_atomically(out + "/training.json", record.dump(2) + "\n");
    std::printf("held-out perplexity %.4f over %lld tokens (window %lld), task accuracy %.3f\n",
                ppl.value, static_cast<long long>(ppl.tokens_scored),
                static_cast<long long>(window), accuracy);
    for (const auto& s : samples) std::printf("--- %s\n", s["text"].get<std::string>().c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress reaches a log file line by line
    const qs::Status status = qs::guarded([&] { run(argc, argv); });
    if (!status) {
        std::fprintf(stderr, "train_demo_model: %s\n", status.error().message.c_str());
        return 1;
    }
    return 0;
}
