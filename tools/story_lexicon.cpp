#include "story_lexicon.h"

namespace demo {

const Lexicon& lexicon() {
    static const Lexicon words = [] {
        Lexicon w;
        w.girls = {"Lily", "Mia",  "Anna", "Sara", "Emma", "Lucy", "Rose", "Ella", "Zoe",
                   "Amy",  "Kate", "Ruby", "Nina", "Grace", "Chloe", "Maya", "Ivy", "Jane",
                   "Sophie", "Olivia", "Hannah", "Clara", "Molly", "Daisy"};
        w.boys = {"Tom",  "Ben",  "Sam",  "Max",  "Leo",  "Jack", "Tim",  "Dan",  "Finn",
                  "Noah", "Jake", "Luke", "Owen", "Adam", "Alex", "Peter", "Oscar", "Henry",
                  "Theo", "Eli", "Ryan", "Charlie", "Oliver", "Lucas"};
        w.pet_names = {"Spot", "Buddy", "Coco", "Fluffy", "Rex", "Whiskers", "Bella", "Pip",
                       "Sunny", "Shadow", "Patch", "Biscuit"};
        w.pet_kinds = {"dog", "cat", "puppy", "kitten", "bunny", "little dog"};
        w.places = {"park", "garden", "beach", "forest", "lake", "farm", "playground", "hill",
                    "river", "meadow", "zoo", "school"};
        w.hiding_spots = {"under the big tree", "behind a bench", "near the pond",
                          "under a pile of leaves", "next to the fence", "in the tall grass",
                          "behind a big rock", "under a bush", "by the old gate",
                          "inside a hollow log"};
        w.colors = {"red", "blue", "green", "yellow", "pink", "purple", "orange", "white",
                    "shiny", "little", "new", "old"};
        w.foods = {"apple", "sandwich", "cookie", "cake", "muffin", "banana", "pie", "pear",
                   "orange", "peach", "pizza", "carrot"};
        w.body_parts = {"knee", "arm", "hand", "foot", "elbow", "leg"};
        w.parents = {"mom", "dad", "grandma", "grandpa"};
        w.critters = {"butterfly", "squirrel", "rabbit", "bird", "frog", "duck"};
        w.outdoor_activities = {"play with the ball", "fly a kite", "look for bugs",
                                "pick flowers", "ride a bike", "swing on the swings",
                                "build a sand castle", "feed the ducks"};
        w.traits = {"kind", "happy", "curious", "brave", "shy", "funny", "gentle", "busy"};
        w.openers = {"One day", "One sunny morning", "One warm afternoon", "Last summer",
                     "On a cold winter day", "One bright morning", "Yesterday"};
        w.toys = {
            {"kite", "flew it high in the sky", "a strong wind blew the kite away"},
            {"ball", "kicked it across the grass", "the ball rolled far away down the hill"},
            {"doll", "had a tea party with it", "a naughty dog grabbed the doll and ran off"},
            {"teddy bear", "hugged it and played games with it",
             "a naughty dog grabbed the teddy bear and ran off"},
            {"toy car", "raced it along the path", "the toy car rolled away into the grass"},
            {"boat", "sailed it on the water", "the water carried the boat away"},
            {"hat", "wore it all day", "a strong wind blew the hat away"},
            {"balloon", "ran with it on a long string", "the balloon slipped away in the wind"},
            {"book", "read it under a tree", "the book fell out of the bag on the way"},
            {"toy train", "pushed it along the ground", "the toy train fell out of the bag"},
        };
        w.gifts = {
            {"painted a picture of a big boat", "picture", "hung the picture on the wall"},
            {"made a card with a heart on it", "card", "put the card by the bed"},
            {"made a necklace out of shells", "necklace", "wore the necklace every day"},
            {"built a little bird house", "bird house", "put the bird house in the garden"},
            {"made a crown out of paper", "crown", "wore the crown all day"},
            {"made a little cat out of clay", "clay cat", "put the clay cat on a shelf"},
            {"drew a map of the town", "map", "kept the map in a special box"},
            {"made a bracelet of blue beads", "bracelet", "wore the bracelet every day"},
        };
        w.indoor = {
            {"build a fort", "built a big fort out of pillows"},
            {"bake cookies", "baked warm cookies with chocolate"},
            {"paint a picture", "painted a picture of a big sun"},
            {"play a game", "played a game of cards"},
            {"read a story", "read a story about a brave knight"},
            {"make a puppet show", "made a puppet show with old socks"},
        };
        return w;
    }();
    return words;
}

}  // namespace demo
