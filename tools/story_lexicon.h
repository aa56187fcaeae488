#pragma once
// The words the story generator combines. Every list is small on purpose: the demo model has
// 1-4 M parameters, so the grammar must be learnable, while the combinations stay many enough
// that the model has to learn the structure rather than memorize stories.
#include <string>
#include <vector>

namespace demo {

struct Pronouns {
    std::string subject;     // he / she / they
    std::string object;      // him / her / them
    std::string possessive;  // his / her / their
    bool plural = false;     // "they" takes "were", "we", "our"
};

struct Person {
    std::string name;   // "Lily", or "Ben and Anna" for a pair
    std::string intro;  // "a little girl named Lily", first mention in a story
    Pronouns pronouns;
};

// A thing a child can play with, and how it gets lost (the cause of the story's problem).
struct Toy {
    std::string name;      // "kite"
    std::string play;      // "flew it high in the sky"
    std::string lost_how;  // "a strong wind blew the kite away"
};

// Something a child can make for a friend, and what the friend does with it afterwards.
struct Gift {
    std::string made;   // "painted a picture of a big red boat"
    std::string name;   // "picture"
    std::string keep;   // "hung the picture on the wall"
};

struct IndoorActivity {
    std::string idea;  // offered in dialogue: "build a fort"
    std::string done;  // narrated: "built a big fort out of pillows"
};

struct Lexicon {
    std::vector<std::string> girls, boys, pet_names;
    std::vector<std::string> places, hiding_spots, colors, foods, body_parts, parents;
    std::vector<std::string> pet_kinds, critters, outdoor_activities, traits, openers;
    std::vector<Toy> toys;
    std::vector<Gift> gifts;
    std::vector<IndoorActivity> indoor;
};

const Lexicon& lexicon();

}  // namespace demo
