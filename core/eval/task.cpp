#include "eval/task.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "eval/perplexity.h"
#include "tokenizer/tokenizer.h"

namespace qs {

namespace {

std::string fill_template(std::string tmpl, const std::string& text) {
    const size_t at = tmpl.find("{text}");
    if (at == std::string::npos) return tmpl + text;
    return tmpl.replace(at, 6, text);
}

}  // namespace

Result<std::vector<TaskRow>> load_task(const std::string& path, const std::string& text_template,
                                       int64_t max_rows) {
    return guarded([&] {
        std::ifstream in(path, std::ios::binary);
        if (!in) fail(path + ": cannot open the task file");
        std::vector<TaskRow> rows;
        std::vector<std::string> labels;        // distinct labels, first-seen order
        std::vector<std::string> row_labels;    // label of each labelled row
        std::string line;
        int64_t line_no = 0;
        while (std::getline(in, line)) {
            ++line_no;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            if (max_rows > 0 && int64_t(rows.size()) >= max_rows) break;
            const std::string where = path + ":" + std::to_string(line_no) + ": ";
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const std::exception& e) {
                fail(where + "not JSON (" + e.what() + ")");
            }
            if (!j.is_object()) fail(where + "a row must be a JSON object");
            TaskRow row;
            if (j.contains("choices")) {
                if (!j.contains("prompt") || !j["prompt"].is_string() || !j["choices"].is_array() ||
                    j["choices"].size() < 2 || !j.contains("answer"))
                    fail(where + "a choice row needs \"prompt\", at least 2 \"choices\" and \"answer\"");
                row.prompt = j["prompt"].get<std::string>();
                for (const auto& c : j["choices"]) {
                    if (!c.is_string()) fail(where + "choices must be strings");
                    row.choices.push_back(c.get<std::string>());
                }
                const auto& a = j["answer"];
                if (a.is_number_integer()) {
                    row.answer = a.get<int>();
                } else if (a.is_string()) {
                    auto it = std::find(row.choices.begin(), row.choices.end(), a.get<std::string>());
                    if (it == row.choices.end()) fail(where + "\"answer\" is not one of the choices");
                    row.answer = int(it - row.choices.begin());
                } else {
                    fail(where + "\"answer\" must be an index or one of the choices");
                }
                if (row.answer < 0 || row.answer >= int(row.choices.size()))
                    fail(where + "\"answer\" index is out of range");
                row_labels.emplace_back();
            } else if (j.contains("text") && j.contains("label")) {
                if (!j["text"].is_string()) fail(where + "\"text\" must be a string");
                const std::string label = j["label"].is_string() ? j["label"].get<std::string>()
                                                                 : j["label"].dump();
                if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
                row.prompt = fill_template(text_template, j["text"].get<std::string>());
                row_labels.push_back(label);
            } else {
                fail(where + "expected {\"prompt\",\"choices\",\"answer\"} or {\"text\",\"label\"}");
            }
            rows.push_back(std::move(row));
        }
        if (rows.empty()) fail(path + ": the task file has no rows");
        // Labelled rows choose among all labels of the file, known only once it is read.
        for (size_t i = 0; i < rows.size(); ++i) {
            if (row_labels[i].empty()) continue;
            if (labels.size() < 2) fail(path + ": a labelled task needs at least 2 distinct labels");
            for (const std::string& l : labels) rows[i].choices.push_back(" " + l);
            rows[i].answer = int(std::find(labels.begin(), labels.end(), row_labels[i]) - labels.begin());
        }
        return rows;
    });
}

Result<double> task_accuracy(const Model& model, const std::vector<TaskRow>& rows,
                             const Control& control) {
    return guarded([&] {
        const Tokenizer* tok = model.tokenizer();
        if (!tok) fail("task accuracy needs a tokenizer and the model has none");
        const int64_t vocab = model.config().vocab_size;
        int64_t right = 0;
        for (size_t r = 0; r < rows.size(); ++r) {
            control.check();
            control.report("Task row " + std::to_string(r + 1) + "/" + std::to_string(rows.size()),
                           int64_t(r), int64_t(rows.size()));
            const TaskRow& row = rows[r];
            auto prompt = model.encode_prompt(row.prompt);
            if (!prompt) fail(prompt.error().message);
            double best = -std::numeric_limits<double>::infinity();
            int best_choice = -1;
            for (size_t c = 0; c < row.choices.size(); ++c) {
                const std::vector<int32_t> choice = tok->encode(row.choices[c]);
                if (choice.empty()) continue;
                std::vector<int32_t> ids = *prompt;
                ids.insert(ids.end(), choice.begin(), choice.end());
                // Keep the end of an over-long prompt: the choice must fit.
                if (int64_t(ids.size()) > model.max_positions())
                    ids.erase(ids.begin(), ids.end() - model.max_positions());
                const int64_t first = int64_t(ids.size() - choice.size()) - 1;
                if (first < 0) continue;
                std::vector<int64_t> positions(choice.size());
                std::iota(positions.begin(), positions.end(), first);
                double logp = 0;
                Status s = model.forward(ids, positions, [&](int64_t p, const float* logits) {
                    logp -= token_nll(logits, vocab, ids[p + 1]);
                });
                if (!s) fail(s.error().message);
                if (logp > best) {
                    best = logp;
                    best_choice = int(c);
                }
            }
            if (best_choice == row.answer) ++right;
        }
        return double(right) / double(rows.size());
    });
}

}  // namespace qs
