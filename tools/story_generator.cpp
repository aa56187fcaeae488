#include "story_generator.h"

#include <algorithm>
#include <cctype>

#include "story_lexicon.h"

namespace demo {

namespace {

std::string cap(std::string s) {
    for (char& c : s)
        if (std::isalpha(static_cast<unsigned char>(c))) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            break;
        }
    return s;
}

std::string a(const std::string& word) {
    const bool vowel = std::string("aeiou").find(word[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + word;
}

// Appends sentences and records the cloze words among them.
class Writer {
public:
    void add(const std::string& sentence) {
        if (!text_.empty()) text_ += ' ';
        text_ += cap(sentence);
    }
    // before + answer + after is one sentence; the answer must be a remembered word, so
    // before must not end a sentence (the task prompt stops right before the answer).
    void add_cloze(const std::string& before, const std::string& answer, const std::string& after,
                   std::vector<std::string> distractors) {
        add(before + answer + after);
        const size_t offset = text_.size() - after.size() - answer.size();
        distractors.erase(std::remove(distractors.begin(), distractors.end(), answer),
                          distractors.end());
        clozes_.push_back({offset, answer, std::move(distractors)});
    }
    Story story() && { return {std::move(text_), std::move(clozes_)}; }

private:
    std::string text_;
    std::vector<Cloze> clozes_;
};

struct Cast {
    Rng& rng;
    std::vector<std::string> used;

    std::string fresh_name(const std::vector<std::string>& pool) {
        for (;;) {
            const std::string& n = rng.pick(pool);
            if (std::find(used.begin(), used.end(), n) == used.end()) {
                used.push_back(n);
                return n;
            }
        }
    }
    Person child() {
        const bool girl = rng.chance(0.5);
        const std::string name = fresh_name(girl ? lexicon().girls : lexicon().boys);
        const std::string size = rng.chance(0.5) ? "little " : "";
        return {name, (size.empty() ? "a " : "a little ") + std::string(girl ? "girl" : "boy") +
                          " named " + name,
                girl ? Pronouns{"she", "her", "her"} : Pronouns{"he", "him", "his"}};
    }
    // Two children who act together and are referred to as "they".
    Person pair() {
        const Person x = child(), y = child();
        const std::string names = x.name + " and " + y.name;
        static const std::vector<std::string> kinds = {"two friends", "two best friends",
                                                       "a brother and a sister", "twins"};
        std::string kind = rng.pick(kinds);
        if (kind == "a brother and a sister" && x.pronouns.subject == y.pronouns.subject)
            kind = "two friends";
        return {names, kind + " named " + names, {"they", "them", "their", true}};
    }
    Person pet() {
        const std::string name = fresh_name(lexicon().pet_names);
        const bool male = rng.chance(0.5);
        return {name, a(rng.pick(lexicon().pet_kinds)) + " named " + name,
                male ? Pronouns{"he", "him", "his"} : Pronouns{"she", "her", "her"}};
    }
};

// Forms that depend on whether a person is one child or a pair.
std::string was(const Person& p) { return p.pronouns.plural ? "were" : "was"; }
std::string my(const Person& p) { return p.pronouns.plural ? "our" : "my"; }
std::string we(const Person& p) { return p.pronouns.plural ? "we" : "I"; }
std::string subj(const Person& p) { return p.pronouns.subject; }
std::string obj(const Person& p) { return p.pronouns.object; }
std::string poss(const Person& p) { return p.pronouns.possessive; }

std::vector<std::string> others(Rng& rng, const std::vector<std::string>& pool,
                                const std::string& answer, size_t n) {
    std::vector<std::string> out;
    while (out.size() < n) {
        const std::string& w = rng.pick(pool);
        if (w != answer && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    }
    return out;
}

void introduce(Writer& w, Rng& rng, const Person& hero) {
    const Lexicon& L = lexicon();
    switch (rng.below(3)) {
        case 0: w.add("once upon a time, there " + was(hero) + " " + hero.intro + "."); break;
        case 1:
            w.add("there once " + was(hero) + " " + hero.intro + " who lived near the " +
                  rng.pick(L.places) + ".");
            break;
        default: w.add(hero.intro + " lived in a small house with a red door."); break;
    }
    if (rng.chance(0.6))
        w.add(hero.name + " " + was(hero) + " very " + rng.pick(L.traits) + " and loved to " +
              rng.pick(L.outdoor_activities) + ".");
}

void lost_and_found(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = rng.chance(0.2) ? cast.pair() : cast.child();
    const Person friend_ = cast.child();
    const Toy& toy = rng.pick(L.toys);
    const std::string place = rng.pick(L.places);
    std::vector<std::string> spots = L.hiding_spots;
    rng.shuffle(spots);
    std::vector<std::string> toy_names;
    for (const Toy& t : L.toys) toy_names.push_back(t.name);

    introduce(w, rng, hero);
    if (rng.chance(0.5))
        w.add(hero.name + " had " + a(rng.pick(L.colors)) + " " + toy.name + ".");
    else
        w.add(poss(hero) + " " + rng.pick(L.parents) + " gave " + obj(hero) + " " +
              a(rng.pick(L.colors)) + " " + toy.name + " as a present.");
    w.add(subj(hero) + " loved the " + toy.name + " very much.");
    w.add(rng.pick(L.openers) + ", " + hero.name + " took the " + toy.name + " to the " + place +
          ".");
    w.add(subj(hero) + " " + toy.play + ".");
    w.add("but then " + toy.lost_how + ".");
    w.add(hero.name + " " + was(hero) + " very sad" +
          (rng.chance(0.5) ? "." : " and started to cry."));
    w.add("\"where is " + my(hero) + " " + toy.name + "?\" " + hero.name + " asked.");
    w.add("just then, " + poss(hero) + " friend " + friend_.name + " came by.");
    w.add("\"why are you sad?\" asked " + friend_.name + ".");
    w.add(hero.name + " told " + obj(friend_) + " about the " + toy.name + ".");
    w.add("\"do not worry,\" said " + friend_.name + ". \"I will help you find it.\"");
    w.add("they looked " + spots[0] + ", but the " + toy.name + " was not there.");
    if (rng.chance(0.5)) w.add("they looked " + spots[1] + ", but it was not there either.");
    w.add("at last, " + friend_.name + " found the " + toy.name + " " + spots[2] + "!");
    const std::vector<std::string> names = {hero.name, friend_.name};
    w.add_cloze(friend_.name + " gave the " + toy.name + " back to ", hero.name, ".", names);
    w.add_cloze("\"thank you, ", friend_.name, "!\" said " + hero.name + ".", names);
    w.add_cloze("in the end, " + hero.name + " got " + poss(hero) + " ", toy.name, " back.",
                others(rng, toy_names, toy.name, 2));
    if (rng.chance(0.5))
        w.add(hero.name + " and " + friend_.name + " played together until the sun went down.");
    else
        w.add("from that day on, " + hero.name + " always kept the " + toy.name + " close.");
}

void sharing(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = cast.child();
    const Person other = cast.child();
    const std::string food = rng.pick(L.foods);
    const std::string place = rng.pick(L.places);

    introduce(w, rng, hero);
    w.add(rng.pick(L.openers) + ", " + hero.name + " had " + a(food) + " for lunch.");
    w.add(subj(hero) + " went to the " + place + " to eat it.");
    w.add("there " + subj(hero) + " saw " + other.intro + " sitting alone.");
    w.add(other.name + " looked hungry and sad, because " + subj(other) +
          " had forgotten " + poss(other) + " lunch at home.");
    w.add("\"are you hungry?\" " + hero.name + " asked.");
    w.add("\"yes,\" said " + other.name + ". \"I forgot my lunch.\"");
    const std::vector<std::string> names = {hero.name, other.name};
    w.add_cloze(hero.name + " wanted to help, so " + subj(hero) + " broke the " + food +
                    " in two and gave half to ",
                other.name, ".", names);
    w.add_cloze("\"thank you, ", hero.name, "!\" said " + other.name + ". \"You are very kind.\"",
                names);
    w.add("they ate the " + food + " together and laughed.");
    w.add_cloze("because " + hero.name + " shared " + poss(hero) + " ", food,
                ", " + subj(hero) + " made a new friend.", others(rng, L.foods, food, 2));
    w.add("from that day on, " + hero.name + " and " + other.name + " were best friends.");
}

void rainy_day(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = rng.chance(0.3) ? cast.pair() : cast.child();
    const std::string parent = rng.pick(L.parents);
    const std::string place = rng.pick(L.places);
    const IndoorActivity& act = rng.pick(L.indoor);

    introduce(w, rng, hero);
    w.add(rng.pick(L.openers) + ", " + hero.name + " wanted to go to the " + place + " to " +
          rng.pick(L.outdoor_activities) + ".");
    w.add("but when " + subj(hero) + " looked out the window, it was raining hard.");
    if (rng.chance(0.5))
        w.add("because of the rain, " + hero.name + " could not go outside.");
    else
        w.add("the rain was too heavy, so " + subj(hero) + " had to stay inside.");
    w.add(hero.name + " " + was(hero) + " sad and bored.");
    w.add("\"" + we(hero) + " want to play outside, but there is nothing to do,\" said " +
          hero.name + ".");
    w.add(poss(hero) + " " + parent + " smiled. \"Let's " + act.idea + "!\"");
    w.add("so " + hero.name + " and " + poss(hero) + " " + parent + " " + act.done + ".");
    w.add("soon, " + hero.name + " forgot all about the rain.");
    w.add_cloze("when the rain stopped, " + hero.name + " ran to the ", place, " to play.",
                others(rng, L.places, place, 2));
    w.add("it was a happy day after all.");
}

void fall_and_help(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = cast.child();
    const Person friend_ = cast.child();
    const std::string part = rng.pick(L.body_parts);
    const std::string parent = rng.pick(L.parents);

    introduce(w, rng, hero);
    w.add(hero.name + " had a friend named " + friend_.name + ".");
    w.add(rng.pick(L.openers) + ", " + hero.name + " and " + friend_.name + " went to the " +
          rng.pick(L.places) + " to play.");
    const bool tree = rng.chance(0.5);
    w.add(hero.name + (tree ? " wanted to climb the tallest tree." : " wanted to run very fast."));
    w.add("\"be careful!\" said " + friend_.name + ".");
    w.add("but " + hero.name + " did not listen.");
    w.add(subj(hero) + (tree ? " slipped on a branch and fell down." : " tripped on a rock and fell down."));
    w.add(subj(hero) + " hurt " + poss(hero) + " " + part + ", and it hurt so much that " +
          subj(hero) + " started to cry.");
    w.add(friend_.name + " ran to help " + obj(hero) + ".");
    w.add(friend_.name + " helped " + hero.name + " get up and walked " + obj(hero) + " home.");
    w.add_cloze(poss(hero) + " " + parent + " washed " + poss(hero) + " ", part,
                " and put a bandage on it.", others(rng, L.body_parts, part, 2));
    w.add_cloze("\"thank you for helping ", hero.name, ",\" said " + poss(hero) + " " + parent + ".",
                {hero.name, friend_.name});
    w.add("from that day on, " + hero.name + " always listened when " + friend_.name +
          " said, \"Be careful!\"");
}

void birthday_gift(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = cast.child();
    const Person friend_ = cast.child();
    const Gift& gift = rng.pick(L.gifts);
    std::vector<std::string> gift_names;
    for (const Gift& g : L.gifts) gift_names.push_back(g.name);

    introduce(w, rng, hero);
    w.add(hero.name + "'s best friend was " + friend_.name + ".");
    w.add(rng.pick(L.openers) + ", " + hero.name + " remembered that the next day was " +
          friend_.name + "'s birthday.");
    w.add(subj(hero) + " wanted to give " + obj(friend_) + " a special gift, but " + subj(hero) +
          " had no money.");
    w.add("so " + subj(hero) + " decided to make a gift.");
    w.add(hero.name + " " + gift.made + ".");
    w.add("it took a long time, but " + subj(hero) + " did not give up.");
    w.add("the next day, " + hero.name + " gave the " + gift.name + " to " + friend_.name + ".");
    w.add(friend_.name + " was so happy that " + subj(friend_) + " gave " + hero.name +
          " a big hug.");
    w.add_cloze("\"this is the best ", gift.name, " ever!\" said " + friend_.name + ".",
                others(rng, gift_names, gift.name, 2));
    w.add(friend_.name + " " + gift.keep + ".");
    w.add_cloze("every time " + friend_.name + " saw it, " + subj(friend_) + " thought of ",
                hero.name, ".", {hero.name, friend_.name});
}

void runaway_pet(Writer& w, Rng& rng, Cast& cast) {
    const Lexicon& L = lexicon();
    const Person hero = rng.chance(0.25) ? cast.pair() : cast.child();
    const Person pet = cast.pet();
    const std::string critter = rng.pick(L.critters);
    const std::string place = rng.pick(L.places);
    std::vector<std::string> spots = L.hiding_spots;
    rng.shuffle(spots);

    introduce(w, rng, hero);
    w.add(hero.name + " had " + pet.intro + ".");
    w.add(pet.name + " was very " + rng.pick(L.traits) + ".");
    w.add(rng.pick(L.openers) + ", " + hero.name + " took " + pet.name + " to the " + place + ".");
    w.add(pet.name + " saw " + a(critter) + " and ran after it, so " + subj(hero) +
          " lost sight of " + obj(pet) + ".");
    w.add("\"" + pet.name + ", come back!\" " + hero.name + " called.");
    w.add("but " + pet.name + " did not come back.");
    w.add(hero.name + " looked " + spots[0] + " and " + spots[1] + ".");
    w.add(subj(hero) + " " + was(hero) + " very worried.");
    w.add("then " + subj(hero) + " heard a happy sound " + spots[2] + ".");
    w.add_cloze("it was ", pet.name, "!", others(rng, L.pet_names, pet.name, 2));
    w.add(subj(pet) + " was playing with the " + critter + ".");
    w.add(hero.name + " hugged " + pet.name + ", and they walked home together.");
    w.add_cloze("from that day on, " + hero.name + " always kept ", pet.name, " close.",
                {pet.name, hero.name});
}

}  // namespace

Story generate_story(Rng& rng) {
    using Plot = void (*)(Writer&, Rng&, Cast&);
    static const std::vector<Plot> plots = {lost_and_found, sharing,       rainy_day,
                                            fall_and_help,  birthday_gift, runaway_pet};
    Writer w;
    Cast cast{rng, {}};
    rng.pick(plots)(w, rng, cast);
    return std::move(w).story();
}

std::string generate_stories(uint64_t seed, size_t count) {
    Rng rng(seed);
    std::string out;
    for (size_t i = 0; i < count; ++i) out += generate_story(rng).text + "\n\n";
    return out;
}

}  // namespace demo
