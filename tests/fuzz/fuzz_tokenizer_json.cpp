// tokenizer.json loading (byte-level BPE: model, normalizer, pre-tokenizer regexes, added
// tokens) through the public load_tokenizer. A tokenizer that loads must also encode, decode and
// name its pieces without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "tokenizer/tokenizer.h"

namespace {

void exercise(const qs::Tokenizer& tokenizer) {
    const auto ids = tokenizer.encode("Hello world's 123 h\xC3\xA9llo\r\n  <|endoftext|> \xF0\x9F\x98\x80 abc");
    tokenizer.decode(ids);
    for (int32_t id = -1; id < tokenizer.vocab_size() && id < 64; ++id) tokenizer.piece(id);
    tokenizer.decode({-1, tokenizer.vocab_size(), 0});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = qs::fuzz::write_file(
        "tokenizer.json", std::string_view(reinterpret_cast<const char*>(data), size));
    const auto tokenizer = qs::load_tokenizer(path);
    if (tokenizer) exercise(*tokenizer.value());
    return 0;
}
