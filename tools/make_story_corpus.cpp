// Writes generated stories (the training corpus, or the held-out eval.txt) or the
// multiple-choice task.jsonl. Same arguments, same bytes, on any machine.
//
//   make_story_corpus stories SEED COUNT OUT
//   make_story_corpus task SEED ROWS OUT
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/atomic_output.h"
#include "common/result.h"
#include "story_generator.h"
#include "story_task.h"

int main(int argc, char** argv) {
    const std::string kind = argc == 5 ? argv[1] : "";
    if (kind != "stories" && kind != "task") {
        std::fprintf(stderr, "usage: %s stories|task SEED COUNT OUT\n", argv[0]);
        return 2;
    }
    const uint64_t seed = std::strtoull(argv[2], nullptr, 10);
    const size_t count = std::strtoull(argv[3], nullptr, 10);
    const std::string text = kind == "stories" ? demo::generate_stories(seed, count)
                                               : demo::make_task_jsonl(seed, count);
    const qs::Status written = qs::guarded([&] { qs::write_file_atomically(argv[4], text); });
    if (!written) {
        std::fprintf(stderr, "%s\n", written.error().message.c_str());
        return 1;
    }
    std::printf("%s: %zu bytes\n", argv[4], text.size());
    return 0;
}
