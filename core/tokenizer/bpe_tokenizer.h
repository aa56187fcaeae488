#pragma once
// Byte-level BPE (GPT-2 family: Qwen2/2.5/3, Llama 3, SmolLM): added tokens are cut out
// first, the text between them is normalized (NFC when declared), pre-tokenized, mapped to
// the byte-level alphabet and merged by BPE.
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizer_config.h"
#include "tokenizer/tokenizer.h"

namespace qs {

// Everything a BpeTokenizer is made of, as read from tokenizer.json or vocab.json + merges.txt.
struct BpeParts {
    explicit BpeParts(BpeModel bpe) : model(std::move(bpe)) {}

    BpeModel model;
    AddedTokens added_tokens;
    bool nfc = false;
    bool add_prefix_space = false;  // ByteLevel's: a space before text not starting with one
    PreTokenizer pretokenizer;
    std::optional<int32_t> bos_id;
    std::optional<int32_t> eos_id;
    bool adds_bos = false;
    std::string source;
};

// Sets bos_id, eos_id and adds_bos of parts. With a tokenizer_config.json: its bos_token /
// eos_token and add_bos_token; without one: no BOS and <|endoftext|> as EOS. template_bos is
// the token a tokenizer.json post-processor puts before every text (Llama 3's
// <|begin_of_text|>): Hugging Face adds it unless add_bos_token says otherwise.
void resolve_special_tokens(BpeParts& parts, const TokenizerConfig& config,
                            std::optional<int32_t> template_bos);

class BpeTokenizer final : public Tokenizer {
public:
    explicit BpeTokenizer(BpeParts parts) : parts_(std::move(parts)) {}

    std::vector<int32_t> encode(std::string_view text) const override;
    std::string decode(const std::vector<int32_t>& ids) const override;
    std::string piece(int32_t id) const override;
    int32_t vocab_size() const override;
    std::optional<int32_t> bos_id() const override { return parts_.bos_id; }
    std::optional<int32_t> eos_id() const override { return parts_.eos_id; }
    bool adds_bos() const override { return parts_.adds_bos; }
    std::string kind() const override { return "byte-level-bpe"; }
    std::string source() const override { return parts_.source; }

private:
    void encode_text(std::string_view text, std::vector<int32_t>& ids) const;
    void encode_piece(std::string_view piece, std::vector<int32_t>& ids) const;

    struct StringHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    BpeParts parts_;
    // Words repeat a lot in text: their merges are computed once. Bounded (see .cpp) so that
    // long-running processes do not grow without limit.
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>>
        cache_;
};

}  // namespace qs
