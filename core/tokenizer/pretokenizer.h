#pragma once
// Pre-tokenization of byte-level BPE: regular-expression splits (PCRE2 in UTF + UCP mode)
// applied one after another, every match and every gap between matches becoming its own piece
// (Hugging Face's Split with behavior "Isolated").
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

// Qwen2's split pattern, used for vocab.json + merges.txt (which carry no pre-tokenizer).
inline constexpr const char* kQwen2SplitPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// GPT-2's pattern, what a ByteLevel pre-tokenizer with use_regex applies.
inline constexpr const char* kGpt2SplitPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class RegexSplitter {
public:
    // literal: pattern is a plain string, not a regular expression. Throws Failure with
    // PCRE2's message when the pattern does not compile.
    RegexSplitter(const std::string& pattern, bool literal);
    ~RegexSplitter();
    RegexSplitter(RegexSplitter&&) noexcept;
    RegexSplitter(const RegexSplitter&) = delete;
    RegexSplitter& operator=(const RegexSplitter&) = delete;
    RegexSplitter& operator=(RegexSplitter&&) = delete;

    // Appends the pieces of every text to out; they cover the texts exactly, in order, none
    // empty.
    void split(const std::vector<std::string_view>& texts,
               std::vector<std::string_view>& out) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

class PreTokenizer {
public:
    void add_split(const std::string& pattern, bool literal) {
        steps_.emplace_back(pattern, literal);
    }

    // The pieces of text after every split step (text itself when there is none); no piece is
    // empty.
    std::vector<std::string_view> split(std::string_view text) const;

private:
    std::vector<RegexSplitter> steps_;
};

}  // namespace qs
