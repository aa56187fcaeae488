#pragma once
// Procedural short stories in simple past tense for training and evaluating the demo model.
// A story has named characters whose pronouns agree (he/she/they), objects, places, a cause
// and its effect, quoted dialogue, and an ending that refers back to what happened, so a
// model has to track who did what to predict it.
#include <cstdint>
#include <string>
#include <vector>

#include "story_rng.h"

namespace demo {

// A word in the story that follows from earlier sentences (who lost the kite, what was
// shared). The multiple-choice task asks a model to pick it among wrong words.
struct Cloze {
    size_t offset = 0;  // byte offset of the answer in Story::text (just after a space)
    std::string answer;
    std::vector<std::string> distractors;  // same kind of word, none equal to answer
};

struct Story {
    std::string text;  // one paragraph, no newline
    std::vector<Cloze> clozes;
};

Story generate_story(Rng& rng);

// count stories, each followed by a blank line ("story\n\n").
std::string generate_stories(uint64_t seed, size_t count);

}  // namespace demo
