#include "tokenizer/bpe_tokenizer.h"

#include <algorithm>

#include "tokenizer/byte_level.h"
#include "tokenizer/unicode_text.h"

namespace qs {

namespace {

// Cache limits: enough for the distinct words of a large corpus; longer pieces rarely repeat.
constexpr size_t kCacheMaxEntries = 1 << 16;
constexpr size_t kCacheMaxPieceBytes = 64;

std::optional<int32_t> special_token_id(const BpeParts& parts, const std::string& content) {
    if (const auto id = parts.added_tokens.id_of(content)) return id;
    return parts.model.id_of(content);
}

}  // namespace

void resolve_special_tokens(BpeParts& parts, const TokenizerConfig& config,
                            std::optional<int32_t> template_bos) {
    parts.bos_id = config.bos_token ? special_token_id(parts, *config.bos_token) : template_bos;
    parts.eos_id = config.eos_token ? special_token_id(parts, *config.eos_token)
                                    : special_token_id(parts, "<|endoftext|>");
    parts.adds_bos = config.add_bos_token.value_or(template_bos.has_value()) && parts.bos_id;
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3);
    for (const AddedTokens::Segment& segment : parts_.added_tokens.split(text)) {
        if (segment.id >= 0)
            ids.push_back(segment.id);
        else
            encode_text(segment.text, ids);
    }
    return ids;
}

void BpeTokenizer::encode_text(std::string_view text, std::vector<int32_t>& ids) const {
    std::string normalized;
    if (parts_.nfc) {
        normalized = nfc(text);
        text = normalized;
    }
    std::string prefixed;
    if (parts_.add_prefix_space && !text.starts_with(' ')) {
        prefixed.reserve(text.size() + 1);
        prefixed.append(" ").append(text);
        text = prefixed;
    }
    for (const std::string_view piece : parts_.pretokenizer.split(text)) encode_piece(piece, ids);
}

void BpeTokenizer::encode_piece(std::string_view piece, std::vector<int32_t>& ids) const {
    const bool cacheable = piece.size() <= kCacheMaxPieceBytes;
    if (cacheable) {
        const std::lock_guard lock(cache_mutex_);
        if (const auto it = cache_.find(piece); it != cache_.end()) {
            ids.insert(ids.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    const size_t first = ids.size();
    parts_.model.encode(piece, ids);
    if (cacheable) {
        const std::lock_guard lock(cache_mutex_);
        if (cache_.size() < kCacheMaxEntries)
            cache_.try_emplace(std::string(piece), ids.begin() + static_cast<ptrdiff_t>(first),
                               ids.end());
    }
}

std::string BpeTokenizer::decode(const std::vector<int32_t>& ids) const {
    std::string bytes;
    for (const int32_t id : ids) {
        if (const std::string* content = parts_.added_tokens.content_of(id))
            bytes.append(*content);
        else if (const std::string* token = parts_.model.token(id))
            append_bytes_from_byte_level(*token, bytes);
        // Ids without an entry (e.g. the padding rows of an embedding matrix) decode to
        // nothing, as in Hugging Face.
    }
    // Ids can end inside a multi-byte character; Hugging Face shows that as U+FFFD.
    return repair_utf8(bytes);
}

std::string BpeTokenizer::piece(int32_t id) const {
    if (const std::string* content = parts_.added_tokens.content_of(id)) return *content;
    if (const std::string* token = parts_.model.token(id)) return *token;
    return {};
}

int32_t BpeTokenizer::vocab_size() const {
    return std::max(parts_.model.max_id(), parts_.added_tokens.max_id()) + 1;
}

}  // namespace qs
