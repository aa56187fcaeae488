#pragma once
// Added tokens (special tokens such as <|im_start|> and user-added ones) of byte-level BPE.
// They are found in the raw text before anything else runs, and the text between them is
// tokenized normally.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qs {

struct AddedToken {
    std::string content;
    int32_t id = 0;
    bool lstrip = false;       // absorbs the whitespace before it
    bool rstrip = false;       // absorbs the whitespace after it
    bool single_word = false;  // matches only when not inside a word
};

class AddedTokens {
public:
    AddedTokens() = default;
    // Tokens with empty content are ignored (they would match everywhere).
    explicit AddedTokens(std::vector<AddedToken> tokens);

    struct Segment {
        std::string_view text;
        int32_t id;  // the added token's id, or -1 for text to be tokenized normally
    };
    // text cut at added tokens: at each position the longest matching token wins (Hugging
    // Face's leftmost-longest rule). Segments are never empty.
    std::vector<Segment> split(std::string_view text) const;

    const std::string* content_of(int32_t id) const;
    std::optional<int32_t> id_of(std::string_view content) const;
    // The largest id, or -1 when there are none.
    int32_t max_id() const { return max_id_; }

private:
    std::vector<AddedToken> tokens_;
    // Indices into tokens_ by first byte, longest first, so the first hit is the longest.
    std::array<std::vector<uint32_t>, 256> by_first_byte_;
    std::unordered_map<int32_t, uint32_t> by_id_;
    int32_t max_id_ = -1;
};

}  // namespace qs
