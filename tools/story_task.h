#pragma once
// The demo model's multiple-choice task: a story cut right before a word that earlier
// sentences determine (who got the kite back, what was shared), and that word among wrong
// words of the same kind. A model that tracks the story scores the right choice highest.
#include <cstdint>
#include <string>

namespace demo {

// One JSON object a line: {"prompt": story prefix without trailing space, "choices":
// [" word", ...] (each with its leading space, as it continues the prompt), "answer": index}.
std::string make_task_jsonl(uint64_t seed, size_t rows);

}  // namespace demo
