#pragma once
// Unicode helpers of the tokenizers, backed by ICU.
#include <string>
#include <string_view>

namespace qs {

// NFC of UTF-8 text (ICU). Ill-formed byte sequences pass through unchanged, so no input byte
// is lost before byte-level BPE, which can encode any bytes.
std::string nfc(std::string_view text);

// text with every ill-formed UTF-8 sequence replaced by U+FFFD (maximal subparts, as Rust's
// from_utf8_lossy does in Hugging Face decoders); valid text is returned unchanged.
std::string repair_utf8(std::string_view text);

// Whether the code point is White_Space (the test HF uses for added tokens' lstrip/rstrip).
bool is_unicode_whitespace(char32_t c);
// Alphanumeric or '_' (HF's word character for single_word added tokens).
bool is_word_character(char32_t c);

// The code point starting at text[pos] and its length in bytes; an ill-formed byte decodes
// as U+FFFD with length 1.
struct DecodedChar {
    char32_t code_point;
    size_t length;
};
DecodedChar decode_utf8_at(std::string_view text, size_t pos);
// The code point ending just before text[end] (end > 0), same conventions.
DecodedChar decode_utf8_before(std::string_view text, size_t end);

}  // namespace qs
