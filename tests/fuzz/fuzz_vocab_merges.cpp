// The vocab.json + merges.txt (+ added_tokens.json) layout through the public load_tokenizer.
// Input: vocab.json NUL merges.txt [NUL added_tokens.json]. A tokenizer that loads must also
// encode, decode and name its pieces without crashing.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = qs::fuzz::split_input(data, size, 3);
    const std::string vocab = qs::fuzz::write_file("vocab.json", parts[0]);
    qs::fuzz::write_file("merges.txt", parts[1]);
    if (parts[2].empty())
        qs::fuzz::remove_file("added_tokens.json");
    else
        qs::fuzz::write_file("added_tokens.json", parts[2]);
    const auto tokenizer = qs::load_tokenizer(vocab);
    if (tokenizer) {
        const qs::Tokenizer& t = *tokenizer.value();
        const auto ids = t.encode("abc ab<|endoftext|>a\n\n  x\xC3\xA9 12");
        t.decode(ids);
        for (int32_t id = -1; id < t.vocab_size() && id < 64; ++id) t.piece(id);
        t.decode({-1, t.vocab_size(), 0});
    }
    return 0;
}
