#pragma once
// Task accuracy scored by log-likelihood: each choice is scored by the sum of the log
// probabilities of its tokens after the prompt, and a row counts as right when the answer's
// score is the highest. Two JSONL row shapes are read:
//   {"prompt": "...", "choices": [" a", " b", ...], "answer": 1}      (answer: index or text)
//   {"text": "...", "label": "positive"}  -> prompt = template with {text} replaced, choices =
//                                           " " + each distinct label of the file (first-seen order)
#include <cstdint>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model.h"

namespace qs {

struct TaskRow {
    std::string prompt;
    std::vector<std::string> choices;
    int answer = 0;
};

// text_template: "{text}" is replaced by a labelled row's text (e.g. "Review: {text}\nSentiment:").
// max_rows > 0 keeps the first max_rows rows. Errors name the file and line.
Result<std::vector<TaskRow>> load_task(const std::string& path, const std::string& text_template,
                                       int64_t max_rows);

// Fraction of rows answered right. Needs the model's tokenizer.
Result<double> task_accuracy(const Model& model, const std::vector<TaskRow>& rows,
                             const Control& control = {});

}  // namespace qs
