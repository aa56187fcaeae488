#include "story_task.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "story_generator.h"

namespace demo {

std::string make_task_jsonl(uint64_t seed, size_t rows) {
    Rng rng(seed);
    std::string out;
    for (size_t i = 0; i < rows; ++i) {
        const Story story = generate_story(rng);
        const Cloze& cloze = story.clozes[rng.below(story.clozes.size())];
        std::vector<std::string> choices = {" " + cloze.answer};
        for (const std::string& d : cloze.distractors) choices.push_back(" " + d);
        rng.shuffle(choices);
        const auto answer = std::find(choices.begin(), choices.end(), " " + cloze.answer);
        const nlohmann::json row = {{"prompt", story.text.substr(0, cloze.offset - 1)},
                                    {"choices", choices},
                                    {"answer", answer - choices.begin()}};
        out += row.dump() + "\n";
    }
    return out;
}

}  // namespace demo
