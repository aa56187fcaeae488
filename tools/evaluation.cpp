#include "evaluation.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/result.h"

namespace demo {

namespace {

torch::Tensor ids_tensor(const std::vector<int32_t>& ids) {
    return torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong);
}

}  // namespace

Perplexity heldout_perplexity(Llama& model, const qs::Tokenizer& tokenizer,
                              const std::string& text, int64_t window) {
    torch::NoGradGuard no_grad;
    model->eval();
    const std::vector<int32_t> ids = tokenizer.encode(text);
    const int64_t chunk = window - 1;
    const int64_t chunks = static_cast<int64_t>(ids.size()) / chunk;
    const torch::Tensor all = ids_tensor(ids).slice(0, 0, chunks * chunk).view({chunks, chunk});
    const torch::Tensor bos = torch::full({chunks, 1}, int64_t(*tokenizer.bos_id()), torch::kLong);
    const torch::Tensor inputs = torch::cat({bos, all}, 1);  // [chunks, window]

    double nll = 0;
    for (int64_t begin = 0; begin < chunks; begin += 8) {
        const int64_t end = std::min(chunks, begin + 8);
        // The last position's logits predict the token after the chunk, which is not scored.
        const torch::Tensor logits = model->forward(inputs.slice(0, begin, end)).slice(1, 0, chunk);
        const torch::Tensor logp = torch::log_softmax(logits.to(torch::kFloat64), -1);
        nll -= logp.gather(-1, all.slice(0, begin, end).unsqueeze(-1)).sum().item<double>();
    }
    const int64_t scored = chunks * chunk;
    return {std::exp(nll / double(scored)), window, scored};
}

double choice_accuracy(Llama& model, const qs::Tokenizer& tokenizer, const std::string& jsonl) {
    torch::NoGradGuard no_grad;
    model->eval();
    std::istringstream lines(jsonl);
    std::string line;
    int64_t rows = 0, correct = 0;
    while (std::getline(lines, line)) {
        const nlohmann::json row = nlohmann::json::parse(line);
        const std::string prompt = row["prompt"];
        const size_t prompt_len = tokenizer.encode(prompt).size();
        int64_t best = -1;
        double best_score = -INFINITY;
        for (size_t c = 0; c < row["choices"].size(); ++c) {
            std::vector<int32_t> ids = {*tokenizer.bos_id()};
            for (int32_t id : tokenizer.encode(prompt + row["choices"][c].get<std::string>()))
                ids.push_back(id);
            if (int64_t(ids.size()) > model->shape().max_positions)
                qs::fail("task row longer than the model's window: " + prompt.substr(0, 60));
            const torch::Tensor input = ids_tensor(ids).unsqueeze(0);
            const torch::Tensor logp = torch::log_softmax(model->forward(input)[0], -1);
            double score = 0;
            // ids[i + 1] is predicted at position i; the choice tokens follow BOS + prompt.
            for (size_t i = prompt_len; i + 1 < ids.size(); ++i)
                score += logp[int64_t(i)][ids[i + 1]].item<double>();
            if (score > best_score) best_score = score, best = int64_t(c);
        }
        correct += best == row["answer"].get<int64_t>();
        ++rows;
    }
    return rows ? double(correct) / double(rows) : 0.0;
}

}  // namespace demo
